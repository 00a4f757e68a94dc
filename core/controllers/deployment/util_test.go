package deployment

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

func ios(s string) *api.IntOrString {
	if s == "" {
		return nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		return api.Ptr(api.FromInt(int32(n)))
	}
	return api.Ptr(api.FromString(s))
}

// Reference: pkg/controller/deployment/util/deployment_util_test.go TestResolveFenceposts.
func TestResolveFenceposts(t *testing.T) {
	cases := []struct {
		surge, unavail string
		desired        int32
		wantS, wantU   int32
		wantErr        bool
	}{
		{"0%", "0%", 0, 0, 1, false},
		{"39%", "39%", 10, 4, 3, false},
		{"", "39%", 10, 0, 3, false},
		{"39%", "", 10, 4, 0, false},
		{"", "", 10, 0, 1, false},
		{"oops", "", 10, 0, 0, true},
		{"", "urg", 10, 0, 0, true},
		{"25%", "25%", 10, 3, 2, false},
		{"25%", "25%", 3, 1, 0, false},
		{"25%", "25%", 5, 2, 1, false},
	}
	for _, tc := range cases {
		s, u, err := api.ResolveFenceposts(ios(tc.surge), ios(tc.unavail), tc.desired)
		if (err != nil) != tc.wantErr || (!tc.wantErr && (s != tc.wantS || u != tc.wantU)) {
			t.Errorf("ResolveFenceposts(%q, %q, %d) = %d, %d, %v; want %d, %d, err %v", tc.surge, tc.unavail, tc.desired, s, u, err, tc.wantS, tc.wantU, tc.wantErr)
		}
	}
}

func dep(replicas int32, surge, unavail string) *api.Deployment {
	d := &api.Deployment{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}}
	d.Name, d.Namespace, d.UID = "foo", "default", "dep-uid"
	d.Spec.Replicas = api.Ptr(replicas)
	d.Spec.Selector = &api.LabelSelector{MatchLabels: map[string]string{"name": "foo"}}
	d.Spec.Template.Labels = map[string]string{"name": "foo"}
	d.Spec.Strategy = api.DeploymentStrategy{Type: api.RollingUpdateDeploymentStrategy,
		RollingUpdate: &api.RollingUpdateDeployment{MaxSurge: ios(surge), MaxUnavailable: ios(unavail)}}
	return d
}

// Reference: deployment_util_test.go TestMaxUnavailable.
func TestMaxUnavailable(t *testing.T) {
	cases := []struct {
		replicas int32
		unavail  string
		recreate bool
		want     int32
	}{
		{10, "5", false, 5}, {10, "10", false, 10}, {5, "10", false, 5}, {0, "10", false, 0},
		{10, "5", true, 0}, {10, "50%", false, 5}, {10, "100%", false, 10}, {5, "100%", false, 5},
	}
	for _, tc := range cases {
		d := dep(tc.replicas, "0", tc.unavail)
		if tc.recreate {
			d.Spec.Strategy = api.DeploymentStrategy{Type: api.RecreateDeploymentStrategy}
		}
		if got := d.MaxUnavailable(); got != tc.want {
			t.Errorf("MaxUnavailable(replicas %d, %s, recreate %v) = %d; want %d", tc.replicas, tc.unavail, tc.recreate, got, tc.want)
		}
	}
}

func rs(name string, specReplicas, available int32, created api.Time) *api.ReplicaSet {
	r := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"}}
	r.Name, r.Namespace = name, "default"
	r.CreationTimestamp = created
	r.Spec.Replicas = api.Ptr(specReplicas)
	r.Status.Replicas, r.Status.AvailableReplicas, r.Status.ReadyReplicas = specReplicas, available, available
	r.OwnerReferences = []api.OwnerReference{{Kind: "Deployment", Name: "foo", UID: "dep-uid", Controller: api.Ptr(true)}}
	return r
}

