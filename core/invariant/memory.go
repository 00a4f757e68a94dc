package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/store"
)

// Memory rules, computed from the API view (pod statuses and the scenario's usage model),
// independently of the kubelet's own bookkeeping.

func init() {
	Register("memory-within-limit", memoryWithinLimit)
	RegisterStateful("eviction-under-pressure-in-rank-order", func() Rule { return &evictionOrder{} })
}

func clusterConfig(s *store.Store) *api.ClusterConfig {
	cfg, _ := s.Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig)
	return cfg
}

// runningMemory is the working set in bytes of a pod's running containers at now, and of
// each of them by name.
func runningMemory(cfg *api.ClusterConfig, p *api.Pod, now api.Time) (total int64, by map[string]int64) {
	by = map[string]int64{}
	images := containerImages(p)
	for _, list := range [][]api.ContainerStatus{p.Status.ContainerStatuses, p.Status.InitContainerStatuses} {
		for _, cs := range list {
			if cs.State.Running == nil {
				continue
			}
			b := cfg.Behavior(images[cs.Name])
			m := b.Memory.At(now.Sub(cs.State.Running.StartedAt)) / 1000
			by[cs.Name] = m
			total += m
		}
	}
	return total, by
}

// containerImages maps p's container names to their images.
func containerImages(p *api.Pod) map[string]string {
	images := map[string]string{}
	for _, list := range [][]api.Container{p.Spec.Containers, p.Spec.InitContainers} {
		for _, c := range list {
			images[c.Name] = c.Image
		}
	}
	return images
}

// observedMemory is the working set the kubelet's eviction manager saw for p when it
// synchronized at now: its running containers plus those that stopped at now itself (a
// liveness kill or exit in the same instant happens beside the synchronize, whose stats
// still show the container running).
func observedMemory(cfg *api.ClusterConfig, p *api.Pod, now api.Time) int64 {
	total, _ := runningMemory(cfg, p, now)
	images := containerImages(p)
	for _, list := range [][]api.ContainerStatus{p.Status.ContainerStatuses, p.Status.InitContainerStatuses} {
		for _, cs := range list {
			if cs.State.Running != nil {
				continue
			}
			for _, t := range []*api.ContainerStateTerminated{cs.State.Terminated, cs.LastTerminationState.Terminated} {
				if t != nil && t.FinishedAt == now && t.StartedAt < now {
					total += cfg.Behavior(images[cs.Name]).Memory.At(now.Sub(t.StartedAt)) / 1000
					break
				}
			}
		}
	}
	return total
}

// memoryWithinLimit: no running container uses more memory than its limit; the kernel
// OOM-kills it the moment it reaches the limit.
func memoryWithinLimit(s *store.Store, now api.Time) error {
	cfg := clusterConfig(s)
	if !cfg.HasMemoryUsage() {
		return nil
	}
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		if n, _ := s.Get("Node", p.Spec.NodeName).(*api.Node); n != nil && n.Annotations[kubelet.FailedAnnotation] == "true" {
			continue // the machine is off: its status is stale and nothing runs there
		}
		_, by := runningMemory(cfg, p, now)
		for _, list := range [][]api.Container{p.Spec.Containers, p.Spec.InitContainers} {
			for _, c := range list {
				lim, ok := runningLimit(p, &c)
				if u, running := by[c.Name]; ok && running && u*1000 > lim.Milli {
					return objErr("Pod", p.Key(), "container %s of pod %s uses %s of memory while running, above its limit %s",
						c.Name, p.Name, api.BinaryBytes(u), lim.String())
				}
			}
		}
	}
	return nil
}

// evictionOrder: the kubelet evicts a pod (phase Failed, reason Evicted) only while its node's
// memory.available (capacity minus its pods' working set) is below 100Mi, at most one pod per
// node per instant, and never a pod ranked after another active pod of the node (usage above
// request first, then lower priority, then more usage above request: helpers.go
// rankMemoryPressure). The write that marks the pod evicted captures the node's pods as they
// were (the evicted one just before the write; stored objects are immutable), and the check
// after the instant judges them at the instant's time.
type evictionOrder struct {
	pending []eviction
	err     error
}

