package kubelet

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// In-place pod resize, the kubelet's side (KEP-1287, v1.37.2). Sources:
// pkg/kubelet/allocation/allocation_manager.go (handlePodResourcesResize, canAdmitPod, the
// pending-resize queue retried when pods are removed), the resize admission's capacity check
// (Infeasible: "Node didn't have enough capacity: ...") and the predicate admit handler
// (Deferred: "Node didn't have enough resource: ..."), pkg/kubelet/events/event.go
// (ResizeStarted/ResizeCompleted/ResizeDeferred/ResizeInfeasible and their messages) and
// kuberuntime_manager.go computePodResizeAction (a RestartContainer resource restarts the
// container; NotRequired updates it in place).
//
// Each container's runtime keeps its Allocated resources (what the kubelet admitted, set
// when the pod is admitted and when a resize is accepted) and its Actual ones (what the
// running instance was started or updated with). A resize is actuated at once in the sync
// that accepts it (UpdateContainerResources is synchronous); the PodResizeInProgress
// condition stays until the next sync, resizeSettle later (upstream the pod is resynced
// right after the runtime call and the status shows the new resources about a second later),
// or, for a restarted container, until its new instance runs.

// resizeSettle is how long PodResizeInProgress shows after an in-place update.
const resizeSettle = 1 * api.Second

// resizable reports whether container i can be resized: regular containers and sidecars
// (allocation.IsResizableContainer; InPlacePodVerticalScalingInitContainers is off).
func (s *syncer) resizable(i int) bool {
	c, init := s.spec(i)
	return !init || api.IsSidecar(c)
}

// initAllocation records the spec's resources as allocated when the pod is admitted: a
// pointer into the stored spec (shared with it, which neither side changes in place).
func (s *syncer) initAllocation() {
	for i := range s.rt.Containers {
		c, _ := s.spec(i)
		s.rt.Containers[i].Allocated = &c.Resources
	}
}

// allocatedResources is container i's allocation (the spec's before any was recorded).
func (s *syncer) allocatedResources(i int) api.ResourceRequirements {
	if a := s.rt.Containers[i].Allocated; a != nil {
		return *a
	}
	c, _ := s.spec(i)
	return c.Resources
}

// runningResources is what container i's instance runs with: its actual resources, else
// its allocation.
func (s *syncer) runningResources(i int) api.ResourceRequirements {
	if a := s.rt.Containers[i].Actual; a != nil {
		return *a
	}
	return s.allocatedResources(i)
}

// resize runs handlePodResourcesResize: when the spec asks for other resources than those
// allocated, it admits the resize if the node has room, or marks it pending.
func (s *syncer) resize() {
	if s.pod.DeletionTimestamp != nil || s.pod.IsTerminal() || s.rt.EvictMessage != "" {
		return
	}
	if s.rt.Containers[0].Allocated == nil {
		s.initAllocation() // a runtime from before allocations were kept
	}
	changed := false
	for i := range s.rt.Containers {
		c, _ := s.spec(i)
		if s.resizable(i) && !resourcesEqual(c.Resources, s.allocatedResources(i)) {
			changed = true
		}
	}
	if !changed {
		s.removeCondition(api.PodResizePending)
		return
	}
	reason, msg := s.admitResize()
	gen := s.pod.Generation
	if reason != "" {
		old := s.pod.GetCondition(api.PodResizePending)
		c := api.PodCondition{Type: api.PodResizePending, Status: api.ConditionTrue, Reason: reason, Message: msg,
			ObservedGeneration: gen, LastTransitionTime: s.now}
		if old != nil && old.Reason == c.Reason && old.Message == c.Message && old.ObservedGeneration == gen {
			return // statusManager.SetPodResizePendingCondition: no change, no event
		}
		if old != nil {
			c.LastTransitionTime = old.LastTransitionTime
		}
		s.setCondition(c)
		ev := "ResizeDeferred"
		if reason == api.PodReasonInfeasible {
			ev = "ResizeInfeasible"
		}
		s.ctx.Event(s.pod, "Warning", ev, resizeMessage(&s.pod.Spec, gen, msg, "Pod resize "+reason))
		return
	}
	// Accepted: the allocation becomes the spec's, and the runtime is updated.
	s.removeCondition(api.PodResizePending)
	for i := range s.rt.Containers {
		if s.resizable(i) {
			c, _ := s.spec(i)
			s.rt.Containers[i].Allocated = &c.Resources // shared with the stored spec, as in initAllocation
		}
	}
	s.removeCondition(api.PodResizeInProgress)
	s.setCondition(api.PodCondition{Type: api.PodResizeInProgress, Status: api.ConditionTrue, ObservedGeneration: gen})
	s.ctx.Event(s.pod, "Normal", "ResizeStarted", resizeMessage(&s.pod.Spec, gen, "", "Pod resize started"))
	s.actuate()
	s.rt.ResizeUntil = s.now.Add(resizeSettle)
}