// Reference: deployment_util_test.go TestNewRSNewReplicas.
func TestNewRSNewReplicas(t *testing.T) {
	cases := []struct {
		name     string
		recreate bool
		replicas int32
		newRS    int32
		surge    string
		other    int32
		want     int32
	}{
		{"can not scale up - to newRSReplicas", false, 1, 5, "1", 5, 5},
		{"scale up - to depReplicas", false, 6, 2, "10", 5, 6},
		{"recreate - to depReplicas", true, 3, 1, "1", 5, 3},
	}
	for _, tc := range cases {
		d := dep(tc.replicas, tc.surge, "1")
		if tc.recreate {
			d.Spec.Strategy = api.DeploymentStrategy{Type: api.RecreateDeploymentStrategy}
		}
		n, o := rs("new", tc.newRS, 0, 1), rs("other", tc.other, 0, 0)
		got, err := NewRSNewReplicas(d, []*api.ReplicaSet{n, o}, n)
		if err != nil || got != tc.want {
			t.Errorf("%s: NewRSNewReplicas = %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
}

// Reference: deployment_util_test.go TestGetReplicaSetFraction (v1.37).
func TestGetReplicaSetFraction(t *testing.T) {
	cases := []struct {
		name       string
		replicas   int32
		surge      string
		statusRepl int32
		rsSize     int32
		annot      string
		want       int32
	}{
		{"scale to zero", 0, "0", 10, 10, "10", -10},
		{"no annotation, no status", 10, "0", 0, 5, "", 0},
		{"annotation 0, no status", 10, "0", 0, 5, "0", 0},
		{"scale up 100 -> 120", 120, "0", 100, 50, "100", 10},
		{"with surge", 120, "10", 100, 50, "110", 9},
		{"scale down 12 -> 10", 10, "0", 12, 6, "12", -1},
		{"scale down with surge", 100, "10", 130, 50, "130", -8},
	}
	for _, tc := range cases {
		d := dep(tc.replicas, tc.surge, "1")
		d.Status.Replicas = tc.statusRepl
		r := rs("a", tc.rsSize, 0, 0)
		if tc.annot != "" {
			r.Annotations = map[string]string{api.MaxReplicasAnnotation: tc.annot}
		}
		if got := replicaSetFraction(r, d); got != tc.want {
			t.Errorf("%s: fraction = %d; want %d", tc.name, got, tc.want)
		}
	}
}

// fixture is an engine with the RSes of one Deployment in its store.
func fixture(t *testing.T, d *api.Deployment, rss ...*api.ReplicaSet) (*syncer, *sim.Engine) {
	t.Helper()
	e := sim.New(sim.Options{})
	ctx := e.ActionContext("deployment-controller")
	if err := ctx.Create(api.Clone(d)); err != nil {
		t.Fatal(err)
	}
	sorted := slices.Clone(rss)
	slices.SortStableFunc(sorted, func(a, b *api.ReplicaSet) int { return int(a.CreationTimestamp - b.CreationTimestamp) })
	for _, r := range sorted {
		if err := e.AdvanceTo(r.CreationTimestamp); err != nil {
			t.Fatal(err)
		}
		if err := ctx.Create(r); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := store.GetAs[*api.Deployment](e.Store(), "Deployment", "default/foo")
	return &syncer{ctx: ctx, d: got}, e
}

func specOf(e *sim.Engine, name string) int32 {
	r, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/"+name)
	return *r.Spec.Replicas
}

// Reference: rolling_test.go TestDeploymentController_reconcileNewReplicaSet (maxUnavailable 0).
func TestReconcileNewReplicaSet(t *testing.T) {
	cases := []struct {
		replicas int32
		surge    string
		old, new int32
		want     int32 // -1: no scale
	}{
		{10, "0", 10, 0, -1},
		{10, "2", 10, 0, 2},
		{10, "2", 5, 0, 7},
		{10, "2", 10, 2, -1},
		{10, "2", 2, 11, 10},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			s, e := fixture(t, dep(tc.replicas, tc.surge, "0"), rs("old", tc.old, tc.old, 0), rs("new", tc.new, 0, 1))
			olds, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/old")
			newRS, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/new")
			scaled, err := s.reconcileNewReplicaSet([]*api.ReplicaSet{olds, newRS}, newRS)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want < 0 {
				if scaled {
					t.Errorf("scaled to %d; want no scale", specOf(e, "new"))
				}
				return
			}
			if !scaled || specOf(e, "new") != tc.want {
				t.Errorf("new RS = %d (scaled %v); want %d", specOf(e, "new"), scaled, tc.want)
			}
		})
	}
}

// Reference: rolling_test.go TestDeploymentController_reconcileOldReplicaSets (maxSurge 0).
func TestReconcileOldReplicaSets(t *testing.T) {
	cases := []struct {
		replicas      int32
		unavail       string
		old, oldReady int32
		new, newReady int32
		want          int32 // -1: no scale
	}{
		{10, "0", 10, 10, 0, 0, 9},
		{10, "2", 10, 10, 0, 0, 8},
		{10, "2", 10, 8, 0, 0, 8},
		{10, "2", 10, 9, 0, 0, 8},
		{10, "2", 8, 8, 2, 0, -1},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			s, e := fixture(t, dep(tc.replicas, "0", tc.unavail), rs("old", tc.old, tc.oldReady, 0), rs("new", tc.new, tc.newReady, 1))
			o, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/old")
			n, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/new")
			scaled, err := s.reconcileOldReplicaSets([]*api.ReplicaSet{o, n}, []*api.ReplicaSet{o}, n)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want < 0 {
				if scaled {
					t.Errorf("old scaled to %d; want no scale", specOf(e, "old"))
				}
				return
			}
			if specOf(e, "old") != tc.want {
				t.Errorf("old RS = %d; want %d", specOf(e, "old"), tc.want)
			}
		})
	}
}

