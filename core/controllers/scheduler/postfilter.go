package scheduler

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// InitialBackoff is podInitialBackoffDuration, the first back-off of a pod that failed.
const InitialBackoff = api.Second

// postFilter runs DefaultPreemption for p, which fits no node, and records the failed
// attempt (schedule_one.go handleSchedulingFailure). When a node is chosen, its victims get
// the DisruptionTarget condition and a graceful delete and a Preempted event, lower-priority
// pods nominated to the node lose their nomination, and p is nominated to it: the attempt
// still fails (FailedScheduling without a preemption part) and p is retried when the
// victims are gone.
func postFilter(ctx *sim.Context, p *api.Pod, q *Queue, nodes []*api.Node, podsOn func(string) []*api.Pod,
	extra func(*api.Node) []string, cl *cluster, res Result) error {
	if res.statuses == nil {
		return unschedulable(ctx, p, res)
	}
	st := ctx.Store()
	pre := preempt(p, nodes, res, podsOn, listPDBs(st), fitsWith(p, nodes, podsOn, extra, cl), ctx.Now(), ctx.Rand(RandStream))
	out := Result{Message: res.fitMsg, Explanation: res.Explanation}
	if pre.explanation != "" {
		out.Explanation += "; " + pre.explanation
	}
	if pre.message != "" {
		out.Message = res.fitMsg + " " + pre.message
	}
	nominate := p.Status.NominatedNodeName
	if pre.clearNomination {
		nominate = ""
	}
	if v := pre.chosen; v != nil {
		nominate = v.Node
		for _, victim := range v.Pods {
			if victim.DeletionTimestamp != nil {
				continue // graceful deletion already started: no second request
			}
			if err := preemptPod(ctx, p, victim, v.Node); err != nil {
				return err
			}
		}
		if err := clearLowerNominations(ctx, p, v.Node); err != nil {
			return err
		}
		q = getQueue(ctx)
		// The victims' deletions are cluster events of this very instant, which an attempt
		// of this instant ignores: the pod comes back from the back-off queue instead, after
		// podInitialBackoffDuration (1 s).
		ctx.EnqueueAfter(p.Namespace+"/"+p.Name, InitialBackoff)
	}
	return unschedulableNominated(ctx, p, q, out, nominate)
}

// preemptPod is the Evaluator's PreemptPod: the DisruptionTarget condition, a graceful
// delete, and the Preempted event on the victim.
func preemptPod(ctx *sim.Context, preemptor, victim *api.Pod, node string) error {
	cp := victim.CloneForStatus()
	cond := api.PodCondition{Type: api.DisruptionTarget, Status: api.ConditionTrue, Reason: PreemptionByScheduler,
		Message: fmt.Sprintf("%s: preempting to accommodate a higher priority pod", schedulerNameOf(preemptor))}
	if setCondition(cp, cond, ctx.Now()) {
		if err := ctx.Update(cp); err != nil {
			return err
		}
	}
	ctx.Explain(cp, "preempted by %s (priority %d, %s) to make room on %s", preemptor.Name, api.PodPriority(preemptor), priorityOf(cp), node)
	if err := ctx.Delete("Pod", cp.Namespace+"/"+cp.Name, sim.DeleteOptions{}); err != nil {
		return err
	}
	ctx.EventAt(cp, "", "Normal", "Preempted", fmt.Sprintf("Preempted by pod %s on node %s", preemptor.UID, node))
	return nil
}

func priorityOf(p *api.Pod) string { return fmt.Sprintf("this pod's priority %d", api.PodPriority(p)) }

func schedulerNameOf(p *api.Pod) string {
	if p.Spec.SchedulerName != "" {
		return p.Spec.SchedulerName
	}
	return Name
}

// clearLowerNominations is getLowerPriorityNominatedPods + clearNominatedNodeName: pods of
// lower priority nominated to node may no longer fit there; they lose the nomination and
// are retried.
func clearLowerNominations(ctx *sim.Context, p *api.Pod, node string) error {
	q := getQueue(ctx)
	var nq *Queue
	for _, k := range api.SortedKeys(q.Nominated) {
		o := ctx.Store().Get("Pod", k)
		if q.Nominated[k] != node || o == nil || api.PodPriority(o.(*api.Pod)) >= api.PodPriority(p) {
			continue
		}
		if nq == nil {
			nq = api.Clone(q)
		}
		delete(nq.Nominated, k)
		np := o.(*api.Pod).CloneForStatus()
		np.Status.NominatedNodeName = ""
		if err := ctx.Update(np); err != nil {
			return err
		}
		ctx.Explain(np, "nomination to %s cleared: %s (priority %d) preempts there", node, p.Name, api.PodPriority(p))
		ctx.Enqueue(k)
	}
	if nq == nil {
		return nil
	}
	return putQueue(ctx, nq)
}

// unschedulableNominated is unschedulable with status.nominatedNodeName set to nominate
// (updatePod: the condition and the nomination in one status write).
func unschedulableNominated(ctx *sim.Context, p *api.Pod, q *Queue, res Result, nominate string) error {
	key := p.Namespace + "/" + p.Name
	if nominate != p.Status.NominatedNodeName {
		cp := p.CloneForStatus()
		cp.Status.NominatedNodeName = nominate
		if err := ctx.Update(cp); err != nil {
			return err
		}
		p = cp
	}
	if q.Nominated[key] != nominate {
		q = api.Clone(q)
		if nominate == "" {
			delete(q.Nominated, key)
		} else {
			if q.Nominated == nil {
				q.Nominated = map[string]string{}
			}
			q.Nominated[key] = nominate
		}
		if err := putQueue(ctx, q); err != nil {
			return err
		}
	}
	return unschedulable(ctx, p, res)
}
