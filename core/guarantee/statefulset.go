package guarantee

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// observe judges decisions at the write that makes them: a StatefulSet pod created or
// deleted, an eviction admitted.
func (t *Tracker) observe(s *store.Store, c store.Change) {
	var now api.Time
	if s.Clock != nil {
		now = s.Clock()
	}
	switch c.Kind {
	case "PodDisruptionBudget":
		if c.Type == store.Modified {
			t.observeEviction(now, c.Old.(*api.PodDisruptionBudget), c.New.(*api.PodDisruptionBudget))
		}
	case "Pod":
		switch {
		case c.Type == store.Added:
			t.observeCreate(s, now, c.New.(*api.Pod))
		case c.Type == store.Modified && c.Old.(*api.Pod).DeletionTimestamp == nil && c.New.(*api.Pod).DeletionTimestamp != nil,
			c.Type == store.Deleted && c.Old.(*api.Pod).DeletionTimestamp == nil:
			t.observeDelete(s, now, c.Old.(*api.Pod))
		}
	}
}

func ownerSet(s *store.Store, p *api.Pod) *api.StatefulSet {
	r := api.ControllerOf(&p.ObjectMeta)
	if r == nil || r.Kind != "StatefulSet" {
		return nil
	}
	set, ok := store.GetAs[*api.StatefulSet](s, "StatefulSet", p.Namespace+"/"+r.Name)
	if !ok || set.UID != r.UID {
		return nil
	}
	return set
}

func ordinal(set *api.StatefulSet, p *api.Pod) int {
	n := 0
	rest, ok := strings.CutPrefix(p.Name, set.Name+"-")
	if !ok || rest == "" {
		return -1
	}
	for _, ch := range rest {
		if ch < '0' || ch > '9' {
			return -1
		}
		n = n*10 + int(ch-'0')
	}
	return n
}

func start(set *api.StatefulSet) int {
	if set.Spec.Ordinals != nil {
		return int(set.Spec.Ordinals.Start)
	}
	return 0
}

// healthy is what OrderedReady waits for: Running, Ready (and available for
// minReadySeconds), not terminating (upstream stateful_set_control.go isRunningAndReady,
// isRunningAndAvailable).
func healthy(p *api.Pod, minReady int32, now api.Time) bool {
	return p.Status.Phase == api.PodRunning && !p.IsTerminating() && p.IsReady() && p.IsAvailable(minReady, now)
}

func unhealthyText(p *api.Pod) string {
	switch {
	case p.IsTerminating():
		return "terminating"
	case p.Status.Phase != api.PodRunning:
		return "phase " + string(p.Status.Phase)
	case !p.IsReady():
		return "Running but not Ready"
	}
	return "Ready but not yet available for minReadySeconds"
}

// observeCreate: under OrderedReady the controller creates ordinal k only when every lower
// ordinal exists and is healthy (upstream stateful_set_control.go updateStatefulSet, phase
// 1 walks the slots in order and stops at the first unhealthy one).
func (t *Tracker) observeCreate(s *store.Store, now api.Time, p *api.Pod) {
	set := ownerSet(s, p)
	if set == nil || set.Spec.PodManagementPolicy == api.ParallelPodManagement {
		return
	}
	k, lo := ordinal(set, p), start(set)
	if k <= lo {
		return
	}
	m := Marker{T: now, Kind: Ordering, Object: ref(p)}
	for i := lo; i < k; i++ {
		name := fmt.Sprintf("%s-%d", set.Name, i)
		q, ok := store.GetAs[*api.Pod](s, "Pod", set.Namespace+"/"+name)
		if !ok || !healthy(q, set.Spec.MinReadySeconds, now) {
			state := "missing"
			if ok {
				state = unhealthyText(q)
			}
			m.Text = fmt.Sprintf("%s created before %s was Ready", p.Name, name)
			m.Why = fmt.Sprintf("OrderedReady: ordinal %d needs every ordinal from %d to %d Running and Ready first; %s was %s", k, lo, k-1, name, state)
			t.pending = append(t.pending, m)
			return
		}
	}
	prev := fmt.Sprintf("%s-%d", set.Name, k-1)
	m.Held = true
	m.Text = fmt.Sprintf("%s created after %s was Ready", p.Name, prev)
	m.Why = fmt.Sprintf("OrderedReady: ordinal %d is created only when every lower ordinal is Running and Ready: %s", k, span(lo, k-1))
	t.pending = append(t.pending, m)
}

