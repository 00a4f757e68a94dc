package kubelet

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// FailedAnnotation marks a node whose machine failed (cluster.FailedAnnotation): its kubelet
// is dead, nothing on it progresses.
const FailedAnnotation = "kubesim.dev/failed"

const (
	nodePrefix  = "\x00node/"
	leasePrefix = "\x00lease/"
)

// Controller is the kubelet of every node, keyed by pod. It keeps no state in memory.
type Controller struct{}

// Name implements sim.Controller; it is the source of the kubelet's events.
func (Controller) Name() string { return "kubelet" }

// OwnedKinds implements sim.KindOwner: the runtime of each pod and node, the machines,
// host-local IPAM and the eviction managers are this controller's own.
func (Controller) OwnedKinds() []string {
	return []string{RuntimeKind, NodeRuntimeKind, MachinesKind, HostLocalKind, EvictionKind}
}

// Watch enqueues pods that were bound, deleted or marked for deletion, and the pods of a node
// whose kubelet comes back.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "Pod":
		watchResize(ctx, c)
		switch c.Type {
		case store.Added:
			if c.New.(*api.Pod).Spec.NodeName != "" {
				ctx.Enqueue(c.Key)
			}
		case store.Deleted:
			ctx.Enqueue(c.Key)
		case store.Modified:
			o, n := c.Old.(*api.Pod), c.New.(*api.Pod)
			if o.Spec.NodeName != n.Spec.NodeName || (o.DeletionTimestamp == nil) != (n.DeletionTimestamp == nil) ||
				!sameInt64(o.DeletionGracePeriodSeconds, n.DeletionGracePeriodSeconds) || o.UID != n.UID {
				ctx.Enqueue(c.Key)
			}
		}
	case "ConfigMap", "Secret":
		watchConfig(ctx, c) // created, changed or deleted: an optional volume changes too
	case "Node":
		switch c.Type {
		case store.Added:
			ctx.Enqueue(nodePrefix + c.Key)
		case store.Modified:
			o, n := c.Old.(*api.Node), c.New.(*api.Node)
			wasFailed, failed := isFailed(o), isFailed(n)
			if wasFailed != failed {
				ctx.Enqueue(leasePrefix + c.Key)
				if !failed {
					startEvictionManager(ctx, c.Key, true) // a new kubelet process
				}
			}
			// A kubelet that comes back, or whose node got its podCIDR (the pod network is
			// ready), syncs its pods.
			if (wasFailed && !failed) || (o.Spec.PodCIDR == "" && n.Spec.PodCIDR != "") {
				for _, p := range ctx.Store().ByIndex("node", "Pod", c.Key) {
					ctx.Enqueue(p.Meta().Key())
				}
			}
		}
	}
}

// sameInt64 is reflect.DeepEqual for two *int64, without reflection: Watch sees every
// pod write.
func sameInt64(a, b *int64) bool { return a == b || a != nil && b != nil && *a == *b }

func isFailed(n *api.Node) bool { return n.Annotations[FailedAnnotation] == "true" }

// Reconcile syncs one pod (or sets up one node).
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	if name, ok := strings.CutPrefix(key, nodePrefix); ok {
		startEvictionManager(ctx, name, false)
		_, err := nodeRuntime(ctx, name)
		return err
	}
	if name, ok := strings.CutPrefix(key, evictPrefix); ok {
		return evictionSync(ctx, name)
	}
	if name, ok := strings.CutPrefix(key, evictRestartPrefix); ok {
		return restartEvictionManager(ctx, name)
	}
	if name, ok := strings.CutPrefix(key, leasePrefix); ok {
		return heartbeat(ctx, name)
	}
	st := ctx.Store()
	rto := st.Get(RuntimeKind, key)
	po := st.Get("Pod", key)
	if po == nil {
		if rto != nil {
			if err := releaseStored(ctx, rto.(*PodRuntime)); err != nil {
				return err
			}
			return ctx.Remove(RuntimeKind, key)
		}
		return nil
	}
	p := po.(*api.Pod)
	if p.Spec.NodeName == "" {
		return nil
	}
	no := st.Get("Node", p.Spec.NodeName)
	if no == nil || isFailed(no.(*api.Node)) {
		return nil // no kubelet: nothing progresses
	}
	var rt *PodRuntime
	if rto != nil {
		rt = rto.(*PodRuntime)
		if rt.PodUID != p.UID {
			if err := releaseStored(ctx, rt); err != nil {
				return err
			}
			if err := ctx.Remove(RuntimeKind, key); err != nil {
				return err
			}
			rt = nil
		}
	}
	if rt == nil && p.IsTerminal() {
		return nil
	}
	// The kubelet writes only the status: metadata and spec are shared with the stored pod.
	s := &syncer{ctx: ctx, now: ctx.Now(), pod: cloneForSync(p), node: no.(*api.Node), key: key, condsShared: true}
	if o := st.Get(api.ClusterConfigKind, "cluster"); o != nil {
		s.cfg = o.(*api.ClusterConfig)
	}
	created := rt == nil
	if created {
		nr, err := nodeRuntime(ctx, p.Spec.NodeName)
		if err != nil {
			return err
		}
		s.rt = newRuntime(p, s.now)
		s.initAllocation()
		s.nr = nr // the stored object, read only: addImage clones it
		s.pod.Status.HostIP = hostIP(s.node, s.nr.Machine)
		start := s.now
		s.pod.Status.StartTime = &start
		s.rt.SandboxPending = true
	} else {
		s.rt = rt.clone()
	}
	if s.rt.SandboxPending {
		// kubelet SyncPod: the pod network must be ready, then the volumes mounted, then the
		// runtime creates the sandbox and its network (the pod IP).
		switch {
		case s.pod.DeletionTimestamp != nil:
			s.rt.SandboxPending = false // never started: the sync finishes the deletion
		case !s.networkReady(), s.waitForVolumes(), s.waitForConfigVolumes(), !s.createSandbox():
			s.generateStatus()
		default:
			s.rt.SandboxPending = false
			s.rt.SandboxAt, s.rt.ResyncAt = s.now, 0
		}
	}
	removed := false
	var err error
	if !s.rt.SandboxPending {
		s.resize()
		s.imageChanges()
		removed, err = s.sync()
	}
	if err != nil || removed {
		return err
	}
	s.resizeProgress()
	// A pod that reached Succeeded or Failed is done: the kubelet kills its sandbox.
	if s.pod.IsTerminal() {
		s.releaseIP()
	}
	if err := s.saveNode(); err != nil {
		return err
	}
	if !p.Status.Equal(&s.pod.Status) {
		if err := ctx.Update(s.pod); err != nil {
			return err
		}
	}
	next := s.nextWake()
	if next > s.now && next != s.rt.NextWake {
		ctx.EnqueueAt(key, next)
		s.rt.NextWake = next
	}
	if created {
		return ctx.Create(s.rt)
	}
	if runtimeChanged(rt, s.rt) || !reflect.DeepEqual(rt, s.rt) {
		return ctx.Update(s.rt)
	}
	return nil
}

