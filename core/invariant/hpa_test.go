package invariant

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/hpa"
	"github.com/kubesim/kubesim/core/store"
)

func testHPA(current, desired int32, at api.Time) *api.HorizontalPodAutoscaler {
	h := &api.HorizontalPodAutoscaler{TypeMeta: api.TypeMeta{Kind: hpa.Kind}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web", UID: "u1"},
		Spec: api.HorizontalPodAutoscalerSpec{ScaleTargetRef: api.CrossVersionObjectReference{Kind: "Deployment", Name: "web", APIVersion: "apps/v1"},
			MinReplicas: api.Ptr(int32(2)), MaxReplicas: 5}}
	h.Status.CurrentReplicas, h.Status.DesiredReplicas, h.Status.LastScaleTime = current, desired, &at
	return h
}

func deploymentWith(replicas int32) *store.Store {
	s := store.New()
	d := &api.Deployment{TypeMeta: api.TypeMeta{Kind: "Deployment"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web"}}
	d.Spec.Replicas = &replicas
	if err := s.Create(d); err != nil {
		panic(err)
	}
	return s
}

func TestHPARescaleWithinMinMax(t *testing.T) {
	for _, c := range []struct {
		desired, spec int32
		want          string
	}{
		{4, 4, ""},
		{6, 6, "outside [2, 5]"},
		{1, 1, "outside [2, 5]"},
		{4, 3, "its spec.replicas is 3"},
	} {
		r := &hpaBounds{}
		r.Observe(deploymentWith(c.spec), store.Change{Type: store.Modified, Kind: hpa.Kind, New: testHPA(3, c.desired, 15000)})
		err := r.Check(nil, 0)
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("desired %d, spec %d: %v; want %q", c.desired, c.spec, err, c.want)
		}
	}
	// A status write that does not record a new rescale is not judged.
	r := &hpaBounds{}
	h := testHPA(3, 9, 15000)
	r.Observe(deploymentWith(9), store.Change{Type: store.Modified, Kind: hpa.Kind, Old: h, New: h})
	if err := r.Check(nil, 0); err != nil {
		t.Errorf("unchanged lastScaleTime judged: %v", err)
	}
}

func TestHPANoScaleDownInsideStabilizationWindow(t *testing.T) {
	hist := &hpa.History{TypeMeta: api.TypeMeta{Kind: hpa.HistoryKind}, HPAUID: "u1",
		Recommendations: []hpa.Recommendation{{Replicas: 5, At: 100_000}, {Replicas: 3, At: 120_000}}}
	for _, c := range []struct {
		at   api.Time
		want string
	}{
		{300_000, "recommended 5 at 100s, within the 5m0s stabilization window"},
		{399_999, "recommended 5"},
		{400_000, ""}, // 300 s later the recommendation has left the window
	} {
		r := &hpaStabilization{recs: map[string][]hpa.Recommendation{}}
		r.Observe(nil, store.Change{Type: store.Added, Kind: hpa.HistoryKind, New: hist})
		r.Observe(nil, store.Change{Type: store.Modified, Kind: hpa.Kind, New: testHPA(5, 3, c.at)})
		err := r.Check(nil, 0)
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("scale-down at %v: %v; want %q", c.at, err, c.want)
		}
	}
	// The rule keeps recommendations the controller later overwrote in its history.
	r := &hpaStabilization{recs: map[string][]hpa.Recommendation{}}
	r.Observe(nil, store.Change{Type: store.Added, Kind: hpa.HistoryKind, New: hist})
	over := *hist
	over.Recommendations = []hpa.Recommendation{{Replicas: 3, At: 250_000}, {Replicas: 3, At: 120_000}}
	r.Observe(nil, store.Change{Type: store.Modified, Kind: hpa.HistoryKind, Old: hist, New: &over})
	r.Observe(nil, store.Change{Type: store.Modified, Kind: hpa.Kind, New: testHPA(5, 3, 300_000)})
	if err := r.Check(nil, 0); err == nil {
		t.Error("an overwritten recommendation inside the window was forgotten")
	}
}
