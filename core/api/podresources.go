package api

// PodRequestsMilli returns the pod's effective request of resource name in milli-units, the
// rule the scheduler and the kubelet's admission use (component-helpers resource.PodRequests,
// pods.md §10.4): max(sum over regular containers and sidecars, for each regular init
// container its own request plus the sidecars declared before it).
//
// Example: sidecar proxy 100m, init migrate 500m, app 200m -> max(100+200, 100+500) = 600m.
func PodRequestsMilli(s *PodSpec, name string) int64 {
	return requestsMilliWith(s, nil, func(c *Container, _ *ContainerStatus) int64 {
		return c.Resources.Requests[name].Milli
	})
}

// requestsMilliWith is PodRequestsMilli's rule with each regular container's and sidecar's
// request chosen by pick from the container and its status in st (nil: none); a regular
// init container counts at its spec request. Computed in place: the scheduler sums it
// for every pod of a node after each bind there, and building a copy of the spec with
// chosen requests (maps and all) for it was a tenth of a 1,000-replica CLI run.
func requestsMilliWith(s *PodSpec, st *PodStatus, pick func(c *Container, cs *ContainerStatus) int64) int64 {
	status := func(init bool, name string) *ContainerStatus {
		if st == nil {
			return nil
		}
		list := st.ContainerStatuses
		if init {
			list = st.InitContainerStatuses
		}
		for i := range list {
			if list[i].Name == name {
				return &list[i]
			}
		}
		return nil
	}
	var regular int64
	for i := range s.Containers {
		c := &s.Containers[i]
		regular += pick(c, status(false, c.Name))
	}
	var sidecars, initMax int64
	for i := range s.InitContainers {
		c := &s.InitContainers[i]
		if IsSidecar(c) {
			sidecars += pick(c, status(true, c.Name))
			// a sidecar's own start also needs the sidecars before it
			initMax = max(initMax, sidecars)
			continue
		}
		initMax = max(initMax, sidecars+pick(c, nil))
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

// AllocatedRequestsMilli is the pod's effective request of name as the kubelet allocated it:
// each container's status.allocatedResources where the kubelet reported one, its spec
// otherwise (in-place resize: the spec is only the desired value).
func AllocatedRequestsMilli(p *Pod, name string) int64 {
	return requestsMilliWith(&p.Spec, &p.Status, func(c *Container, cs *ContainerStatus) int64 {
		if cs != nil && cs.AllocatedResources != nil {
			return cs.AllocatedResources[name].Milli
		}
		return c.Resources.Requests[name].Milli
	})
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
	return requestsMilliWith(&p.Spec, &p.Status, func(c *Container, cs *ContainerStatus) int64 {
		if cs == nil {
			return c.Resources.Requests[name].Milli
		}
		var out int64 // the largest of those that name it; 0 when none does
		take := func(l ResourceList) {
			if q, ok := l[name]; ok {
				out = max(out, q.Milli)
			}
		}
		if !infeasible || (cs.AllocatedResources == nil && cs.Resources == nil) {
			take(c.Resources.Requests)
		}
		take(cs.AllocatedResources)
		if cs.Resources != nil {
			take(cs.Resources.Requests)
		}
		return out
	})
}
