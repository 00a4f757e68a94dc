// Package disruption is the disruption controller, after pkg/controller/disruption/
// disruption.go (v1.37.2): it keeps each PodDisruptionBudget's status (expectedPods,
// currentHealthy, desiredHealthy, disruptionsAllowed, the disruptedPods map and the
// DisruptionAllowed condition) in line with the pods it selects. The Eviction API
// (sim.Context.Evict) reads that status and consumes disruptionsAllowed.
package disruption

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// DeletionTimeout is how long an admitted eviction keeps its pod out of currentHealthy while
// the pod has not started terminating (disruption.go DeletionTimeout).
const DeletionTimeout = 2 * api.Minute

// ResyncPeriod is the budget informer's resync (NewDisruptionControllerInternal:
// AddEventHandlerWithResyncPeriod(..., 30*time.Second)). The controller watches pods and
// budgets only, not the workloads, so a scale that changes no pod reaches expectedPods at
// the next resync. The informer starts with the cluster: resyncs fall on multiples of 30 s.
const ResyncPeriod = 30 * api.Second

// resyncKey is the work item of the periodic resync of every budget.
const resyncKey = "resync"

// Controller is the disruption controller. It keeps no state in memory.
type Controller struct{}

// Name implements sim.Controller; it is the source of its events.
func (Controller) Name() string { return "controllermanager" }

// Watch enqueues a budget that changed, and the budgets that select a pod that changed
// (addPod/updatePod/deletePod; upstream picks one budget per pod, this wakes every one that
// matches, old labels and new).
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "PodDisruptionBudget":
		if c.New != nil {
			ctx.Enqueue(c.Key)
			if c.Old == nil {
				ctx.EnqueueAt(resyncKey, nextResync(ctx.Now()))
			}
		}
	case "Pod":
		if ctx.Store().Len("PodDisruptionBudget") == 0 {
			return // the common case, and the hottest watch: pods change all the time
		}
		for _, o := range []api.Object{c.Old, c.New} {
			if o == nil {
				continue
			}
			p := o.(*api.Pod)
			for _, x := range ctx.Store().List("PodDisruptionBudget", p.Namespace) {
				if pdb := x.(*api.PodDisruptionBudget); pdb.Spec.Selector.Matches(p.Labels) {
					ctx.Enqueue(pdb.Namespace + "/" + pdb.Name)
				}
			}
		}
	}
}

func nextResync(now api.Time) api.Time {
	return now - now%api.Time(ResyncPeriod) + api.Time(ResyncPeriod)
}

// Reconcile is sync/trySync for one budget, or the periodic resync of them all.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	if key == resyncKey {
		pdbs := ctx.Store().List("PodDisruptionBudget", "")
		for _, o := range pdbs {
			ctx.Enqueue(o.Meta().Key())
		}
		if len(pdbs) > 0 {
			ctx.EnqueueAt(resyncKey, nextResync(ctx.Now()))
		}
		return nil
	}
	o := ctx.Store().Get("PodDisruptionBudget", key)
	if o == nil {
		return nil
	}
	pdb := o.(*api.PodDisruptionBudget)
	pods := PodsFor(ctx.Store(), pdb)
	if len(pods) == 0 {
		ctx.Event(pdb, "Normal", "NoPods", "No matching pods found")
	}
	r, err := Compute(ctx.Store(), pdb, pods, ctx.Now())
	if err != nil {
		ctx.Eventf(pdb, "Warning", "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected pods: %v", err)
		return failSafe(ctx, pdb, err)
	}
	if len(r.Unmanaged) > 0 {
		ctx.Eventf(pdb, "Warning", "UnmanagedPods", "Pods selected by this PodDisruptionBudget (selector: %s) were found "+
			"to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. "+
			"To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.", selectorString(pdb.Spec.Selector))
	}
	for _, name := range r.NotDeleted {
		// buildDisruptedPodMap formats the budget as pdb.Namespace, pdb.Namespace (sic): the
		// event says "PDB default/default".
		ctx.Eventf(podNamed(pods, name), "Warning", "NotDeleted", "Pod was expected by PDB %s/%s to be deleted but it wasn't", pdb.Namespace, pdb.Namespace)
	}
	if err := updateStatus(ctx, pdb, r); err != nil {
		return err
	}
	if r.Recheck >= 0 {
		// At the expiry instant itself the entry still stands (upstream compares with
		// Before/After); the next millisecond is the first moment it can go.
		ctx.EnqueueAt(key, max(r.Recheck, ctx.Now().Add(1)))
	}
	return nil
}

