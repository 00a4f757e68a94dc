package api

// PodRequestsMilli returns the pod's effective request of resource name in milli-units, the
// rule the scheduler and the kubelet's admission use (component-helpers resource.PodRequests,
// pods.md §10.4): max(sum over regular containers and sidecars, for each regular init
// container its own request plus the sidecars declared before it).
//
// Example: sidecar proxy 100m, init migrate 500m, app 200m -> max(100+200, 100+500) = 600m.
func PodRequestsMilli(s *PodSpec, name string) int64 {
	var regular int64
	for i := range s.Containers {
		regular += s.Containers[i].Resources.Requests[name].Milli
	}
	var sidecars, initMax int64
	for i := range s.InitContainers {
		c := &s.InitContainers[i]
		r := c.Resources.Requests[name].Milli
		if IsSidecar(c) {
			sidecars += r
			// a sidecar's own start also needs the sidecars before it
			initMax = max(initMax, sidecars)
			continue
		}
		initMax = max(initMax, sidecars+r)
	}
	return max(regular+sidecars, initMax)
}

// NonZeroRequestsMilli returns the cpu (milli-cores) and memory (milli-bytes) requests the
// scheduler's scoring uses: a container that requests no cpu counts as 100m and one that
// requests no memory as 200Mi (pkg/scheduler/util DefaultMilliCPURequest,
// DefaultMemoryRequest). Init containers are ignored, as in upstream scoring.
func NonZeroRequestsMilli(s *PodSpec) (cpu, mem int64) {
	add := func(c *Container) {
		if q, ok := c.Resources.Requests[ResourceCPU]; ok {
			cpu += q.Milli
		} else {
			cpu += 100
		}
		if q, ok := c.Resources.Requests[ResourceMemory]; ok {
			mem += q.Milli
		} else {
			mem += 200 * 1024 * 1024 * 1000
		}
	}
	for i := range s.Containers {
		add(&s.Containers[i])
	}
	for i := range s.InitContainers {
		if IsSidecar(&s.InitContainers[i]) {
			add(&s.InitContainers[i])
		}
	}
	return cpu, mem
}

// podSpecWith returns s with each container's requests of resource name replaced by pick's
// choice for it (a copy; s is not changed).
func podSpecWith(p *Pod, pick func(c *Container, cs *ContainerStatus) ResourceList) *PodSpec {
	spec := p.Spec
	find := func(list []ContainerStatus, name string) *ContainerStatus {
		for i := range list {
			if list[i].Name == name {
				return &list[i]
			}
		}
		return nil
	}
	spec.InitContainers = append([]Container(nil), p.Spec.InitContainers...)
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		if IsSidecar(c) {
			c.Resources.Requests = pick(c, find(p.Status.InitContainerStatuses, c.Name))
		}
	}
	spec.Containers = append([]Container(nil), p.Spec.Containers...)
	for i := range spec.Containers {
		c := &spec.Containers[i]
		c.Resources.Requests = pick(c, find(p.Status.ContainerStatuses, c.Name))
	}
	return &spec
}

// AllocatedRequestsMilli is the pod's effective request of name as the kubelet allocated it:
// each container's status.allocatedResources where the kubelet reported one, its spec
// otherwise (in-place resize: the spec is only the desired value).
func AllocatedRequestsMilli(p *Pod, name string) int64 {
	return PodRequestsMilli(podSpecWith(p, func(c *Container, cs *ContainerStatus) ResourceList {
		if cs != nil && cs.AllocatedResources != nil {
			return cs.AllocatedResources
		}
		return c.Resources.Requests
	}), name)
}

// PodFootprintMilli is the request of name the scheduler counts for a pod already on a node:
// per container the largest of the desired (spec), allocated and actual requests, so a
// resize in flight is counted at its larger size; for an Infeasible resize the desired
// value is left out, the kubelet will never allocate it (component-helpers resource
// PodRequests with UseStatusResources, determineContainerReqs, v1.37.2).
func PodFootprintMilli(p *Pod, name string) int64 {
	infeasible := false
	if c := p.GetCondition(PodResizePending); c != nil && c.Reason == PodReasonInfeasible {
		infeasible = true
	}
	return PodRequestsMilli(podSpecWith(p, func(c *Container, cs *ContainerStatus) ResourceList {
		if cs == nil {
			return c.Resources.Requests
		}
		out := ResourceList{}
		merge := func(l ResourceList) {
			for k, q := range l {
				if old, ok := out[k]; !ok || q.Milli > old.Milli {
					out[k] = q
				}
			}
		}
		if !infeasible || (cs.AllocatedResources == nil && cs.Resources == nil) {
			merge(c.Resources.Requests)
		}
		merge(cs.AllocatedResources)
		if cs.Resources != nil {
			merge(cs.Resources.Requests)
		}
		return out
	}), name)
}
