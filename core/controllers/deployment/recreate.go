package deployment

import (
	"slices"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// rolloutRecreate is one Recreate pass (recreate.go, workloads.md §4.1): scale every old RS
// to 0, wait until no old pod object is left (terminating ones included), then create or
// scale the new RS to replicas.
func (s *syncer) rolloutRecreate(rsList []*api.ReplicaSet) error {
	newRS, olds, err := s.allReplicaSetsAndSyncRevision(rsList, false)
	if err != nil {
		return err
	}
	all := append(slices.Clone(olds), newRS)
	scaled := false
	for _, rs := range activeRSs(olds) {
		s.ctx.Explain(rs, "Recreate: scale old replica set %s from %d to 0 before creating new pods", rs.Name, replicas(rs))
		ok, _, err := s.scaleReplicaSetAndRecordEvent(rs, 0)
		if err != nil {
			return err
		}
		scaled = scaled || ok
	}
	if scaled {
		return s.syncRolloutStatus(all, newRS)
	}
	if n, running := s.oldPodsRunning(newRS, olds); running {
		s.ctx.Explain(s.d, "Recreate: %d old pods still exist (terminating pods count): wait before creating new ones", n)
		return s.syncRolloutStatus(all, newRS)
	}
	if newRS == nil {
		if newRS, olds, err = s.allReplicaSetsAndSyncRevision(rsList, true); err != nil {
			return err
		}
		all = append(slices.Clone(olds), newRS)
	}
	if replicas(newRS) != desired(s.d) {
		s.ctx.Explain(newRS, "Recreate: no old pods left: scale %s to %d", newRS.Name, desired(s.d))
	}
	if _, _, err := s.scaleReplicaSetAndRecordEvent(newRS, desired(s.d)); err != nil {
		return err
	}
	if deploymentComplete(s.d, &s.d.Status) {
		if err := s.cleanupDeployment(olds); err != nil {
			return err
		}
	}
	return s.syncRolloutStatus(all, newRS)
}

// oldPodsRunning reports whether any old RS still has pods: by status, or any pod object of
// an old RS that is not Failed/Succeeded.
func (s *syncer) oldPodsRunning(newRS *api.ReplicaSet, olds []*api.ReplicaSet) (int, bool) {
	if n := sumStatus(olds); n > 0 {
		return int(n), true
	}
	count := 0
	for _, rs := range olds {
		if rs == nil || (newRS != nil && rs.UID == newRS.UID) {
			continue
		}
		for _, p := range store.ByIndexAs[*api.Pod](s.ctx.Store(), "owner", "Pod", rs.UID) {
			if !p.IsTerminal() && s.d.Spec.Selector.Matches(p.Labels) {
				count++
			}
		}
	}
	return count, count > 0
}
