package kubelet

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// heartbeat is the kubelet's node-level loop at the instant its machine fails or comes back
// (pods.md §8). A running kubelet renews its Lease every 10 s; kubesim keeps that implicit
// (api.Lease.Renewing) so the store does not change every 10 s. When the machine fails the
// renewals stop: the Lease records the last one (the newest 10 s tick at or before the
// failure; a renewal due at that very instant happened first). When it comes back the kubelet
// renews at once and posts its node status: Ready=True KubeletReady and the pressure
// conditions False (pkg/kubelet/nodestatus/setters.go).
func heartbeat(ctx *sim.Context, name string) error {
	st := ctx.Store()
	no := st.Get("Node", name)
	if no == nil {
		return nil
	}
	n := no.(*api.Node)
	key := api.NodeLeaseNamespace + "/" + name
	var stored *api.Lease
	if o := st.Get(api.LeaseKind, key); o != nil {
		stored = o.(*api.Lease)
	}
	l := api.Clone(api.NodeLease(n, stored))
	now := ctx.Now()
	if isFailed(n) {
		if !l.Renewing {
			return nil
		}
		l.RenewTime, l.Renewing = l.LastRenewal(now), false
		ctx.Explain(n, "kubelet on %s stopped: last lease renewal at %s", name, l.RenewTime.SecondsString())
	} else {
		if l.Renewing {
			return nil
		}
		l.RenewTime, l.Renewing = now, true
		if err := postNodeStatus(ctx, n); err != nil {
			return err
		}
	}
	if stored == nil {
		return ctx.Create(l)
	}
	return ctx.Update(l)
}

// Conditions a healthy kubelet posts (pkg/kubelet/nodestatus/setters.go).
var healthyConditions = []api.NodeCondition{
	{Type: "Ready", Status: api.ConditionTrue, Reason: "KubeletReady", Message: "kubelet is posting ready status"},
	{Type: "MemoryPressure", Status: api.ConditionFalse, Reason: "KubeletHasSufficientMemory", Message: "kubelet has sufficient memory available"},
	{Type: "DiskPressure", Status: api.ConditionFalse, Reason: "KubeletHasNoDiskPressure", Message: "kubelet has no disk pressure"},
	{Type: "PIDPressure", Status: api.ConditionFalse, Reason: "KubeletHasSufficientPID", Message: "kubelet has sufficient PID available"},
}

// postNodeStatus writes the healthy conditions that differ from the node's (a condition the
// node does not carry is only added when another one changed, so a node that never left
// Ready keeps its single condition).
func postNodeStatus(ctx *sim.Context, n *api.Node) error {
	cp := api.Clone(n)
	changed := false
	now := ctx.Now()
	for _, want := range healthyConditions {
		found := false
		for i := range cp.Status.Conditions {
			c := &cp.Status.Conditions[i]
			if c.Type != want.Type {
				continue
			}
			found = true
			if c.Status != want.Status || c.Reason != want.Reason {
				w := want
				w.LastHeartbeatTime, w.LastTransitionTime = now, now
				*c = w
				changed = true
			}
		}
		if !found && changed {
			w := want
			w.LastHeartbeatTime, w.LastTransitionTime = now, now
			cp.Status.Conditions = append(cp.Status.Conditions, w)
		}
	}
	if !changed {
		return nil
	}
	return ctx.Update(cp)
}