// cloneForSync is Pod.CloneStatus without copying the status's lists and pointers: the sync
// replaces the container status lists whole (generateStatus) and StartTime, and copies the
// conditions before it writes one (syncer.ownConditions), so until then they stay shared
// with the stored pod. Copying them (and their resource maps) was most of a sync's copy.
func cloneForSync(p *api.Pod) *api.Pod {
	cp := *p
	return &cp
}

func newRuntime(p *api.Pod, now api.Time) *PodRuntime {
	rt := &PodRuntime{TypeMeta: api.TypeMeta{Kind: RuntimeKind}, ObjectMeta: api.ObjectMeta{Namespace: p.Namespace, Name: p.Name},
		PodUID: p.UID, Node: p.Spec.NodeName, SandboxAt: now, TerminatingAt: -1}
	add := func(c *api.Container) {
		cr := ContainerRuntime{Name: c.Name}
		for i := range cr.Probes {
			cr.Probes[i].LastAt = -1
		}
		rt.Containers = append(rt.Containers, cr)
	}
	if n := len(p.Spec.InitContainers) + len(p.Spec.Containers); n > 0 {
		rt.Containers = make([]ContainerRuntime, 0, n) // one allocation for all
	}
	for i := range p.Spec.InitContainers {
		add(&p.Spec.InitContainers[i])
	}
	for i := range p.Spec.Containers {
		add(&p.Spec.Containers[i])
	}
	rt.InitDone = len(p.Spec.InitContainers) == 0
	return rt
}

// nodeRuntime returns the node's runtime object, creating it (with the next machine number)
// when the kubelet first sees the node.
func nodeRuntime(ctx *sim.Context, name string) (*NodeRuntime, error) {
	st := ctx.Store()
	if o := st.Get(NodeRuntimeKind, name); o != nil {
		return o.(*NodeRuntime), nil
	}
	m := &Machines{TypeMeta: api.TypeMeta{Kind: MachinesKind}, ObjectMeta: api.ObjectMeta{Name: "machines"}}
	exists := false
	if o := st.Get(MachinesKind, "machines"); o != nil {
		m, exists = api.Clone(o.(*Machines)), true
	}
	m.Next++
	nr := &NodeRuntime{TypeMeta: api.TypeMeta{Kind: NodeRuntimeKind}, ObjectMeta: api.ObjectMeta{Name: name},
		Machine: m.Next, Images: map[string]bool{}}
	if o := st.Get(api.ClusterConfigKind, "cluster"); o != nil {
		cfg := o.(*api.ClusterConfig)
		for _, img := range api.SortedKeys(cfg.Images) {
			if cfg.Images[img].Preloaded {
				nr.Images[img] = true
			}
		}
	}
	var err error
	if exists {
		err = ctx.Update(m)
	} else {
		err = ctx.Create(m)
	}
	if err != nil {
		return nil, err
	}
	return nr, ctx.Create(nr)
}

func hostIP(n *api.Node, machine int) string {
	for _, a := range n.Status.Addresses {
		if a.Type == "InternalIP" {
			return a.Address
		}
	}
	if machine+1 < len(machineIPs) {
		return machineIPs[machine+1] // every pod start
	}
	return "10.0.0." + strconv.Itoa(machine+1)
}

// machineIPs[n] is "10.0.0.<n>", built once (read only).
var machineIPs = func() (ips [256]string) {
	for n := range ips {
		ips[n] = "10.0.0." + strconv.Itoa(n)
	}
	return ips
}()
