package statefulset

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Controller is the StatefulSet controller.
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return "statefulset-controller" }

// Watch maps changes to StatefulSet keys: the set itself, the controller owner of a pod or
// ControllerRevision, and the sets whose selector matches a deleted claim (a pod may wait
// for a stale claim to go away).
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "StatefulSet":
		ctx.Enqueue(c.Key)
	case "Pod", "ControllerRevision":
		o := c.Object()
		if r := api.ControllerOf(o.Meta()); r != nil && r.Kind == "StatefulSet" {
			ctx.Enqueue(o.Meta().Namespace + "/" + r.Name)
		}
	case "PersistentVolumeClaim":
		if c.Type != store.Deleted && (c.Type != store.Modified || c.Old.Meta().DeletionTimestamp != nil || c.New.Meta().DeletionTimestamp == nil) {
			return
		}
		o := c.Object()
		if len(o.Meta().Labels) == 0 {
			return
		}
		for _, s := range store.ListAs[*api.StatefulSet](ctx.Store(), "StatefulSet", o.Meta().Namespace) {
			if len(s.Spec.VolumeClaimTemplates) > 0 && s.Spec.Selector.Matches(o.Meta().Labels) {
				ctx.Enqueue(s.Key())
			}
		}
	}
}

// Reconcile is StatefulSetControl.UpdateStatefulSet: revisions, one pass of the update
// algorithm, status, history truncation.
func (c Controller) Reconcile(ctx *sim.Context, key string) error {
	set, ok := store.GetAs[*api.StatefulSet](ctx.Store(), "StatefulSet", key)
	if !ok {
		return nil
	}
	if set.Spec.Selector == nil || set.Spec.Selector.IsEmpty() {
		return nil // invalid; validation keeps these out
	}
	pods := ownedPods(ctx.Store(), set)
	revisions := store.ByIndexAs[*api.ControllerRevision](ctx.Store(), "owner", "ControllerRevision", set.UID)
	sortRevisions(revisions)

	rv := ctx.Store().ResourceVersion()
	current, update, collisions, err := c.revisions(ctx, set, revisions)
	if err != nil {
		return err
	}
	status, err := updateStatefulSet(ctx, set, current, update, collisions, pods)
	// Nothing but the status below is written after this point: when the store did not
	// change since pods and revisions were read, they are still current.
	unchanged := ctx.Store().ResourceVersion() == rv
	if status != nil {
		if serr := updateStatus(ctx, set, status); serr != nil && err == nil {
			err = serr
		}
	}
	if err != nil {
		return err
	}
	if !unchanged {
		// The pods may have changed during the pass: re-read them for the live set of revisions.
		revisions = store.ByIndexAs[*api.ControllerRevision](ctx.Store(), "owner", "ControllerRevision", set.UID)
		sortRevisions(revisions)
		pods = ownedPods(ctx.Store(), set)
	}
	return truncateHistory(ctx, set, pods, revisions, current, update)
}

// ownedPods returns the pods the set controls whose names parse as <set>-<ordinal>
// (getPodsForStatefulSet with isMemberOf).
func ownedPods(s *store.Store, set *api.StatefulSet) []*api.Pod {
	var out []*api.Pod
	for _, p := range store.ByIndexAs[*api.Pod](s, "owner", "Pod", set.UID) {
		if parent, o := parentAndOrdinal(p.Name); o >= 0 && parent == set.Name {
			out = append(out, p)
		}
	}
	return out
}

