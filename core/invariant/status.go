package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("replicaset-status-matches-pods", replicaSetStatusMatchesPods)
}

// replicaSetStatusMatchesPods: once the ReplicaSet controller has observed a ReplicaSet's
// current generation, its status counters equal what its pods say (workloads.md §2.4, §7.1
// step 4; pkg/controller/replicaset/replica_set_utils.go calculateStatus, v1.37.2):
//   - status.replicas = its active pods (not Succeeded/Failed, no deletionTimestamp);
//   - status.readyReplicas = its active pods whose Ready condition is True;
//   - status.availableReplicas = its active pods available under minReadySeconds; the moment
//     a pod crosses the threshold is accepted either way (≤ or <), so the rule does not pin
//     the boundary millisecond;
//   - status.terminatingReplicas, when set, = its pods with a deletionTimestamp that are not
//     Succeeded/Failed.
//
// The engine drains every controller to a fixpoint after each queue item, so after every
// instant the controller has seen every pod change: that is the quiescence the rule needs.
func replicaSetStatusMatchesPods(s *store.Store, now api.Time) error {
	for _, rs := range store.ListAs[*api.ReplicaSet](s, "ReplicaSet", "") {
		if rs.Status.ObservedGeneration == 0 || rs.Status.ObservedGeneration != rs.Generation {
			continue
		}
		var active, ready, availLoose, availStrict, terminating int32
		for _, p := range store.ByIndexAs[*api.Pod](s, "owner", "Pod", rs.UID) {
			if p.IsTerminal() {
				continue
			}
			if p.DeletionTimestamp != nil {
				terminating++
				continue
			}
			active++
			if !p.IsReady() {
				continue
			}
			ready++
			c := p.GetCondition(api.PodReady)
			d := api.Seconds(int64(rs.Spec.MinReadySeconds))
			if d == 0 || c.LastTransitionTime.Add(d) <= now {
				availLoose++
			}
			if d == 0 || c.LastTransitionTime.Add(d) < now {
				availStrict++
			}
		}
		st := rs.Status
		switch {
		case st.Replicas != active:
			return objErr("ReplicaSet", rs.Key(), "replicaset %s: status.replicas is %d but it has %d active pods", rs.Key(), st.Replicas, active)
		case st.ReadyReplicas != ready:
			return objErr("ReplicaSet", rs.Key(), "replicaset %s: status.readyReplicas is %d but %d of its active pods are Ready", rs.Key(), st.ReadyReplicas, ready)
		case st.AvailableReplicas < availStrict || st.AvailableReplicas > availLoose:
			return objErr("ReplicaSet", rs.Key(), "replicaset %s: status.availableReplicas is %d but %d of its active pods are available (minReadySeconds %d)", rs.Key(), st.AvailableReplicas, availLoose, rs.Spec.MinReadySeconds)
		case st.TerminatingReplicas != nil && *st.TerminatingReplicas != terminating:
			return objErr("ReplicaSet", rs.Key(), "replicaset %s: status.terminatingReplicas is %d but %d of its pods are terminating", rs.Key(), *st.TerminatingReplicas, terminating)
		}
	}
	return nil
}