// admitResize is the resize admission: Infeasible when the pod's new requests exceed the
// node's allocatable (memory checked first), Deferred when they exceed what the other active
// pods' allocations leave free (cpu first, as the scheduler's fit plugin reports). cpu is
// in milli-cores and memory in bytes, as upstream prints them.
func (s *syncer) admitResize() (reason, msg string) {
	alloc := s.node.Status.Allocatable
	cpuCap, memCap := alloc[api.ResourceCPU].Milli, alloc[api.ResourceMemory].Milli/1000
	cpu := api.PodRequestsMilli(&s.pod.Spec, api.ResourceCPU)
	mem := api.PodRequestsMilli(&s.pod.Spec, api.ResourceMemory) / 1000
	switch {
	case mem > memCap:
		return api.PodReasonInfeasible, fmt.Sprintf("Node didn't have enough capacity: memory, requested: %d, capacity: %d", mem, memCap)
	case cpu > cpuCap:
		return api.PodReasonInfeasible, fmt.Sprintf("Node didn't have enough capacity: cpu, requested: %d, capacity: %d", cpu, cpuCap)
	}
	usedCPU, usedMem := allocatedOnNode(s.ctx.Store(), s.pod.Spec.NodeName, s.key)
	usedMem /= 1000
	switch {
	case cpu+usedCPU > cpuCap:
		return api.PodReasonDeferred, fmt.Sprintf("Node didn't have enough resource: cpu, requested: %d, used: %d, capacity: %d", cpu, usedCPU, cpuCap)
	case mem+usedMem > memCap:
		return api.PodReasonDeferred, fmt.Sprintf("Node didn't have enough resource: memory, requested: %d, used: %d, capacity: %d", mem, usedMem, memCap)
	}
	return "", ""
}

// allocatedOnNode sums the allocated cpu (milli-cores) and memory (milli-bytes) requests of
// the pods the node's kubelet runs, other than the pod at key: every pod with a runtime that
// has not finished (the kubelet's active pods, with their allocations).
func allocatedOnNode(st *store.Store, node, key string) (cpu, mem int64) {
	for _, o := range st.ByIndex("node", "Pod", node) {
		p := o.(*api.Pod)
		if p.Key() == key || p.IsTerminal() {
			continue
		}
		ro := st.Get(RuntimeKind, p.Key())
		if ro == nil || ro.(*PodRuntime).PodUID != p.UID {
			continue
		}
		spec := allocatedSpec(p, ro.(*PodRuntime))
		cpu += api.PodRequestsMilli(spec, api.ResourceCPU)
		mem += api.PodRequestsMilli(spec, api.ResourceMemory)
	}
	return cpu, mem
}

// allocatedSpec is p's spec with each container's resources replaced by its allocation
// (UpdatePodFromAllocation).
func allocatedSpec(p *api.Pod, rt *PodRuntime) *api.PodSpec {
	spec := p.Spec
	spec.InitContainers = append([]api.Container(nil), p.Spec.InitContainers...)
	spec.Containers = append([]api.Container(nil), p.Spec.Containers...)
	n := len(spec.InitContainers)
	for i, cr := range rt.Containers {
		if cr.Allocated == nil {
			continue
		}
		switch {
		case i < n:
			spec.InitContainers[i].Resources = *cr.Allocated
		case i-n < len(spec.Containers):
			spec.Containers[i-n].Resources = *cr.Allocated
		}
	}
	return &spec
}

// AllocatedOnNode is allocatedOnNode over every pod of the node, for the invariant that a
// node's allocations never exceed its allocatable.
func AllocatedOnNode(st *store.Store, node string) (cpu, mem int64) {
	return allocatedOnNode(st, node, "")
}

