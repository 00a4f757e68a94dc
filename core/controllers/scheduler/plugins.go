package scheduler

import (
	"strconv"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// Filter reasons (pods.md §10.2; v1.37.2 plugin texts).
const (
	ReasonUnschedulable = "node(s) were unschedulable"
	ReasonTaint         = "node(s) had untolerated taint(s)"
	ReasonAffinity      = "node(s) didn't match Pod's node affinity/selector"
	ReasonPorts         = "node(s) didn't have free ports for the requested pod ports"
	ReasonTooManyPods   = "Too many pods"
)

// Filter runs the default filters in profile order (NodeUnschedulable, TaintToleration,
// NodeAffinity, NodePorts, NodeResourcesFit) and returns the reasons of the first plugin that
// rejects the node, as the framework stops at the first failing filter. resolvable is false
// when that plugin's status is UnschedulableAndUnresolvable (preemption cannot help).
func Filter(p *api.Pod, n *api.Node, pods []*api.Pod) (reasons []string, resolvable bool) {
	return filter(p, newPodRequest(p), n, allocOf(n), func() []*api.Pod { return pods }, usageOf(pods))
}

// podRequest is what NodeResourcesFit needs of the incoming pod, computed once per attempt.
type podRequest struct {
	names        []string // cpu, memory, then other requested resources in first-seen order
	req          []int64  // PodRequestsMilli per name
	nzCPU, nzMem int64
	// the slices' memory for cpu and memory alone, one allocation with the request
	names2 [2]string
	req2   [2]int64
	// ports is hostPorts(p): NodePorts compared it on every node, rebuilding it each time.
	ports map[string]bool
}

func newPodRequest(p *api.Pod) *podRequest {
	pr := &podRequest{names2: [2]string{api.ResourceCPU, api.ResourceMemory}}
	pr.names = pr.names2[:]
	for _, cs := range [][]api.Container{p.Spec.InitContainers, p.Spec.Containers} {
		for _, c := range cs {
			if hasOnlyCPUMem(c.Resources.Requests) {
				continue
			}
			for _, k := range api.SortedKeys(c.Resources.Requests) {
				if k != api.ResourceCPU && k != api.ResourceMemory && !contains(pr.names, k) {
					pr.names = append(pr.names, k)
				}
			}
		}
	}
	pr.req = pr.req2[:]
	if len(pr.names) > len(pr.req2) {
		pr.req = make([]int64, len(pr.names))
	}
	for i, name := range pr.names {
		pr.req[i] = api.PodRequestsMilli(&p.Spec, name)
	}
	pr.nzCPU, pr.nzMem = api.NonZeroRequestsMilli(&p.Spec)
	pr.ports = hostPorts(p)
	return pr
}

func hasOnlyCPUMem(r api.ResourceList) bool {
	for k := range r {
		if k != api.ResourceCPU && k != api.ResourceMemory {
			return false
		}
	}
	return true
}

// nodeUsage sums the requests of a node's non-terminal pods in one pass.
type nodeUsage struct {
	active                 int
	cpu, mem, nzCPU, nzMem int64
}

func usageOf(pods []*api.Pod) nodeUsage {
	var u nodeUsage
	for _, o := range pods {
		u.add(o)
	}
	return u
}

// add counts o unless it is terminal.
func (u *nodeUsage) add(o *api.Pod) {
	if o.IsTerminal() {
		return
	}
	u.active++
	// a pod being resized in place counts at its larger size (api.PodFootprintMilli)
	u.cpu += api.PodFootprintMilli(o, api.ResourceCPU)
	u.mem += api.PodFootprintMilli(o, api.ResourceMemory)
	c, m := api.NonZeroRequestsMilli(&o.Spec)
	u.nzCPU, u.nzMem = u.nzCPU+c, u.nzMem+m
}

func (u nodeUsage) plus(v nodeUsage) nodeUsage {
	return nodeUsage{active: u.active + v.active, cpu: u.cpu + v.cpu, mem: u.mem + v.mem,
		nzCPU: u.nzCPU + v.nzCPU, nzMem: u.nzMem + v.nzMem}
}

// nodeUsageOf is usageOf(the pods bound to node), memoized in the store on the cached
// ByIndex("node") result (nodeInfoOf): it is recomputed after any write that touches a pod of
// the node (bind, status change, deletion), so it always equals a fresh sum, while an attempt
// that follows a write to one node re-sums only that node's pods instead of every pod in the
// cluster. Nothing is kept in the controller: the memo is derived data of the store, dropped
// on Restore like the index itself.
func nodeUsageOf(st *store.Store, node string) nodeUsage {
	return nodeInfoOf(st, node).usage
}

// nodeAlloc is what NodeResourcesFit reads of a node's allocatable on every attempt.
type nodeAlloc struct {
	cpu, mem int64 // millis
	pods     int64 // Value(), when hasPods
	hasPods  bool
}

func allocOf(n *api.Node) nodeAlloc {
	a := nodeAlloc{cpu: n.Status.Allocatable[api.ResourceCPU].Milli, mem: n.Status.Allocatable[api.ResourceMemory].Milli}
	if q, ok := n.Status.Allocatable[api.ResourcePods]; ok {
		a.pods, a.hasPods = q.Value(), true
	}
	return a
}

// filter runs the filters; pods returns the node's pods, called only when a filter needs them.
func filter(p *api.Pod, pr *podRequest, n *api.Node, a nodeAlloc, pods func() []*api.Pod, u nodeUsage) (reasons []string, resolvable bool) {
	// NodeUnschedulable: a cordoned node, unless the pod tolerates the unschedulable taint.
	if n.Spec.Unschedulable && !tolerates(p, &api.Taint{Key: api.TaintNodeUnschedulable, Effect: api.TaintNoSchedule}) {
		return []string{ReasonUnschedulable}, false
	}
	// TaintToleration: every NoSchedule and NoExecute taint must be tolerated.
	for i := range n.Spec.Taints {
		t := &n.Spec.Taints[i]
		if (t.Effect == api.TaintNoSchedule || t.Effect == api.TaintNoExecute) && !tolerates(p, t) {
			return []string{ReasonTaint}, false
		}
	}
	if !MatchesNodeSelector(p, n) {
		return []string{ReasonAffinity}, false
	}
	if portConflict(pr.ports, pods) {
		return []string{ReasonPorts}, true
	}
	return fitReasons(pr, n, a, pods, u), true
}

func tolerates(p *api.Pod, t *api.Taint) bool {
	for i := range p.Spec.Tolerations {
		if p.Spec.Tolerations[i].ToleratesTaint(t) {
			return true
		}
	}
	return false
}

// MatchesNodeSelector is the NodeAffinity filter: spec.nodeSelector (every label equal) and
// the required node affinity (terms ORed, expressions ANDed).
func MatchesNodeSelector(p *api.Pod, n *api.Node) bool {
	if len(p.Spec.NodeSelector) > 0 { // ranging over an empty map still costs an iterator, per node per attempt
		for k, v := range p.Spec.NodeSelector {
			if lv, ok := n.Labels[k]; !ok || lv != v {
				return false
			}
		}
	}
	a := p.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return true
	}
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		if termMatches(&term, n) {
			return true
		}
	}
	return false
}

