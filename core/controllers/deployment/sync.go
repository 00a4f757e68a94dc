package deployment

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// sync is the paused / scaling-event path: proportional scaling, history cleanup when
// paused, status (sync.go sync).
func (s *syncer) sync(rsList []*api.ReplicaSet) error {
	newRS, olds, err := s.allReplicaSetsAndSyncRevision(rsList, false)
	if err != nil {
		return err
	}
	if newRS, olds, err = s.scale(newRS, olds); err != nil {
		return err
	}
	if s.d.Spec.Paused {
		if err := s.cleanupDeployment(olds); err != nil {
			return err
		}
	}
	return s.syncDeploymentStatus(append(olds, newRS), newRS)
}

// isScalingEvent reports whether an active RS's desired-replicas annotation differs from
// spec.replicas.
func (s *syncer) isScalingEvent(rsList []*api.ReplicaSet) (bool, error) {
	newRS, olds, err := s.allReplicaSetsAndSyncRevision(rsList, false)
	if err != nil {
		return false, err
	}
	for _, rs := range activeRSs(append(olds, newRS)) {
		if want, ok := intAnnotation(rs, api.DesiredReplicasAnnotation); ok && want != desired(s.d) {
			s.ctx.Explain(s.d, "scaling event: replica set %s was sized for %d replicas, the deployment now wants %d", rs.Name, want, desired(s.d))
			return true, nil
		}
	}
	return false, nil
}

// allReplicaSetsAndSyncRevision splits rsList into the new RS (found or, when create is
// set, created) and the old ones.
func (s *syncer) allReplicaSetsAndSyncRevision(rsList []*api.ReplicaSet, create bool) (*api.ReplicaSet, []*api.ReplicaSet, error) {
	found := findNewReplicaSet(s.d, rsList)
	var olds []*api.ReplicaSet
	for _, rs := range rsList {
		if rs != found {
			olds = append(olds, rs)
		}
	}
	newRS, err := s.newReplicaSet(found, olds, create)
	return newRS, olds, err
}

// findNewReplicaSet is FindNewReplicaSet: the oldest RS whose template equals the
// Deployment's, ignoring pod-template-hash.
func findNewReplicaSet(d *api.Deployment, rsList []*api.ReplicaSet) *api.ReplicaSet {
	sorted := slices.Clone(rsList)
	slices.SortStableFunc(sorted, byCreation)
	for _, rs := range sorted {
		if api.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
			return rs
		}
	}
	return nil
}

