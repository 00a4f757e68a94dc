package invariant

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	RegisterStateful("preempted-by-higher-priority", func() Rule { return &preemptedByHigher{pending: map[string]bool{}} })
	Register("nominated-node-cleared-once-bound", nominatedClearedOnceBound)
}

// preemptedByHigher: a pod is only preempted by a pod of strictly higher priority
// (defaultpreemption isPreemptionAllowed), on the node it runs on. Watching every write: a
// pod that gets the DisruptionTarget condition with reason PreemptionByScheduler must get,
// in the same instant, a Preempted event "Preempted by pod <uid> on node <node>" whose pod
// exists, has a higher priority than the victim, and whose node is the victim's.
type preemptedByHigher struct {
	pending map[string]bool // victims whose Preempted event has not been seen yet
	err     error
}

func (r *preemptedByHigher) Observe(s *store.Store, c store.Change) {
	if r.err != nil || c.New == nil {
		return
	}
	switch c.Kind {
	case "Pod":
		n := c.New.(*api.Pod)
		if preemptionCondition(n) && (c.Old == nil || !preemptionCondition(c.Old.(*api.Pod))) {
			r.pending[n.Namespace+"/"+n.Name] = true
		}
	case "Event":
		ev := c.New.(*api.Event)
		if ev.Reason != "Preempted" || ev.InvolvedObject.Kind != "Pod" {
			return
		}
		key := ev.InvolvedObject.Namespace + "/" + ev.InvolvedObject.Name
		delete(r.pending, key)
		var uid, node string
		if _, err := fmt.Sscanf(ev.Message, "Preempted by pod %s on node %s", &uid, &node); err != nil {
			r.err = objErr("Pod", key, "Preempted event %q does not name its preemptor", ev.Message)
			return
		}
		o := s.Get("Pod", key)
		if o == nil {
			return // removed in the same write sequence: nothing left to compare
		}
		victim := o.(*api.Pod)
		var preemptor *api.Pod
		for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
			if string(p.UID) == uid {
				preemptor = p
			}
		}
		switch {
		case preemptor == nil:
			r.err = objErr("Pod", key, "preempted by pod %s, which does not exist", uid)
		case api.PodPriority(preemptor) <= api.PodPriority(victim):
			r.err = objErr("Pod", key, "priority %d, preempted by %s of priority %d: only a strictly higher priority may preempt",
				api.PodPriority(victim), preemptor.Name, api.PodPriority(preemptor))
		case victim.Spec.NodeName != node:
			r.err = objErr("Pod", key, "runs on %q but was preempted to make room on %q", victim.Spec.NodeName, node)
		}
	}
}

func preemptionCondition(p *api.Pod) bool {
	c := p.GetCondition(api.DisruptionTarget)
	return c != nil && c.Status == api.ConditionTrue && c.Reason == "PreemptionByScheduler"
}

func (r *preemptedByHigher) Check(*store.Store, api.Time) error {
	err := r.err
	for _, k := range api.SortedKeys(r.pending) {
		if err == nil {
			err = objErr("Pod", k, "has DisruptionTarget PreemptionByScheduler but no Preempted event names its preemptor")
		}
	}
	r.err, r.pending = nil, map[string]bool{}
	return err
}

// nominatedClearedOnceBound: a bound pod has no status.nominatedNodeName (the binding clears
// it, ClearingNominatedNodeNameAfterBinding), so no pod still reserves room it no longer
// waits for.
func nominatedClearedOnceBound(s *store.Store, _ api.Time) error {
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		if p.Spec.NodeName != "" && p.Status.NominatedNodeName != "" {
			return objErr("Pod", p.Key(), "bound to %s but still nominated to %s", p.Spec.NodeName, p.Status.NominatedNodeName)
		}
	}
	return nil
}
