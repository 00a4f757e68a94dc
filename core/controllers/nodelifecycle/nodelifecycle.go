package nodelifecycle

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Timing and rate constants (kube-controller-manager defaults, pods.md §9).
const (
	MonitorPeriod     = 5 * api.Second  // --node-monitor-period
	GracePeriod       = 50 * api.Second // --node-monitor-grace-period (1.32+)
	EvictionInterval  = 10 * api.Second // 1 / --node-eviction-rate 0.1
	SecondaryInterval = 100 * api.Second
	// LargeClusterSize is --large-cluster-size-threshold: smaller clusters stop tainting a
	// partially disrupted zone altogether.
	LargeClusterSize = 50
	// UnhealthyZoneThreshold is --unhealthy-zone-threshold.
	UnhealthyZoneThreshold = 0.55
)

// StateKind is the hidden kind of the node controller's single state object "node-controller".
const StateKind = "NodeLifecycleState"

// State is what the controller remembers: per zone, when its NoExecute rate limiter lets the
// next node be tainted.
type State struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	ZoneNext       map[string]api.Time `json:"zoneNext,omitempty"`
}

// Controller is the node lifecycle controller. It keeps no state in memory.
type Controller struct{}

// Name implements sim.Controller; it is the source of its events.
func (Controller) Name() string { return "node-controller" }

const (
	reasonUnknown  = "NodeStatusUnknown"
	messageUnknown = "Kubelet stopped posting node status."
)

var unknownTypes = []string{"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"}

// OwnedKinds implements sim.KindOwner: its state and the taint-eviction queue are this controller's own.
func (Controller) OwnedKinds() []string {
	return []string{StateKind, QueueKind}
}

// Watch enqueues a node when it or its Lease changes; a change of any node's readiness can
// change the disruption state of the zones, so every not-ready node is looked at again.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "Node":
		ctx.Enqueue(c.Key)
		if c.Type == store.Modified && c.Old.(*api.Node).IsReady() != c.New.(*api.Node).IsReady() {
			for _, n := range ctx.Store().List("Node", "") {
				if nn := n.(*api.Node); !nn.IsReady() && nn.Name != c.Key {
					ctx.Enqueue(nn.Name)
				}
			}
		}
	case api.LeaseKind:
		o := c.New
		if o == nil {
			o = c.Old
		}
		ctx.Enqueue(o.(*api.Lease).HolderIdentity)
	}
}

// ceilTick is the first monitor tick at or after t.
func ceilTick(t api.Time) api.Time {
	p := api.Time(MonitorPeriod)
	return (t + p - 1) / p * p
}

// Reconcile is monitorNodeHealth for one node.
func (Controller) Reconcile(ctx *sim.Context, name string) error {
	st := ctx.Store()
	no := st.Get("Node", name)
	if no == nil {
		return nil
	}
	n := no.(*api.Node)
	var stored *api.Lease
	if o := st.Get(api.LeaseKind, api.NodeLeaseNamespace+"/"+name); o != nil {
		stored = o.(*api.Lease)
	}
	lease := api.NodeLease(n, stored)
	now := ctx.Now()
	if lease.Renewing {
		if !n.IsReady() {
			return nil // the kubelet has not posted Ready yet
		}
		return ready(ctx, n)
	}
	// The renewal is observed at the first tick at or after it (probeTimestamp); the node is
	// found silent at the first tick strictly after probeTimestamp + grace.
	probe := ceilTick(lease.RenewTime)
	due := ceilTick(probe.Add(GracePeriod) + 1)
	if now < due {
		ctx.EnqueueAt(name, due)
		return nil
	}
	if readyStatus(n) != api.ConditionUnknown {
		if err := markUnknown(ctx, n, probe); err != nil {
			return err
		}
		n = st.Get("Node", name).(*api.Node)
	}
	return taintUnreachable(ctx, n)
}

func readyStatus(n *api.Node) string { return conditionStatus(n, "Ready") }

func conditionStatus(n *api.Node, typ string) string {
	for _, c := range n.Status.Conditions {
		if c.Type == typ {
			return c.Status
		}
	}
	return ""
}