// Result is what a sync computes for a budget.
type Result struct {
	Expected, DesiredHealthy, CurrentHealthy, DisruptionsAllowed int32
	DisruptedPods                                                map[string]api.Time
	// Unmanaged names the selected pods without a controller (for maxUnavailable and
	// percentages); NotDeleted the pods whose eviction timed out without a deletion.
	Unmanaged, NotDeleted []string
	// Recheck is when the earliest disruptedPods entry expires, or -1.
	Recheck api.Time
}

// PodsFor lists the pods in the budget's namespace that its selector matches
// (getPodsForPdb), in name order.
func PodsFor(st *store.Store, pdb *api.PodDisruptionBudget) []*api.Pod {
	var out []*api.Pod
	for _, o := range st.List("Pod", pdb.Namespace) {
		if p := o.(*api.Pod); pdb.Spec.Selector.Matches(p.Labels) {
			out = append(out, p)
		}
	}
	return out
}

// Compute is trySync's arithmetic: getExpectedPodCount, buildDisruptedPodMap,
// countHealthyPods and updatePdbStatus's disruptionsAllowed. The invariants recompute a
// budget's status with it.
func Compute(st *store.Store, pdb *api.PodDisruptionBudget, pods []*api.Pod, now api.Time) (Result, error) {
	r := Result{Recheck: -1}
	var err error
	s := &pdb.Spec
	switch {
	case s.MaxUnavailable != nil:
		r.Expected, r.Unmanaged, err = expectedScale(st, pods)
		if err != nil {
			return r, err
		}
		maxUnavailable, err := api.ScaledValue(s.MaxUnavailable, int(r.Expected), true)
		if err != nil {
			return r, err
		}
		r.DesiredHealthy = max(r.Expected-int32(maxUnavailable), 0)
	case s.MinAvailable != nil && !s.MinAvailable.IsString:
		r.DesiredHealthy = s.MinAvailable.IntVal
		r.Expected = int32(len(pods))
	case s.MinAvailable != nil:
		r.Expected, r.Unmanaged, err = expectedScale(st, pods)
		if err != nil {
			return r, err
		}
		minAvailable, err := api.ScaledValue(s.MinAvailable, int(r.Expected), true)
		if err != nil {
			return r, err
		}
		r.DesiredHealthy = int32(minAvailable)
	}
	// buildDisruptedPodMap: an entry stays until its pod is terminating or gone, or for
	// DeletionTimeout.
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		at, ok := pdb.Status.DisruptedPods[p.Name]
		if !ok {
			continue
		}
		expires := at.Add(DeletionTimeout)
		if expires < now {
			r.NotDeleted = append(r.NotDeleted, p.Name)
			continue
		}
		if r.DisruptedPods == nil {
			r.DisruptedPods = map[string]api.Time{}
		}
		r.DisruptedPods[p.Name] = at
		if r.Recheck < 0 || expires < r.Recheck {
			r.Recheck = expires
		}
	}
	// countHealthyPods
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		if at, ok := r.DisruptedPods[p.Name]; ok && at.Add(DeletionTimeout) > now {
			continue
		}
		if p.IsReady() {
			r.CurrentHealthy++
		}
	}
	// updatePdbStatus: no disruption while no pods are expected, so a budget whose pods have
	// not appeared yet is safe.
	r.DisruptionsAllowed = r.CurrentHealthy - r.DesiredHealthy
	if r.Expected <= 0 || r.DisruptionsAllowed <= 0 {
		r.DisruptionsAllowed = 0
	}
	return r, nil
}