// revisions is getStatefulSetRevisions: find or create the update revision (re-numbering
// an older equal revision, which is what a rollback does) and the current revision.
func (Controller) revisions(ctx *sim.Context, set *api.StatefulSet, revisions []*api.ControllerRevision) (current, update *api.ControllerRevision, collisions int32, err error) {
	collisions = api.Deref(set.Status.CollisionCount, 0)
	var next int64 = 1
	if n := len(revisions); n > 0 {
		next = revisions[n-1].Revision + 1
	}
	update = newRevision(set, next, collisions)
	var equal []*api.ControllerRevision
	for _, r := range revisions {
		if equalRevision(r, update) {
			equal = append(equal, r)
		}
	}
	switch {
	case len(equal) > 0 && revisions[len(revisions)-1] == equal[len(equal)-1]:
		update = revisions[len(revisions)-1]
	case len(equal) > 0:
		cp := api.Clone(equal[len(equal)-1])
		cp.Revision = next
		if err = ctx.Update(cp); err != nil {
			return nil, nil, 0, err
		}
		ctx.Explain(set, "template equals revision %d (%s): renumbered to revision %d, it is the update revision again", equal[len(equal)-1].Revision, cp.Name, next)
		update = cp
	default:
		for {
			err = ctx.Create(update)
			if err == nil {
				break
			}
			if !errors.Is(err, store.ErrAlreadyExists) {
				return nil, nil, 0, err
			}
			// A revision of that name with other data: a hash collision (CreateControllerRevision).
			if existing, _ := store.GetAs[*api.ControllerRevision](ctx.Store(), "ControllerRevision", update.Key()); existing != nil && equalRevision(existing, update) {
				update = existing
				err = nil
				break
			}
			collisions++
			update = newRevision(set, next, collisions)
		}
	}
	for _, r := range revisions {
		if r.Name == set.Status.CurrentRevision {
			current = r
			break
		}
	}
	if current == nil {
		current = update
	}
	return current, update, collisions, nil
}

// slot is one replica position: an existing pod or the pod to be created. The pod to be
// created is built only when the pass looks at it (get): an OrderedReady pass stops at the
// first missing ordinal, and building all N-k missing pods made every sync O(N).
type slot struct {
	pod     *api.Pod
	created bool
	ordinal int
	build   func(ordinal int) *api.Pod
}

// get returns the slot's pod, building the one to be created on first use.
func (s *slot) get() *api.Pod {
	if s.pod == nil {
		s.pod = s.build(s.ordinal)
	}
	return s.pod
}

