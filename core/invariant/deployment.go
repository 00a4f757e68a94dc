package invariant

import (
	"strconv"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("deployment-rolling-update-surge", deploymentSurge)
	RegisterStateful("deployment-rolling-update-scale-down", newScaleDown)
}

// Both rules restate what the Deployment controller decides (workloads.md §2-§3, upstream
// pkg/controller/deployment/rolling.go and sync.go), so that availability lost to faults the
// controller cannot prevent (an app turning unhealthy, an eviction, a failed node, a user
// deleting pods) never counts against it.

// deploymentSurge: the ReplicaSets of a RollingUpdate Deployment never want more than
// replicas + maxSurge pods in total (Σ spec.replicas; §2.3: the caps are on spec sums).
// The controller only grows the new ReplicaSet, and only up to that total (NewRSNewReplicas:
// "if current >= maxTotal: cannot grow"); it never grows an old one; proportional scaling
// (§3) sizes all active ReplicaSets to the same total. The sum may still be above the total
// in exactly these cases, which the rule therefore allows:
//
//   - the Deployment is paused (§4.2: only sync() runs, a lowered maxSurge is not absorbed),
//     being deleted (§2.1 step 2: status only) or its generation not yet observed;
//   - a scaling event is pending: an active ReplicaSet's desired-replicas annotation differs
//     from spec.replicas (§2.1 step 6; the controller resolves it by proportional scaling);
//   - maxSurge was lowered since the ReplicaSets were last scaled: isScalingEvent compares
//     only desired-replicas, so nothing shrinks the sum except old ReplicaSets being scaled
//     down by availability. An active ReplicaSet then still carries the higher
//     max-replicas annotation (replicas + maxSurge when it was last scaled, §2.2), and that
//     stamp is the bound;
//   - proportional scaling's leftover floored at 0 (§3 step 3 "Leftover ... floored at 0")
//     can leave the sum above the total only when the largest ReplicaSet cannot absorb the
//     rounding leftover; that too shows as a stamp (every active set is restamped).
//
// (reconcileNewReplicaSet's scale-down of a new ReplicaSet above spec.replicas only lowers
// the sum.) The first two are plain exemptions; the last two raise the bound to the highest
// max-replicas stamp of an active ReplicaSet that carries the current desired-replicas.
func deploymentSurge(s *store.Store, _ api.Time) error {
	for _, d := range store.ListAs[*api.Deployment](s, "Deployment", "") {
		if !d.IsRollingUpdate() || d.Spec.Paused || d.DeletionTimestamp != nil || d.Status.ObservedGeneration < d.Generation {
			continue
		}
		replicas := api.Deref(d.Spec.Replicas, 1)
		surge := d.MaxSurge()
		bound, sum := replicas+surge, int32(0)
		pending := false
		for _, rs := range store.ByIndexAs[*api.ReplicaSet](s, "owner", "ReplicaSet", d.UID) {
			n := api.Deref(rs.Spec.Replicas, 1)
			sum += n
			if n == 0 {
				continue
			}
			if rs.Annotations[api.DesiredReplicasAnnotation] != strconv.Itoa(int(replicas)) {
				pending = true
				break
			}
			if m, err := strconv.Atoi(rs.Annotations[api.MaxReplicasAnnotation]); err == nil && int32(m) > bound {
				bound = int32(m)
			}
		}
		if !pending && sum > bound {
			return objErr("Deployment", d.Key(), "deployment %s: its replica sets want %d pods by spec, more than replicas %d + maxSurge %d", d.Key(), sum, replicas, surge)
		}
	}
	return nil
}

// scaleDown is the stateful rule deployment-rolling-update-scale-down: when the controller
// scales old ReplicaSets down during a RollingUpdate, the cut is within upstream's
// maxScaledDown (workloads.md §2.3 reconcileOld; rolling.go reconcileOldReplicaSets):
//
//	maxScaledDown = allPods - minAvailable - newRSUnavailable
//	              = Σ old spec + newRS available - minAvailable
//
// and the two steps that spend it (cleanupUnhealthyReplicas, bounded by maxScaledDown, then
// scaleDownOldReplicaSetsForRollingUpdate, bounded by available - minAvailable) together never
// cut more: step A cuts at most Σ old (spec - available), step B at most old available + new
// available - minAvailable. So after any pass Σ old spec >= minAvailable - newRS available,
// whatever the old pods' health: the controller may drop unhealthy old replicas freely, but
// never an available old pod when that takes availability below minAvailable.
//
// The rule checks this at every instant where Σ old spec fell while spec.replicas (at every
// write of the instant), the strategy and paused stayed as they were at the previous instant
// and no scaling event was pending there (those are proportional scaling, §3, which may
// shrink old sets further).
// "newRS available" is what the controller could have seen during the instant: the new
// ReplicaSet's pods available (as the RS controller counts: not terminating, Ready for more
// than minReadySeconds, §2.4) at the previous instant or now, a pod deleted at this instant
// counted as it was before. A fault only lowers what the controller sees and so only lowers
// what it may cut; it never fires the rule, and a controller that cuts too much always does.
type scaleDown struct {
	deps map[string]depObs // Deployment UID -> what it was at the previous instant
	spec map[string]int32  // ReplicaSet UID -> spec.replicas at the previous instant
	avl  map[string]string // UID of a pod available at the previous instant -> its ReplicaSet UID
	// rescaled holds the Deployments whose spec.replicas changed at some write during this
	// instant, even if it is back where it was at its end (kubectl scale, then the HPA's
	// rescale to its minReplicas): the instant held a scaling event.
	rescaled map[string]bool
}