// expectedScale is getExpectedScale: the summed spec.replicas of the controllers owning the
// pods (a Deployment for its ReplicaSets' pods), each controller once.
func expectedScale(st *store.Store, pods []*api.Pod) (int32, []string, error) {
	scale := map[string]int32{}
	for _, p := range pods {
		ref := api.ControllerOf(&p.ObjectMeta)
		if ref == nil {
			// Unmanaged pods are listed but do not stop the sync.
			continue
		}
		uid, n, ok := controllerScale(st, p.Namespace, ref)
		if !ok {
			return 0, unmanaged(pods), fmt.Errorf("found no controllers for pod %q", p.Name)
		}
		scale[uid] = n
	}
	var total int32
	for _, n := range scale {
		total += n
	}
	return total, unmanaged(pods), nil
}

func unmanaged(pods []*api.Pod) []string {
	var out []string
	for _, p := range pods {
		if api.ControllerOf(&p.ObjectMeta) == nil {
			out = append(out, p.Name)
		}
	}
	return out
}

// controllerScale runs the finders (getPodDeployment, getPodReplicaSet, getPodStatefulSet):
// the UID and replicas of the controller that scales a pod with this controller reference.
func controllerScale(st *store.Store, ns string, ref *api.OwnerReference) (string, int32, bool) {
	switch ref.Kind {
	case "ReplicaSet":
		o := st.Get("ReplicaSet", ns+"/"+ref.Name)
		if o == nil || o.Meta().UID != ref.UID {
			return "", 0, false
		}
		rs := o.(*api.ReplicaSet)
		if dref := api.ControllerOf(&rs.ObjectMeta); dref != nil && dref.Kind == "Deployment" {
			do := st.Get("Deployment", ns+"/"+dref.Name)
			if do == nil || do.Meta().UID != dref.UID {
				return "", 0, false
			}
			d := do.(*api.Deployment)
			return d.UID, api.Deref(d.Spec.Replicas, 1), true
		}
		return rs.UID, api.Deref(rs.Spec.Replicas, 1), true
	case "StatefulSet":
		o := st.Get("StatefulSet", ns+"/"+ref.Name)
		if o == nil || o.Meta().UID != ref.UID {
			return "", 0, false
		}
		ss := o.(*api.StatefulSet)
		return ss.UID, api.Deref(ss.Spec.Replicas, 1), true
	}
	return "", 0, false
}

// updateStatus writes the computed status unless it is already there (updatePdbStatus).
func updateStatus(ctx *sim.Context, pdb *api.PodDisruptionBudget, r Result) error {
	st := &pdb.Status
	if st.CurrentHealthy == r.CurrentHealthy && st.DesiredHealthy == r.DesiredHealthy && st.ExpectedPods == r.Expected &&
		st.DisruptionsAllowed == r.DisruptionsAllowed && reflect.DeepEqual(nonNil(st.DisruptedPods), nonNil(r.DisruptedPods)) &&
		st.ObservedGeneration == pdb.Generation && conditionUpToDate(pdb) {
		return nil
	}
	cp := api.Clone(pdb)
	cp.Status.CurrentHealthy, cp.Status.DesiredHealthy, cp.Status.ExpectedPods = r.CurrentHealthy, r.DesiredHealthy, r.Expected
	cp.Status.DisruptionsAllowed, cp.Status.DisruptedPods = r.DisruptionsAllowed, r.DisruptedPods
	cp.Status.ObservedGeneration = pdb.Generation
	api.UpdateDisruptionAllowedCondition(cp, ctx.Now())
	ctx.Explain(pdb, "%s", explain(pdb, r))
	return ctx.Update(cp)
}

func nonNil(m map[string]api.Time) map[string]api.Time {
	if m == nil {
		return map[string]api.Time{}
	}
	return m
}

