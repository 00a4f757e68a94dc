package replicaset

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// burstReplicas caps creations/deletions per sync (replica_set.go BurstReplicas).
const burstReplicas = 500

// Controller is the ReplicaSet controller. It keeps no state.
type Controller struct{}

// Name implements sim.Controller; it is also the event source.
func (Controller) Name() string { return "replicaset-controller" }

// Watch enqueues the ReplicaSet a change concerns: the RS itself, the controller owner of a
// pod, or every RS whose selector matches an orphan pod (for adoption).
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "ReplicaSet":
		if c.Type == store.Deleted {
			return
		}
		ctx.Enqueue(c.Key)
		if c.Old == nil || !selectorsEqual(c.Old.(*api.ReplicaSet).Spec.Selector, c.New.(*api.ReplicaSet).Spec.Selector) {
			ctx.Enqueue(adoptPrefix + c.Key)
		}
	case "Pod":
		if c.Type == store.Modified && !relevantPodChange(c.Old.(*api.Pod), c.New.(*api.Pod)) {
			return
		}
		seen := ""
		for _, o := range []api.Object{c.Old, c.New} {
			if o == nil {
				continue
			}
			m := o.Meta()
			if r := api.ControllerOf(m); r != nil {
				if r.Kind == "ReplicaSet" && r.Name != seen {
					seen = r.Name
					ctx.Enqueue(m.Namespace + "/" + r.Name)
				}
				continue
			}
			if c.New == nil || o != c.New || !o.(*api.Pod).IsActive() {
				continue
			}
			for _, rs := range store.ListAs[*api.ReplicaSet](ctx.Store(), "ReplicaSet", m.Namespace) {
				if rs.DeletionTimestamp == nil && rs.Spec.Selector.Matches(m.Labels) && !rs.Spec.Selector.IsEmpty() {
					ctx.Enqueue(adoptPrefix + rs.Key())
				}
			}
		}
	}
}

// adoptPrefix marks a work key that also looks for orphan pods to adopt. Listing every pod
// of the namespace is what upstream's sync does; here it is done only when an orphan pod
// appeared or the ReplicaSet (or its selector) is new, the only moments an orphan can
// start to match, which keeps a 1,000-pod rollout fast.
const adoptPrefix = "adopt|"

// relevantPodChange reports whether a pod update can change what a sync of its ReplicaSet
// computes: activity (phase, deletion), readiness and its transition time, labels or owner.
// Other kubelet status updates (container states, IPs, probe results that do not flip Ready)
// would only re-run an identical sync; upstream's informer queue coalesces those, the
// simulator skips them.
func relevantPodChange(a, b *api.Pod) bool {
	if a.IsActive() != b.IsActive() || a.IsTerminal() != b.IsTerminal() || (a.DeletionTimestamp == nil) != (b.DeletionTimestamp == nil) {
		return true
	}
	ra, rb := a.GetCondition(api.PodReady), b.GetCondition(api.PodReady)
	if (ra == nil) != (rb == nil) || (ra != nil && (ra.Status != rb.Status || ra.LastTransitionTime != rb.LastTransitionTime)) {
		return true
	}
	if len(a.Labels) != len(b.Labels) || len(a.OwnerReferences) != len(b.OwnerReferences) {
		return true
	}
	for k, v := range a.Labels {
		if b.Labels[k] != v {
			return true
		}
	}
	for i := range a.OwnerReferences {
		if a.OwnerReferences[i].UID != b.OwnerReferences[i].UID {
			return true
		}
	}
	return false
}

// Reconcile syncs one ReplicaSet (replica_set.go syncReplicaSet).
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	key, adopt := strings.CutPrefix(key, adoptPrefix)
	rs, ok := store.GetAs[*api.ReplicaSet](ctx.Store(), "ReplicaSet", key)
	if !ok {
		return nil
	}
	pods, err := claimPods(ctx, rs, adopt)
	if err != nil {
		return err
	}
	var manageErr error
	if rs.DeletionTimestamp == nil {
		manageErr = manageReplicas(ctx, rs, activeOf(pods))
	}
	// The status counts the pods as they were before this sync created or deleted any, as
	// upstream's calculateStatus(rs, activePods, ...) does (replica_set.go syncReplicaSet):
	// the creations' watch events bring the next sync, which counts them. A Deployment
	// syncing in between sees the ReplicaSet's replicas drop when its pods were all deleted
	// (and so notices progress when they come back).
	return updateStatus(ctx, rs, pods, manageErr)
}

func selectorsEqual(a, b *api.LabelSelector) bool { return a.String() == b.String() }

