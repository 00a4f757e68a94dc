package main

import (
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubernetes/pkg/controller"
)

// The ReplicaSet controller ranks the pods it may delete with Now: metav1.Now()
// (replica_set.go getPodsRankedByRelatedPodsOnSameNode), the wall clock, which the harness
// cannot redirect (metav1.Now has no hook, and go build refuses overlays of files in the
// module cache). With LogarithmicScaleDown the ranking compares floor(log2(now - t)) of
// ready and creation times: seen from the wall clock, months after the virtual epoch,
// every pod of a scenario falls in one bucket and the UID decides, where in virtual time
// a pod Ready for 1 s goes before one Ready for 40 s (seeds 16, 146).
//
// rankCheck notices when that changes the victims: before each ReplicaSet sync it keeps
// the set's active pods in the lister's order, and after it ranks them again as the
// controller would with the virtual clock's now; if the first n (n = the pods the sync
// deleted) are not the pods it deleted but are the pods kubesim deleted, the Deployment is
// marked from that instant on and its differences from then on are the known divergence
// "wall-clock-rank".
type rankCheck struct {
	u      *upstream
	before []*corev1.Pod // the ReplicaSet's active pods before the sync, in lister order
	ranks  []int         // and their ranks
	rs     *appsv1.ReplicaSet
}

// start records the state before the ReplicaSet controller syncs key.
func (r *rankCheck) start(key string) {
	r.before, r.rs = nil, nil
	o, ok, _ := r.u.srv.informers["replicasets"].indexer.GetByKey(key)
	if !ok {
		return
	}
	r.rs = o.(*appsv1.ReplicaSet)
	for _, o := range r.u.srv.list("pods") {
		p := o.(*corev1.Pod)
		if ref := metav1.GetControllerOf(p); ref != nil && ref.UID == r.rs.UID && controller.IsPodActive(p) {
			r.before = append(r.before, p)
		}
	}
	r.ranks = r.relatedRanks()
}

// finish compares the sync's deletions with the virtual-time ranking.
func (r *rankCheck) finish() {
	if r.rs == nil || len(r.before) == 0 {
		return
	}
	deleted := map[string]bool{}
	n := 0
	for _, p := range r.before {
		if !r.u.srv.hasActivePod(p.Namespace, p.Name, p.UID) {
			deleted[p.Name] = true
			n++
		}
	}
	if n == 0 || n == len(r.before) {
		return
	}
	ranked := controller.ActivePodsWithRanks{Pods: append([]*corev1.Pod(nil), r.before...), Rank: r.ranks, Now: metav1.NewTime(r.u.clock.Now())}
	sort.Sort(ranked)
	same, asKubesim := true, true
	for _, p := range ranked.Pods[:n] {
		same = same && deleted[p.Name]
		// The pods carry the UIDs of the kubesim pods they play: the explanation holds
		// only if kubesim deleted the virtual-time victims.
		asKubesim = asKubesim && r.u.kubesimDeleted[r.u.clock.ms()][string(p.UID)]
	}
	ref := metav1.GetControllerOf(r.rs)
	if same || !asKubesim || ref == nil || ref.Kind != "Deployment" {
		return
	}
	if _, ok := r.u.wallClockRanks[ref.Name]; !ok {
		r.u.wallClockRanks[ref.Name] = r.u.clock.ms()
	}
}

// relatedRanks are the pods' ranks as getPodsRankedByRelatedPodsOnSameNode gives them:
// the number of active pods of the same Deployment's ReplicaSets on the pod's node.
func (r *rankCheck) relatedRanks() []int {
	owner := metav1.GetControllerOf(r.rs)
	sets := map[string]bool{string(r.rs.UID): true}
	if owner != nil {
		for _, o := range r.u.srv.list("replicasets") {
			rs := o.(*appsv1.ReplicaSet)
			if ref := metav1.GetControllerOf(rs); ref != nil && ref.UID == owner.UID {
				sets[string(rs.UID)] = true
			}
		}
	}
	onNode := map[string]int{}
	for _, o := range r.u.srv.list("pods") {
		p := o.(*corev1.Pod)
		if ref := metav1.GetControllerOf(p); ref != nil && sets[string(ref.UID)] && controller.IsPodActive(p) {
			onNode[p.Spec.NodeName]++
		}
	}
	ranks := make([]int, len(r.before))
	for i, p := range r.before {
		ranks[i] = onNode[p.Spec.NodeName]
	}
	return ranks
}