// markUnknown sets the node's conditions to Unknown, records NodeNotReady and marks the
// node's pods not ready (controller_utils.go MarkPodsNotReady).
func markUnknown(ctx *sim.Context, n *api.Node, probe api.Time) error {
	now := ctx.Now()
	cp := api.Clone(n)
	wasReady := n.IsReady()
	for _, typ := range unknownTypes {
		found := false
		for i := range cp.Status.Conditions {
			c := &cp.Status.Conditions[i]
			if c.Type == typ {
				found = true
				if c.Status != api.ConditionUnknown {
					c.LastTransitionTime = now
				}
				c.Status, c.Reason, c.Message = api.ConditionUnknown, reasonUnknown, messageUnknown
			}
		}
		if !found {
			cp.Status.Conditions = append(cp.Status.Conditions, api.NodeCondition{Type: typ, Status: api.ConditionUnknown,
				Reason: reasonUnknown, Message: messageUnknown, LastHeartbeatTime: probe, LastTransitionTime: now})
		}
	}
	if err := ctx.Update(cp); err != nil {
		return err
	}
	ctx.Explain(cp, "no heartbeat from %s since %s (seen at the %s monitor tick); grace period %s passed",
		n.Name, probe.SecondsString(), probe.SecondsString(), GracePeriod)
	if !wasReady {
		return nil
	}
	ctx.Eventf(cp, "Normal", "NodeNotReady", "Node %s status is now: NodeNotReady", n.Name)
	for _, p := range store.ByIndexAs[*api.Pod](ctx.Store(), "node", "Pod", n.Name) {
		if p.IsTerminal() {
			continue
		}
		pc := p.GetCondition(api.PodReady)
		if pc == nil || pc.Status == api.ConditionFalse {
			continue
		}
		pp := api.Clone(p)
		for i := range pp.Status.Conditions {
			if pp.Status.Conditions[i].Type == api.PodReady {
				pp.Status.Conditions[i].Status = api.ConditionFalse
				pp.Status.Conditions[i].LastTransitionTime = now
			}
		}
		if err := ctx.Update(pp); err != nil {
			return err
		}
		ctx.Event(pp, "Warning", "NodeNotReady", "Node is not ready")
	}
	return nil
}

// taintUnreachable adds unreachable:NoSchedule at once and unreachable:NoExecute through the
// zone's rate limiter (none in a full disruption of every zone, none in a partially
// disrupted zone of a small cluster).
func taintUnreachable(ctx *sim.Context, n *api.Node) error {
	now := ctx.Now()
	cp := api.Clone(n)
	changed := setTaint(cp, api.Taint{Key: api.TaintNodeUnreachable, Effect: api.TaintNoSchedule}, now)
	// MemoryPressure is Unknown now, which maps to no condition taint (doNoScheduleTaintingPass).
	changed = removeTaint(cp, api.TaintNodeMemoryPressure, api.TaintNoSchedule) || changed
	zone, interval, allowed := zoneRate(ctx.Store(), n)
	if allowed && !hasTaint(cp, api.TaintNodeUnreachable, api.TaintNoExecute) {
		s := getState(ctx)
		if next, ok := s.ZoneNext[zone]; ok && now < next {
			ctx.EnqueueAt(n.Name, next)
		} else {
			changed = setTaint(cp, api.Taint{Key: api.TaintNodeUnreachable, Effect: api.TaintNoExecute}, now) || changed
			ns := api.Clone(s)
			if ns.ZoneNext == nil {
				ns.ZoneNext = map[string]api.Time{}
			}
			ns.ZoneNext[zone] = now.Add(interval)
			if err := putState(ctx, ns); err != nil {
				return err
			}
			ctx.Explain(cp, "tainted %s:NoExecute (zone %q: next node not before %s)", api.TaintNodeUnreachable, zone, now.Add(interval).SecondsString())
		}
	}
	if !allowed && removeTaint(cp, api.TaintNodeUnreachable, api.TaintNoExecute) {
		changed = true
	}
	if !changed {
		return nil
	}
	return ctx.Update(cp)
}