// claimPods returns the pods this RS controls, adopting active orphans its selector
// matches (ClaimPods). A pod whose labels no longer match is released.
func claimPods(ctx *sim.Context, rs *api.ReplicaSet, adopt bool) ([]*api.Pod, error) {
	s := ctx.Store()
	var out []*api.Pod
	for _, p := range store.ByIndexAs[*api.Pod](s, "owner", "Pod", rs.UID) {
		if p.Namespace != rs.Namespace {
			continue
		}
		if !rs.Spec.Selector.Matches(p.Labels) && p.DeletionTimestamp == nil {
			cp := api.Clone(p)
			cp.OwnerReferences = slices.DeleteFunc(cp.OwnerReferences, func(r api.OwnerReference) bool { return r.UID == rs.UID })
			if err := ctx.Update(cp); err != nil {
				return nil, err
			}
			continue
		}
		out = append(out, p)
	}
	if !adopt || rs.DeletionTimestamp != nil || rs.Spec.Selector.IsEmpty() {
		return out, nil
	}
	for _, p := range store.ListAs[*api.Pod](s, "Pod", rs.Namespace) {
		if api.ControllerOf(&p.ObjectMeta) != nil || !p.IsActive() || !rs.Spec.Selector.Matches(p.Labels) {
			continue
		}
		cp := api.Clone(p)
		cp.OwnerReferences = append(cp.OwnerReferences, api.NewControllerRef(rs, "apps/v1"))
		if err := ctx.Update(cp); err != nil {
			return nil, err
		}
		ctx.Explain(rs, "adopted orphan pod %s: its labels match the selector %s", p.Name, rs.Spec.Selector)
		out = append(out, cp)
	}
	slices.SortFunc(out, func(a, b *api.Pod) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func activeOf(pods []*api.Pod) []*api.Pod {
	var out []*api.Pod
	for _, p := range pods {
		if p.IsActive() {
			out = append(out, p)
		}
	}
	return out
}

// manageReplicas creates or deletes pods to reach spec.replicas (replica_set.go
// manageReplicas).
func manageReplicas(ctx *sim.Context, rs *api.ReplicaSet, active []*api.Pod) error {
	want := int(api.Deref(rs.Spec.Replicas, 1))
	diff := len(active) - want
	switch {
	case diff < 0:
		n := min(-diff, burstReplicas)
		ctx.Explain(rs, "%d active pods, %d desired: create %d", len(active), want, n)
		created, err := slowStartBatch(n, 1, func(int) error { return createPod(ctx, rs) })
		if err != nil {
			ctx.Explain(rs, "created %d of %d pods; stopped after a failed batch: %v", created, n, err)
		}
		return err
	case diff > 0:
		n := min(diff, burstReplicas)
		victims := podsToDelete(ctx, rs, active, n)
		ctx.Explain(rs, "%d active pods, %d desired: delete %s (unscheduled, pending, not-ready and most recently ready go first)", len(active), want, victimNames(victims))
		var firstErr error
		for _, p := range victims {
			if err := ctx.Delete("Pod", p.Key(), sim.DeleteOptions{}); err != nil {
				if firstErr == nil {
					firstErr = err
				}
				ctx.Eventf(rs, "Warning", "FailedDelete", "Error deleting: %v", err)
				continue
			}
			ctx.Eventf(rs, "Normal", "SuccessfulDelete", "Deleted pod: %s", p.Name)
		}
		return firstErr
	}
	return nil
}

// slowStartBatch calls fn count times in batches of 1, 2, 4, ... (initial size initial),
// stopping after the first batch with a failure (controller_utils.go slowStartBatch; the
// members of a batch run in index order here instead of concurrently).
func slowStartBatch(count, initial int, fn func(batch int) error) (int, error) {
	remaining, successes, index := count, 0, 0
	for batch := min(remaining, initial); batch > 0; batch, index = min(2*batch, remaining), index+1 {
		var firstErr error
		for range batch {
			if err := fn(index); err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			successes++
		}
		if firstErr != nil {
			return successes, firstErr
		}
		remaining -= batch
	}
	return successes, nil
}

// createPod creates one pod from the template (controller_utils.go GetPodFromTemplate):
// generateName "<rs>-", the template's labels and annotations, a controller reference.
func createPod(ctx *sim.Context, rs *api.ReplicaSet) error {
	proto := podPrototype(ctx.Store(), rs)
	p := new(api.Pod)
	*p = *proto.pod
	p.Name = ctx.GenerateName("Pod", rs.Namespace, p.GenerateName)
	p.OwnerReferences = []api.OwnerReference{api.NewControllerRef(rs, "apps/v1")}
	// api.Validate(p): the name's check, then what the prototype's spec gave.
	if errs := append(api.ValidatePodName(p), proto.errs...); len(errs) > 0 {
		err := fmt.Errorf("pods %q is forbidden: %v", p.Name, errs[0])
		ctx.Eventf(rs, "Warning", "FailedCreate", "Error creating: %v", err)
		return err
	}
	if err := ctx.Create(p); err != nil {
		ctx.Eventf(rs, "Warning", "FailedCreate", "Error creating: %v", err)
		return err
	}
	ctx.Eventf(rs, "Normal", "SuccessfulCreate", "Created pod: %s", p.Name)
	return nil
}

// maxVictimNames is how many victims a scale-down's explanation names; each victim has its
// Killing event, and a list of hundreds (a 5,000-replica rollout deletes up to 500 per sync)
// would fill the page's Why panel and the trace.
const maxVictimNames = 10

// victimNames lists the pods a sync deletes: "a, b and c", or the first maxVictimNames
// and how many more.
func victimNames(victims []*api.Pod) string {
	var b strings.Builder
	for i, p := range victims[:min(len(victims), maxVictimNames)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Name)
	}
	if more := len(victims) - maxVictimNames; more > 0 {
		b.WriteString(" and " + strconv.Itoa(more) + " more")
	}
	return b.String()
}

// prototype is the pod createPod makes from a ReplicaSet version (GetPodFromTemplate, then
// the API server's defaulting) without its name and owner, and the validation errors of
// everything but the name (api.Validate of the nameless pod: ValidatePod checks the name
// first, then the spec alone).
type prototype struct {
	pod  *api.Pod
	errs api.ErrorList
}

// podPrototype is rs's prototype, derived once per ReplicaSet version: the template's deep
// copy, defaulting and validation cost more than the rest of a creation. The pods share its
// spec, labels and annotations, as every stored object shares what its writer did not
// change: whoever changes a pod clones it first.
func podPrototype(st *store.Store, rs *api.ReplicaSet) prototype {
	return st.Derived(rs, "replicaset/podPrototype", func(o api.Object) any {
		rs := o.(*api.ReplicaSet)
		t := api.Clone(rs.Spec.Template)
		p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"}}
		p.Namespace = rs.Namespace
		p.GenerateName = rs.Name + "-"
		p.Labels = t.Labels
		p.Annotations = t.Annotations
		p.Finalizers = t.Finalizers
		p.Spec = t.Spec
		api.Default(p)
		if p.Status.Phase == "" {
			p.Status.Phase = api.PodPending
		}
		return prototype{p, api.Validate(p)}
	}).(prototype)
}

// updateStatus writes the status computed from pods (replica_set_utils.go calculateStatus)
// and asks to be woken when a ready pod crosses minReadySeconds.
func updateStatus(ctx *sim.Context, rs *api.ReplicaSet, pods []*api.Pod, manageErr error) error {
	now := ctx.Now()
	st := rs.Status
	st.Conditions = slices.Clone(st.Conditions)
	var replicas, labeled, ready, available, terminating int32
	next := api.Time(-1)
	for _, p := range pods {
		if p.IsTerminating() && !p.IsTerminal() {
			terminating++
		}
		if !p.IsActive() {
			continue
		}
		replicas++
		if api.SelectorMatchesMap(rs.Spec.Template.Labels, p.Labels) {
			labeled++
		}
		if p.IsReady() {
			ready++
			if p.IsAvailable(rs.Spec.MinReadySeconds, now) {
				available++
			} else if rs.Spec.MinReadySeconds > 0 {
				at := p.GetCondition(api.PodReady).LastTransitionTime.Add(api.Seconds(int64(rs.Spec.MinReadySeconds)))
				if next < 0 || at < next {
					next = at
				}
			}
		}
	}
	idx := slices.IndexFunc(st.Conditions, func(c api.DeploymentCondition) bool { return c.Type == "ReplicaFailure" })
	switch {
	case manageErr != nil && idx < 0:
		reason := "FailedDelete"
		if replicas < api.Deref(rs.Spec.Replicas, 1) {
			reason = "FailedCreate"
		}
		st.Conditions = append(st.Conditions, api.DeploymentCondition{Type: "ReplicaFailure", Status: api.ConditionTrue,
			LastTransitionTime: now, Reason: reason, Message: manageErr.Error()})
	case manageErr == nil && idx >= 0:
		st.Conditions = slices.Delete(st.Conditions, idx, idx+1)
	}
	if len(st.Conditions) == 0 {
		st.Conditions = nil
	}
	st.Replicas, st.FullyLabeledReplicas, st.ReadyReplicas, st.AvailableReplicas = replicas, labeled, ready, available
	st.TerminatingReplicas = &terminating
	st.ObservedGeneration = rs.Generation
	if next >= 0 {
		ctx.EnqueueAt(rs.Key(), next)
	}
	if statusEqual(&st, &rs.Status) {
		return nil
	}
	cp := api.Clone(rs)
	cp.Status = st
	return ctx.Update(cp)
}

func statusEqual(a, b *api.ReplicaSetStatus) bool {
	if a.Replicas != b.Replicas || a.FullyLabeledReplicas != b.FullyLabeledReplicas || a.ReadyReplicas != b.ReadyReplicas ||
		a.AvailableReplicas != b.AvailableReplicas || a.ObservedGeneration != b.ObservedGeneration ||
		api.Deref(a.TerminatingReplicas, -1) != api.Deref(b.TerminatingReplicas, -1) || len(a.Conditions) != len(b.Conditions) {
		return false
	}
	for i := range a.Conditions {
		if a.Conditions[i] != b.Conditions[i] {
			return false
		}
	}
	return true
}
