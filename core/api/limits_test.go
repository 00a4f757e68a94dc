package api

import (
	"strings"
	"testing"
)

func TestReplicasLimit(t *testing.T) {
	const msg = `spec.replicas: Invalid value: 5001: must be no more than 5000 (kubesim limit: at most 5000 replicas per workload, so the simulation stays fast in a browser tab)`
	tests := []struct {
		name string
		obj  Object
		want string
	}{
		{"deployment at the limit", &Deployment{TypeMeta: TypeMeta{Kind: "Deployment"}, Spec: DeploymentSpec{Replicas: Ptr(int32(5000))}}, ""},
		{"deployment over", &Deployment{TypeMeta: TypeMeta{Kind: "Deployment"}, Spec: DeploymentSpec{Replicas: Ptr(int32(5001))}}, msg},
		{"replicaset over", &ReplicaSet{TypeMeta: TypeMeta{Kind: "ReplicaSet"}, Spec: ReplicaSetSpec{Replicas: Ptr(int32(5001))}}, msg},
		{"statefulset over", &StatefulSet{TypeMeta: TypeMeta{Kind: "StatefulSet"}, Spec: StatefulSetSpec{Replicas: Ptr(int32(5001))}}, msg},
		{"unset replicas", &StatefulSet{TypeMeta: TypeMeta{Kind: "StatefulSet"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := ValidateReplicasLimit(tc.obj)
			if tc.want == "" {
				if len(errs) != 0 {
					t.Fatalf("got %v, want no error", errs[0])
				}
				return
			}
			if len(errs) != 1 || errs[0].Error() != tc.want {
				t.Fatalf("got %v, want %q", errs, tc.want)
			}
			// The limit is part of the API validation path every writer goes through.
			found := false
			for _, e := range Validate(tc.obj) {
				if strings.Contains(e.Error(), "kubesim limit") {
					found = true
				}
			}
			if !found {
				t.Fatalf("api.Validate does not report the replicas limit for %s", tc.obj.GetKind())
			}
			if err := InvalidObjectError(tc.obj.GetKind(), "web", errs); err == nil || !strings.Contains(err.Error(), `is invalid: `+msg) {
				t.Fatalf("kubectl rendering: %v", err)
			}
		})
	}
}