// updateStatefulSet is one pass of upstream's updateStatefulSet (workloads.md §8.5).
func updateStatefulSet(ctx *sim.Context, set *api.StatefulSet, current, update *api.ControllerRevision, collisions int32, pods []*api.Pod) (*api.StatefulSetStatus, error) {
	now := ctx.Now()
	rv := ctx.Store().ResourceVersion()
	currentSet, updateSet := applyRevision(set, current), applyRevision(set, update)
	status := &api.StatefulSetStatus{ObservedGeneration: set.Generation, CurrentRevision: current.Name,
		UpdateRevision: update.Name, CollisionCount: api.Ptr(collisions), Conditions: set.Status.Conditions}

	start, replicaCount := startOrdinal(set), int(api.Deref(set.Spec.Replicas, 1))
	replicas := make([]*slot, replicaCount)
	var condemned []*api.Pod
	for _, p := range pods {
		if inOrdinalRange(p, set) {
			replicas[ordinalOf(p)-start] = &slot{pod: p, created: true}
		} else if ordinalOf(p) >= 0 {
			condemned = append(condemned, p)
		}
	}
	build := func(ordinal int) *api.Pod {
		return newVersionedPod(currentSet, updateSet, current.Name, update.Name, ordinal)
	}
	for i := range replicas {
		if replicas[i] == nil {
			replicas[i] = &slot{ordinal: start + i, build: build}
		}
	}
	sort.SliceStable(condemned, func(i, j int) bool { return ordinalOf(condemned[i]) > ordinalOf(condemned[j]) })

	// The first unavailable pod (stateful_set_control.go firstUnavailablePod): the one
	// condemned pod a monotonic scale-down may delete before it is Available.
	var firstUnavailable *api.Pod
	for _, s := range replicas {
		if (!s.created || isUnavailable(s.pod, set.Spec.MinReadySeconds, now)) && firstUnavailable == nil {
			firstUnavailable = s.get()
		}
	}
	for i := len(condemned) - 1; i >= 0; i-- {
		if isUnavailable(condemned[i], set.Spec.MinReadySeconds, now) && firstUnavailable == nil {
			firstUnavailable = condemned[i]
		}
	}
	computeStatus(status, set.Spec.MinReadySeconds, now, current.Name, update.Name, pods)
	scheduleAvailability(ctx, set, pods)
	if set.DeletionTimestamp != nil {
		return status, nil
	}
	monotonic := set.Spec.PodManagementPolicy != api.ParallelPodManagement

	// Phase 1: replicas in ascending ordinal order.
	exit, err := runForAll(len(replicas), monotonic, func(i int) (bool, error) {
		return processReplica(ctx, set, updateSet, monotonic, replicas, i)
	})
	if exit || err != nil {
		return recount(ctx, set, status, current, update, rv), err
	}
	// Phase 2: claims of condemned pods get their retention-policy owners.
	exit, err = runForAll(len(condemned), monotonic, func(i int) (bool, error) {
		return false, fixClaims(ctx, updateSet, condemned[i])
	})
	if exit || err != nil {
		return recount(ctx, set, status, current, update, rv), err
	}
	// Phase 3: condemned pods, highest ordinal first.
	exit, err = runForAll(len(condemned), monotonic, func(i int) (bool, error) {
		return processCondemned(ctx, set, firstUnavailable, monotonic, condemned[i])
	})
	if exit || err != nil {
		return recount(ctx, set, status, current, update, rv), err
	}
	if set.Spec.UpdateStrategy.Type == api.OnDeleteStatefulSet {
		return recount(ctx, set, status, current, update, rv), nil
	}
	if api.MaxUnavailableStatefulSetGate {
		err = rollingUpdateMaxUnavailable(ctx, set, replicas, update, monotonic)
		return recount(ctx, set, status, current, update, rv), err
	}
	updateMin := 0
	if ru := set.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		updateMin = int(api.Deref(ru.Partition, 0))
	}
	for target := len(replicas) - 1; target >= updateMin; target-- {
		p := replicas[target].get()
		if podRevision(p) != update.Name && !p.IsTerminating() {
			ctx.Explain(set, "rolling update: %s is at revision %s, update revision is %s: deleting it (highest ordinal first)", p.Name, podRevision(p), update.Name)
			err := deletePod(ctx, set, p)
			return recount(ctx, set, status, current, update, rv), err
		}
		if isUnavailable(p, set.Spec.MinReadySeconds, ctx.Now()) {
			if set.Spec.MinReadySeconds > 0 {
				ctx.Explain(set, "rolling update: waiting for %s to be available for minReadySeconds %d", p.Name, set.Spec.MinReadySeconds)
			} else {
				ctx.Explain(set, "rolling update: waiting for %s to be Running and Ready", p.Name)
			}
			return recount(ctx, set, status, current, update, rv), nil
		}
	}
	return recount(ctx, set, status, current, update, rv), nil
}

// recount recomputes the status from the pods as they are after the pass (upstream adjusts
// its counters per write; the result is the same).
// When the store has not changed since the pass began (resource version rv), the pods are
// the ones st was computed from, and st is returned as it is.
func recount(ctx *sim.Context, set *api.StatefulSet, st *api.StatefulSetStatus, current, update *api.ControllerRevision, rv int64) *api.StatefulSetStatus {
	if ctx.Store().ResourceVersion() == rv {
		return st
	}
	computeStatus(st, set.Spec.MinReadySeconds, ctx.Now(), current.Name, update.Name, ownedPods(ctx.Store(), set))
	return st
}

// runForAll runs fn over n items: one at a time stopping at the first exit (monotonic), or
// in slow-start batches of 1, 2, 4, ... up to 500 that stop only on errors (Parallel).
func runForAll(n int, monotonic bool, fn func(i int) (bool, error)) (bool, error) {
	if monotonic {
		for i := 0; i < n; i++ {
			if exit, err := fn(i); exit || err != nil {
				return true, err
			}
		}
		return false, nil
	}
	batch := 1
	for i := 0; i < n; {
		end := min(n, i+batch)
		var firstErr error
		for ; i < end; i++ {
			if _, err := fn(i); err != nil && firstErr == nil {
				firstErr = err
			}
		}
		if firstErr != nil {
			return true, firstErr
		}
		batch = min(2*batch, 500)
	}
	return false, nil
}

