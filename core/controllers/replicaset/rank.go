package replicaset

import (
	"math/bits"
	"slices"
	"strconv"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// podsToDelete picks n victims among active (replica_set.go getPodsToDelete): all of them if
// n covers every pod, else the first n in ActivePodsWithRanks order, where a pod's rank is the
// number of active pods on its node that belong to any ReplicaSet of the same controller
// (getPodsRankedByRelatedPodsOnSameNode).
func podsToDelete(ctx *sim.Context, rs *api.ReplicaSet, active []*api.Pod, n int) []*api.Pod {
	if n >= len(active) {
		return active
	}
	related := relatedPods(ctx, rs)
	onNode := map[string]int{}
	for _, p := range related {
		if p.IsActive() {
			onNode[p.Spec.NodeName]++
		}
	}
	ranked := make([]rankedPod, len(active))
	for i, p := range active {
		ranked[i] = rankedPod{p, onNode[p.Spec.NodeName]}
	}
	now := ctx.Now()
	slices.SortStableFunc(ranked, func(a, b rankedPod) int {
		if lessPod(a, b, now) {
			return -1
		}
		if lessPod(b, a, now) {
			return 1
		}
		return 0
	})
	out := make([]*api.Pod, n)
	for i := range out {
		out[i] = ranked[i].pod
	}
	return out
}

// relatedPods are the pods of every ReplicaSet controlled by the same owner as rs; an RS
// without a controller has none (getIndirectlyRelatedPods).
func relatedPods(ctx *sim.Context, rs *api.ReplicaSet) []*api.Pod {
	owner := api.ControllerOf(&rs.ObjectMeta)
	if owner == nil {
		return nil
	}
	var out []*api.Pod
	for _, o := range store.ByIndexAs[*api.ReplicaSet](ctx.Store(), "owner", "ReplicaSet", owner.UID) {
		out = append(out, store.ByIndexAs[*api.Pod](ctx.Store(), "owner", "Pod", o.UID)...)
	}
	return out
}

type rankedPod struct {
	pod  *api.Pod
	rank int
}

var phaseOrdinal = map[string]int{api.PodPending: 0, api.PodUnknown: 1, api.PodRunning: 2}

// lessPod reports whether a is deleted before b (controller_utils.go ActivePodsWithRanks.Less,
// LogarithmicScaleDown on; workloads.md §7.2).
func lessPod(a, b rankedPod, now api.Time) bool {
	pa, pb := a.pod, b.pod
	// 1. Unassigned before assigned.
	if pa.Spec.NodeName != pb.Spec.NodeName && (pa.Spec.NodeName == "" || pb.Spec.NodeName == "") {
		return pa.Spec.NodeName == ""
	}
	// 2. Pending < Unknown < Running.
	if oa, ob := phaseOrdinal[pa.Status.Phase], phaseOrdinal[pb.Status.Phase]; oa != ob {
		return oa < ob
	}
	// 3. Not ready before ready.
	if ra, rb := pa.IsReady(), pb.IsReady(); ra != rb {
		return !ra
	}
	// 4. Lower pod-deletion-cost first.
	if ca, cb := deletionCost(pa), deletionCost(pb); ca != cb {
		return ca < cb
	}
	// 5. More co-located related pods first.
	if a.rank != b.rank {
		return a.rank > b.rank
	}
	// 6. Both ready: ready more recently first, on a log2 scale; same bucket -> smaller UID.
	if pa.IsReady() && pb.IsReady() {
		ta, tb := pa.GetCondition(api.PodReady).LastTransitionTime, pb.GetCondition(api.PodReady).LastTransitionTime
		if ta != tb {
			if d := logRankDiff(ta, tb, now); d != 0 {
				return d < 0
			}
			return pa.UID < pb.UID
		}
	}
	// 7. More container restarts first.
	if ma, mb := maxRestarts(pa), maxRestarts(pb); ma != mb {
		return ma > mb
	}
	// 8. Newer first, log2 scale, UID tie-break.
	if pa.CreationTimestamp != pb.CreationTimestamp {
		if d := logRankDiff(pa.CreationTimestamp, pb.CreationTimestamp, now); d != 0 {
			return d < 0
		}
		return pa.UID < pb.UID
	}
	return false
}

// logRankDiff compares floor(log2(nanoseconds since t)) of two instants
// (controller_utils.go logarithmicRankDiff); the result is negative when t1 is younger.
func logRankDiff(t1, t2, now api.Time) int {
	return logBucket(now.Sub(t1)) - logBucket(now.Sub(t2))
}

func logBucket(d api.Duration) int {
	if d <= 0 {
		return -1
	}
	return bits.Len64(uint64(d)*1_000_000) - 1
}

func deletionCost(p *api.Pod) int32 {
	a, ok := p.Annotations[api.PodDeletionCostAnnotation]
	if !ok {
		return 0 // the usual case: no annotation, and no parse error allocated per comparison
	}
	v, err := strconv.ParseInt(a, 10, 32)
	if err != nil {
		return 0
	}
	return int32(v)
}

func maxRestarts(p *api.Pod) int32 {
	var m int32
	for _, c := range p.Status.ContainerStatuses {
		m = max(m, c.RestartCount)
	}
	return m
}
