package replicaset

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Reference: controller_utils.go slowStartBatch; workloads.md §7.1 (10 missing: 1, 2, 4, 3)
// and §9.15 (quota admits 2: batch 1 ok, batch 2 fails once, stop with 2 created).
func TestSlowStartBatch(t *testing.T) {
	cases := []struct {
		count, okUntil int // okUntil: calls after this many fail (-1: never)
		wantBatches    []int
		wantOK         int
	}{
		{10, -1, []int{1, 2, 4, 3}, 10},
		{1, -1, []int{1}, 1},
		{10, 2, []int{1, 2}, 2},
		{0, -1, nil, 0},
	}
	for _, tc := range cases {
		calls := 0
		var batches []int
		n, _ := slowStartBatch(tc.count, 1, func(batch int) error {
			if batch == len(batches) {
				batches = append(batches, 0)
			}
			batches[batch]++
			calls++
			if tc.okUntil >= 0 && calls > tc.okUntil {
				return fmt.Errorf("exceeded quota")
			}
			return nil
		})
		if n != tc.wantOK || !slices.Equal(batches, tc.wantBatches) {
			t.Errorf("slowStartBatch(%d, fail after %d) = %d ok, batches %v; want %d, %v", tc.count, tc.okUntil, n, batches, tc.wantOK, tc.wantBatches)
		}
	}
}

func pod(name, node, phase string, ready bool, readySince api.Time, created api.Time) *api.Pod {
	p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"}}
	p.Name, p.Namespace, p.UID = name, "default", "uid-"+name
	p.Spec.NodeName = node
	p.Status.Phase = phase
	p.CreationTimestamp = created
	st := api.ConditionFalse
	if ready {
		st = api.ConditionTrue
	}
	p.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: st, LastTransitionTime: readySince}}
	return p
}

// Reference: workloads.md §7.2 example: 5 -> 2 deletes p1 (unscheduled), p2 (pending), p3
// (not ready); a further scale to 1 deletes p4 (Ready 30 s, a younger log2 bucket than 2 h).
func TestVictimOrder(t *testing.T) {
	now := api.Time(3 * api.Hour)
	pods := []*api.Pod{
		pod("p5", "n5", api.PodRunning, true, now-api.Time(2*api.Hour), 0),
		pod("p4", "n4", api.PodRunning, true, now-api.Time(30*api.Second), 0),
		pod("p3", "n3", api.PodRunning, false, 0, 0),
		pod("p2", "n2", api.PodPending, false, 0, 0),
		pod("p1", "", api.PodPending, false, 0, 0),
	}
	ranked := make([]rankedPod, len(pods))
	for i, p := range pods {
		ranked[i] = rankedPod{p, 1}
	}
	slices.SortStableFunc(ranked, func(a, b rankedPod) int {
		if lessPod(a, b, now) {
			return -1
		}
		if lessPod(b, a, now) {
			return 1
		}
		return 0
	})
	var got []string
	for _, r := range ranked {
		got = append(got, r.pod.Name)
	}
	if want := []string{"p1", "p2", "p3", "p4", "p5"}; !slices.Equal(got, want) {
		t.Errorf("deletion order %v; want %v", got, want)
	}
	// Same log2 bucket (ready 40 s and 50 s ago: both in [2^35, 2^36) ns): smaller UID first.
	a := rankedPod{pod("a", "n", api.PodRunning, true, now-api.Time(40*api.Second), 0), 1}
	b := rankedPod{pod("b", "n", api.PodRunning, true, now-api.Time(50*api.Second), 0), 1}
	a.pod.UID, b.pod.UID = "uid-2", "uid-1"
	if !lessPod(b, a, now) || lessPod(a, b, now) {
		t.Errorf("same bucket: want the smaller UID first")
	}
	// More co-located pods first (rule 5) beats readiness age.
	c := rankedPod{pod("c", "n", api.PodRunning, true, now-api.Time(2*api.Hour), 0), 3}
	if !lessPod(c, a, now) {
		t.Errorf("rank 3 should be deleted before rank 1")
	}
}