// newVersionedPod is newVersionedStatefulSetPod: ordinals below the partition (or below
// status.currentReplicas when rollingUpdate is unset) get the current revision.
func newVersionedPod(currentSet, updateSet *api.StatefulSet, currentRev, updateRev string, ordinal int) *api.Pod {
	us := currentSet.Spec.UpdateStrategy
	if us.Type == api.RollingUpdateStatefulSet &&
		((us.RollingUpdate == nil && ordinal < startOrdinal(currentSet)+int(currentSet.Status.CurrentReplicas)) ||
			(us.RollingUpdate != nil && ordinal < startOrdinal(currentSet)+int(api.Deref(us.RollingUpdate.Partition, 0)))) {
		return newPod(currentSet, ordinal, currentRev)
	}
	return newPod(updateSet, ordinal, updateRev)
}

// processReplica is upstream's processReplica for replicas[i].
func processReplica(ctx *sim.Context, set, updateSet *api.StatefulSet, monotonic bool, replicas []*slot, i int) (bool, error) {
	s := replicas[i]
	p := s.get()
	if s.created && p.IsTerminal() {
		if p.DeletionTimestamp == nil {
			ctx.Explain(set, "%s is %s: deleting it; it is re-created once the old object is gone", p.Name, p.Status.Phase)
			if err := deletePod(ctx, set, p); err != nil {
				return true, err
			}
		}
		return true, nil
	}
	if !s.created {
		if stale, c := claimIsStale(ctx, set, p); stale {
			ctx.Explain(set, "%s waits: its claim %s from an earlier scale-down is still being deleted", p.Name, c)
			return true, nil
		}
		if err := createPod(ctx, set, p); err != nil {
			return true, err
		}
		if created := ctx.Store().Get("Pod", p.Key()); created != nil {
			replicas[i] = &slot{pod: created.(*api.Pod), created: true}
		}
		return monotonic, nil
	}
	if p.Status.Phase == "" || p.Status.Phase == api.PodPending {
		if err := createMissingClaims(ctx, set, p); err != nil {
			return true, err
		}
	}
	if p.IsTerminating() && monotonic {
		ctx.Explain(set, "OrderedReady: waiting for %s to finish terminating", p.Name)
		return true, nil
	}
	if !isRunningAndReady(p) && monotonic {
		ctx.Explain(set, "OrderedReady: waiting for %s to be Running and Ready before touching higher ordinals", p.Name)
		return true, nil
	}
	if !isRunningAndAvailable(p, set.Spec.MinReadySeconds, ctx.Now()) && monotonic {
		ctx.Explain(set, "OrderedReady: waiting for %s to be available for minReadySeconds %d", p.Name, set.Spec.MinReadySeconds)
		return true, nil
	}
	retention := claimsMatchRetention(ctx, updateSet, p)
	if identityMatches(set, p) && storageMatches(set, p) && retention {
		return false, nil
	}
	return false, updateStatefulPod(ctx, updateSet, p)
}

// processCondemned is upstream's processCondemned.
func processCondemned(ctx *sim.Context, set *api.StatefulSet, firstUnavailable *api.Pod, monotonic bool, p *api.Pod) (bool, error) {
	if p.IsTerminating() {
		if monotonic {
			ctx.Explain(set, "scale down: waiting for %s to be gone before deleting the next ordinal", p.Name)
		}
		return monotonic, nil
	}
	if !isRunningAndReady(p) && monotonic && p != firstUnavailable {
		ctx.Explain(set, "scale down: %s is not Running and Ready and is not the first unhealthy pod: waiting", p.Name)
		return true, nil
	}
	if !isRunningAndAvailable(p, set.Spec.MinReadySeconds, ctx.Now()) && monotonic && p != firstUnavailable {
		ctx.Explain(set, "scale down: %s is not available yet: waiting", p.Name)
		return true, nil
	}
	ctx.Explain(set, "scale down: deleting %s (ordinal %d is outside [%d, %d])", p.Name, ordinalOf(p), startOrdinal(set), endOrdinal(set))
	if err := deletePod(ctx, set, p); err != nil {
		return true, err
	}
	return monotonic, nil
}

