package guarantee_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/guarantee"
	"github.com/kubesim/kubesim/core/player"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/scenarios"
)

// web is a 4-replica RollingUpdate Deployment (maxSurge 1, maxUnavailable 1) on three nodes,
// with a Service; extra is appended to the manifests, timeline to the timeline.
func web(start, timeline, extra string) string {
	return `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
seed: 1
until: 300s
nodes:
  - {name: node-1, cpu: "4", memory: 8Gi}
  - {name: node-2, cpu: "4", memory: 8Gi}
  - {name: node-3, cpu: "4", memory: 8Gi}
images:
  web:1.0: {pull: 2s, start: 3s}
  web:2.0: {pull: 2s, start: ` + start + `}
timeline:
  - {at: 0s, apply: all}
` + timeline + `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: web
          image: web:1.0
          readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 2}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
` + extra
}

func catalogue(name string) string {
	data, err := scenarios.Read(name)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func run(t *testing.T, text string, log ...player.UserAction) []guarantee.Marker {
	t.Helper()
	sc, err := scenario.Parse("t.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := guarantee.Run(sc, 0, log)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func show(ms []guarantee.Marker) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "  %ss %s held=%v %s: %s | %s\n", m.T.SecondsString(), m.Kind, m.Held, m.Object, m.Text, m.Why)
	}
	return b.String()
}

const rollout = "  - {at: 30s, kubectl: \"set image deployment/web web=web:2.0\"}\n"

func TestMarkers(t *testing.T) {
	pdb := `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 4
  selector: {matchLabels: {app: web}}
`
	notReady := strings.Replace(web("3s", "  - {at: 20s, kubectl: \"delete pod --all\"}\n", ""), "ports: [{port: 80", "publishNotReadyAddresses: true\n  ports: [{port: 80", 1)
	for _, tc := range []struct {
		name, text string
		t          string // the marker's time in seconds
		kind       string
		held       bool
		object     string // a prefix of the marker's object
		text1, why string // substrings of its text and why
	}{
		{"availability held through a rollout", catalogue("rolling-update.yaml"), "40", guarantee.Availability, true, "Deployment/default/web",
			"at least 3 available", "lowest available 3 ≥ 4 − 1 = 3"},
		{"surge held through a rollout", catalogue("rolling-update.yaml"), "40", guarantee.Surge, true, "Deployment/default/web",
			"at most 5 pods", "highest pod count 5 ≤ 4 + 1 = 5"},
		{"availability broke: a node fails mid-rollout", web("120s", rollout+"  - {at: 32s, fail: node/node-2}\n", ""), "", guarantee.Availability, false, "Deployment/default/web",
			"below the 3 the rollout promises", "< 4 − 1 = 3: maxUnavailable 1 exceeded because node-2 failed"},
		{"availability restored after the failure", web("120s", rollout+"  - {at: 32s, fail: node/node-2}\n", ""), "", guarantee.Availability, true, "Deployment/default/web",
			"back to", "≥ 4 − 1 = 3"},
		{"ordering: creation after the lower ordinal is Ready", catalogue("sts-scale.yaml"), "20", guarantee.Ordering, true, "Pod/default/web-2",
			"web-2 created after web-1 was Ready", "ordinals 0…1 were"},
		{"ordering: scale-down from the highest ordinal", catalogue("sts-scale.yaml"), "100", guarantee.Ordering, true, "Pod/default/web-2",
			"reverse order", "no ordinal above 2"},
		{"ordering: a rolling update from the highest ordinal down", catalogue("sts-partition.yaml"), "80", guarantee.Ordering, true, "Pod/default/web-1",
			"web-1 replaced after every higher ordinal was updated", "ordinals 2…3 were at revision"},
		{"traffic broke: a failed node's pod is still a ready endpoint", catalogue("node-failure.yaml"), "60", guarantee.Traffic, false, "Pod/default/db-2",
			"still gets traffic", "node-2 failed at 60s"},
		{"traffic held again once the node controller noticed", catalogue("node-failure.yaml"), "115", guarantee.Traffic, true, "Pod/default/db-2",
			"no longer gets traffic", "after 55s"},
		{"traffic held: pods join the endpoints once Ready", web("3s", rollout, ""), "", guarantee.Traffic, true, "Service/default/web",
			"joined the ready endpoints of web once Ready", "only after its Ready condition turned True"},
		{"traffic broke: publishNotReadyAddresses", notReady, "", guarantee.Traffic, false, "Pod/default/web-",
			"while not Ready", "publishNotReadyAddresses"},
		{"budget held: an eviction within the budget", catalogue("pdb-drain.yaml"), "47", guarantee.Budget, true, "Pod/default/web-",
			"admitted by budget web", "disruptionsAllowed 1 = currentHealthy 4 − desiredHealthy 3 > 0 (minAvailable 3)"},
		{"budget broke: a node fails under the budget", web("3s", "  - {at: 40s, fail: node/node-2}\n", pdb), "", guarantee.Budget, false, "PodDisruptionBudget/default/web",
			"below the 4 it protects", "currentHealthy 3 < desiredHealthy 4 (minAvailable 4): because node-2 failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := run(t, tc.text)
			for _, m := range ms {
				if m.Kind == tc.kind && m.Held == tc.held && strings.HasPrefix(m.Object, tc.object) && (tc.t == "" || m.T.SecondsString() == tc.t) &&
					strings.Contains(m.Text, tc.text1) && strings.Contains(m.Why, tc.why) {
					return
				}
			}
			t.Errorf("no %s marker held=%v for %s at %q with %q / %q; markers:\n%s", tc.kind, tc.held, tc.object, tc.t, tc.text1, tc.why, show(ms))
		})
	}
}

