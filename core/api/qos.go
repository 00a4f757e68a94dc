package api

// Pod QoS classes (core/v1 PodQOSClass).
const (
	PodQOSGuaranteed = "Guaranteed"
	PodQOSBurstable  = "Burstable"
	PodQOSBestEffort = "BestEffort"
)

// GetPodQOS returns the pod's QoS class: status.qosClass when it is set (the API server fills
// it in at creation and it never changes), otherwise the class its containers' cpu and memory
// requests and limits give. This is the only place kubesim computes QoS; the kubelet, the API
// server's create path and kubectl describe all call it.
//
// Upstream v1.37.2 pkg/apis/core/v1/helper/qos/qos.go GetPodQOS and ComputePodQOS (and the
// kubectl copy, staging/src/k8s.io/kubectl/pkg/util/qos/qos.go); pods.md §7.1. kubesim does not
// model pod-level spec.resources (PodLevelResources), so only containers decide.
func GetPodQOS(p *Pod) string {
	if p.Status.QOSClass != "" {
		return p.Status.QOSClass
	}
	return computePodQOS(&p.Spec)
}

// computePodQOS combines the class of every init and regular container: any Burstable
// container, or a mix of BestEffort and Guaranteed ones, makes the pod Burstable. Ephemeral
// containers (not modelled) cannot set resources and never count.
func computePodQOS(s *PodSpec) string {
	pod := ""
	for _, cs := range [][]Container{s.InitContainers, s.Containers} {
		for i := range cs {
			c := requirementsQOS(&cs[i].Resources)
			switch {
			case c == PodQOSBurstable:
				return c
			case pod == "":
				pod = c
			case pod != c:
				return PodQOSBurstable
			}
		}
	}
	if pod == "" {
		return PodQOSBestEffort
	}
	return pod
}

// requirementsQOS is one container's class. Only cpu and memory count (hugepages,
// ephemeral-storage and extended resources do not), and a missing quantity counts as zero, so
// an explicit request of 0 is the same as none. Per resource: request == limit == 0 is
// BestEffort, request == limit > 0 is Guaranteed, anything else Burstable; cpu and memory must
// agree. Requests are not filled in from limits here: API defaulting (DefaultPodSpec) already
// did that when the pod was created.
func requirementsQOS(r *ResourceRequirements) string {
	class := ""
	for _, name := range []string{ResourceCPU, ResourceMemory} {
		req, lim := r.Requests[name], r.Limits[name]
		c := PodQOSGuaranteed
		switch {
		case req.Milli != lim.Milli:
			return PodQOSBurstable
		case req.IsZero():
			c = PodQOSBestEffort
		}
		if class != "" && class != c {
			return PodQOSBurstable
		}
		class = c
	}
	return class
}
