package api

import "fmt"

// Limits that protect a browser tab (and the Worker) from a scenario or a command that would
// make the simulation too big to run interactively. They are kubesim's, not Kubernetes':
// the API server accepts up to 2^31-1 replicas. They are checked in the API validation path,
// so `kubectl apply`, `kubectl scale` (when it validates) and scenario files all reject the
// same values with the same message, naming the field and the limit.
const (
	// MaxReplicas is the most replicas one Deployment, ReplicaSet or StatefulSet may ask for.
	MaxReplicas = 5000
)

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
