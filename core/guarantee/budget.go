package guarantee

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/disruption"
	"github.com/kubesim/kubesim/core/store"
)

// checkBudgets follows each PodDisruptionBudget's status as the disruption controller
// writes it (upstream pkg/controller/disruption: currentHealthy counts the selected pods
// that are Ready and not being deleted; desiredHealthy comes from minAvailable or
// expectedPods − maxUnavailable). A budget promises currentHealthy ≥ desiredHealthy against
// voluntary disruptions (evictions); it is armed once it has held, so pods still starting do
// not count as a break.
func (t *Tracker) checkBudgets(s *store.Store, now api.Time) {
	seen := map[string]bool{}
	for _, p := range store.ListAs[*api.PodDisruptionBudget](s, "PodDisruptionBudget", "") {
		seen[p.UID] = true
		b := t.pdbs[p.UID]
		if b == nil {
			b = &budget{}
			t.pdbs[p.UID] = b
		}
		healthy := map[string]bool{}
		for _, pod := range disruption.PodsFor(s, p) {
			if pod.IsActive() && pod.IsReady() {
				healthy[pod.Key()] = true
			}
		}
		prev := b.healthy
		b.healthy = healthy
		st := p.Status
		if st.ObservedGeneration == 0 || st.ExpectedPods == 0 {
			continue // not synced yet, or nothing to protect
		}
		ok := st.CurrentHealthy >= st.DesiredHealthy
		switch {
		case !b.armed && ok:
			b.armed = true
		case b.armed && !b.broke && !ok:
			b.broke = true
			because := t.lost(s, diff(prev, healthy))
			if because == "" {
				because = "the budget's pods changed"
			}
			t.add(Marker{T: now, Kind: Budget, Object: ref(p),
				Text: fmt.Sprintf("budget %s: %d healthy, below the %d it protects", p.Name, st.CurrentHealthy, st.DesiredHealthy),
				Why:  fmt.Sprintf("currentHealthy %d < desiredHealthy %d (%s): because %s; a budget stops evictions, not failures", st.CurrentHealthy, st.DesiredHealthy, desiredText(p), because)})
		case b.broke && ok:
			b.broke = false
			t.add(Marker{T: now, Kind: Budget, Held: true, Object: ref(p),
				Text: fmt.Sprintf("budget %s: %d healthy again", p.Name, st.CurrentHealthy),
				Why:  fmt.Sprintf("currentHealthy %d ≥ desiredHealthy %d (%s)", st.CurrentHealthy, st.DesiredHealthy, desiredText(p))})
		}
	}
	for uid := range t.pdbs {
		if !seen[uid] {
			delete(t.pdbs, uid)
		}
	}
}

func desiredText(p *api.PodDisruptionBudget) string {
	if p.Spec.MaxUnavailable != nil {
		return fmt.Sprintf("expectedPods %d − maxUnavailable %s", p.Status.ExpectedPods, p.Spec.MaxUnavailable)
	}
	if p.Spec.MinAvailable != nil {
		return "minAvailable " + p.Spec.MinAvailable.String()
	}
	return "no minAvailable or maxUnavailable"
}

// observeEviction: the Eviction API admits an eviction by recording the pod in the budget's
// status.disruptedPods and taking disruptionsAllowed down by one (upstream
// pkg/registry/core/pod/storage/eviction.go checkAndDecrement), only while it is above 0.
func (t *Tracker) observeEviction(now api.Time, o, n *api.PodDisruptionBudget) {
	for _, pod := range api.SortedKeys(n.Status.DisruptedPods) {
		if at, ok := o.Status.DisruptedPods[pod]; ok && at == n.Status.DisruptedPods[pod] {
			continue
		}
		st := o.Status
		m := Marker{T: now, Kind: Budget, Object: "Pod/" + n.Namespace + "/" + pod}
		if st.DisruptionsAllowed > 0 {
			m.Held = true
			m.Text = fmt.Sprintf("eviction of %s admitted by budget %s", pod, n.Name)
			m.Why = fmt.Sprintf("disruptionsAllowed %d = currentHealthy %d − desiredHealthy %d > 0 (%s): the Eviction API admits one and counts it down to %d",
				st.DisruptionsAllowed, st.CurrentHealthy, st.DesiredHealthy, desiredText(o), n.Status.DisruptionsAllowed)
		} else {
			m.Text = fmt.Sprintf("%s evicted although budget %s allowed no disruption", pod, n.Name)
			m.Why = fmt.Sprintf("disruptionsAllowed %d (currentHealthy %d, desiredHealthy %d): an eviction needs at least 1", st.DisruptionsAllowed, st.CurrentHealthy, st.DesiredHealthy)
		}
		t.pending = append(t.pending, m)
	}
}