// observeDelete: the controller takes pods away from the highest ordinal down. Scaling down
// (OrderedReady), it deletes ordinal k only when no higher ordinal is left; a rolling
// update (either policy) replaces ordinal k only when every higher ordinal is at the update
// revision and healthy (upstream stateful_set_control.go: condemned pods in decreasing
// order; the update loop from the last ordinal down to the partition). Deletions by
// others (an eviction, a failed node's pods, a pod already failed) are not judged.
func (t *Tracker) observeDelete(s *store.Store, now api.Time, p *api.Pod) {
	set := ownerSet(s, p)
	if set == nil || p.IsTerminal() || evicted(p) != "" {
		return
	}
	if _, failed := t.failed[p.Spec.NodeName]; failed {
		return
	}
	k, lo := ordinal(set, p), start(set)
	if k < 0 {
		return
	}
	replicas := int(api.Deref(set.Spec.Replicas, 1))
	pods := map[int]*api.Pod{}
	top := -1
	for _, q := range store.ByIndexAs[*api.Pod](s, "owner", "Pod", set.UID) {
		if o := ordinal(set, q); o > k {
			pods[o] = q
			top = max(top, o)
		}
	}
	update := updateRevision(s, set)
	m := Marker{T: now, Kind: Ordering, Object: ref(p)}
	switch {
	case k >= lo+replicas:
		if set.Spec.PodManagementPolicy == api.ParallelPodManagement {
			return
		}
		if top >= 0 {
			m.Text = fmt.Sprintf("%s deleted while %s-%d was still there", p.Name, set.Name, top)
			m.Why = fmt.Sprintf("OrderedReady scale-down removes the highest ordinal first and waits until it is gone; ordinal %d still existed", top)
		} else {
			m.Held = true
			m.Text = fmt.Sprintf("%s deleted: the highest ordinal left (scale-down in reverse order)", p.Name)
			m.Why = fmt.Sprintf("replicas %d: ordinals ≥ %d go, highest first; no ordinal above %d was left", replicas, lo+replicas, k)
		}
	case update != "" && p.Labels[api.ControllerRevisionHash] != update && k >= lo+partition(set) &&
		set.Spec.UpdateStrategy.Type != api.OnDeleteStatefulSet && !multiUnavailable(set):
		m.Held = true
		m.Text = fmt.Sprintf("%s replaced after every higher ordinal was updated (reverse order)", p.Name)
		m.Why = fmt.Sprintf("a rolling update replaces ordinals from %d down; %s at revision %s and Ready", lo+replicas-1, span(k+1, lo+replicas-1), update)
		if k == lo+replicas-1 {
			m.Why = fmt.Sprintf("a rolling update starts at the highest ordinal, %d", k)
		}
		for o := k + 1; o < lo+replicas; o++ {
			q := pods[o]
			switch {
			case q == nil:
				m.Held, m.Text, m.Why = false, fmt.Sprintf("%s replaced while %s-%d was missing", p.Name, set.Name, o), fmt.Sprintf("a rolling update replaces ordinal %d only when ordinal %d is updated and Ready; it did not exist", k, o)
			case q.Labels[api.ControllerRevisionHash] != update:
				m.Held, m.Text, m.Why = false, fmt.Sprintf("%s replaced before %s", p.Name, q.Name), fmt.Sprintf("a rolling update goes from the highest ordinal down; %s was still at revision %s, not %s", q.Name, q.Labels[api.ControllerRevisionHash], update)
			case !healthy(q, set.Spec.MinReadySeconds, now):
				m.Held, m.Text, m.Why = false, fmt.Sprintf("%s replaced while %s was not Ready", p.Name, q.Name), fmt.Sprintf("a rolling update waits for each updated pod to be Running and Ready; %s was %s", q.Name, unhealthyText(q))
			default:
				continue
			}
			break
		}
	default:
		return
	}
	t.pending = append(t.pending, m)
}

// updateRevision is the name of the set's newest ControllerRevision: the controller creates
// it before it replaces any pod, while status.updateRevision is written after.
func updateRevision(s *store.Store, set *api.StatefulSet) string {
	var best *api.ControllerRevision
	for _, r := range store.ByIndexAs[*api.ControllerRevision](s, "owner", "ControllerRevision", set.UID) {
		if best == nil || r.Revision > best.Revision {
			best = r
		}
	}
	if best == nil {
		return ""
	}
	return best.Name
}

// partition is rollingUpdate.partition: ordinals below it keep the current revision.
func partition(set *api.StatefulSet) int {
	if ru := set.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		return int(*ru.Partition)
	}
	return 0
}

// span names ordinals a…b, or one ordinal.
func span(a, b int) string {
	if a == b {
		return fmt.Sprintf("ordinal %d was", a)
	}
	return fmt.Sprintf("ordinals %d…%d were", a, b)
}

// multiUnavailable: with rollingUpdate.maxUnavailable above 1 several ordinals are replaced
// at once, so the one-by-one order is not promised.
func multiUnavailable(set *api.StatefulSet) bool {
	ru := set.Spec.UpdateStrategy.RollingUpdate
	return ru != nil && ru.MaxUnavailable != nil && (ru.MaxUnavailable.IsString || ru.MaxUnavailable.IntVal > 1)
}