// conditionUpToDate is pdbhelper.ConditionsAreUpToDate.
func conditionUpToDate(pdb *api.PodDisruptionBudget) bool {
	c := api.FindCondition(pdb.Status.Conditions, api.DisruptionAllowedCondition)
	if c == nil || c.ObservedGeneration != pdb.Status.ObservedGeneration {
		return false
	}
	if pdb.Status.DisruptionsAllowed > 0 {
		return c.Status == api.ConditionTrue && c.Reason == api.SufficientPodsReason
	}
	return c.Status == api.ConditionFalse && c.Reason == api.InsufficientPodsReason
}

// failSafe allows no disruption and says why in the condition (SyncFailed).
func failSafe(ctx *sim.Context, pdb *api.PodDisruptionBudget, err error) error {
	cp := api.Clone(pdb)
	cp.Status.DisruptionsAllowed = 0
	api.SetCondition(&cp.Status.Conditions, api.Condition{Type: api.DisruptionAllowedCondition, Status: api.ConditionFalse,
		Reason: api.SyncFailedReason, Message: err.Error(), ObservedGeneration: cp.Status.ObservedGeneration, LastTransitionTime: ctx.Now()})
	if reflect.DeepEqual(cp.Status, pdb.Status) {
		return nil
	}
	ctx.Explain(pdb, "sync failed: %v: no disruption allowed", err)
	return ctx.Update(cp)
}

// explain renders the arithmetic of a status.
func explain(pdb *api.PodDisruptionBudget, r Result) string {
	var rule string
	switch s := pdb.Spec; {
	case s.MaxUnavailable != nil:
		rule = fmt.Sprintf("maxUnavailable %s of %d expected (the controllers' replicas): %d must stay healthy", s.MaxUnavailable, r.Expected, r.DesiredHealthy)
	case s.MinAvailable != nil && s.MinAvailable.IsString:
		rule = fmt.Sprintf("minAvailable %s of %d expected (the controllers' replicas), rounded up: %d must stay healthy", s.MinAvailable, r.Expected, r.DesiredHealthy)
	case s.MinAvailable != nil:
		rule = fmt.Sprintf("minAvailable %d, %s selected", r.DesiredHealthy, plural(r.Expected, "pod"))
	default:
		rule = "neither minAvailable nor maxUnavailable set"
	}
	healthy := fmt.Sprintf("%d healthy (ready, not terminating", r.CurrentHealthy)
	if len(r.DisruptedPods) > 0 {
		healthy += fmt.Sprintf(", not being evicted: %s", strings.Join(api.SortedKeys(r.DisruptedPods), ", "))
	}
	healthy += ")"
	return fmt.Sprintf("%s; %s: %s allowed", rule, healthy, disruptions(r.DisruptionsAllowed))
}

// disruptions renders "1 disruption" or "n disruptions".
func disruptions(n int32) string { return plural(n, "disruption") }

func plural(n int32, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func podNamed(pods []*api.Pod, name string) *api.Pod {
	i := sort.Search(len(pods), func(i int) bool { return pods[i].Name >= name })
	return pods[i]
}

// selectorString renders a selector as the generated metav1.LabelSelector String() that
// the UnmanagedPods event prints with %v.
func selectorString(s *api.LabelSelector) string {
	if s == nil {
		return "nil"
	}
	var b strings.Builder
	b.WriteString("&LabelSelector{MatchLabels:map[string]string{")
	for _, k := range api.SortedKeys(s.MatchLabels) {
		fmt.Fprintf(&b, "%s: %s,", k, s.MatchLabels[k])
	}
	b.WriteString("},MatchExpressions:[]LabelSelectorRequirement{")
	for _, r := range s.MatchExpressions {
		fmt.Fprintf(&b, "LabelSelectorRequirement{Key:%s,Operator:%s,Values:[%s],},", r.Key, r.Operator, strings.Join(r.Values, " "))
	}
	b.WriteString("},}")
	return b.String()
}