// zoneRate is the NoExecute rate limiter of the node's zone (ComputeZoneState,
// handleDisruption, setLimiterInZone).
func zoneRate(s *store.Store, n *api.Node) (zone string, interval api.Duration, allowed bool) {
	zone = n.Labels[api.LabelZone]
	type count struct{ ready, notReady int }
	zones := map[string]*count{}
	total := 0
	for _, o := range s.List("Node", "") {
		nn := o.(*api.Node)
		z := nn.Labels[api.LabelZone]
		if zones[z] == nil {
			zones[z] = &count{}
		}
		total++
		if nn.IsReady() {
			zones[z].ready++
		} else {
			zones[z].notReady++
		}
	}
	allFull := true
	for _, c := range zones {
		if !(c.ready == 0 && c.notReady > 0) {
			allFull = false
		}
	}
	if allFull {
		return zone, 0, false
	}
	c := zones[zone]
	if c.notReady > 2 && float64(c.notReady)/float64(c.notReady+c.ready) >= UnhealthyZoneThreshold {
		if total <= LargeClusterSize {
			return zone, 0, false
		}
		return zone, SecondaryInterval, true
	}
	return zone, EvictionInterval, true
}

// ready removes the taints of a node whose kubelet posts Ready again: NoSchedule at once
// (doNoScheduleTaintingPass on the node update), NoExecute at the next monitor tick
// (markNodeAsReachable).
func ready(ctx *sim.Context, n *api.Node) error {
	now := ctx.Now()
	cp := api.Clone(n)
	changed := removeTaint(cp, api.TaintNodeUnreachable, api.TaintNoSchedule)
	changed = removeTaint(cp, api.TaintNodeNotReady, api.TaintNoSchedule) || changed
	// TaintNodesByCondition (doNoScheduleTaintingPass): MemoryPressure=True is
	// memory-pressure:NoSchedule, added and removed with the condition.
	if conditionStatus(n, "MemoryPressure") == api.ConditionTrue {
		changed = setTaint(cp, api.Taint{Key: api.TaintNodeMemoryPressure, Effect: api.TaintNoSchedule}, now) || changed
	} else {
		changed = removeTaint(cp, api.TaintNodeMemoryPressure, api.TaintNoSchedule) || changed
	}
	if hasTaint(cp, api.TaintNodeUnreachable, api.TaintNoExecute) || hasTaint(cp, api.TaintNodeNotReady, api.TaintNoExecute) {
		if tick := ceilTick(now); tick > now {
			ctx.EnqueueAt(n.Name, tick)
		} else {
			changed = removeTaint(cp, api.TaintNodeUnreachable, api.TaintNoExecute) || changed
			changed = removeTaint(cp, api.TaintNodeNotReady, api.TaintNoExecute) || changed
			ctx.Explain(cp, "%s is Ready again: NoExecute taints removed", n.Name)
		}
	}
	if !changed {
		return nil
	}
	return ctx.Update(cp)
}

func hasTaint(n *api.Node, key, effect string) bool {
	for _, t := range n.Spec.Taints {
		if t.Key == key && t.Effect == effect {
			return true
		}
	}
	return false
}

func setTaint(n *api.Node, t api.Taint, now api.Time) bool {
	if hasTaint(n, t.Key, t.Effect) {
		return false
	}
	at := now
	t.TimeAdded = &at
	n.Spec.Taints = append(n.Spec.Taints, t)
	return true
}

func removeTaint(n *api.Node, key, effect string) bool {
	for i, t := range n.Spec.Taints {
		if t.Key == key && t.Effect == effect {
			n.Spec.Taints = append(n.Spec.Taints[:i:i], n.Spec.Taints[i+1:]...)
			return true
		}
	}
	return false
}

func getState(ctx *sim.Context) *State {
	if o := ctx.Store().Get(StateKind, "node-controller"); o != nil {
		return o.(*State)
	}
	return &State{TypeMeta: api.TypeMeta{Kind: StateKind}, ObjectMeta: api.ObjectMeta{Name: "node-controller"}}
}

func putState(ctx *sim.Context, s *State) error {
	if ctx.Store().Get(StateKind, "node-controller") == nil {
		return ctx.Create(s)
	}
	return ctx.Update(s)
}