// actuate applies the allocation to the running containers: a container with a changed
// resource whose resizePolicy is RestartContainer is killed and restarted at once (no
// crash back-off: the kill decided the restart), the others are updated in place.
func (s *syncer) actuate() {
	for i := range s.rt.Containers {
		cr := &s.rt.Containers[i]
		if !s.resizable(i) || cr.Phase != "Running" || cr.KillAt != nil {
			continue
		}
		c, _ := s.spec(i)
		want, have := *cr.Allocated, api.ResourceRequirements{}
		if cr.Actual != nil {
			have = *cr.Actual
		}
		restart := false
		for _, name := range []string{api.ResourceCPU, api.ResourceMemory} {
			if !quantityEqual(want.Requests, have.Requests, name) || !quantityEqual(want.Limits, have.Limits, name) {
				restart = restart || api.ResizeRestartPolicy(c, name) == api.ResizeRestartContainer
			}
		}
		if restart {
			s.event(i, "Normal", "Killing", fmt.Sprintf("Container %s resize requires restart", c.Name))
			s.kill(i, s.now, api.Seconds(api.Deref(s.pod.Spec.TerminationGracePeriodSeconds, 30)))
			cr.RestartApproved = true
			continue
		}
		cr.Actual = cr.Allocated
		// The memory limit changed under the running process: its OOM kill moves with it.
		if cr.ExitReason == "OOMKilled" && cr.ExitAt != nil {
			cr.ExitAt = nil
		}
		b := s.behavior(c)
		if lim, ok := want.Limits[api.ResourceMemory]; ok && b.Memory != nil && cr.ExitAt == nil {
			if d, ok := b.Memory.Reaches(lim.Milli); ok {
				t := max(cr.StartedAt.Add(d), s.now)
				cr.ExitAt, cr.ExitCode, cr.ExitReason = &t, 137, "OOMKilled"
			}
		}
	}
}

// resizeProgress ends PodResizeInProgress once every running resizable container runs with
// its allocation and the settle time has passed: event ResizeCompleted.
func (s *syncer) resizeProgress() {
	cond := s.pod.GetCondition(api.PodResizeInProgress)
	if cond == nil || s.now < s.rt.ResizeUntil {
		return
	}
	for i := range s.rt.Containers {
		cr := &s.rt.Containers[i]
		if s.resizable(i) && cr.Phase == "Running" && (cr.Actual == nil || !resourcesEqual(*cr.Actual, *cr.Allocated)) {
			return
		}
	}
	gen := cond.ObservedGeneration
	s.removeCondition(api.PodResizeInProgress)
	s.rt.ResizeUntil = 0
	spec := allocatedSpec(s.pod, s.rt)
	s.ctx.Event(s.pod, "Normal", "ResizeCompleted", resizeMessage(spec, gen, "", "Pod resize completed"))
}

// resizeStatus fills container i's allocatedResources (the allocated requests) and resources
// (what the running instance has; the allocation for a container that is not running).
func (s *syncer) resizeStatus(i int, cs *api.ContainerStatus) {
	cr := &s.rt.Containers[i]
	if cr.Allocated == nil || !s.resizable(i) {
		return
	}
	r := cr.Allocated
	if cr.Phase == "Running" && cr.Actual != nil {
		r = cr.Actual
	}
	// Shared, not copied: allocations are never changed in place (a resize records new ones)
	// and stored statuses are read only.
	if len(cr.Allocated.Requests) > 0 {
		cs.AllocatedResources = cr.Allocated.Requests
	}
	if len(r.Requests) > 0 || len(r.Limits) > 0 {
		cs.Resources = r
	}
}

// watchResize enqueues the pods a change concerns: a bound pod whose spec resources changed
// (a resize request), and, when a pod of a node goes away or finishes or gives back
// resources, that node's pods with a Deferred resize (the allocation manager retries its
// pending resizes on HandlePodRemoves and after other resizes).
func watchResize(ctx *sim.Context, c store.Change) {
	var node string
	switch c.Type {
	case store.Deleted:
		node = c.Old.(*api.Pod).Spec.NodeName
	case store.Modified:
		o, n := c.Old.(*api.Pod), c.New.(*api.Pod)
		if n.Spec.NodeName != "" && o.Generation != n.Generation && (!specResourcesEqual(&o.Spec, &n.Spec) || imagesChanged(&o.Spec, &n.Spec)) {
			ctx.Enqueue(c.Key)
		}
		if (!o.IsTerminal() && n.IsTerminal()) || allocatedDown(o, n) {
			node = n.Spec.NodeName
		}
	}
	if node == "" {
		return
	}
	for _, o := range ctx.Store().ByIndex("node", "Pod", node) {
		if cond := o.(*api.Pod).GetCondition(api.PodResizePending); cond != nil && cond.Reason == api.PodReasonDeferred {
			ctx.Enqueue(o.Meta().Key())
		}
	}
}

