package deployment

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
)

// syncRolloutStatus writes the status with the Progressing condition (progress.go
// syncRolloutStatus, workloads.md §6.2) and, when nothing changed, schedules the deadline
// check (requeueStuckDeployment).
func (s *syncer) syncRolloutStatus(all []*api.ReplicaSet, newRS *api.ReplicaSet) error {
	d, now := s.d, s.ctx.Now()
	st := s.calculateStatus(all, newRS)
	if !hasProgressDeadline(d) {
		removeCondition(&st, api.DeploymentProgressing)
	}
	cur := api.GetDeploymentCondition(d.Status.Conditions, api.DeploymentProgressing)
	complete := st.Replicas == st.UpdatedReplicas && cur != nil && cur.Reason == api.NewRSAvailableReason
	if hasProgressDeadline(d) && !complete {
		subject := fmt.Sprintf("Deployment %q", d.Name)
		if newRS != nil {
			subject = fmt.Sprintf("ReplicaSet %q", newRS.Name)
		}
		switch {
		case deploymentComplete(d, &st):
			setCondition(&st, newCondition(api.DeploymentProgressing, api.ConditionTrue, api.NewRSAvailableReason, subject+" has successfully progressed.", now))
		case deploymentProgressing(d, &st):
			c := newCondition(api.DeploymentProgressing, api.ConditionTrue, api.ReplicaSetUpdatedReason, subject+" is progressing.", now)
			if cur != nil {
				if cur.Status == api.ConditionTrue {
					c.LastTransitionTime = cur.LastTransitionTime
				}
				removeCondition(&st, api.DeploymentProgressing)
			}
			setCondition(&st, c)
		case deploymentTimedOut(d, &st, now):
			if cur != nil && cur.Reason != api.TimedOutReason {
				s.ctx.Explain(d, "no progress since %ss, progressDeadlineSeconds %d has passed: Progressing=False", cur.LastUpdateTime.SecondsString(), *d.Spec.ProgressDeadlineSeconds)
			}
			setCondition(&st, newCondition(api.DeploymentProgressing, api.ConditionFalse, api.TimedOutReason, subject+" has timed out progressing.", now))
		}
	}
	if f := replicaFailure(all, newRS); f != nil {
		setCondition(&st, *f)
	} else {
		removeCondition(&st, api.DeploymentReplicaFailure)
	}
	if equalStatus(d.Status, st) {
		s.requeueStuckDeployment(st)
		return nil
	}
	return s.writeStatus(st)
}

func equalStatus(a, b api.DeploymentStatus) bool {
	a, b = normStatus(a), normStatus(b)
	if len(a.Conditions) != len(b.Conditions) {
		return false
	}
	for i := range a.Conditions {
		if a.Conditions[i] != b.Conditions[i] {
			return false
		}
	}
	a.Conditions, b.Conditions = nil, nil
	return a.ObservedGeneration == b.ObservedGeneration && a.Replicas == b.Replicas && a.UpdatedReplicas == b.UpdatedReplicas &&
		a.ReadyReplicas == b.ReadyReplicas && a.AvailableReplicas == b.AvailableReplicas && a.UnavailableReplicas == b.UnavailableReplicas &&
		api.Deref(a.TerminatingReplicas, -1) == api.Deref(b.TerminatingReplicas, -1) && api.Deref(a.CollisionCount, -1) == api.Deref(b.CollisionCount, -1) &&
		(a.TerminatingReplicas == nil) == (b.TerminatingReplicas == nil) && (a.CollisionCount == nil) == (b.CollisionCount == nil)
}

// replicaFailure is getReplicaFailures: the new RS's ReplicaFailure condition, else any RS's.
func replicaFailure(all []*api.ReplicaSet, newRS *api.ReplicaSet) *api.DeploymentCondition {
	conv := func(rs *api.ReplicaSet) *api.DeploymentCondition {
		if rs == nil {
			return nil
		}
		for _, c := range rs.Status.Conditions {
			if c.Type == "ReplicaFailure" {
				return &api.DeploymentCondition{Type: api.DeploymentReplicaFailure, Status: c.Status,
					LastUpdateTime: c.LastTransitionTime, LastTransitionTime: c.LastTransitionTime, Reason: c.Reason, Message: c.Message}
			}
		}
		return nil
	}
	if c := conv(newRS); c != nil {
		return c
	}
	for _, rs := range all {
		if rs == newRS {
			continue
		}
		if c := conv(rs); c != nil {
			return c
		}
	}
	return nil
}

// requeueStuckDeployment asks to be woken at lastUpdateTime + progressDeadlineSeconds + 1 s
// (or just after the deadline when that is less than a second away).
func (s *syncer) requeueStuckDeployment(st api.DeploymentStatus) {
	d := s.d
	cur := api.GetDeploymentCondition(d.Status.Conditions, api.DeploymentProgressing)
	if !hasProgressDeadline(d) || cur == nil {
		return
	}
	if deploymentComplete(d, &st) || cur.Reason == api.TimedOutReason {
		return
	}
	deadline := cur.LastUpdateTime.Add(api.Seconds(int64(*d.Spec.ProgressDeadlineSeconds)))
	now := s.ctx.Now()
	switch {
	case deadline < now:
		// Only a rollout that completed and then lost pods gets here (reason
		// NewReplicaSetAvailable is never re-estimated). Upstream requeues it rate-limited
		// forever without effect; the simulator waits for the next real change instead.
		return
	case deadline.Sub(now) < api.Second:
		// Upstream: "requeue immediately, rate-limited"; here: the first instant at which
		// the deadline has passed.
		s.ctx.EnqueueAt(d.Key(), deadline+1)
	default:
		s.ctx.EnqueueAt(d.Key(), deadline.Add(api.Second))
	}
}

// checkPausedConditions maintains Progressing=Unknown DeploymentPaused/DeploymentResumed
// (sync.go checkPausedConditions).
func (s *syncer) checkPausedConditions() error {
	d := s.d
	if !hasProgressDeadline(d) {
		return nil
	}
	cur := api.GetDeploymentCondition(d.Status.Conditions, api.DeploymentProgressing)
	if cur != nil && cur.Reason == api.TimedOutReason {
		return nil
	}
	pausedExists := cur != nil && cur.Reason == api.PausedDeployReason
	var c api.DeploymentCondition
	switch {
	case d.Spec.Paused && !pausedExists:
		c = newCondition(api.DeploymentProgressing, api.ConditionUnknown, api.PausedDeployReason, "Deployment is paused", s.ctx.Now())
	case !d.Spec.Paused && pausedExists:
		c = newCondition(api.DeploymentProgressing, api.ConditionUnknown, api.ResumedDeployReason, "Deployment is resumed", s.ctx.Now())
	default:
		return nil
	}
	dc := api.Clone(d)
	setCondition(&dc.Status, c)
	// The sync goes on with the object as it was read plus the condition: its
	// resourceVersion is now stale, so its next write of the Deployment in this sync fails
	// with a conflict and the key is retried (v1.37.2 sync.go checkPausedConditions writes
	// d with UpdateStatus and syncDeployment carries on with d; conformance seed 650: a
	// resume with a changed template creates the new ReplicaSet, then conflicts on the
	// revision annotation, and scales the old set only in the retry).
	stale := api.Clone(dc)
	if err := s.ctx.Update(dc); err != nil {
		return err
	}
	s.d = stale
	return nil
}
