package nodelifecycle

import (
	"maps"
	"reflect"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// QueueKind is the hidden kind of the taint-eviction controller's single object
// "taint-eviction-controller": the pods with a scheduled deletion.
const QueueKind = "TaintEvictionQueue"

// Queue maps a pod key to its scheduled eviction.
type Queue struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	Pods           map[string]Eviction `json:"pods,omitempty"`
}

// CloneSelf is api.Clone's fast copy: Pods holds plain values.
func (q *Queue) CloneSelf() *Queue {
	if q == nil {
		return nil
	}
	return &Queue{TypeMeta: q.TypeMeta, ObjectMeta: q.ObjectMeta.DeepCopy(), Pods: maps.Clone(q.Pods)}
}

// Eviction is one scheduled deletion.
type Eviction struct {
	UID string   `json:"uid"`
	At  api.Time `json:"at"`
}

// TaintEviction is the taint-eviction controller. It keeps no state in memory.
type TaintEviction struct{}

// Name implements sim.Controller; it is the source of its events.
func (TaintEviction) Name() string { return "taint-eviction-controller" }

const (
	nodePrefix = "node/"
	firePrefix = "fire/"
)

// Watch enqueues a node whose NoExecute taints changed, and a pod bound to a node that has
// NoExecute taints.
func (TaintEviction) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "Node":
		var old []api.Taint
		if c.Old != nil {
			old = noExecute(c.Old.(*api.Node))
		}
		var cur []api.Taint
		if c.New != nil {
			cur = noExecute(c.New.(*api.Node))
		}
		if !reflect.DeepEqual(old, cur) {
			ctx.Enqueue(nodePrefix + c.Key)
		}
	case "Pod":
		if c.New == nil {
			return
		}
		p := c.New.(*api.Pod)
		if p.Spec.NodeName == "" || (c.Old != nil && c.Old.(*api.Pod).Spec.NodeName == p.Spec.NodeName) {
			return
		}
		if o := ctx.Store().Get("Node", p.Spec.NodeName); o != nil && len(noExecute(o.(*api.Node))) > 0 {
			ctx.Enqueue(nodePrefix + p.Spec.NodeName)
		}
	}
}

func noExecute(n *api.Node) []api.Taint {
	var out []api.Taint
	for _, t := range n.Spec.Taints {
		if t.Effect == api.TaintNoExecute {
			out = append(out, t)
		}
	}
	return out
}

// Reconcile handles a node (schedule or cancel the evictions of its pods) or fires one
// pod's eviction.
func (TaintEviction) Reconcile(ctx *sim.Context, key string) error {
	if k, ok := strings.CutPrefix(key, firePrefix); ok {
		return fire(ctx, k)
	}
	name := strings.TrimPrefix(key, nodePrefix)
	st := ctx.Store()
	var taints []api.Taint
	if o := st.Get("Node", name); o != nil {
		taints = noExecute(o.(*api.Node))
	}
	q := getQueue(ctx)
	nq := api.Clone(q)
	if nq.Pods == nil {
		nq.Pods = map[string]Eviction{}
	}
	now := ctx.Now()
	for _, p := range store.ByIndexAs[*api.Pod](st, "node", "Pod", name) {
		pk := p.Namespace + "/" + p.Name
		ev, scheduled := nq.Pods[pk]
		if len(taints) == 0 {
			if scheduled {
				delete(nq.Pods, pk)
				ctx.Eventf(p, "Normal", "TaintManagerEviction", "Cancelling deletion of Pod %s", pk)
			}
			continue
		}
		if p.DeletionTimestamp != nil || p.IsTerminal() {
			continue
		}
		wait, forever := minToleration(p, taints)
		if forever {
			if scheduled {
				delete(nq.Pods, pk)
				ctx.Eventf(p, "Normal", "TaintManagerEviction", "Cancelling deletion of Pod %s", pk)
			}
			continue
		}
		at := now.Add(wait)
		if scheduled && ev.UID == p.UID && ev.At <= at {
			continue // the earlier deletion stands (processPodOnNode)
		}
		nq.Pods[pk] = Eviction{UID: p.UID, At: at}
		ctx.Explain(p, "node %s has taint %s:%s; the pod tolerates it for %s: deletion at %s", name, taints[0].Key, taints[0].Effect, wait, at.SecondsString())
		ctx.EnqueueAt(firePrefix+pk, at)
	}
	if reflect.DeepEqual(q.Pods, nq.Pods) || (len(q.Pods) == 0 && len(nq.Pods) == 0) {
		return nil
	}
	return putQueue(ctx, nq)
}

// minToleration is getMinTolerationTime over the tolerations that match the node's NoExecute
// taints: 0 if a taint is not tolerated, forever if every used toleration has no
// tolerationSeconds.
func minToleration(p *api.Pod, taints []api.Taint) (api.Duration, bool) {
	var min api.Duration = -1
	for i := range taints {
		tolerated := false
		for _, tol := range p.Spec.Tolerations {
			if !tol.ToleratesTaint(&taints[i]) {
				continue
			}
			tolerated = true
			if tol.TolerationSeconds == nil {
				continue
			}
			d := api.Seconds(max(*tol.TolerationSeconds, 0))
			if min < 0 || d < min {
				min = d
			}
		}
		if !tolerated {
			return 0, false
		}
	}
	if min < 0 {
		return 0, true
	}
	return min, false
}

// fire deletes a pod whose toleration ran out: DisruptionTarget condition, then a graceful
// DELETE with the pod's own grace period (taint_eviction.go addConditionAndDeletePod).
func fire(ctx *sim.Context, pk string) error {
	q := getQueue(ctx)
	ev, ok := q.Pods[pk]
	if !ok || ctx.Now() < ev.At {
		return nil
	}
	nq := api.Clone(q)
	delete(nq.Pods, pk)
	if err := putQueue(ctx, nq); err != nil {
		return err
	}
	o := ctx.Store().Get("Pod", pk)
	if o == nil {
		return nil
	}
	p := o.(*api.Pod)
	if p.UID != ev.UID || p.DeletionTimestamp != nil {
		return nil
	}
	cp := api.Clone(p)
	cp.Status.Conditions = append(cp.Status.Conditions, api.PodCondition{Type: "DisruptionTarget", Status: api.ConditionTrue,
		Reason: "DeletionByTaintManager", Message: "Taint manager: deleting due to NoExecute taint", LastTransitionTime: ctx.Now()})
	if err := ctx.Update(cp); err != nil {
		return err
	}
	ctx.Eventf(cp, "Normal", "TaintManagerEviction", "Marking for deletion Pod %s", pk)
	return ctx.Delete("Pod", pk, sim.DeleteOptions{})
}

func getQueue(ctx *sim.Context) *Queue {
	if o := ctx.Store().Get(QueueKind, "taint-eviction-controller"); o != nil {
		return o.(*Queue)
	}
	return &Queue{TypeMeta: api.TypeMeta{Kind: QueueKind}, ObjectMeta: api.ObjectMeta{Name: "taint-eviction-controller"}}
}

func putQueue(ctx *sim.Context, q *Queue) error {
	if ctx.Store().Get(QueueKind, "taint-eviction-controller") == nil {
		return ctx.Create(q)
	}
	return ctx.Update(q)
}
