package api

import "fmt"

// In-place pod resize (KEP-1287, GA since v1.35): the API server's checks of a write to the
// pods/resize subresource and of spec.containers[*].resizePolicy. Sources (v1.37.2):
// pkg/apis/core/validation/validation.go ValidatePodResize, validateContainerResize,
// validatePodResizeContainerOrdering and validateResizePolicy; pkg/registry/core/pod/
// strategy.go podResizeStrategy (the status is kept, only the spec may change).

const (
	resizeQOSMsg       = "Pod QOS Class may not change as a result of resizing"
	resizeOnlyCPUMem   = "only cpu and memory resources are mutable"
	resizeAddRemoveMsg = "containers may not be added or removed on resize"
	resizeReorderMsg   = "containers may not be renamed or reordered on resize"
	resizeInitMsg      = "resources for non-sidecar init containers are immutable"
)

// validateResizePolicy checks one container's resizePolicy at path: cpu or memory, each at
// most once, NotRequired or RestartContainer, and NotRequired only when the pod's
// restartPolicy is Never (a restarted container would never come back).
func validateResizePolicy(path string, c *Container, podRestart string) ErrorList {
	var errs ErrorList
	seen := map[string]bool{}
	for i, p := range c.ResizePolicy {
		pp := fmt.Sprintf("%s.resizePolicy[%d]", path, i)
		switch p.ResourceName {
		case ResourceCPU, ResourceMemory:
			if seen[p.ResourceName] {
				errs = append(errs, &FieldError{Path: pp + ".resourceName", Type: ErrTypeDuplicate, Value: p.ResourceName, HasValue: true})
			}
			seen[p.ResourceName] = true
		case "":
			errs = append(errs, Required(pp+".resourceName", ""))
		default:
			errs = append(errs, NotSupported(pp+".resourceName", p.ResourceName, ResourceCPU, ResourceMemory))
		}
		switch p.RestartPolicy {
		case ResizeNotRequired, ResizeRestartContainer:
			if podRestart == RestartNever && p.RestartPolicy != ResizeNotRequired {
				errs = append(errs, Invalid(pp+".restartPolicy", p.RestartPolicy, "must be 'NotRequired' when `restartPolicy` is 'Never'"))
			}
		case "":
			errs = append(errs, Required(pp+".restartPolicy", ""))
		default:
			errs = append(errs, NotSupported(pp+".restartPolicy", p.RestartPolicy, ResizeNotRequired, ResizeRestartContainer))
		}
	}
	return errs
}

// ResizeRestartPolicy is container c's policy for resource name (NotRequired when unset).
func ResizeRestartPolicy(c *Container, name string) string {
	for _, p := range c.ResizePolicy {
		if p.ResourceName == name {
			return p.RestartPolicy
		}
	}
	return ResizeNotRequired
}

// ValidatePodResize checks newPod, a defaulted replacement of the stored oldPod written
// through pods/resize: newPod must pass create validation, keep its QoS class and its
// containers (same names, same order), keep every request and limit it had, and change
// nothing but the cpu and memory requests and limits (and resizePolicy) of its regular
// containers and sidecars. Memory limits may go down: since v1.34 the kubelet, not the API
// server, guards a decrease (best effort).
func ValidatePodResize(newPod, oldPod *Pod) ErrorList {
	errs := ValidatePod(newPod)
	if newPod.Name != oldPod.Name {
		errs = append(errs, Invalid("metadata.name", newPod.Name, immutableMsg))
	}
	if q := computePodQOS(&newPod.Spec); q != GetPodQOS(oldPod) {
		errs = append(errs, Invalid("spec", q, resizeQOSMsg))
	}
	order := resizeOrdering("spec.containers", newPod.Spec.Containers, oldPod.Spec.Containers)
	order = append(order, resizeOrdering("spec.initContainers", newPod.Spec.InitContainers, oldPod.Spec.InitContainers)...)
	if len(order) > 0 {
		return append(errs, order...)
	}
	for i := range oldPod.Spec.InitContainers {
		path := fmt.Sprintf("spec.initContainers[%d].resources", i)
		n, o := &newPod.Spec.InitContainers[i], &oldPod.Spec.InitContainers[i]
		if !IsSidecar(o) {
			if !semanticEqual(n.Resources, o.Resources) {
				errs = append(errs, Forbidden(path, resizeInitMsg))
			}
			continue
		}
		errs = append(errs, validateContainerResize(path, &n.Resources, &o.Resources)...)
	}
	for i := range oldPod.Spec.Containers {
		errs = append(errs, validateContainerResize(fmt.Sprintf("spec.containers[%d].resources", i),
			&newPod.Spec.Containers[i].Resources, &oldPod.Spec.Containers[i].Resources)...)
	}
	// Everything but the cpu and memory quantities and resizePolicy must be as it was.
	munged := newPod.Spec
	munged.Containers = withCPUMemOf(newPod.Spec.Containers, oldPod.Spec.Containers)
	munged.InitContainers = withCPUMemOf(newPod.Spec.InitContainers, oldPod.Spec.InitContainers)
	if !semanticEqual(&munged, &oldPod.Spec) {
		errs = append(errs, Forbidden("spec", resizeOnlyCPUMem))
	}
	return errs
}

func resizeOrdering(path string, n, o []Container) ErrorList {
	if len(n) != len(o) {
		return ErrorList{Forbidden(path, resizeAddRemoveMsg)}
	}
	var errs ErrorList
	for i := range o {
		if n[i].Name != o[i].Name {
			errs = append(errs, Forbidden(fmt.Sprintf("%s[%d].name", path, i), resizeReorderMsg))
		}
	}
	return errs
}

// validateContainerResize: a request or limit the container had may not be removed.
func validateContainerResize(path string, n, o *ResourceRequirements) ErrorList {
	var errs ErrorList
	for _, k := range SortedKeys(o.Requests) {
		if _, ok := n.Requests[k]; !ok {
			errs = append(errs, Forbidden(path+".requests["+k+"]", "resource requests cannot be removed"))
		}
	}
	for _, k := range SortedKeys(o.Limits) {
		if _, ok := n.Limits[k]; !ok {
			errs = append(errs, Forbidden(path+".limits["+k+"]", "resource limits cannot be removed"))
		}
	}
	return errs
}

// withCPUMemOf returns cs with each container's cpu and memory quantities and resizePolicy
// taken from old: what is left must equal the old spec.
func withCPUMemOf(cs, old []Container) []Container {
	out := make([]Container, len(cs))
	for i := range cs {
		out[i] = cs[i]
		out[i].Resources = ResourceRequirements{
			Requests: cpuMemOf(cs[i].Resources.Requests, old[i].Resources.Requests),
			Limits:   cpuMemOf(cs[i].Resources.Limits, old[i].Resources.Limits),
		}
		out[i].ResizePolicy = old[i].ResizePolicy
	}
	return out
}

// cpuMemOf is n with its cpu and memory replaced by old's (dropped when old has none).
func cpuMemOf(n, old ResourceList) ResourceList {
	out := ResourceList{}
	for k, v := range n {
		if k != ResourceCPU && k != ResourceMemory {
			out[k] = v
		}
	}
	for _, k := range []string{ResourceCPU, ResourceMemory} {
		if v, ok := old[k]; ok {
			out[k] = v
		}
	}
	return out
}