// newReplicaSet is getNewReplicaSet: bring an existing new RS's revision annotations and
// minReadySeconds up to date, or create the new RS at its NewRSNewReplicas size.
func (s *syncer) newReplicaSet(existing *api.ReplicaSet, olds []*api.ReplicaSet, create bool) (*api.ReplicaSet, error) {
	d, ctx := s.d, s.ctx
	newRevision := strconv.FormatInt(maxRevision(olds)+1, 10)
	if existing != nil {
		cp := api.Clone(existing)
		oldRev := existing.Annotations[api.RevisionAnnotation]
		changed := setNewReplicaSetAnnotations(d, cp, newRevision, true)
		if changed || cp.Spec.MinReadySeconds != d.Spec.MinReadySeconds {
			cp.Spec.MinReadySeconds = d.Spec.MinReadySeconds
			if err := ctx.Update(cp); err != nil {
				return nil, err
			}
			if newRev := cp.Annotations[api.RevisionAnnotation]; newRev != oldRev && oldRev != "" {
				ctx.Explain(cp, "template matches the deployment again: revision %s becomes %s (revision-history %s)", oldRev, newRev, cp.Annotations[api.RevisionHistoryAnnotation])
			}
			return cp, nil
		}
		dc := api.Clone(d)
		needs := setDeploymentRevision(dc, existing.Annotations[api.RevisionAnnotation])
		if hasProgressDeadline(d) && api.GetDeploymentCondition(d.Status.Conditions, api.DeploymentProgressing) == nil {
			setCondition(&dc.Status, newCondition(api.DeploymentProgressing, api.ConditionTrue, api.FoundNewRSReason,
				fmt.Sprintf("Found new replica set %q", existing.Name), ctx.Now()))
			needs = true
		}
		if needs {
			if err := s.updateDeployment(dc); err != nil {
				return nil, err
			}
		}
		return existing, nil
	}
	if !create {
		return nil, nil
	}

	hash := ComputeHash(&d.Spec.Template, d.Status.CollisionCount)
	t := api.Clone(d.Spec.Template)
	t.Labels = cloneAdd(t.Labels, api.PodTemplateHashLabel, hash)
	sel := api.Clone(d.Spec.Selector)
	sel.MatchLabels = cloneAdd(sel.MatchLabels, api.PodTemplateHashLabel, hash)
	name := d.Name
	if max := 253 - 1 - len(hash); len(name) > max {
		name = name[:max]
	}
	rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"}}
	rs.Name = name + "-" + hash
	rs.Namespace = d.Namespace
	rs.OwnerReferences = []api.OwnerReference{api.NewControllerRef(d, "apps/v1")}
	rs.Labels = maps(t.Labels)
	rs.Spec = api.ReplicaSetSpec{Replicas: api.Ptr(int32(0)), MinReadySeconds: d.Spec.MinReadySeconds, Selector: sel, Template: t}
	all := append(slices.Clone(olds), rs)
	n, err := NewRSNewReplicas(d, all, rs)
	if err != nil {
		return nil, err
	}
	rs.Spec.Replicas = &n
	setNewReplicaSetAnnotations(d, rs, newRevision, false)

	err = ctx.Create(rs)
	alreadyExists := false
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		alreadyExists = true
		prev, _ := store.GetAs[*api.ReplicaSet](ctx.Store(), "ReplicaSet", rs.Key())
		if ref := api.ControllerOf(&prev.ObjectMeta); ref != nil && ref.UID == d.UID && api.EqualIgnoreHash(&prev.Spec.Template, &d.Spec.Template) {
			rs, err = prev, nil
			break
		}
		dc := api.Clone(d)
		cc := api.Deref(dc.Status.CollisionCount, 0) + 1
		dc.Status.CollisionCount = &cc
		ctx.Explain(d, "replica set name %s is taken by a different template: collisionCount becomes %d", rs.Name, cc)
		if uerr := s.updateDeployment(dc); uerr != nil {
			return nil, uerr
		}
		return nil, err
	case err != nil:
		msg := fmt.Sprintf("Failed to create new replica set %q: %v", rs.Name, err)
		ctx.Event(d, "Warning", api.FailedRSCreateReason, msg)
		if hasProgressDeadline(d) {
			dc := api.Clone(d)
			setCondition(&dc.Status, newCondition(api.DeploymentProgressing, api.ConditionFalse, api.FailedRSCreateReason, msg, ctx.Now()))
			if uerr := s.updateDeployment(dc); uerr != nil {
				return nil, uerr
			}
		}
		return nil, err
	}
	if !alreadyExists {
		ctx.Explain(rs, "new pod template (revision %s): create replica set %s with %d replicas (%s)", newRevision, rs.Name, n, s.createArithmetic(olds, n))
		if n > 0 {
			ctx.Eventf(d, "Normal", "ScalingReplicaSet", "Scaled up replica set %s from 0 to %d", rs.Name, n)
		}
	}
	dc := api.Clone(d)
	needs := setDeploymentRevision(dc, newRevision)
	if !alreadyExists && hasProgressDeadline(d) {
		setCondition(&dc.Status, newCondition(api.DeploymentProgressing, api.ConditionTrue, api.NewReplicaSetReason,
			fmt.Sprintf("Created new replica set %q", rs.Name), ctx.Now()))
		needs = true
	}
	if needs {
		if err := s.updateDeployment(dc); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

func (s *syncer) createArithmetic(olds []*api.ReplicaSet, n int32) string {
	d := s.d
	if d.Spec.Strategy.Type == api.RecreateDeploymentStrategy {
		return "Recreate starts at full size"
	}
	return fmt.Sprintf("maxSurge %d allows %d pods; %d exist by spec", d.MaxSurge(), desired(d)+d.MaxSurge(), sumSpec(olds))
}

func cloneAdd(m map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for kk, vv := range m {
		out[kk] = vv
	}
	out[k] = v
	return out
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// setDeploymentRevision is SetDeploymentRevision.
func setDeploymentRevision(d *api.Deployment, rev string) bool {
	if d.Annotations[api.RevisionAnnotation] == rev {
		return false
	}
	if d.Annotations == nil {
		d.Annotations = map[string]string{}
	}
	d.Annotations[api.RevisionAnnotation] = rev
	return true
}

// scaleReplicaSetAndRecordEvent resizes rs unless it already has newScale.
func (s *syncer) scaleReplicaSetAndRecordEvent(rs *api.ReplicaSet, newScale int32) (bool, *api.ReplicaSet, error) {
	if replicas(rs) == newScale {
		return false, rs, nil
	}
	return s.scaleReplicaSet(rs, newScale)
}

// scaleReplicaSet writes the new size and refreshed replica annotations; it emits
// ScalingReplicaSet when the size changed (direction per RS, 1.37 wording).
func (s *syncer) scaleReplicaSet(rs *api.ReplicaSet, newScale int32) (bool, *api.ReplicaSet, error) {
	d := s.d
	sizeChange := replicas(rs) != newScale
	annChange := replicasAnnotationsNeedUpdate(rs, desired(d), desired(d)+d.MaxSurge())
	if !sizeChange && !annChange {
		return false, rs, nil
	}
	old := replicas(rs)
	cp := api.Clone(rs)
	cp.Spec.Replicas = api.Ptr(newScale)
	setReplicasAnnotations(cp, desired(d), desired(d)+d.MaxSurge())
	if err := s.ctx.Update(cp); err != nil {
		return false, rs, err
	}
	if sizeChange {
		dir := "down"
		if old < newScale {
			dir = "up"
		}
		s.ctx.Eventf(d, "Normal", "ScalingReplicaSet", "Scaled %s replica set %s from %d to %d", dir, rs.Name, old, newScale)
	}
	return sizeChange, cp, nil
}

// scale is the proportional scaling of workloads.md §3 (sync.go scale). It returns the RSes
// as written.
func (s *syncer) scale(newRS *api.ReplicaSet, olds []*api.ReplicaSet) (*api.ReplicaSet, []*api.ReplicaSet, error) {
	d := s.d
	written := map[*api.ReplicaSet]*api.ReplicaSet{}
	result := func() (*api.ReplicaSet, []*api.ReplicaSet) {
		outOlds := make([]*api.ReplicaSet, len(olds))
		for i, o := range olds {
			outOlds[i] = o
			if w, ok := written[o]; ok {
				outOlds[i] = w
			}
		}
		if w, ok := written[newRS]; ok && newRS != nil {
			return w, outOlds
		}
		return newRS, outOlds
	}
	if one := findActiveOrLatest(newRS, olds); one != nil {
		if replicas(one) == desired(d) {
			return newRS, olds, nil
		}
		s.ctx.Explain(d, "only %s is active: resize it from %d to %d replicas", one.Name, replicas(one), desired(d))
		_, w, err := s.scaleReplicaSetAndRecordEvent(one, desired(d))
		written[one] = w
		n, o := result()
		return n, o, err
	}
	if isSaturated(d, newRS) {
		s.ctx.Explain(d, "new replica set %s is saturated (%d available): scale every old replica set to 0", newRS.Name, newRS.Status.AvailableReplicas)
		for _, old := range activeRSs(olds) {
			_, w, err := s.scaleReplicaSetAndRecordEvent(old, 0)
			written[old] = w
			if err != nil {
				n, o := result()
				return n, o, err
			}
		}
		n, o := result()
		return n, o, nil
	}
	if !d.IsRollingUpdate() {
		return newRS, olds, nil
	}
	all := activeRSs(append(slices.Clone(olds), newRS))
	total := sumSpec(all)
	var allowed int32
	if desired(d) > 0 {
		allowed = desired(d) + d.MaxSurge()
	}
	toAdd := allowed - total
	switch {
	case toAdd > 0:
		slices.SortStableFunc(all, bySizeNewer)
	case toAdd < 0:
		slices.SortStableFunc(all, bySizeOlder)
	}
	sizes := make([]int32, len(all))
	var added int32
	for i, rs := range all {
		sizes[i] = replicas(rs)
		if toAdd != 0 {
			p := replicaSetProportion(rs, d, toAdd, added)
			sizes[i] += p
			added += p
		}
	}
	if toAdd != 0 && len(all) > 0 {
		sizes[0] = max(0, sizes[0]+toAdd-added)
	}
	s.ctx.Explain(d, "proportional scaling: replicas %d + maxSurge %d allows %d, active replica sets hold %d: distribute %+d (%s)",
		desired(d), d.MaxSurge(), allowed, total, toAdd, describeSizes(all, sizes))
	for i, rs := range all {
		_, w, err := s.scaleReplicaSet(rs, sizes[i])
		written[rs] = w
		if err != nil {
			n, o := result()
			return n, o, err
		}
	}
	n, o := result()
	return n, o, nil
}

func describeSizes(rss []*api.ReplicaSet, sizes []int32) string {
	out := ""
	for i, rs := range rss {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %d->%d", rs.Name, replicas(rs), sizes[i])
	}
	return out
}

// cleanupDeployment is cleanupDeployment (workloads.md §5.4).
func (s *syncer) cleanupDeployment(olds []*api.ReplicaSet) error {
	d := s.d
	lim := d.Spec.RevisionHistoryLimit
	if lim == nil || *lim == 1<<31-1 {
		return nil
	}
	var cands []*api.ReplicaSet
	for _, rs := range olds {
		if rs != nil && rs.DeletionTimestamp == nil {
			cands = append(cands, rs)
		}
	}
	diff := len(cands) - int(*lim)
	if diff <= 0 {
		return nil
	}
	slices.SortStableFunc(cands, byRevision)
	for _, rs := range cands[:diff] {
		if rs.Status.Replicas != 0 || replicas(rs) != 0 || rs.Generation > rs.Status.ObservedGeneration || rs.DeletionTimestamp != nil {
			continue
		}
		s.ctx.Explain(d, "revisionHistoryLimit %d: %d old replica sets, delete %s (revision %d, scaled down)", *lim, len(cands), rs.Name, api.Revision(&rs.ObjectMeta))
		if err := s.ctx.Delete("ReplicaSet", rs.Key(), sim.DeleteOptions{}); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// calculateStatus is calculateStatus (workloads.md §6.1): counts from RS status, the
// unavailable count from RS spec, and the Available condition.
func (s *syncer) calculateStatus(all []*api.ReplicaSet, newRS *api.ReplicaSet) api.DeploymentStatus {
	d := s.d
	available := sumAvailable(all)
	unavailable := max(0, sumSpec(all)-available)
	st := api.DeploymentStatus{
		ObservedGeneration:  d.Generation,
		Replicas:            sumStatus(all),
		UpdatedReplicas:     sumStatus([]*api.ReplicaSet{newRS}),
		ReadyReplicas:       sumReady(all),
		AvailableReplicas:   available,
		UnavailableReplicas: unavailable,
		CollisionCount:      d.Status.CollisionCount,
		TerminatingReplicas: sumTerminating(all),
		Conditions:          slices.Clone(d.Status.Conditions),
	}
	if available >= desired(d)-d.MaxUnavailable() {
		setCondition(&st, newCondition(api.DeploymentAvailable, api.ConditionTrue, api.MinimumReplicasAvailable, "Deployment has minimum availability.", s.ctx.Now()))
	} else {
		setCondition(&st, newCondition(api.DeploymentAvailable, api.ConditionFalse, api.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", s.ctx.Now()))
	}
	return st
}

// syncDeploymentStatus writes the calculated status if it changed.
func (s *syncer) syncDeploymentStatus(all []*api.ReplicaSet, newRS *api.ReplicaSet) error {
	st := s.calculateStatus(all, newRS)
	return s.writeStatus(st)
}

func (s *syncer) writeStatus(st api.DeploymentStatus) error {
	if reflect.DeepEqual(normStatus(s.d.Status), normStatus(st)) {
		return nil
	}
	dc := api.Clone(s.d)
	dc.Status = st
	return s.updateDeployment(dc)
}

func normStatus(st api.DeploymentStatus) api.DeploymentStatus {
	if len(st.Conditions) == 0 {
		st.Conditions = nil
	}
	return st
}

// syncStatusOnly recomputes status for a Deployment being deleted.
func (s *syncer) syncStatusOnly(rsList []*api.ReplicaSet) error {
	newRS, olds, err := s.allReplicaSetsAndSyncRevision(rsList, false)
	if err != nil {
		return err
	}
	return s.syncDeploymentStatus(append(olds, newRS), newRS)
}