// Reference: rolling_test.go TestDeploymentController_cleanupUnhealthyReplicas (old 10, 8 ready).
func TestCleanupUnhealthyReplicas(t *testing.T) {
	cases := []struct {
		ready, maxCleanup, want int32
	}{{8, 1, 1}, {8, 3, 2}, {8, 0, 0}, {10, 3, 0}}
	for _, tc := range cases {
		s, e := fixture(t, dep(10, "2", "2"), rs("old", 10, tc.ready, 0))
		o, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/old")
		_, n, err := s.cleanupUnhealthyReplicas([]*api.ReplicaSet{o}, tc.maxCleanup)
		if err != nil || n != tc.want {
			t.Errorf("cleanupUnhealthyReplicas(ready %d, max %d) = %d, %v; want %d", tc.ready, tc.maxCleanup, n, err, tc.want)
		}
	}
}

// Reference: rolling_test.go TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate.
func TestScaleDownOldReplicaSetsForRollingUpdate(t *testing.T) {
	cases := []struct {
		unavail    string
		old, ready int32
		want       int32 // resulting size, -1 no scale
	}{{"0", 10, 10, 9}, {"2", 10, 10, 8}, {"2", 8, 8, -1}, {"2", 0, 0, -1}, {"2", 1, 1, -1}}
	for _, tc := range cases {
		d := dep(10, "0", tc.unavail)
		s, e := fixture(t, d, rs("old", tc.old, tc.ready, 0))
		o, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/old")
		n, err := s.scaleDownOldReplicaSetsForRollingUpdate([]*api.ReplicaSet{o}, []*api.ReplicaSet{o}, 10-d.MaxUnavailable())
		if err != nil {
			t.Fatal(err)
		}
		if tc.want < 0 && n != 0 || tc.want >= 0 && specOf(e, "old") != tc.want {
			t.Errorf("scaleDown(unavail %s, old %d ready %d): scaled %d to %d; want %d", tc.unavail, tc.old, tc.ready, n, specOf(e, "old"), tc.want)
		}
	}
}

