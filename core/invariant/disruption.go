package invariant

import (
	"fmt"
	"reflect"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/disruption"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("pdb-status-matches-pods", pdbStatusMatchesPods)
	RegisterStateful("eviction-within-budget", func() Rule { return &evictionWithinBudget{admitted: map[string]api.Time{}} })
}

// pdbStatusMatchesPods: after every instant each PodDisruptionBudget's status is what the
// disruption controller's arithmetic (disruption.Compute: getExpectedPodCount,
// buildDisruptedPodMap, countHealthyPods) gives for its pods now, for the budget's current
// generation; a budget whose sync fails allows no disruption and says SyncFailed. A stale
// status (a change the controller missed) breaks it.
func pdbStatusMatchesPods(s *store.Store, now api.Time) error {
	for _, p := range store.ListAs[*api.PodDisruptionBudget](s, "PodDisruptionBudget", "") {
		r, err := disruption.Compute(s, p, disruption.PodsFor(s, p), now)
		st := p.Status
		if err != nil {
			c := api.FindCondition(st.Conditions, api.DisruptionAllowedCondition)
			if st.DisruptionsAllowed != 0 || c == nil || c.Reason != api.SyncFailedReason || c.Message != err.Error() {
				return objErr("PodDisruptionBudget", p.Key(), "sync fails (%v) but status allows %d disruptions, condition %+v", err, st.DisruptionsAllowed, c)
			}
			continue
		}
		got := fmt.Sprintf("expected %d, desired %d, healthy %d, allowed %d, generation %d", st.ExpectedPods, st.DesiredHealthy, st.CurrentHealthy, st.DisruptionsAllowed, st.ObservedGeneration)
		want := fmt.Sprintf("expected %d, desired %d, healthy %d, allowed %d, generation %d", r.Expected, r.DesiredHealthy, r.CurrentHealthy, r.DisruptionsAllowed, p.Generation)
		if got != want {
			return objErr("PodDisruptionBudget", p.Key(), "status says %s; its pods give %s", got, want)
		}
		if len(st.DisruptedPods)+len(r.DisruptedPods) > 0 && !reflect.DeepEqual(st.DisruptedPods, r.DisruptedPods) {
			return objErr("PodDisruptionBudget", p.Key(), "status.disruptedPods is %v; its pods give %v", st.DisruptedPods, r.DisruptedPods)
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
