package kubelet

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// The eviction manager of every kubelet (pkg/kubelet/eviction/eviction_manager.go, helpers.go),
// for the one signal the usage model drives: memory.available, with the kubelet's default
// hard threshold memory.available<100Mi.
//
// Model: a node's memory working set is the sum of its running containers' memory usage (the
// images' usage model; no system daemons, kernel or page cache), so memory.available =
// capacity - that sum (upstream: capacity - the node's working set from the summary API; with
// nothing reserved, allocatableMemory.available is the same number).
const (
	// EvictionKind is the hidden kind of a node's eviction manager state, named like the
	// node; it exists only once the node has been under memory pressure.
	EvictionKind = "KubeletEvictionManager"
	evictPrefix  = "\x00evict/"
	// evictRestartPrefix keys the start of a new kubelet process on a recovered machine.
	evictRestartPrefix = "\x00evict-restart/"
	// evictionMonitoringPeriod is pkg/kubelet/kubelet.go evictionMonitoringPeriod: the
	// manager sleeps this long after a synchronize that evicted nothing.
	evictionMonitoringPeriod = 10 * api.Second
	// pressureTransitionPeriod is --eviction-pressure-transition-period (default 5m): the
	// condition stays True until no threshold was observed for this long.
	pressureTransitionPeriod = 5 * api.Minute
	// podCleanupPollFreq and podCleanupTimeout: after an eviction the manager polls for the
	// pod's cleanup every second, for at most 30 s, then synchronizes at once.
	podCleanupPollFreq = api.Second
	podCleanupTimeout  = 30 * api.Second
	// immediateEvictionGracePeriod is the grace period of a hard-threshold eviction.
	immediateEvictionGracePeriod = 1 * api.Second
	// systemCriticalPriority is scheduling.SystemCriticalPriority: such pods are never evicted.
	systemCriticalPriority = 2000000000
)

// memoryAvailableThreshold is the default hard threshold memory.available<100Mi, in bytes.
var memoryAvailableThreshold = api.MustQuantity("100Mi")

// EvictionState is a node's eviction manager: when it synchronizes and what it remembers.
type EvictionState struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	// Anchor: without a pending cleanup the manager synchronizes at Anchor + k*10 s (0
	// until the first eviction shifts the loop).
	Anchor api.Time `json:"anchor"`
	// PressureSeenAt is the last synchronize that found the threshold met
	// (nodeConditionsLastObservedAt), nil: never.
	PressureSeenAt *api.Time `json:"pressureSeenAt,omitempty"`
	// WaitPod and WaitUID are the pod the last synchronize evicted, while the manager waits
	// for its cleanup (waitForPodsCleanup); WaitSince is when the wait started.
	WaitPod   string   `json:"waitPod,omitempty"`
	WaitUID   string   `json:"waitUID,omitempty"`
	WaitSince api.Time `json:"waitSince,omitempty"`
}

// startEvictionManager starts a node's eviction loop when the cluster models memory usage;
// restart is a new kubelet process on a recovered machine, which remembers nothing.
func startEvictionManager(ctx *sim.Context, node string, restart bool) {
	if cfg, _ := ctx.Store().Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig); cfg.HasMemoryUsage() {
		if restart {
			ctx.Enqueue(evictRestartPrefix + node)
		} else {
			ctx.Enqueue(evictPrefix + node)
		}
	}
}

// restartEvictionManager forgets the old process's observations and starts the 10 s loop at
// the restart.
func restartEvictionManager(ctx *sim.Context, name string) error {
	es := &EvictionState{TypeMeta: api.TypeMeta{Kind: EvictionKind}, ObjectMeta: api.ObjectMeta{Name: name}, Anchor: ctx.Now()}
	var err error
	if old, _ := ctx.Store().Get(EvictionKind, name).(*EvictionState); old != nil {
		es.ObjectMeta = old.ObjectMeta.DeepCopy()
		err = ctx.Update(es)
	} else {
		err = ctx.Create(es)
	}
	ctx.Enqueue(evictPrefix + name)
	return err
}

// evictionSync is one wake-up of a node's eviction manager: a poll for the cleanup of the pod
// it evicted last, or a synchronize when one is due.
func evictionSync(ctx *sim.Context, name string) error {
	st := ctx.Store()
	no, _ := st.Get("Node", name).(*api.Node)
	if no == nil {
		if st.Get(EvictionKind, name) != nil {
			return ctx.Remove(EvictionKind, name) // the node is gone, and its kubelet
		}
		return nil
	}
	if isFailed(no) {
		return nil // no kubelet; a recovered node's kubelet starts the loop again
	}
	now := ctx.Now()
	es := &EvictionState{TypeMeta: api.TypeMeta{Kind: EvictionKind}, ObjectMeta: api.ObjectMeta{Name: name}}
	stored, _ := st.Get(EvictionKind, name).(*EvictionState)
	if stored != nil {
		es = api.Clone(stored)
	}
	if es.WaitPod != "" {
		if at := cleanupDone(st, es, now); at > now {
			ctx.EnqueueAt(evictPrefix+name, at)
			return nil
		}
		es.WaitPod, es.WaitUID = "", ""
		es.Anchor = now // synchronize at once; the 10 s loop restarts from here
	} else if k := nextTick(es.Anchor, evictionMonitoringPeriod, now-1); k != now {
		ctx.EnqueueAt(evictPrefix+name, k)
		return nil
	}
	if err := synchronize(ctx, no, es, now); err != nil {
		return err
	}
	if es.WaitPod != "" {
		ctx.EnqueueAt(evictPrefix+name, now.Add(podCleanupPollFreq))
	} else {
		ctx.EnqueueAt(evictPrefix+name, nextTick(es.Anchor, evictionMonitoringPeriod, now))
	}
	if stored == nil {
		if es.PressureSeenAt == nil && es.WaitPod == "" && es.Anchor == 0 {
			return nil // never under pressure: nothing to remember
		}
		return ctx.Create(es)
	}
	if !equalEviction(stored, es) {
		return ctx.Update(es)
	}
	return nil
}

