package api

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Annotation and label keys of the Deployment machinery
// (pkg/controller/deployment/util/deployment_util.go, v1.37.2).
const (
	// RevisionAnnotation is the revision number of a ReplicaSet and of its Deployment.
	RevisionAnnotation = "deployment.kubernetes.io/revision"
	// RevisionHistoryAnnotation lists the revisions a re-used ReplicaSet had before.
	RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
	// DesiredReplicasAnnotation is the Deployment's spec.replicas when the RS was last scaled.
	DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	// MaxReplicasAnnotation is spec.replicas + maxSurge when the RS was last scaled.
	MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
	// RollbackToAnnotation is the legacy controller-side rollback request.
	RollbackToAnnotation = "deprecated.deployment.rollback.to"
	// LastAppliedConfigAnnotation is kubectl apply's record.
	LastAppliedConfigAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
	// ChangeCauseAnnotation is shown by `kubectl rollout history`.
	ChangeCauseAnnotation = "kubernetes.io/change-cause"
	// RestartedAtAnnotation is set on the pod template by `kubectl rollout restart`.
	RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt"
	// PodTemplateHashLabel is added to ReplicaSets and their pods.
	PodTemplateHashLabel = "pod-template-hash"
	// PodDeletionCostAnnotation ranks pods for ReplicaSet scale-down.
	PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"
)

// Deployment condition types and reasons (deployment_util.go).
const (
	DeploymentAvailable      = "Available"
	DeploymentProgressing    = "Progressing"
	DeploymentReplicaFailure = "ReplicaFailure"

	MinimumReplicasAvailable   = "MinimumReplicasAvailable"
	MinimumReplicasUnavailable = "MinimumReplicasUnavailable"
	NewReplicaSetReason        = "NewReplicaSetCreated"
	FoundNewRSReason           = "FoundNewReplicaSet"
	ReplicaSetUpdatedReason    = "ReplicaSetUpdated"
	NewRSAvailableReason       = "NewReplicaSetAvailable"
	TimedOutReason             = "ProgressDeadlineExceeded"
	FailedRSCreateReason       = "ReplicaSetCreateError"
	PausedDeployReason         = "DeploymentPaused"
	ResumedDeployReason        = "DeploymentResumed"
)

// ResolveFenceposts resolves maxSurge (percentages round up) and maxUnavailable (round down)
// against desired; when both are 0, unavailable becomes 1
// (deployment_util.go ResolveFenceposts). A non-percent string is an error.
//
// Example: 25%/25% of 10 replicas gives (3, 2); "0%"/"0%" of 0 gives (0, 1).
func ResolveFenceposts(maxSurge, maxUnavailable *IntOrString, desired int32) (int32, int32, error) {
	surge, err := scaledValueStrict(maxSurge, int(desired), true)
	if err != nil {
		return 0, 0, err
	}
	unavailable, err := scaledValueStrict(maxUnavailable, int(desired), false)
	if err != nil {
		return 0, 0, err
	}
	if surge == 0 && unavailable == 0 {
		// Validation should never allow the user to explicitly use zero values for both
		// maxSurge maxUnavailable. Due to rounding down maxUnavailable though, it may
		// resolve to zero; surge might not work due to quota, so allow one unavailable.
		unavailable = 1
	}
	return int32(surge), int32(unavailable), nil
}

func scaledValueStrict(v *IntOrString, total int, roundUp bool) (int, error) {
	if v == nil {
		return 0, nil
	}
	if v.IsString && !v.IsPercent() {
		return 0, fmt.Errorf("invalid value for IntOrString: invalid type: string is not a percentage")
	}
	return ScaledValue(v, total, roundUp)
}

// IsRollingUpdate reports whether the Deployment uses the RollingUpdate strategy.
func (d *Deployment) IsRollingUpdate() bool {
	return d.Spec.Strategy.Type == RollingUpdateDeploymentStrategy
}

func (d *Deployment) rolling() (*IntOrString, *IntOrString) {
	if d.Spec.Strategy.RollingUpdate == nil {
		return nil, nil
	}
	return d.Spec.Strategy.RollingUpdate.MaxSurge, d.Spec.Strategy.RollingUpdate.MaxUnavailable
}

// MaxSurge is the resolved maxSurge, 0 for Recreate (deployment_util.go MaxSurge).
func (d *Deployment) MaxSurge() int32 {
	if !d.IsRollingUpdate() {
		return 0
	}
	s, u := d.rolling()
	surge, _, _ := ResolveFenceposts(s, u, Deref(d.Spec.Replicas, 1))
	return surge
}

// MaxUnavailable is the resolved maxUnavailable clamped to spec.replicas; 0 for Recreate or
// 0 replicas (deployment_util.go MaxUnavailable).
func (d *Deployment) MaxUnavailable() int32 {
	replicas := Deref(d.Spec.Replicas, 1)
	if !d.IsRollingUpdate() || replicas == 0 {
		return 0
	}
	s, u := d.rolling()
	_, unavailable, _ := ResolveFenceposts(s, u, replicas)
	return min(unavailable, replicas)
}

// Revision parses an object's deployment.kubernetes.io/revision annotation (0 when missing or
// invalid).
func Revision(m *ObjectMeta) int64 {
	v, err := strconv.ParseInt(m.Annotations[RevisionAnnotation], 10, 64)
	if err != nil {
		return 0
	}
	return v
}

// EqualIgnoreHash reports whether two pod templates are equal apart from the
// pod-template-hash label (deployment_util.go EqualIgnoreHash). Templates are compared in
// their JSON form, so nil and empty collections are the same.
func EqualIgnoreHash(a, b *PodTemplateSpec) bool {
	return string(templateKey(a)) == string(templateKey(b))
}

func templateKey(t *PodTemplateSpec) []byte {
	c := *t
	if _, ok := c.Labels[PodTemplateHashLabel]; ok {
		l := make(map[string]string, len(c.Labels))
		for k, v := range c.Labels {
			if k != PodTemplateHashLabel {
				l[k] = v
			}
		}
		c.Labels = l
	}
	b, err := json.Marshal(&c)
	if err != nil {
		panic(fmt.Sprintf("api: encoding pod template: %v", err))
	}
	return b
}

// GetDeploymentCondition returns the condition of type t, or nil.
func GetDeploymentCondition(conds []DeploymentCondition, t string) *DeploymentCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}
