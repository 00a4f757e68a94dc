package api

import "testing"

// TestPodFootprint: during an in-place resize the scheduler counts each container at the
// largest of its desired (spec), allocated and actual requests, leaving the desired one out
// when the resize is Infeasible (component-helpers resource.PodRequests with
// UseStatusResources); the kubelet's allocation alone is what AllocatedRequestsMilli sums.
func TestPodFootprint(t *testing.T) {
	rl := func(cpu string) ResourceList { return ResourceList{ResourceCPU: MustQuantity(cpu)} }
	pod := func(spec, allocated, actual string, cond string) *Pod {
		p := &Pod{Spec: PodSpec{Containers: []Container{{Name: "app", Resources: ResourceRequirements{Requests: rl(spec)}}}}}
		if allocated != "" {
			p.Status.ContainerStatuses = []ContainerStatus{{Name: "app", AllocatedResources: rl(allocated),
				Resources: &ResourceRequirements{Requests: rl(actual)}}}
		}
		if cond != "" {
			p.Status.Conditions = []PodCondition{{Type: PodResizePending, Status: ConditionTrue, Reason: cond}}
		}
		return p
	}
	tests := []struct {
		name                 string
		p                    *Pod
		footprint, allocated int64
	}{
		{"no status yet", pod("500m", "", "", ""), 500, 500},
		{"up, Deferred", pod("800m", "500m", "500m", PodReasonDeferred), 800, 500},
		{"down, allocated but not actuated", pod("200m", "200m", "500m", ""), 500, 200},
		{"up, Infeasible", pod("8", "500m", "500m", PodReasonInfeasible), 500, 500},
	}
	for _, tt := range tests {
		if got := PodFootprintMilli(tt.p, ResourceCPU); got != tt.footprint {
			t.Errorf("%s: footprint %dm, want %dm", tt.name, got, tt.footprint)
		}
		if got := AllocatedRequestsMilli(tt.p, ResourceCPU); got != tt.allocated {
			t.Errorf("%s: allocated %dm, want %dm", tt.name, got, tt.allocated)
		}
	}
}