func equalEviction(a, b *EvictionState) bool {
	pa, pb := api.Time(-1), api.Time(-1)
	if a.PressureSeenAt != nil {
		pa = *a.PressureSeenAt
	}
	if b.PressureSeenAt != nil {
		pb = *b.PressureSeenAt
	}
	return a.Anchor == b.Anchor && pa == pb && a.WaitPod == b.WaitPod && a.WaitUID == b.WaitUID && a.WaitSince == b.WaitSince
}

// cleanupDone returns when the manager's wait for the evicted pod ends: evictPod blocks until
// the pod's containers are killed, then waitForPodsCleanup polls every second, so the first
// poll strictly after the last container exited; at most 30 s after the wait began. It returns
// a time not after now when the wait is over.
func cleanupDone(st *store.Store, es *EvictionState, now api.Time) api.Time {
	limit := es.WaitSince.Add(podCleanupTimeout)
	p, _ := st.Get("Pod", es.WaitPod).(*api.Pod)
	rt, _ := st.Get(RuntimeKind, es.WaitPod).(*PodRuntime)
	if p == nil || rt == nil || p.UID != es.WaitUID {
		return now // gone: cleaned up
	}
	killed := es.WaitSince
	for _, cr := range rt.Containers {
		switch {
		case cr.Phase == "Running" && cr.ExitAt == nil:
			return min(now.Add(podCleanupPollFreq), limit) // not stopped yet: poll again
		case cr.Phase == "Running":
			killed = max(killed, *cr.ExitAt)
		case cr.Last != nil && cr.Last.FinishedAt >= es.WaitSince:
			killed = max(killed, cr.Last.FinishedAt)
		}
	}
	return min(killed.Add(podCleanupPollFreq), limit)
}

// podUsage is one active pod's memory working set (bytes) and request, for ranking.
type podUsage struct {
	pod        *api.Pod
	rt         *PodRuntime
	containers []containerUsage // spec order: containers, then init containers
	usage      int64
	request    int64
}

type containerUsage struct {
	name           string
	usage, request int64
	requestText    string
}

// nodeMemory measures the node's pods: the working set of every running container of every
// pod on the node with a runtime, and the active (not yet terminal, not already evicted) ones.
func nodeMemory(st *store.Store, cfg *api.ClusterConfig, node string, now api.Time) (used int64, active []podUsage) {
	for _, o := range st.ByIndex("node", "Pod", node) {
		p := o.(*api.Pod)
		rt, _ := st.Get(RuntimeKind, p.Key()).(*PodRuntime)
		if rt == nil || rt.PodUID != p.UID {
			continue
		}
		pu := podUsage{pod: p, rt: rt, request: api.PodRequestsMilli(&p.Spec, api.ResourceMemory) / 1000}
		byName := map[string]int64{}
		for _, cr := range rt.Containers {
			if cr.Phase == "Running" {
				byName[cr.Name] = podContainerMemory(p, cfg, cr.Name, now.Sub(cr.StartedAt))
			}
		}
		for _, list := range [][]api.Container{p.Spec.Containers, p.Spec.InitContainers} {
			for i := range list {
				c := &list[i]
				req := c.Resources.Requests[api.ResourceMemory]
				u, running := byName[c.Name]
				if !running {
					continue
				}
				pu.usage += u
				pu.containers = append(pu.containers, containerUsage{name: c.Name, usage: u, request: req.Milli / 1000, requestText: req.String()})
			}
		}
		used += pu.usage
		if !p.IsTerminal() && rt.EvictMessage == "" {
			active = append(active, pu)
		}
	}
	return used, active
}

// podContainerMemory is the memory working set in bytes of a container that ran for age.
func podContainerMemory(p *api.Pod, cfg *api.ClusterConfig, name string, age api.Duration) int64 {
	for _, list := range [][]api.Container{p.Spec.Containers, p.Spec.InitContainers} {
		for i := range list {
			if list[i].Name == name {
				b := cfg.Behavior(list[i].Image)
				return b.Memory.At(age) / 1000
			}
		}
	}
	return 0
}