// TestNodeFailsMidRollout: a rollout whose new pods take 120 s to start, and node-2 fails
// 2 s in. 55 s later the node controller marks node-2's old pods not ready: availability
// falls below replicas − maxUnavailable, which the controller could not prevent. Before the
// failure nothing broke.
func TestNodeFailsMidRollout(t *testing.T) {
	ms := run(t, web("120s", rollout+"  - {at: 32s, fail: node/node-2}\n", ""))
	var broke *guarantee.Marker
	for i, m := range ms {
		if !m.Held && m.Kind == guarantee.Availability {
			broke = &ms[i]
			break
		}
		if !m.Held && m.Kind != guarantee.Traffic { // node-2's pods get traffic they cannot serve at once
			t.Errorf("a broke marker before the availability one: %+v", m)
		}
	}
	if broke == nil {
		t.Fatalf("no broke availability marker; markers:\n%s", show(ms))
	}
	if broke.T < 80_000 || !strings.HasPrefix(broke.Why, "available ") || !strings.Contains(broke.Why, "node-2 failed") {
		t.Errorf("broke marker %+v: want it when the node controller marks node-2's pods not ready (≈ 87 s), explained by node-2", *broke)
	}
	t.Logf("%ss %s", broke.T.SecondsString(), broke.Why)
	// Without the failure the same rollout holds.
	for _, m := range run(t, web("120s", rollout, "")) {
		if !m.Held {
			t.Errorf("rollout without a failure: broke marker %+v", m)
		}
	}
}

// TestUserCommands: a command of the user's forks the timeline as in the player, and the
// markers follow it: deleting two of web's available pods mid-rollout breaks availability.
func TestUserCommands(t *testing.T) {
	ms := run(t, web("20s", rollout, ""), player.UserAction{At: 31000, Command: "kubectl delete pod --all"})
	for _, m := range ms {
		if m.Kind == guarantee.Availability && !m.Held && (strings.Contains(m.Why, "was deleted") || strings.Contains(m.Why, "being deleted")) {
			return
		}
	}
	t.Errorf("no broke availability marker after the user's delete; markers:\n%s", show(ms))
}

// TestDeterministic: the same scenario and seed give the same markers.
func TestDeterministic(t *testing.T) {
	for _, n := range []string{"node-failure.yaml", "pdb-drain.yaml", "sts-partition.yaml"} {
		a, b := run(t, catalogue(n)), run(t, catalogue(n))
		if !reflect.DeepEqual(a, b) || len(a) == 0 {
			t.Errorf("%s: two runs gave different markers (or none):\n%s\n%s", n, show(a), show(b))
		}
	}
}

// TestOrderingBroke plants what the StatefulSet controller never does, a pod created
// before its lower ordinal exists, and an update of a low ordinal while a higher one is still
// at the old revision: both give broke markers.
func TestOrderingBroke(t *testing.T) {
	s := store.New()
	tr := guarantee.New()
	tr.Attach(s)
	set := &api.StatefulSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"}, ObjectMeta: api.ObjectMeta{Name: "db", Namespace: "default"}}
	set.Spec.Replicas = api.Ptr(int32(3))
	if err := s.Create(set); err != nil {
		t.Fatal(err)
	}
	set, _ = store.GetAs[*api.StatefulSet](s, "StatefulSet", "default/db")
	rev := &api.ControllerRevision{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ControllerRevision"}, ObjectMeta: api.ObjectMeta{Name: "db-2", Namespace: "default",
		OwnerReferences: []api.OwnerReference{api.NewControllerRef(set, "apps/v1")}}, Revision: 2}
	pod := func(name, revision string) *api.Pod {
		return &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default",
			Labels: map[string]string{api.ControllerRevisionHash: revision}, OwnerReferences: []api.OwnerReference{api.NewControllerRef(set, "apps/v1")}}}
	}
	for _, o := range []api.Object{rev, pod("db-1", "db-1"), pod("db-2", "db-1")} {
		if err := s.Create(o); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Delete("Pod", "default/db-1"); err != nil {
		t.Fatal(err)
	}
	tr.Check(s, 0)
	var got []string
	for _, m := range tr.Markers() {
		if m.Kind == guarantee.Ordering && !m.Held {
			got = append(got, m.Text+" | "+m.Why)
		}
	}
	want := []string{
		"db-1 created before db-0 was Ready | OrderedReady: ordinal 1 needs every ordinal from 0 to 0 Running and Ready first; db-0 was missing",
		"db-2 created before db-0 was Ready | OrderedReady: ordinal 2 needs every ordinal from 0 to 1 Running and Ready first; db-0 was missing",
		"db-1 replaced before db-2 | a rolling update goes from the highest ordinal down; db-2 was still at revision db-1, not db-2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("broke ordering markers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSliced: the page computes markers a few reconciles at a time; the result is Run's.
func TestSliced(t *testing.T) {
	data := catalogue("pdb-drain.yaml")
	sc, err := scenario.Parse("pdb-drain.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	log := []player.UserAction{{At: 35_000, Command: "kubectl delete pod --all"}}
	want, err := guarantee.Run(sc, 0, log)
	if err != nil {
		t.Fatal(err)
	}
	r, err := guarantee.Start(sc, 0, log)
	if err != nil {
		t.Fatal(err)
	}
	slices := 0
	for done := false; !done; slices++ {
		if done, err = r.Advance(3); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(r.Markers(), want) {
		t.Errorf("sliced in %d calls:\n%s\nwant:\n%s", slices, show(r.Markers()), show(want))
	}
}
