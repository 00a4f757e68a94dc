package invariant

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("deployment-rolling-update-bounds", deploymentBounds)
}

// failedAnnotation is cluster.FailedAnnotation (a failed node), repeated here because
// invariant may not import cluster.
const failedAnnotation = "kubesim.dev/failed"

// deploymentBounds checks the two promises of a RollingUpdate (workloads.md §2.3, §10.3)
// for every Deployment whose controller has caught up (not paused or being deleted,
// generation observed, every active ReplicaSet stamped with the current replicas and
// replicas+maxSurge):
//
//  1. surge: Σ spec.replicas of its ReplicaSets <= replicas + maxSurge;
//  2. availability: available pods >= replicas - maxUnavailable, but only during a rollout
//     that started from a settled state and in which no pod failed by itself: there is a
//     new ReplicaSet and an old one with pod objects (terminating ones too), every old ReplicaSet's active pods are all
//     available and none of them was created after the new ReplicaSet (that would mean a
//     replacement or a manual scale-up after the rollout began), and no pod of the
//     Deployment has restarted, failed, lost its readiness after it had it, or sits on a
//     failed node. Initial scale-up, crash
//     loops, evictions, node failures and manual scaling are therefore outside the rule.
//
// Pods are counted from the store, not from controller-written status, so a broken
// controller cannot hide a violation behind its own arithmetic.
func deploymentBounds(s *store.Store, now api.Time) error {
	for _, d := range store.ListAs[*api.Deployment](s, "Deployment", "") {
		if err := checkDeployment(s, d, now); err != nil {
			return err
		}
	}
	return nil
}

func checkDeployment(s *store.Store, d *api.Deployment, now api.Time) error {
	if !d.IsRollingUpdate() || d.Spec.Paused || d.DeletionTimestamp != nil || d.Status.ObservedGeneration < d.Generation {
		return nil
	}
	replicas := api.Deref(d.Spec.Replicas, 1)
	surge, unavailable := d.MaxSurge(), d.MaxUnavailable()
	rss := store.ByIndexAs[*api.ReplicaSet](s, "owner", "ReplicaSet", d.UID)
	var specSum int32
	var newRS *api.ReplicaSet
	for _, rs := range rss {
		n := api.Deref(rs.Spec.Replicas, 1)
		specSum += n
		if n > 0 && (rs.Annotations[api.DesiredReplicasAnnotation] != fmt.Sprint(replicas) ||
			rs.Annotations[api.MaxReplicasAnnotation] != fmt.Sprint(replicas+surge)) {
			return nil // a scaling event or strategy change is still being absorbed
		}
		if api.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) && (newRS == nil || rs.CreationTimestamp < newRS.CreationTimestamp) {
			newRS = rs
		}
	}
	if specSum > replicas+surge {
		return fmt.Errorf("deployment %s: its replica sets want %d pods by spec, more than replicas %d + maxSurge %d", d.Key(), specSum, replicas, surge)
	}
	if newRS == nil {
		return nil
	}
	available, oldWithPods := int32(0), false
	for _, rs := range rss {
		isNew := rs.UID == newRS.UID
		for _, p := range store.ByIndexAs[*api.Pod](s, "owner", "Pod", rs.UID) {
			if p.TotalRestarts() > 0 || p.IsTerminal() || lostReadiness(p) {
				return nil
			}
			if n, ok := store.GetAs[*api.Node](s, "Node", p.Spec.NodeName); ok && n.Annotations[failedAnnotation] == "true" {
				return nil
			}
			if !isNew {
				oldWithPods = true // terminating old pods still mean the rollout is under way
			}
			if !p.IsActive() {
				continue
			}
			ok := availableAt(p, d.Spec.MinReadySeconds, now)
			if ok {
				available++
			}
			if !isNew {
				if !ok || p.CreationTimestamp > newRS.CreationTimestamp {
					return nil
				}
			}
		}
	}
	if !oldWithPods {
		return nil
	}
	if min := replicas - unavailable; available < min {
		return fmt.Errorf("deployment %s: %d pods available during the rollout, fewer than replicas %d - maxUnavailable %d", d.Key(), available, replicas, unavailable)
	}
	return nil
}

// lostReadiness reports whether a pod went from Ready to not Ready by itself: its Ready
// condition is False and changed after a running container started (a pod that has never
// been Ready keeps the False condition it got before its containers started).
func lostReadiness(p *api.Pod) bool {
	c := p.GetCondition(api.PodReady)
	if c == nil || c.Status == api.ConditionTrue {
		return false
	}
	for _, cs := range p.Status.ContainerStatuses {
		if r := cs.State.Running; r != nil && r.StartedAt < c.LastTransitionTime {
			return true
		}
	}
	return false
}

// availableAt is IsPodAvailable (Ready for more than minReadySeconds).
func availableAt(p *api.Pod, minReady int32, now api.Time) bool {
	c := p.GetCondition(api.PodReady)
	if c == nil || c.Status != api.ConditionTrue {
		return false
	}
	return minReady == 0 || c.LastTransitionTime.Add(api.Seconds(int64(minReady))) < now
}