// allocatedDown reports whether n's status shows smaller allocated requests than o's.
func allocatedDown(o, n *api.Pod) bool {
	sum := func(p *api.Pod) (cpu, mem int64) {
		for i := range p.Status.ContainerStatuses { // by index: Watch sees every pod write
			cs := &p.Status.ContainerStatuses[i]
			cpu += cs.AllocatedResources[api.ResourceCPU].Milli
			mem += cs.AllocatedResources[api.ResourceMemory].Milli
		}
		return
	}
	oc, om := sum(o)
	nc, nm := sum(n)
	return nc < oc || nm < om
}

func specResourcesEqual(a, b *api.PodSpec) bool {
	if len(a.Containers) != len(b.Containers) || len(a.InitContainers) != len(b.InitContainers) {
		return false
	}
	for i := range a.Containers {
		if !resourcesEqual(a.Containers[i].Resources, b.Containers[i].Resources) {
			return false
		}
	}
	for i := range a.InitContainers {
		if !resourcesEqual(a.InitContainers[i].Resources, b.InitContainers[i].Resources) {
			return false
		}
	}
	return true
}

// resourcesEqual compares two requirements by value (apiequality.Semantic.DeepEqual).
func resourcesEqual(a, b api.ResourceRequirements) bool {
	return listEqual(a.Requests, b.Requests) && listEqual(a.Limits, b.Limits)
}

func listEqual(a, b api.ResourceList) bool {
	if len(a) != len(b) {
		return false
	}
	if sameMap(a, b) {
		return true // an allocation shares the spec's lists until a resize
	}
	for k := range a {
		if !quantityEqual(a, b, k) {
			return false
		}
	}
	return true
}

func sameMap(a, b api.ResourceList) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

func quantityEqual(a, b api.ResourceList, name string) bool {
	x, okA := a[name]
	y, okB := b[name]
	return okA == okB && x.Milli == y.Milli
}

// removeCondition drops condition t; the list is rebuilt, so it is the sync's own.
func (s *syncer) removeCondition(t string) {
	p := s.pod
	if p.GetCondition(t) == nil {
		return // the usual case, on every sync: nothing to copy
	}
	cs := p.Status.Conditions[:0:0]
	for _, c := range p.Status.Conditions {
		if c.Type != t {
			cs = append(cs, c)
		}
	}
	if len(cs) != len(p.Status.Conditions) {
		p.Status.Conditions, s.condsShared = cs, false
	}
}

// resizeMessage is events.podResizeMessage: prefix, then the spec's container resources,
// the generation and the error as JSON.
func resizeMessage(spec *api.PodSpec, gen int64, errMsg, prefix string) string {
	type resources struct { // v1.ResourceRequirements field order
		Limits   api.ResourceList `json:"limits,omitempty"`
		Requests api.ResourceList `json:"requests,omitempty"`
	}
	type alloc struct {
		Name      string    `json:"name"`
		Resources resources `json:"resources"`
	}
	var sum struct {
		InitContainers []alloc `json:"initContainers,omitempty"`
		Containers     []alloc `json:"containers,omitempty"`
		Generation     int64   `json:"generation"`
		Error          string  `json:"error,omitempty"`
	}
	for _, c := range spec.InitContainers {
		sum.InitContainers = append(sum.InitContainers, alloc{c.Name, resources{c.Resources.Limits, c.Resources.Requests}})
	}
	for _, c := range spec.Containers {
		sum.Containers = append(sum.Containers, alloc{c.Name, resources{c.Resources.Limits, c.Resources.Requests}})
	}
	sum.Generation, sum.Error = gen, errMsg
	b, err := json.Marshal(sum)
	if err != nil {
		return prefix
	}
	return prefix + ": " + string(b)
}
