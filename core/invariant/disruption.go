package invariant

import (
	"fmt"
	"reflect"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/disruption"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	RegisterStateful("pdb-status-matches-pods", func() Rule { return &pdbStatus{since: map[string]api.Time{}} })
	RegisterStateful("eviction-within-budget", func() Rule { return &evictionWithinBudget{admitted: map[string]api.Time{}} })
}

// pdbStatus: after every instant each PodDisruptionBudget's status is what the disruption
// controller's arithmetic (disruption.Compute: getExpectedPodCount, buildDisruptedPodMap,
// countHealthyPods) gives for its pods now, for the budget's current generation; a budget
// whose sync fails allows no disruption and says SyncFailed. The controller watches pods and
// budgets, not workloads, so for a budget that counts the workloads' replicas (a percentage
// or maxUnavailable) expectedPods and what follows from it may lag a scale that changed no
// pod, and a failing sync (a workload gone) may go unnoticed, until the next 30 s resync;
// everything else must be exact at once. A stale status (a
// change the controller missed) breaks it.
type pdbStatus struct {
	since map[string]api.Time // budget key -> first instant its scale-derived fields differed
}

func (r *pdbStatus) Check(s *store.Store, now api.Time) error {
	for _, p := range store.ListAs[*api.PodDisruptionBudget](s, "PodDisruptionBudget", "") {
		res, err := disruption.Compute(s, p, disruption.PodsFor(s, p), now)
		st := p.Status
		if err != nil {
			// The sync fails on a workload lookup, which only a resync may notice (a
			// ReplicaSet deleted while its pods terminate changes no pod).
			c := api.FindCondition(st.Conditions, api.DisruptionAllowedCondition)
			if st.DisruptionsAllowed == 0 && c != nil && c.Reason == api.SyncFailedReason && c.Message == err.Error() {
				delete(r.since, p.Key())
				continue
			}
			if _, ok := r.since[p.Key()]; !ok {
				r.since[p.Key()] = now
			}
			if now.Sub(r.since[p.Key()]) > disruption.ResyncPeriod {
				return objErr("PodDisruptionBudget", p.Key(), "sync fails (%v) but status allows %d disruptions, condition %+v", err, st.DisruptionsAllowed, c)
			}
			continue
		}
		exact := fmt.Sprintf("healthy %d, generation %d", st.CurrentHealthy, st.ObservedGeneration)
		wantExact := fmt.Sprintf("healthy %d, generation %d", res.CurrentHealthy, p.Generation)
		lag := fmt.Sprintf("expected %d, desired %d, allowed %d", st.ExpectedPods, st.DesiredHealthy, st.DisruptionsAllowed)
		wantLag := fmt.Sprintf("expected %d, desired %d, allowed %d", res.Expected, res.DesiredHealthy, res.DisruptionsAllowed)
		scaled := p.Spec.MaxUnavailable != nil || (p.Spec.MinAvailable != nil && p.Spec.MinAvailable.IsString)
		if lag == wantLag {
			delete(r.since, p.Key())
		} else if _, ok := r.since[p.Key()]; !ok && scaled {
			r.since[p.Key()] = now
		}
		if exact != wantExact || (lag != wantLag && (!scaled || now.Sub(r.since[p.Key()]) > disruption.ResyncPeriod)) {
			return objErr("PodDisruptionBudget", p.Key(), "status says %s, %s; its pods give %s, %s", lag, exact, wantLag, wantExact)
		}
		if len(st.DisruptedPods)+len(res.DisruptedPods) > 0 && !reflect.DeepEqual(st.DisruptedPods, res.DisruptedPods) {
			return objErr("PodDisruptionBudget", p.Key(), "status.disruptedPods is %v; its pods give %v", st.DisruptedPods, res.DisruptedPods)
		}
	}
	return nil
}

// evictionWithinBudget: the Eviction API admits a disruption only while the budget allows
// one (eviction.go checkAndDecrement). Watching every write: a budget write that records a
// new pod in status.disruptedPods must take disruptionsAllowed from n > 0 to n-1; and a
// Ready, running, non-terminating pod that a budget selects may get the DisruptionTarget
// condition of the Eviction API only at an instant at which a budget recorded it so.
type evictionWithinBudget struct {
	admitted map[string]api.Time // pod key -> instant a budget recorded its eviction
	err      error
}

func (r *evictionWithinBudget) Observe(s *store.Store, c store.Change) {
	if r.err != nil || c.Old == nil || c.New == nil {
		return
	}
	var now api.Time
	if s.Clock != nil {
		now = s.Clock()
	}
	switch c.Kind {
	case "PodDisruptionBudget":
		o, n := c.Old.(*api.PodDisruptionBudget), c.New.(*api.PodDisruptionBudget)
		for _, name := range api.SortedKeys(n.Status.DisruptedPods) {
			if at, ok := o.Status.DisruptedPods[name]; ok && at == n.Status.DisruptedPods[name] {
				continue
			}
			if o.Status.DisruptionsAllowed <= 0 || n.Status.DisruptionsAllowed != o.Status.DisruptionsAllowed-1 {
				r.err = objErr("PodDisruptionBudget", n.Key(), "the eviction of %s was admitted with disruptionsAllowed %d (now %d)", name, o.Status.DisruptionsAllowed, n.Status.DisruptionsAllowed)
				return
			}
			r.admitted[n.Namespace+"/"+name] = now
		}
	case "Pod":
		o, n := c.Old.(*api.Pod), c.New.(*api.Pod)
		if !evictionCondition(n) || evictionCondition(o) || !o.IsReady() || o.Status.Phase != api.PodRunning || o.DeletionTimestamp != nil {
			return
		}
		covered := false
		for _, x := range store.ListAs[*api.PodDisruptionBudget](s, "PodDisruptionBudget", o.Namespace) {
			covered = covered || x.Spec.Selector.Matches(o.Labels)
		}
		if at, ok := r.admitted[o.Namespace+"/"+o.Name]; covered && (!ok || at != now) {
			r.err = objErr("Pod", o.Namespace+"/"+o.Name, "ready pod evicted (DisruptionTarget EvictionByEvictionAPI) at t=%ss without a budget admitting it", now.SecondsString())
		}
	}
}

func evictionCondition(p *api.Pod) bool {
	c := p.GetCondition(api.DisruptionTarget)
	return c != nil && c.Status == api.ConditionTrue && c.Reason == "EvictionByEvictionAPI"
}

func (r *evictionWithinBudget) Check(*store.Store, api.Time) error {
	err := r.err
	r.err = nil
	return err
}
