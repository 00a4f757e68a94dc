// Package fakekubelet is the idealised kubelet of workloads.md §0.3, for tests and
// benchmarks of the workload controllers without the scheduler and the real kubelet: a new
// pod is bound to a node and Running at once and becomes Ready a fixed time after its
// creation (per image, or never); a deleted pod disappears when its grace period ends.
package fakekubelet

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Never marks an image whose pods never become Ready.
const Never api.Duration = -1

// Kubelet is the fake. Its fields are configuration, never changed while running.
type Kubelet struct {
	// ReadyAfter is the delay from creation to Ready for pods of an image (first container).
	ReadyAfter map[string]api.Duration
	// Default applies to images not in ReadyAfter.
	Default api.Duration
	// Nodes are the node names pods are bound to, round-robin by creation order (by the
	// number in the pod's UID); "node-1" when empty.
	Nodes []string
}

// Name implements sim.Controller.
func (*Kubelet) Name() string { return "fake-kubelet" }

// Watch enqueues the single "tick" key for any pod change: the fake moves every due pod
// in one reconcile, so pods due at the same instant change together (the idealised model).
func (*Kubelet) Watch(ctx *sim.Context, c store.Change) {
	if c.Kind == "Pod" && c.Type != store.Deleted {
		ctx.Enqueue("tick")
	}
}

func (k *Kubelet) readyAfter(p *api.Pod) api.Duration {
	if len(p.Spec.Containers) > 0 {
		if d, ok := k.ReadyAfter[p.Spec.Containers[0].Image]; ok {
			return d
		}
	}
	return k.Default
}

// Reconcile moves every pod along: bind+run, ready, or remove after its grace period; then
// asks to be woken at the next due time.
func (k *Kubelet) Reconcile(ctx *sim.Context, _ string) error {
	now := ctx.Now()
	next := api.Time(-1)
	due := func(t api.Time) {
		if next < 0 || t < next {
			next = t
		}
	}
	for _, p := range store.ListAs[*api.Pod](ctx.Store(), "Pod", "") {
		if p.DeletionTimestamp != nil {
			end := p.DeletionTimestamp.Add(api.Seconds(api.Deref(p.DeletionGracePeriodSeconds, 0)))
			if now >= end {
				if err := ctx.Remove("Pod", p.Key()); err != nil {
					return err
				}
			} else {
				due(end)
			}
			continue
		}
		r := k.readyAfter(p)
		if p.Spec.NodeName == "" {
			cp := api.Clone(p)
			cp.Spec.NodeName = k.node(p)
			cp.Status.Phase = api.PodRunning
			cp.Status.StartTime = &now
			cp.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: api.ConditionFalse, LastTransitionTime: now}}
			if err := ctx.Update(cp); err != nil {
				return err
			}
			p = cp
		}
		if r < 0 || p.IsReady() {
			continue
		}
		at := p.CreationTimestamp.Add(r)
		if now < at {
			due(at)
			continue
		}
		cp := api.Clone(p)
		cp.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: api.ConditionTrue, LastTransitionTime: now}}
		if err := ctx.Update(cp); err != nil {
			return err
		}
	}
	if next >= 0 {
		ctx.EnqueueAt("tick", next)
	}
	return nil
}
func (k *Kubelet) node(p *api.Pod) string {
	if len(k.Nodes) == 0 {
		return "node-1"
	}
	n := 0
	for _, c := range p.UID {
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	return k.Nodes[n%len(k.Nodes)]
}
