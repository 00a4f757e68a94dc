package guarantee

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// checkDeployments follows each RollingUpdate Deployment's rollouts: from the instant a
// ReplicaSet other than the template's still has replicas or active pods beside the new one,
// to the instant none has. During it the Deployment promises (workloads.md §2.3; upstream
// deployment_util.go MaxUnavailable / MaxSurge):
//
//	available pods >= replicas - maxUnavailable
//	pods (not terminating) <= replicas + maxSurge
//
// The controller keeps both for what it does itself; a fault (a failed node, an eviction, a
// pod turning unready) is not bounded by them, and that is when a broke marker appears, with
// the cause. "available" is Ready for minReadySeconds and not terminating, as the ReplicaSet
// controller counts it.
func (t *Tracker) checkDeployments(s *store.Store, now api.Time) {
	seen := map[string]bool{}
	for _, d := range store.ListAs[*api.Deployment](s, "Deployment", "") {
		if !d.IsRollingUpdate() {
			continue
		}
		seen[d.UID] = true
		r := t.deps[d.UID]
		if r == nil {
			r = &rollout{}
			t.deps[d.UID] = r
		}
		prev := r.available
		replicas := api.Deref(d.Spec.Replicas, 1)
		maxU, maxS := d.MaxUnavailable(), d.MaxSurge()
		var newRS *api.ReplicaSet
		rss := store.ByIndexAs[*api.ReplicaSet](s, "owner", "ReplicaSet", d.UID)
		for _, rs := range rss {
			if api.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
				newRS = rs
			}
		}
		old := false
		available := map[string]bool{}
		var pods int32
		for _, rs := range rss {
			active := 0
			for _, p := range store.ByIndexAs[*api.Pod](s, "owner", "Pod", rs.UID) {
				if !p.IsActive() {
					continue
				}
				active++
				pods++
				if p.IsAvailable(d.Spec.MinReadySeconds, now) {
					available[p.Key()] = true
				}
			}
			if rs != newRS && (api.Deref(rs.Spec.Replicas, 1) > 0 || active > 0) {
				old = true
			}
		}
		avail := int32(len(available))
		obj := ref(d)
		inRollout := old && newRS != nil && d.DeletionTimestamp == nil
		if inRollout && !r.active {
			*r = rollout{active: true, low: avail, peak: pods}
		}
		if r.active {
			minAvail, bound := replicas-maxU, replicas+maxS
			r.minAvail, r.bound = minAvail, bound
			r.low, r.peak = min(r.low, avail), max(r.peak, pods)
			switch {
			case !r.brokeA && avail < minAvail:
				r.brokeA, r.everA = true, true
				because := t.lost(s, diff(prev, available))
				if because == "" {
					because = "only these pods were available when the rollout started"
				}
				t.add(Marker{T: now, Kind: Availability, Object: obj,
					Text: fmt.Sprintf("%s: %d available, below the %d the rollout promises", d.Name, avail, minAvail),
					Why:  fmt.Sprintf("available %d < %d − %d = %d: maxUnavailable %d exceeded because %s", avail, replicas, maxU, minAvail, maxU, because)})
			case r.brokeA && avail >= minAvail:
				r.brokeA = false
				t.add(Marker{T: now, Kind: Availability, Held: true, Object: obj,
					Text: fmt.Sprintf("%s: back to %d available", d.Name, avail),
					Why:  fmt.Sprintf("available %d ≥ %d − %d = %d: replacement pods became available", avail, replicas, maxU, minAvail)})
			}
			switch {
			case !r.brokeS && pods > bound:
				r.brokeS, r.everS = true, true
				t.add(Marker{T: now, Kind: Surge, Object: obj,
					Text: fmt.Sprintf("%s: %d pods, above the %d the rollout promises", d.Name, pods, bound),
					Why:  fmt.Sprintf("pods %d > %d + %d = %d: maxSurge %d exceeded", pods, replicas, maxS, bound, maxS)})
			case r.brokeS && pods <= bound:
				r.brokeS = false
				t.add(Marker{T: now, Kind: Surge, Held: true, Object: obj,
					Text: fmt.Sprintf("%s: back to %d pods", d.Name, pods),
					Why:  fmt.Sprintf("pods %d ≤ %d + %d = %d", pods, replicas, maxS, bound)})
			}
		}
		if r.active && !inRollout {
			// The rollout is over: say what held all along.
			if !r.everA {
				t.add(Marker{T: now, Kind: Availability, Held: true, Object: obj,
					Text: fmt.Sprintf("%s rolled out with at least %d available throughout", d.Name, r.low),
					Why:  fmt.Sprintf("lowest available %d ≥ %d − %d = %d: maxUnavailable %d held at every instant of the rollout", r.low, replicas, maxU, replicas-maxU, maxU)})
			}
			if !r.everS {
				t.add(Marker{T: now, Kind: Surge, Held: true, Object: obj,
					Text: fmt.Sprintf("%s rolled out with at most %d pods", d.Name, r.peak),
					Why:  fmt.Sprintf("highest pod count %d ≤ %d + %d = %d: maxSurge %d held at every instant of the rollout (terminating pods are not counted, as the controller does not count them)", r.peak, replicas, maxS, replicas+maxS, maxS)})
			}
			*r = rollout{}
		}
		r.available = available
	}
	for uid := range t.deps {
		if !seen[uid] {
			delete(t.deps, uid)
		}
	}
}