// rollingUpdateMaxUnavailable is updateStatefulSetAfterInvariantEstablished (v1.37.2, with
// the Parallel fix of PR #137666: already-unavailable old pods are replaced first and do not
// use the budget).
func rollingUpdateMaxUnavailable(ctx *sim.Context, set *api.StatefulSet, replicas []*slot, update *api.ControllerRevision, monotonic bool) error {
	updateMin, maxUnavailable := 0, 1
	if ru := set.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		updateMin = int(api.Deref(ru.Partition, 0))
		maxUnavailable = resolveMaxUnavailable(ru.MaxUnavailable, len(replicas))
	}
	now := ctx.Now()
	unavailable := func(s *slot) bool {
		return !s.created || !isRunningAndAvailable(s.pod, set.Spec.MinReadySeconds, now) || s.pod.IsTerminating()
	}
	if !monotonic {
		for target := len(replicas) - 1; target >= updateMin; target-- {
			s := replicas[target]
			if s.created && podRevision(s.pod) != update.Name && !s.pod.IsTerminating() && unavailable(s) {
				ctx.Explain(set, "rolling update: %s is at an old revision and already unavailable: deleting it without using the maxUnavailable budget", s.pod.Name)
				if err := deletePod(ctx, set, s.pod); err != nil {
					return err
				}
				if p := ctx.Store().Get("Pod", s.pod.Key()); p != nil {
					replicas[target] = &slot{pod: p.(*api.Pod), created: true}
				} else {
					replicas[target] = &slot{pod: s.pod}
				}
			}
		}
	}
	n := 0
	var unavailableNames []string
	for _, s := range replicas {
		if unavailable(s) {
			n++
			unavailableNames = append(unavailableNames, s.get().Name)
		}
	}
	if n >= maxUnavailable {
		if hasOldRevision(replicas, update, updateMin) {
			ctx.Explain(set, "rolling update: %d unavailable (%s) >= maxUnavailable %d: waiting", n, strings.Join(unavailableNames, ", "), maxUnavailable)
		}
		return nil
	}
	budget := maxUnavailable - n
	for target := len(replicas) - 1; target >= updateMin && budget > 0; target-- {
		p := replicas[target].pod
		if replicas[target].created && podRevision(p) != update.Name && !p.IsTerminating() {
			ctx.Explain(set, "rolling update: %s is at revision %s, update revision is %s; unavailable %d < maxUnavailable %d: deleting it (highest ordinal first)", p.Name, podRevision(p), update.Name, maxUnavailable-budget, maxUnavailable)
			if err := deletePod(ctx, set, p); err != nil {
				return err
			}
			budget--
		}
	}
	return nil
}

func hasOldRevision(replicas []*slot, update *api.ControllerRevision, from int) bool {
	for i := from; i < len(replicas); i++ {
		if replicas[i].created && podRevision(replicas[i].pod) != update.Name {
			return true
		}
	}
	return false
}

