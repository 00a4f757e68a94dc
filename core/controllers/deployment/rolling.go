package deployment

import (
	"fmt"
	"slices"

	"github.com/kubesim/kubesim/core/api"
)

// rolloutRolling is one RollingUpdate pass (rolling.go rolloutRolling, workloads.md §2.3):
// find or create the new RS, then either scale it up or scale old ones down, never both
// (except that creation and an old scale-down may share the first pass).
func (s *syncer) rolloutRolling(rsList []*api.ReplicaSet) error {
	newRS, olds, err := s.allReplicaSetsAndSyncRevision(rsList, true)
	if err != nil {
		return err
	}
	all := append(slices.Clone(olds), newRS)
	scaledUp, err := s.reconcileNewReplicaSet(all, newRS)
	if err != nil {
		return err
	}
	if scaledUp {
		return s.syncRolloutStatus(all, newRS)
	}
	scaledDown, err := s.reconcileOldReplicaSets(all, activeRSs(olds), newRS)
	if err != nil {
		return err
	}
	if scaledDown {
		s.blocker = ""
		return s.syncRolloutStatus(all, newRS)
	}
	if deploymentComplete(s.d, &s.d.Status) {
		if err := s.cleanupDeployment(olds); err != nil {
			return err
		}
	}
	return s.syncRolloutStatus(all, newRS)
}

// reconcileNewReplicaSet scales the new RS toward NewRSNewReplicas (or down to replicas).
func (s *syncer) reconcileNewReplicaSet(all []*api.ReplicaSet, newRS *api.ReplicaSet) (bool, error) {
	d := s.d
	if replicas(newRS) == desired(d) {
		return false, nil
	}
	if replicas(newRS) > desired(d) {
		s.ctx.Explain(newRS, "new replica set has %d replicas, the deployment wants %d: scale %s down to %d", replicas(newRS), desired(d), newRS.Name, desired(d))
		scaled, _, err := s.scaleReplicaSetAndRecordEvent(newRS, desired(d))
		return scaled, err
	}
	n, err := NewRSNewReplicas(d, all, newRS)
	if err != nil {
		return false, err
	}
	maxTotal, current := desired(d)+d.MaxSurge(), sumSpec(all)
	if n == replicas(newRS) {
		s.blocker = fmt.Sprintf("maxSurge %d allows %d pods; %d exist by spec: cannot scale %s up", d.MaxSurge(), maxTotal, current, newRS.Name)
	} else {
		s.ctx.Explain(newRS, "maxSurge %d allows %d pods; %d exist by spec: scale %s up by %d to %d", d.MaxSurge(), maxTotal, current, newRS.Name, n-replicas(newRS), n)
	}
	scaled, _, err := s.scaleReplicaSetAndRecordEvent(newRS, n)
	return scaled, err
}

// reconcileOldReplicaSets scales old RSes down within the availability budget
// (rolling.go reconcileOldReplicaSets).
func (s *syncer) reconcileOldReplicaSets(all, olds []*api.ReplicaSet, newRS *api.ReplicaSet) (bool, error) {
	d := s.d
	if sumSpec(olds) == 0 {
		return false, nil
	}
	allPods := sumSpec(all)
	minAvailable := desired(d) - d.MaxUnavailable()
	newUnavailable := replicas(newRS) - newRS.Status.AvailableReplicas
	maxScaledDown := allPods - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		s.blocker += fmt.Sprintf("; minAvailable %d, %d pods by spec, %d new unavailable: may remove 0 old pods", minAvailable, allPods, newUnavailable)
		return false, nil
	}
	olds, cleaned, err := s.cleanupUnhealthyReplicas(olds, maxScaledDown)
	if err != nil {
		return false, err
	}
	all = append(slices.Clone(olds), newRS)
	scaled, err := s.scaleDownOldReplicaSetsForRollingUpdate(all, olds, minAvailable)
	if err != nil {
		return false, err
	}
	if cleaned+scaled == 0 {
		s.blocker += fmt.Sprintf("; minAvailable %d, %d available: may remove 0 old pods", minAvailable, sumAvailable(all))
	}
	return cleaned+scaled > 0, nil
}

// cleanupUnhealthyReplicas removes unavailable old replicas first, oldest RS first, up to
// maxCleanup (rolling.go cleanupUnhealthyReplicas). It returns the RSes as written.
func (s *syncer) cleanupUnhealthyReplicas(olds []*api.ReplicaSet, maxCleanup int32) ([]*api.ReplicaSet, int32, error) {
	olds = slices.Clone(olds)
	slices.SortStableFunc(olds, byCreation)
	var total int32
	for i, rs := range olds {
		if total >= maxCleanup {
			break
		}
		if replicas(rs) == 0 || replicas(rs) == rs.Status.AvailableReplicas {
			continue
		}
		cut := min(maxCleanup-total, replicas(rs)-rs.Status.AvailableReplicas)
		n := replicas(rs) - cut
		if n > replicas(rs) {
			return nil, 0, fmt.Errorf("when cleaning up unhealthy replicas, got invalid request to scale down %s %d -> %d", rs.Name, replicas(rs), n)
		}
		s.ctx.Explain(rs, "%d of %d replicas of old replica set %s are unavailable: remove %d of them first (budget %d)", replicas(rs)-rs.Status.AvailableReplicas, replicas(rs), rs.Name, cut, maxCleanup-total)
		_, w, err := s.scaleReplicaSetAndRecordEvent(rs, n)
		if err != nil {
			return nil, 0, err
		}
		total += cut
		olds[i] = w
	}
	return olds, total, nil
}

// scaleDownOldReplicaSetsForRollingUpdate removes available old replicas down to
// minAvailable, oldest RS first.
func (s *syncer) scaleDownOldReplicaSetsForRollingUpdate(all, olds []*api.ReplicaSet, minAvailable int32) (int32, error) {
	available := sumAvailable(all)
	if available <= minAvailable {
		return 0, nil
	}
	olds = slices.Clone(olds)
	slices.SortStableFunc(olds, byCreation)
	want := available - minAvailable
	var total int32
	for _, rs := range olds {
		if total >= want {
			break
		}
		if replicas(rs) == 0 {
			continue
		}
		cut := min(replicas(rs), want-total)
		n := replicas(rs) - cut
		s.ctx.Explain(rs, "minAvailable %d, %d available: scale old replica set %s down by %d to %d", minAvailable, available, rs.Name, cut, n)
		if _, _, err := s.scaleReplicaSetAndRecordEvent(rs, n); err != nil {
			return total, err
		}
		total += cut
	}
	return total, nil
}
