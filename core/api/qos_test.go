package api

import "testing"

// res builds a ResourceList from name/quantity pairs; a missing name is an absent quantity.
func res(kv ...string) ResourceList {
	if len(kv) == 0 {
		return nil
	}
	l := ResourceList{}
	for i := 0; i+1 < len(kv); i += 2 {
		l[kv[i]] = MustQuantity(kv[i+1])
	}
	return l
}

// cm is a container with cpu/memory requests and limits; "" leaves a quantity out.
func cm(reqCPU, reqMem, limCPU, limMem string) Container {
	var req, lim []string
	if reqCPU != "" {
		req = append(req, ResourceCPU, reqCPU)
	}
	if reqMem != "" {
		req = append(req, ResourceMemory, reqMem)
	}
	if limCPU != "" {
		lim = append(lim, ResourceCPU, limCPU)
	}
	if limMem != "" {
		lim = append(lim, ResourceMemory, limMem)
	}
	return Container{Name: "c", Resources: ResourceRequirements{Requests: res(req...), Limits: res(lim...)}}
}

var bestEffort = cm("", "", "", "")

// TestGetPodQOS pins pods.md §7.1. The first block is upstream's table, rewritten: v1.37.2
// pkg/apis/core/v1/helper/qos/qos_test.go TestComputePodQOS (its pod-level resources cases are
// left out: kubesim does not model spec.resources) and
// staging/src/k8s.io/kubectl/pkg/util/qos/qos_test.go TestGetPodQOS.
func TestGetPodQOS(t *testing.T) {
	tests := []struct {
		name       string
		init, ctrs []Container
		status     string
		want       string
	}{
		// pkg/apis/core/v1/helper/qos/qos_test.go TestComputePodQOS
		{name: "guaranteed", ctrs: []Container{cm("100m", "100Mi", "100m", "100Mi")}, want: PodQOSGuaranteed},
		{name: "guaranteed-guaranteed", ctrs: []Container{cm("100m", "100Mi", "100m", "100Mi"), cm("100m", "100Mi", "100m", "100Mi")}, want: PodQOSGuaranteed},
		{name: "best-effort-best-effort", ctrs: []Container{bestEffort, bestEffort}, want: PodQOSBestEffort},
		{name: "best-effort", ctrs: []Container{bestEffort}, want: PodQOSBestEffort},
		{name: "best-effort-burstable", ctrs: []Container{bestEffort, cm("1", "", "2", "")}, want: PodQOSBurstable},
		{name: "best-effort-guaranteed", ctrs: []Container{bestEffort, cm("10m", "100Mi", "10m", "100Mi")}, want: PodQOSBurstable},
		{name: "burstable-cpu-guaranteed-memory", ctrs: []Container{cm("", "100Mi", "", "100Mi")}, want: PodQOSBurstable},
		{name: "burstable-no-limits", ctrs: []Container{cm("100m", "100Mi", "", "")}, want: PodQOSBurstable},
		{name: "burstable-guaranteed", ctrs: []Container{cm("1", "100Mi", "2", "100Mi"), cm("100m", "100Mi", "100m", "100Mi")}, want: PodQOSBurstable},
		// The sum of the requests equals the sum of the limits, but one container has no limits
		// (the edge case of kubernetes/kubernetes#34503).
		{name: "burstable-unbounded-but-requests-match-limits", ctrs: []Container{cm("100m", "100Mi", "200m", "200Mi"), cm("100m", "100Mi", "", "")}, want: PodQOSBurstable},
		{name: "burstable-1", ctrs: []Container{cm("10m", "100Mi", "100m", "200Mi")}, want: PodQOSBurstable},
		// Explicit zero requests under non-zero limits stay Burstable (kubernetes/kubernetes#27900).
		{name: "burstable-2", ctrs: []Container{cm("0", "0", "100m", "200Mi")}, want: PodQOSBurstable},
		{name: "best-effort-hugepages", ctrs: []Container{{Resources: ResourceRequirements{
			Requests: res(ResourceCPU, "0", ResourceMemory, "0", "hugepages-2Mi", "1Gi"),
			Limits:   res(ResourceCPU, "0", ResourceMemory, "0", "hugepages-2Mi", "1Gi"),
		}}}, want: PodQOSBestEffort},
		{name: "init-container", init: []Container{cm("10m", "100Mi", "100m", "200Mi")}, ctrs: []Container{bestEffort}, want: PodQOSBurstable},

		// staging/src/k8s.io/kubectl/pkg/util/qos/qos_test.go TestGetPodQOS
		{name: "guaranteed pod with status", status: PodQOSGuaranteed, want: PodQOSGuaranteed},
		{name: "burstable pod with status", status: PodQOSBurstable, want: PodQOSBurstable},
		{name: "besteffort pod with status", status: PodQOSBestEffort, want: PodQOSBestEffort},
		{name: "status wins over the spec", status: PodQOSBurstable, ctrs: []Container{cm("1", "1Gi", "1", "1Gi")}, want: PodQOSBurstable},
		{name: "container with zero requests limits", ctrs: []Container{cm("0", "0", "0", "0")}, want: PodQOSBestEffort},

		// Zero quantities count as absent. kubesim's kubelet used to count a zero request as
		// set and called these Burstable, while kubectl describe said BestEffort.
		{name: "zero requests, no limits", ctrs: []Container{cm("0", "0", "", "")}, want: PodQOSBestEffort},
		{name: "zero cpu request only", ctrs: []Container{cm("0", "", "", "")}, want: PodQOSBestEffort},
		{name: "zero cpu limit, guaranteed memory", ctrs: []Container{cm("0", "1Gi", "0", "1Gi")}, want: PodQOSBurstable},
		{name: "equal quantities written differently", ctrs: []Container{cm("1", "1Gi", "1000m", "1024Mi")}, want: PodQOSGuaranteed},

		// Only cpu and memory are QoS resources.
		{name: "ephemeral-storage only", ctrs: []Container{{Resources: ResourceRequirements{
			Requests: res("ephemeral-storage", "1Gi"), Limits: res("ephemeral-storage", "2Gi"),
		}}}, want: PodQOSBestEffort},
		{name: "guaranteed with extra ephemeral-storage", ctrs: []Container{{Resources: ResourceRequirements{
			Requests: res(ResourceCPU, "1", ResourceMemory, "1Gi", "ephemeral-storage", "1Gi"),
			Limits:   res(ResourceCPU, "1", ResourceMemory, "1Gi"),
		}}}, want: PodQOSGuaranteed},

		// Init containers count like regular ones.
		{name: "guaranteed init and regular containers", init: []Container{cm("50m", "50Mi", "50m", "50Mi")}, ctrs: []Container{cm("1", "1Gi", "1", "1Gi")}, want: PodQOSGuaranteed},
		{name: "best-effort init, guaranteed container", init: []Container{bestEffort}, ctrs: []Container{cm("1", "1Gi", "1", "1Gi")}, want: PodQOSBurstable},
		// Limits without requests, before API defaulting: the function itself does not default.
		{name: "limits only, not defaulted", ctrs: []Container{cm("", "", "1", "1Gi")}, want: PodQOSBurstable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Pod{Spec: PodSpec{InitContainers: tc.init, Containers: tc.ctrs}, Status: PodStatus{QOSClass: tc.status}}
			if got := GetPodQOS(p); got != tc.want {
				t.Errorf("GetPodQOS = %s, want %s", got, tc.want)
			}
		})
	}
}

// TestGetPodQOSAfterDefaulting: requests are filled in from limits by API defaulting
// (pkg/apis/core/v1/defaults.go SetDefaults_Pod), not by GetPodQOS, and an explicit zero
// request survives defaulting (kubernetes/kubernetes#27900).
func TestGetPodQOSAfterDefaulting(t *testing.T) {
	tests := []struct {
		name string
		c    Container
		want string
	}{
		{"limits only become Guaranteed", cm("", "", "1", "1Gi"), PodQOSGuaranteed},
		{"cpu limit only stays Burstable", cm("", "", "1", ""), PodQOSBurstable},
		{"explicit zero requests are kept", cm("0", "0", "100m", "1Gi"), PodQOSBurstable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Pod{Spec: PodSpec{Containers: []Container{tc.c}}}
			DefaultPod(p)
			if got := GetPodQOS(p); got != tc.want {
				t.Errorf("GetPodQOS after DefaultPod = %s, want %s (requests %v)", got, tc.want, p.Spec.Containers[0].Resources.Requests)
			}
		})
	}
}