// Reference: sync_test.go TestScale (workloads.md §3 table). Sizes newest first; the
// helper's default strategy is maxSurge 0 / maxUnavailable 0; annotations come from the old
// Deployment.
func TestScale(t *testing.T) {
	cases := []struct {
		name        string
		oldReplicas int32
		replicas    int32
		surge       string
		oldSurge    string
		newRS       int32 // -1: no new RS
		olds        []int32
		wantNew     int32
		wantOlds    []int32
		newAvail    int32
	}{
		{"normal scaling event 10->12", 10, 12, "0", "0", 10, nil, 12, nil, 0},
		{"proportional 5->10", 5, 10, "0", "0", 2, []int32{3}, 4, []int32{6}, 0},
		{"proportional 5->3", 5, 3, "0", "0", 2, []int32{3}, 1, []int32{2}, 0},
		{"proportional 9->4", 9, 4, "0", "0", 8, []int32{1}, 4, []int32{0}, 0},
		{"proportional 7->10", 7, 10, "0", "0", 2, []int32{3, 2}, 3, []int32{4, 3}, 0},
		{"proportional 13->8", 13, 8, "0", "0", 2, []int32{8, 3}, 1, []int32{5, 2}, 0},
		{"leftover 3->4", 3, 4, "0", "0", 1, []int32{1, 1}, 2, []int32{1, 1}, 0},
		{"leftover 3->2", 3, 2, "0", "0", 1, []int32{1, 1}, 1, []int32{1, 0}, 0},
		{"no new RS 4->5", 4, 5, "0", "0", -1, []int32{2, 2}, -1, []int32{3, 2}, 0},
		{"6->0", 6, 0, "0", "0", 3, []int32{2, 1}, 0, []int32{0, 0}, 0},
		{"0->6 nothing active", 0, 6, "0", "0", 0, []int32{0, 0}, 6, []int32{0, 0}, 0},
		{"surge 2: 10->20", 10, 20, "2", "2", 6, []int32{6}, 11, []int32{11}, 0},
		{"surge 3->6, 10->50", 10, 50, "6", "3", 5, []int32{8}, 22, []int32{34}, 0},
		{"saturated but broken new RS", 3, 3, "0", "0", 2, []int32{1}, 2, []int32{1}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			oldD := dep(tc.oldReplicas, tc.oldSurge, "0")
			d := dep(tc.replicas, tc.surge, "0")
			var rss []*api.ReplicaSet
			var newRS *api.ReplicaSet
			if tc.newRS >= 0 {
				newRS = rs("new", tc.newRS, tc.newAvail, api.Time(100))
				setReplicasAnnotations(newRS, desired(oldD), desired(oldD)+oldD.MaxSurge())
				rss = append(rss, newRS)
			}
			for i, n := range tc.olds {
				o := rs(fmt.Sprintf("old%d", i), n, n, api.Time(50-i))
				setReplicasAnnotations(o, desired(oldD), desired(oldD)+oldD.MaxSurge())
				rss = append(rss, o)
			}
			s, e := fixture(t, d, rss...)
			s.d = api.Clone(s.d)
			s.d.Status.Replicas = tc.oldReplicas
			var olds []*api.ReplicaSet
			for i := range tc.olds {
				o, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", fmt.Sprintf("default/old%d", i))
				olds = append(olds, o)
			}
			if newRS != nil {
				newRS, _ = store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/new")
			}
			if _, _, err := s.scale(newRS, olds); err != nil {
				t.Fatal(err)
			}
			if tc.newRS >= 0 && specOf(e, "new") != tc.wantNew {
				t.Errorf("new = %d; want %d", specOf(e, "new"), tc.wantNew)
			}
			for i, want := range tc.wantOlds {
				if got := specOf(e, fmt.Sprintf("old%d", i)); got != want {
					t.Errorf("old%d = %d; want %d", i, got, want)
				}
			}
		})
	}
}

// Reference: sync_test.go TestDeploymentController_cleanupDeployment and ...Order.
func TestCleanupDeployment(t *testing.T) {
	type r struct {
		rev          string
		spec, status int32
	}
	cases := []struct {
		name  string
		limit int32
		rss   []r
		want  []string // deleted, by revision
	}{
		{"limit 1, three empty", 1, []r{{"1", 0, 0}, {"2", 0, 0}, {"3", 0, 0}}, []string{"1", "2"}},
		{"limit 0, mixed", 0, []r{{"1", 0, 0}, {"2", 0, 1}, {"3", 1, 0}, {"4", 1, 1}}, []string{"1"}},
		{"limit max", 1<<31 - 1, []r{{"1", 0, 0}, {"2", 0, 0}}, nil},
		{"missing revision goes first", 1, []r{{"", 0, 0}, {"1", 0, 0}}, []string{""}},
		{"busy lowest is skipped", 1, []r{{"1", 1, 1}, {"2", 0, 0}, {"3", 0, 0}}, []string{"2"}},
		{"two busy", 1, []r{{"1", 1, 1}, {"2", 1, 1}, {"3", 0, 0}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := dep(1, "0", "1")
			d.Spec.RevisionHistoryLimit = api.Ptr(tc.limit)
			var rss []*api.ReplicaSet
			for i, x := range tc.rss {
				o := rs(fmt.Sprintf("rs%d", i), x.spec, 0, api.Time(10-i))
				o.Status.Replicas = x.status
				if x.rev != "" {
					o.Annotations = map[string]string{api.RevisionAnnotation: x.rev}
				}
				o.Status.ObservedGeneration = 1
				rss = append(rss, o)
			}
			s, e := fixture(t, d, rss...)
			var olds []*api.ReplicaSet
			for i := range tc.rss {
				o, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", fmt.Sprintf("default/rs%d", i))
				olds = append(olds, o)
			}
			if err := s.cleanupDeployment(olds); err != nil {
				t.Fatal(err)
			}
			var deleted []string
			for i, x := range tc.rss {
				if e.Store().Get("ReplicaSet", fmt.Sprintf("default/rs%d", i)) == nil {
					deleted = append(deleted, x.rev)
				}
			}
			if fmt.Sprint(deleted) != fmt.Sprint(tc.want) {
				t.Errorf("deleted revisions %q; want %q", deleted, tc.want)
			}
		})
	}
}