func (r *scaleDown) Observe(_ *store.Store, c store.Change) {
	if c.Kind != "Deployment" || c.Type != store.Modified {
		return
	}
	old, d := c.Old.(*api.Deployment), c.New.(*api.Deployment)
	if api.Deref(old.Spec.Replicas, 1) != api.Deref(d.Spec.Replicas, 1) {
		if r.rescaled == nil {
			r.rescaled = map[string]bool{}
		}
		r.rescaled[d.UID] = true
	}
}

type depObs struct {
	replicas, surge, unavailable int32
	rolling, paused, pending     bool
}

func newScaleDown() Rule { return &scaleDown{} }

func (r *scaleDown) Check(s *store.Store, now api.Time) error {
	deps, spec, avl := map[string]depObs{}, map[string]int32{}, map[string]string{}
	var first error
	for _, d := range store.ListAs[*api.Deployment](s, "Deployment", "") {
		replicas := api.Deref(d.Spec.Replicas, 1)
		obs := depObs{replicas: replicas, surge: d.MaxSurge(), unavailable: d.MaxUnavailable(), rolling: d.IsRollingUpdate(), paused: d.Spec.Paused}
		rss := store.ByIndexAs[*api.ReplicaSet](s, "owner", "ReplicaSet", d.UID)
		var newRS *api.ReplicaSet
		for _, rs := range rss {
			n := api.Deref(rs.Spec.Replicas, 1)
			spec[rs.UID] = n
			if n > 0 && rs.Annotations[api.DesiredReplicasAnnotation] != strconv.Itoa(int(replicas)) {
				obs.pending = true
			}
			if api.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) && (newRS == nil || rs.CreationTimestamp < newRS.CreationTimestamp ||
				(rs.CreationTimestamp == newRS.CreationTimestamp && rs.Name < newRS.Name)) {
				newRS = rs
			}
			for _, p := range store.ByIndexAs[*api.Pod](s, "owner", "Pod", rs.UID) {
				if p.IsActive() && p.IsAvailable(rs.Spec.MinReadySeconds, now) {
					avl[p.UID] = rs.UID
				}
			}
		}
		deps[d.UID] = obs
		prev, ok := r.deps[d.UID]
		if first != nil || !ok || newRS == nil || !obs.rolling || obs.paused || d.DeletionTimestamp != nil || r.rescaled[d.UID] ||
			prev != (depObs{replicas: replicas, surge: obs.surge, unavailable: obs.unavailable, rolling: true}) {
			continue // new, not rolling, paused, rescaled, restrategied, or a scaling event was pending
		}
		var cut, oldSpec int32
		for _, rs := range rss {
			if rs.UID == newRS.UID {
				continue
			}
			n := api.Deref(rs.Spec.Replicas, 1)
			oldSpec += n
			if was, ok := r.spec[rs.UID]; ok && was > n {
				cut += was - n
			}
		}
		if cut == 0 {
			continue
		}
		seen := map[string]bool{}
		for uid, rsUID := range r.avl {
			if rsUID == newRS.UID {
				seen[uid] = true
			}
		}
		for _, p := range store.ByIndexAs[*api.Pod](s, "owner", "Pod", newRS.UID) {
			if !p.IsTerminal() && (!p.IsTerminating() || *p.DeletionTimestamp == now) && p.IsAvailable(newRS.Spec.MinReadySeconds, now) {
				seen[p.UID] = true
			}
		}
		newAvailable := int32(len(seen))
		minAvailable := replicas - obs.unavailable
		if oldSpec < minAvailable-newAvailable {
			first = objErr("Deployment", d.Key(), "deployment %s: old replica sets scaled down by %d to %d pods at this instant, below minAvailable %d (replicas %d - maxUnavailable %d) - %d available new pods: maxScaledDown allowed at most %d",
				d.Key(), cut, oldSpec, minAvailable, replicas, obs.unavailable, newAvailable, max(0, oldSpec+cut+newAvailable-minAvailable))
		}
	}
	r.deps, r.spec, r.avl, r.rescaled = deps, spec, avl, nil
	return first
}