// rankMemoryPressure orders pods for eviction as helpers.go rankMemoryPressure does: pods
// whose usage exceeds their request first, then lower priority first, then the larger usage
// above request first. Upstream's sort is not stable; kubesim breaks remaining ties by pod
// key, so the order is deterministic.
func rankMemoryPressure(pods []podUsage) {
	sort.SliceStable(pods, func(i, j int) bool {
		a, b := pods[i], pods[j]
		if ea, eb := a.usage > a.request, b.usage > b.request; ea != eb {
			return ea
		}
		if pa, pb := api.Deref(a.pod.Spec.Priority, 0), api.Deref(b.pod.Spec.Priority, 0); pa != pb {
			return pa < pb
		}
		if da, db := a.usage-a.request, b.usage-b.request; da != db {
			return da > db
		}
		return a.pod.Key() < b.pod.Key()
	})
}

// evictionMessage is helpers.go evictionMessage for memory: the threshold, the observed
// available memory and every container using more than it requests.
func evictionMessage(pu podUsage, available int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The node was low on resource: %s. ", api.ResourceMemory)
	fmt.Fprintf(&b, "Threshold quantity: %s, available: %s. ", memoryAvailableThreshold.String(), api.BinaryBytes(available))
	for _, c := range pu.containers {
		if c.usage > c.request {
			fmt.Fprintf(&b, "Container %s was using %s, request is %s, has larger consumption of %s. ", c.name, api.BinaryBytes(c.usage), c.requestText, api.ResourceMemory)
		}
	}
	return b.String()
}

// synchronize is eviction_manager.go synchronize for memory.available: observe, keep the
// MemoryPressure condition for the transition period, and evict at most one pod.
func synchronize(ctx *sim.Context, n *api.Node, es *EvictionState, now api.Time) error {
	st := ctx.Store()
	cfg, _ := st.Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig)
	capacity := n.Status.Capacity[api.ResourceMemory].Milli / 1000
	used, active := nodeMemory(st, cfg, n.Name, now)
	available := capacity - used
	met := available < memoryAvailableThreshold.Milli/1000
	if met {
		t := now
		es.PressureSeenAt = &t
	}
	pressure := es.PressureSeenAt != nil && now.Sub(*es.PressureSeenAt) < pressureTransitionPeriod
	if err := setMemoryPressure(ctx, n, pressure, now); err != nil {
		return err
	}
	if !met {
		return nil
	}
	ctx.Event(n, "Warning", "EvictionThresholdMet", "Attempting to reclaim memory")
	rankMemoryPressure(active)
	for _, pu := range active {
		if api.Deref(pu.pod.Spec.Priority, 0) >= systemCriticalPriority {
			continue // a critical pod is never evicted
		}
		msg := evictionMessage(pu, available)
		ctx.Explain(pu.pod, "memory.available %s < 100Mi on %s (capacity %s, pods use %s): evict the first of %s",
			api.BinaryBytes(available), n.Name, api.BinaryBytes(capacity), api.BinaryBytes(used), rankText(active))
		ctx.Event(pu.pod, "Warning", "Evicted", msg)
		rt := pu.rt.clone()
		rt.EvictMessage = msg
		if err := ctx.Update(rt); err != nil {
			return err
		}
		ctx.Enqueue(pu.pod.Key())
		es.WaitPod, es.WaitUID, es.WaitSince = pu.pod.Key(), pu.pod.UID, now
		return nil
	}
	return nil
}

// rankText lists the ranked pods with their usage and request, for the why.
func rankText(pods []podUsage) string {
	var parts []string
	for _, pu := range pods {
		parts = append(parts, fmt.Sprintf("%s (%s used, %s requested, priority %d)", pu.pod.Name,
			api.BinaryBytes(pu.usage), api.BinaryBytes(pu.request), api.Deref(pu.pod.Spec.Priority, 0)))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// setMemoryPressure posts the MemoryPressure condition with its node status event
// (pkg/kubelet/nodestatus/setters.go MemoryPressureCondition).
func setMemoryPressure(ctx *sim.Context, n *api.Node, pressure bool, now api.Time) error {
	want := api.NodeCondition{Type: "MemoryPressure", Status: api.ConditionFalse, Reason: "KubeletHasSufficientMemory",
		Message: "kubelet has sufficient memory available"}
	event := "NodeHasSufficientMemory"
	if pressure {
		want.Status, want.Reason, want.Message = api.ConditionTrue, "KubeletHasInsufficientMemory", "kubelet has insufficient memory available"
		event = "NodeHasInsufficientMemory"
	}
	idx := -1
	for i, c := range n.Status.Conditions {
		if c.Type == want.Type {
			idx = i
		}
	}
	if idx < 0 && !pressure {
		return nil // never under pressure: the node keeps the conditions it has
	}
	if idx >= 0 && n.Status.Conditions[idx].Status == want.Status {
		return nil
	}
	cp := api.Clone(n)
	want.LastHeartbeatTime, want.LastTransitionTime = now, now
	if idx < 0 {
		cp.Status.Conditions = append(cp.Status.Conditions, want)
	} else {
		cp.Status.Conditions[idx] = want
	}
	ctx.Eventf(n, "Normal", event, "Node %s status is now: %s", n.Name, event)
	return ctx.Update(cp)
}