// termMatches evaluates one node selector term; an empty term matches nothing
// (k8s.io/component-helpers nodeaffinity).
func termMatches(t *api.NodeSelectorTerm, n *api.Node) bool {
	if len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0 {
		return false
	}
	for _, r := range t.MatchExpressions {
		if !requirementMatches(r, n.Labels) {
			return false
		}
	}
	for _, r := range t.MatchFields {
		if r.Key != "metadata.name" || !requirementMatches(api.NodeSelectorRequirement{Key: "f", Operator: r.Operator, Values: r.Values}, map[string]string{"f": n.Name}) {
			return false
		}
	}
	return true
}

func requirementMatches(r api.NodeSelectorRequirement, labels map[string]string) bool {
	v, ok := labels[r.Key]
	switch r.Operator {
	case "In":
		return ok && contains(r.Values, v)
	case "NotIn":
		return !ok || !contains(r.Values, v)
	case "Exists":
		return ok
	case "DoesNotExist":
		return !ok
	case "Gt", "Lt":
		if !ok || len(r.Values) != 1 {
			return false
		}
		lv, err1 := strconv.ParseInt(v, 10, 64)
		rv, err2 := strconv.ParseInt(r.Values[0], 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if r.Operator == "Gt" {
			return lv > rv
		}
		return lv < rv
	}
	return false
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// portConflict reports whether a pod of the node uses one of the host ports want.
func portConflict(want map[string]bool, pods func() []*api.Pod) bool {
	if len(want) == 0 {
		return false
	}
	for _, o := range pods() {
		if o.IsTerminal() {
			continue
		}
		for k := range hostPorts(o) {
			if want[k] {
				return true
			}
		}
	}
	return false
}

func hostPorts(p *api.Pod) map[string]bool {
	var m map[string]bool
	for _, cs := range [][]api.Container{p.Spec.InitContainers, p.Spec.Containers} {
		for i := range cs {
			for _, port := range cs[i].Ports {
				if port.HostPort > 0 {
					if m == nil {
						m = map[string]bool{}
					}
					m[port.Protocol+"/"+strconv.Itoa(int(port.HostPort))] = true
				}
			}
		}
	}
	return m
}

// fitReasons is NodeResourcesFit's Filter: "Too many pods" when the node's pod count is at its
// allocatable pods, then "Insufficient <resource>" for cpu, memory and every other requested
// resource whose requests on the node plus the pod's exceed allocatable. Pods that are
// terminal do not count; terminating ones still do.
func fitReasons(pr *podRequest, n *api.Node, a nodeAlloc, pods func() []*api.Pod, u nodeUsage) []string {
	var reasons []string
	if a.hasPods && int64(u.active)+1 > a.pods {
		reasons = append(reasons, ReasonTooManyPods)
	}
	for i, name := range pr.names {
		req := pr.req[i]
		if req == 0 {
			continue
		}
		var used, alloc int64
		switch i { // names starts with cpu and memory (newPodRequest): no string compared
		case 0:
			used, alloc = u.cpu, a.cpu
		case 1:
			used, alloc = u.mem, a.mem
		default:
			for _, o := range pods() {
				if !o.IsTerminal() && hasRequest(o, name) {
					used += api.PodRequestsMilli(&o.Spec, name)
				}
			}
			alloc = n.Status.Allocatable[name].Milli
		}
		if used+req > alloc {
			reasons = append(reasons, "Insufficient "+name)
		}
	}
	return reasons
}

// resourceScores returns the NodeResourcesFit (LeastAllocated) and
// NodeResourcesBalancedAllocation scores, 0-100 each, with the pod placed on the node.
//
// LeastAllocated: per resource (allocatable - requested) * 100 / allocatable, averaged over cpu
// and memory (weights 1, 1), using non-zero requests (100m / 200Mi for containers that request
// nothing). Example: 4 cores allocatable, 1 core requested with the pod -> cpu 75.
//
// BalancedAllocation (1.36+, PR #135573): B = (1 - |f_cpu - f_mem| / 2) * 100 with f the
// requested fractions (capped at 1); score = 50 + (50 + B_with - B_without) / 2, so 75 means the
// pod leaves the balance unchanged.
func resourceScores(pr *podRequest, a nodeAlloc, u nodeUsage) (fit, bal int64) {
	cpu, mem := u.nzCPU, u.nzMem
	pc, pm := pr.nzCPU, pr.nzMem
	acpu, amem := a.cpu, a.mem
	least := func(req, alloc int64) int64 {
		if alloc == 0 || req > alloc {
			return 0
		}
		return (alloc - req) * 100 / alloc
	}
	fit = (least(cpu+pc, acpu) + least(mem+pm, amem)) / 2
	// Balance in integer thousandths to stay deterministic across platforms.
	frac := func(req, alloc int64) int64 {
		if alloc == 0 {
			return 1000
		}
		return min(req*1000/alloc, 1000)
	}
	balance := func(c, m int64) int64 {
		d := frac(c, acpu) - frac(m, amem)
		if d < 0 {
			d = -d
		}
		return 100_000 - d*100/2 // B * 1000
	}
	with, without := balance(cpu+pc, mem+pm), balance(cpu, mem)
	bal = (50_000 + (50_000+with-without)/2) / 1000
	return fit, bal
}

// preferNoScheduleCount counts the node's PreferNoSchedule taints the pod does not tolerate.
func preferNoScheduleCount(p *api.Pod, n *api.Node) int64 {
	var c int64
	for i := range n.Spec.Taints {
		t := &n.Spec.Taints[i]
		if t.Effect == api.TaintPreferNoSchedule && !tolerates(p, t) {
			c++
		}
	}
	return c
}

// preferredAffinity sums the weights of the preferred node affinity terms the node matches.
func preferredAffinity(p *api.Pod, n *api.Node) int64 {
	a := p.Spec.Affinity
	if a == nil || a.NodeAffinity == nil {
		return 0
	}
	var s int64
	for _, t := range a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
		if termMatches(&t.Preference, n) {
			s += int64(t.Weight)
		}
	}
	return s
}

func hasRequest(p *api.Pod, name string) bool {
	for _, cs := range [][]api.Container{p.Spec.InitContainers, p.Spec.Containers} {
		for i := range cs {
			if _, ok := cs[i].Resources.Requests[name]; ok {
				return true
			}
		}
	}
	return false
}
