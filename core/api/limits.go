package api

import "fmt"

// Limits that protect a browser tab (and the Worker) from a scenario or a command that would
// make the simulation too big to run interactively. They are kubesim's, not Kubernetes':
// the API server accepts up to 2^31-1 replicas. MaxReplicas is checked in the API validation
// path, so every kubectl write and scenario files reject the same values with the same
// message, naming the field and the limit. MaxTotalPods is checked by the scenario parser
// (over the manifests) and by every kubectl write (over the cluster after the write).
const (
	// MaxReplicas is the most replicas one Deployment, ReplicaSet or StatefulSet may ask for.
	MaxReplicas = 5000
	// MaxTotalPods is the most pods all workloads together may ask for: the replicas of every
	// Deployment, ReplicaSet and StatefulSet, bare Pods and every HPA's maxReplicas.
	MaxTotalPods = 10000
)

// PodsAskedFor is what o contributes to MaxTotalPods on its own: the replicas of a
// Deployment, ReplicaSet or StatefulSet (1 when unset, the API default), 1 for a Pod, an
// HPA's maxReplicas (what it may add to its target, counted as if the target had none), else 0.
// Whether a ReplicaSet or Pod is already counted in its controller's replicas is the caller's
// business.
func PodsAskedFor(o Object) int64 {
	switch w := o.(type) {
	case *Deployment:
		return int64(Deref(w.Spec.Replicas, 1))
	case *ReplicaSet:
		return int64(Deref(w.Spec.Replicas, 1))
	case *StatefulSet:
		return int64(Deref(w.Spec.Replicas, 1))
	case *Pod:
		return 1
	case *HorizontalPodAutoscaler:
		return int64(w.Spec.MaxReplicas)
	}
	return 0
}

func init() {
	for _, kind := range []string{"Deployment", "ReplicaSet", "StatefulSet"} {
		RegisterValidation(kind, func(o Object) ErrorList { return ValidateReplicasLimit(o) })
	}
}

// ValidateReplicasLimit rejects a workload whose spec.replicas exceeds MaxReplicas:
//
//	spec.replicas: Invalid value: 6000: must be no more than 5000 (kubesim limit: at most 5000 replicas per workload, so the simulation stays fast in a browser tab)
func ValidateReplicasLimit(o Object) ErrorList {
	var r *int32
	switch w := o.(type) {
	case *Deployment:
		r = w.Spec.Replicas
	case *ReplicaSet:
		r = w.Spec.Replicas
	case *StatefulSet:
		r = w.Spec.Replicas
	}
	if r == nil || *r <= MaxReplicas {
		return nil
	}
	return ErrorList{Invalid("spec.replicas", *r, fmt.Sprintf(
		"must be no more than %d (kubesim limit: at most %d replicas per workload, so the simulation stays fast in a browser tab)", MaxReplicas, MaxReplicas))}
}