// Reference: workloads.md §2.4, pkg/api/v1/pod IsPodAvailable: available strictly after
// Ready + minReadySeconds; the controller wakes itself at that moment.
func TestAvailabilityAfterMinReadySeconds(t *testing.T) {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"}}
	rs.Name, rs.Namespace = "web", "default"
	rs.Spec.Replicas = api.Ptr(int32(1))
	rs.Spec.MinReadySeconds = 10
	rs.Spec.Selector = &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	rs.Spec.Template.Labels = map[string]string{"app": "web"}
	rs.Spec.Template.Spec.Containers = []api.Container{{Name: "web", Image: "web:1"}}
	if err := ctx.Create(rs); err != nil {
		t.Fatal(err)
	}
	if err := e.AdvanceTo(api.Time(2 * api.Second)); err != nil {
		t.Fatal(err)
	}
	pods := store.ListAs[*api.Pod](e.Store(), "Pod", "default")
	if len(pods) != 1 || pods[0].GenerateName != "web-" || len(pods[0].Name) != len("web-")+5 {
		t.Fatalf("pods = %v", pods)
	}
	p := api.Clone(pods[0])
	p.Spec.NodeName, p.Status.Phase = "node-1", api.PodRunning
	p.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: api.ConditionTrue, LastTransitionTime: e.Now()}}
	if err := ctx.Update(p); err != nil {
		t.Fatal(err)
	}
	check := func(at api.Time, want int32) {
		t.Helper()
		if err := e.AdvanceTo(at); err != nil {
			t.Fatal(err)
		}
		got, _ := store.GetAs[*api.ReplicaSet](e.Store(), "ReplicaSet", "default/web")
		if got.Status.ReadyReplicas != 1 || got.Status.AvailableReplicas != want {
			t.Errorf("at %ss: ready %d available %d; want 1, %d", at.SecondsString(), got.Status.ReadyReplicas, got.Status.AvailableReplicas, want)
		}
	}
	// Available at Ready + minReadySeconds exactly (v1.37.2 IsPodAvailable: `<= now`).
	check(api.Time(12*api.Second-1), 0)
	check(api.Time(12*api.Second), 1)
}

// TestCreatePodFromPrototype: pods are made from the ReplicaSet version's defaulted
// prototype, each with a name and owner of its own and sharing the spec; a template a pod
// may not have (an image with trailing whitespace, which only pods refuse) fails each
// creation with the error api.Validate gives for the whole pod, name included.
func TestCreatePodFromPrototype(t *testing.T) {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	mk := func(name, image string) {
		rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"}}
		rs.Name, rs.Namespace = name, "default"
		rs.Spec.Replicas = api.Ptr(int32(2))
		rs.Spec.Selector = &api.LabelSelector{MatchLabels: map[string]string{"app": name}}
		rs.Spec.Template.Labels = map[string]string{"app": name}
		rs.Spec.Template.Spec.Containers = []api.Container{{Name: "web", Image: image}}
		if err := ctx.Create(rs); err != nil {
			t.Fatal(err)
		}
	}
	mk("good", "web:1")
	mk("bad", "web:1 ")
	if err := e.AdvanceTo(api.Time(api.Second)); err != nil {
		t.Fatal(err)
	}
	pods := store.ListAs[*api.Pod](e.Store(), "Pod", "default")
	if len(pods) != 2 || pods[0].Name == pods[1].Name || pods[0].OwnerReferences[0].Name != "good" {
		t.Fatalf("pods = %v", pods)
	}
	if &pods[0].Spec.Containers[0] != &pods[1].Spec.Containers[0] || pods[0].Spec.RestartPolicy != "Always" {
		t.Errorf("the pods do not share the defaulted prototype's spec: %+v", pods[0].Spec)
	}
	bad := api.Clone(pods[0])
	bad.Name, bad.Spec.Containers[0].Image = "bad-x", "web:1 "
	want := fmt.Sprintf("Error creating: pods %q is forbidden: %v", "bad-", api.Validate(bad)[0])
	var got []string
	for _, o := range e.Store().List("Event", "default") {
		if ev := o.(*api.Event); ev.Reason == "FailedCreate" {
			got = append(got, ev.Message)
		}
	}
	if len(got) == 0 || !strings.Contains(got[0], " is forbidden") {
		t.Fatalf("FailedCreate events %q; want some (the sync is retried)", got)
	}
	// The generated name differs; the rest is api.Validate's first error.
	if g, w := got[0][strings.Index(got[0], " is forbidden"):], want[strings.Index(want, " is forbidden"):]; g != w {
		t.Errorf("FailedCreate: %q; want %q", g, w)
	}
}

// A scale-down's explanation names its victims as the trace always did, but at most ten.
func TestVictimNames(t *testing.T) {
	mk := func(n int) []*api.Pod {
		var out []*api.Pod
		for i := range n {
			out = append(out, &api.Pod{ObjectMeta: api.ObjectMeta{Name: fmt.Sprintf("p%d", i)}})
		}
		return out
	}
	for _, c := range []struct {
		n    int
		want string
	}{
		{1, "p0"},
		{3, "p0, p1, p2"},
		{10, "p0, p1, p2, p3, p4, p5, p6, p7, p8, p9"},
		{11, "p0, p1, p2, p3, p4, p5, p6, p7, p8, p9 and 1 more"},
		{500, "p0, p1, p2, p3, p4, p5, p6, p7, p8, p9 and 490 more"},
	} {
		if got := victimNames(mk(c.n)); got != c.want {
			t.Errorf("victimNames(%d pods) = %q; want %q", c.n, got, c.want)
		}
	}
}
