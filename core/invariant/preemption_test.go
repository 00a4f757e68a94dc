package invariant

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func withPriority(v int32) podOpt { return func(p *api.Pod) { p.Spec.Priority = &v } }

func onNode(n string) podOpt { return func(p *api.Pod) { p.Spec.NodeName = n } }

// TestPreemptedByHigherPriorityRule plants preemptions the scheduler must never make: by a
// pod of equal priority, and a preemption with no event naming the preemptor; the
// scheduler's own sequence (condition, then the Preempted event) passes.
func TestPreemptedByHigherPriorityRule(t *testing.T) {
	run := func(preemptorPrio int32, event string) error {
		set := NewSet()
		s := store.New()
		s.Clock = func() api.Time { return 5000 }
		set.Attach(s)
		pre := pod("vip", withPriority(preemptorPrio))
		pre.UID = "uid-vip"
		pre.Spec.NodeName = ""
		for _, o := range []api.Object{pre, pod("batch", withPriority(100), onNode("node-1"))} {
			if err := s.Create(api.Clone(o)); err != nil {
				t.Fatal(err)
			}
		}
		v := api.Clone(s.Get("Pod", "default/batch").(*api.Pod))
		v.Status.Conditions = append(v.Status.Conditions, api.PodCondition{Type: api.DisruptionTarget, Status: api.ConditionTrue, Reason: "PreemptionByScheduler"})
		if err := s.Update(v); err != nil {
			t.Fatal(err)
		}
		if event != "" {
			ev := &api.Event{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Event"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "batch.1"},
				InvolvedObject: api.ObjectReference{Kind: "Pod", Namespace: "default", Name: "batch"}, Reason: "Preempted", Message: event}
			if err := s.Create(ev); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range set.rules {
			if _, ok := r.(*preemptedByHigher); ok {
				return r.Check(s, 5000)
			}
		}
		t.Fatal("preempted-by-higher-priority not in the set")
		return nil
	}
	for _, tc := range []struct {
		name  string
		prio  int32
		event string
		want  string
	}{
		{"higher priority", 1000, "Preempted by pod uid-vip on node node-1", ""},
		{"equal priority", 100, "Preempted by pod uid-vip on node node-1", "priority 100, preempted by vip of priority 100: only a strictly higher priority may preempt"},
		{"lower priority", 50, "Preempted by pod uid-vip on node node-1", "preempted by vip of priority 50"},
		{"other node", 1000, "Preempted by pod uid-vip on node node-2", `runs on "node-1" but was preempted to make room on "node-2"`},
		{"no event", 1000, "", "has DisruptionTarget PreemptionByScheduler but no Preempted event names its preemptor"},
	} {
		err := run(tc.prio, tc.event)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestNominatedClearedOnceBoundRule plants a bound pod that kept its nomination.
func TestNominatedClearedOnceBoundRule(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *api.Pod
		want string
	}{
		{"pending and nominated", pod("vip", func(p *api.Pod) { p.Status.NominatedNodeName = "node-1" }), ""},
		{"bound, nomination cleared", pod("vip", onNode("node-1")), ""},
		{"bound and still nominated", pod("vip", onNode("node-1"), func(p *api.Pod) { p.Status.NominatedNodeName = "node-2" }), "bound to node-1 but still nominated to node-2"},
	} {
		s := store.New()
		if err := s.Create(tc.p); err != nil {
			t.Fatal(err)
		}
		err := nominatedClearedOnceBound(s, 0)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}
