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