// resolveMaxUnavailable is getStatefulSetMaxUnavailable: percentages of replicas round down,
// and the result is at least 1.
func resolveMaxUnavailable(v *api.IntOrString, replicas int) int {
	n, err := api.ScaledValue(v, replicas, false)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// computeStatus counts the pods (workloads.md §8.4).
func computeStatus(st *api.StatefulSetStatus, minReady int32, now api.Time, currentRev, updateRev string, pods []*api.Pod) {
	st.Replicas, st.ReadyReplicas, st.AvailableReplicas, st.CurrentReplicas, st.UpdatedReplicas = 0, 0, 0, 0, 0
	for _, p := range pods {
		if p.Status.Phase == "" {
			continue
		}
		st.Replicas++
		if isRunningAndReady(p) {
			st.ReadyReplicas++
			if isRunningAndAvailable(p, minReady, now) {
				st.AvailableReplicas++
			}
		}
		if p.IsTerminating() {
			continue
		}
		if r := podRevision(p); r == currentRev {
			st.CurrentReplicas++
		}
		if r := podRevision(p); r == updateRev {
			st.UpdatedReplicas++
		}
	}
}

// scheduleAvailability asks to be woken when a Ready pod becomes available.
func scheduleAvailability(ctx *sim.Context, set *api.StatefulSet, pods []*api.Pod) {
	if set.Spec.MinReadySeconds <= 0 {
		return
	}
	for _, p := range pods {
		if c := p.GetCondition(api.PodReady); c != nil && c.Status == api.ConditionTrue {
			// Available at Ready + minReadySeconds (api.Pod.IsAvailable).
			at := c.LastTransitionTime.Add(api.Seconds(int64(set.Spec.MinReadySeconds)))
			if at > ctx.Now() {
				ctx.EnqueueAt(set.Key(), at)
			}
		}
	}
}

// updateStatus is updateStatefulSetStatus with completeRollingUpdate (v1.37.2: for every
// strategy, when updated == ready == status.replicas == spec.replicas).
func updateStatus(ctx *sim.Context, set *api.StatefulSet, st *api.StatefulSetStatus) error {
	replicas := api.Deref(set.Spec.Replicas, 1)
	if st.UpdatedReplicas == replicas && st.ReadyReplicas == replicas && st.Replicas == replicas && st.CurrentRevision != st.UpdateRevision {
		ctx.Explain(set, "update complete: %d pods updated and ready: currentRevision %s -> %s", replicas, st.CurrentRevision, st.UpdateRevision)
		st.CurrentRevision = st.UpdateRevision
		st.CurrentReplicas = st.UpdatedReplicas
	}
	if reflect.DeepEqual(*st, set.Status) {
		return nil
	}
	cur, _ := store.GetAs[*api.StatefulSet](ctx.Store(), "StatefulSet", set.Key())
	if cur == nil {
		return nil
	}
	cp := api.Clone(cur)
	cp.Status = *st
	return ctx.Update(cp)
}

// truncateHistory deletes the oldest revisions that no pod, nor the current or update
// revision, uses, beyond revisionHistoryLimit.
func truncateHistory(ctx *sim.Context, set *api.StatefulSet, pods []*api.Pod, revisions []*api.ControllerRevision, current, update *api.ControllerRevision) error {
	live := map[string]bool{current.Name: true, update.Name: true}
	for _, p := range pods {
		live[podRevision(p)] = true
	}
	var history []*api.ControllerRevision
	for _, r := range revisions {
		if !live[r.Name] {
			history = append(history, r)
		}
	}
	limit := int(api.Deref(set.Spec.RevisionHistoryLimit, 10))
	if len(history) <= limit {
		return nil
	}
	for _, r := range history[:len(history)-limit] {
		if err := ctx.Remove("ControllerRevision", r.Key()); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// Pod control (stateful_pod_control.go): writes and their events.

// recordPodEvent is StatefulPodControl.recordPodEvent (stateful_pod_control.go): the verb
// is title-cased in the reason and in the message ("Create Pod web-0 in StatefulSet web
// successful"; cases.Title upstream).
func recordPodEvent(ctx *sim.Context, verb string, set *api.StatefulSet, name string, err error) {
	title := strings.ToUpper(verb[:1]) + verb[1:]
	if err == nil {
		ctx.Eventf(set, "Normal", "Successful"+title, "%s Pod %s in StatefulSet %s successful", title, name, set.Name)
		return
	}
	ctx.Eventf(set, "Warning", "Failed"+title, "%s Pod %s in StatefulSet %s failed error: %v", title, name, set.Name, err)
}

func createPod(ctx *sim.Context, set *api.StatefulSet, p *api.Pod) error {
	if err := createMissingClaims(ctx, set, p); err != nil {
		recordPodEvent(ctx, "create", set, p.Name, err)
		return err
	}
	cp := api.Clone(p)
	api.Default(cp)
	cp.Status.Phase = api.PodPending
	err := ctx.Create(cp)
	if errors.Is(err, store.ErrAlreadyExists) {
		return err
	}
	recordPodEvent(ctx, "create", set, p.Name, err)
	if err == nil {
		ctx.Explain(set, "created %s at revision %s", p.Name, podRevision(p))
	}
	return err
}

func deletePod(ctx *sim.Context, set *api.StatefulSet, p *api.Pod) error {
	err := ctx.Delete("Pod", p.Key(), sim.DeleteOptions{})
	recordPodEvent(ctx, "delete", set, p.Name, err)
	return err
}

// createMissingClaims creates the pod's claims that do not exist yet, with owner references
// per the retention policy, emitting `Create Claim ... success` events (recordClaimEvent in
// stateful_pod_control.go title-cases the verb).
func createMissingClaims(ctx *sim.Context, set *api.StatefulSet, p *api.Pod) error {
	var errs []string
	missing := false
	for _, k := range claimKeys(set, ordinalOf(p)) {
		missing = missing || ctx.Store().Get("PersistentVolumeClaim", k) == nil
	}
	if !missing {
		return nil
	}
	for _, c := range claimsFor(set, ordinalOf(p)) {
		if ctx.Store().Get("PersistentVolumeClaim", c.Key()) != nil {
			continue
		}
		setClaimOwner(c, set, p)
		api.Default(c)
		err := ctx.Create(c)
		if err == nil {
			ctx.Eventf(set, "Normal", "SuccessfulCreate", "Create Claim %s Pod %s in StatefulSet %s success", c.Name, p.Name, set.Name)
			continue
		}
		errs = append(errs, fmt.Sprintf("failed to create PVC %s: %v", c.Name, err))
		ctx.Eventf(set, "Warning", "FailedCreate", "Create Claim %s for Pod %s in StatefulSet %s failed error: %v", c.Name, p.Name, set.Name, err)
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// claimIsStale is PodClaimIsStale: under whenScaled Delete, a claim still owned by an
// earlier pod of the same name blocks the new pod.
func claimIsStale(ctx *sim.Context, set *api.StatefulSet, p *api.Pod) (bool, string) {
	if pol := set.Spec.PersistentVolumeClaimRetentionPolicy; pol == nil || pol.WhenScaled != api.DeletePVCRetentionPolicy {
		return false, ""
	}
	for _, k := range claimKeys(set, ordinalOf(p)) {
		if cur, ok := store.GetAs[*api.PersistentVolumeClaim](ctx.Store(), "PersistentVolumeClaim", k); ok && hasStaleOwnerRef(cur, p) {
			return true, cur.Name
		}
	}
	return false, ""
}

func claimsMatchRetention(ctx *sim.Context, set *api.StatefulSet, p *api.Pod) bool {
	for _, k := range claimKeys(set, ordinalOf(p)) {
		if cur, ok := store.GetAs[*api.PersistentVolumeClaim](ctx.Store(), "PersistentVolumeClaim", k); ok && !claimOwnerUpToDate(cur, set, p) {
			return false
		}
	}
	return true
}

func fixClaims(ctx *sim.Context, set *api.StatefulSet, p *api.Pod) error {
	for _, k := range claimKeys(set, ordinalOf(p)) {
		cur, ok := store.GetAs[*api.PersistentVolumeClaim](ctx.Store(), "PersistentVolumeClaim", k)
		if !ok || claimOwnerUpToDate(cur, set, p) {
			continue
		}
		cp := api.Clone(cur)
		setClaimOwner(cp, set, p)
		if err := ctx.Update(cp); err != nil {
			return err
		}
	}
	return nil
}

// updateStatefulPod is UpdateStatefulPod: restore identity and storage, fix claim owners,
// write the pod and record `update Pod ... successful`.
func updateStatefulPod(ctx *sim.Context, set *api.StatefulSet, p *api.Pod) error {
	cp := api.Clone(p)
	if !identityMatches(set, cp) {
		updateIdentity(set, cp)
	}
	if !storageMatches(set, cp) {
		updateStorage(set, cp)
		if err := createMissingClaims(ctx, set, cp); err != nil {
			recordPodEvent(ctx, "update", set, p.Name, err)
			return err
		}
	}
	if err := fixClaims(ctx, set, cp); err != nil {
		recordPodEvent(ctx, "update", set, p.Name, err)
		return err
	}
	err := ctx.Update(cp)
	recordPodEvent(ctx, "update", set, p.Name, err)
	return err
}