type eviction struct {
	victim *api.Pod
	node   *api.Node
	others []*api.Pod
}

func (r *evictionOrder) Observe(s *store.Store, c store.Change) {
	if c.Kind != "Pod" || c.Type != store.Modified {
		return
	}
	old, p := c.Old.(*api.Pod), c.New.(*api.Pod)
	if p.Status.Reason != "Evicted" || old.Status.Reason == "Evicted" || p.Spec.NodeName == "" {
		return
	}
	n, _ := s.Get("Node", p.Spec.NodeName).(*api.Node)
	if n == nil {
		return
	}
	ev := eviction{victim: old, node: n}
	for _, q := range store.ByIndexAs[*api.Pod](s, "node", "Pod", n.Name) {
		if q.UID != p.UID {
			ev.others = append(ev.others, q)
		}
	}
	r.pending = append(r.pending, ev)
}

type ranked struct {
	pod            *api.Pod
	usage, request int64
	priority       int32
}

// ahead reports whether a ranks strictly before b for eviction.
func (a ranked) ahead(b ranked) bool {
	if ea, eb := a.usage > a.request, b.usage > b.request; ea != eb {
		return ea
	}
	if a.priority != b.priority {
		return a.priority < b.priority
	}
	return a.usage-a.request > b.usage-b.request
}

func (r *evictionOrder) Check(s *store.Store, now api.Time) error {
	pending := r.pending
	r.pending = nil
	if r.err != nil {
		return r.err
	}
	cfg := clusterConfig(s)
	seen := map[string]bool{}
	for _, ev := range pending {
		p, n := ev.victim, ev.node
		if seen[n.Name] {
			r.err = objErr("Pod", p.Key(), "evicted %s from %s at %ss, the second eviction on that node in one instant", p.Name, n.Name, now.SecondsString())
			return r.err
		}
		seen[n.Name] = true
		rank := func(q *api.Pod) ranked {
			u := observedMemory(cfg, q, now)
			return ranked{pod: q, usage: u, request: api.PodRequestsMilli(&q.Spec, api.ResourceMemory) / 1000, priority: api.Deref(q.Spec.Priority, 0)}
		}
		victim := rank(p)
		used := victim.usage
		var first *ranked
		for _, q := range ev.others {
			rq := rank(q)
			used += rq.usage
			active := !q.IsTerminal() && q.Status.StartTime != nil && rq.priority < 2000000000
			if active && first == nil && rq.ahead(victim) {
				first = &rq
			}
		}
		capacity := n.Status.Capacity[api.ResourceMemory].Milli / 1000
		if avail := capacity - used; avail >= 100<<20 {
			r.err = objErr("Pod", p.Key(), "evicted %s from %s at %ss with memory.available %s, not below the 100Mi threshold",
				p.Name, n.Name, now.SecondsString(), api.BinaryBytes(avail))
			return r.err
		}
		if first != nil {
			r.err = objErr("Pod", p.Key(), "evicted %s (%s used, %s requested, priority %d) from %s at %ss, but %s (%s used, %s requested, priority %d) ranks before it",
				p.Name, api.BinaryBytes(victim.usage), api.BinaryBytes(victim.request), victim.priority, n.Name, now.SecondsString(),
				first.pod.Name, api.BinaryBytes(first.usage), api.BinaryBytes(first.request), first.priority)
			return r.err
		}
	}
	return nil
}

// runningLimit is the memory limit container c runs with: status resources (what the
// kubelet reports after an in-place resize; the spec is only the desired value), else the
// spec's.
func runningLimit(p *api.Pod, c *api.Container) (api.Quantity, bool) {
	for _, list := range [][]api.ContainerStatus{p.Status.ContainerStatuses, p.Status.InitContainerStatuses} {
		for _, cs := range list {
			if cs.Name == c.Name && cs.Resources != nil {
				q, ok := cs.Resources.Limits[api.ResourceMemory]
				return q, ok
			}
		}
	}
	q, ok := c.Resources.Limits[api.ResourceMemory]
	return q, ok
}
