package deployment

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// maxRevHistoryLengthInChars bounds the revision-history annotation (sync.go).
const maxRevHistoryLengthInChars = 2000

// hashAlphabet is apimachinery's rand alphanums, used by SafeEncodeString.
const hashAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// ComputeHash returns the pod-template-hash of a template (controller_utils.go ComputeHash):
// FNV-32a over a canonical encoding of the template (here its JSON, where upstream uses a
// spew dump, so values differ from a real cluster's), then the collision count as 8
// little-endian bytes, printed in decimal and safe-encoded into hashAlphabet.
func ComputeHash(t *api.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	b, err := json.Marshal(t)
	if err != nil {
		panic(fmt.Sprintf("deployment: encoding template: %v", err))
	}
	h.Write(b)
	if collisionCount != nil {
		cc := make([]byte, 8)
		binary.LittleEndian.PutUint32(cc, uint32(*collisionCount))
		h.Write(cc)
	}
	s := []byte(strconv.FormatUint(uint64(h.Sum32()), 10))
	for i, c := range s {
		s[i] = hashAlphabet[int(c)%len(hashAlphabet)]
	}
	return string(s)
}

// replicas is spec.replicas of an RS (defaulted 1 like the API).
func replicas(rs *api.ReplicaSet) int32 { return api.Deref(rs.Spec.Replicas, 1) }

func desired(d *api.Deployment) int32 { return api.Deref(d.Spec.Replicas, 1) }

// sumOf adds f over the ReplicaSets, skipping nil ones (upstream's Get*CountForReplicaSets).
func sumOf(rss []*api.ReplicaSet, f func(*api.ReplicaSet) int32) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += f(rs)
		}
	}
	return n
}

// sumSpec is GetReplicaCountForReplicaSets: Σ spec.replicas.
func sumSpec(rss []*api.ReplicaSet) int32 { return sumOf(rss, replicas) }

// sumStatus is GetActualReplicaCountForReplicaSets: Σ status.replicas.
func sumStatus(rss []*api.ReplicaSet) int32 {
	return sumOf(rss, func(rs *api.ReplicaSet) int32 { return rs.Status.Replicas })
}

// sumReady is GetReadyReplicaCountForReplicaSets: Σ status.readyReplicas.
func sumReady(rss []*api.ReplicaSet) int32 {
	return sumOf(rss, func(rs *api.ReplicaSet) int32 { return rs.Status.ReadyReplicas })
}

// sumAvailable is GetAvailableReplicaCountForReplicaSets: Σ status.availableReplicas.
func sumAvailable(rss []*api.ReplicaSet) int32 {
	return sumOf(rss, func(rs *api.ReplicaSet) int32 { return rs.Status.AvailableReplicas })
}

// sumTerminating is GetTerminatingReplicaCountForReplicaSets: nil if any RS does not report.
func sumTerminating(rss []*api.ReplicaSet) *int32 {
	var n int32
	for _, rs := range rss {
		if rs == nil {
			continue
		}
		if rs.Status.TerminatingReplicas == nil {
			return nil
		}
		n += *rs.Status.TerminatingReplicas
	}
	return &n
}

// activeRSs is FilterActiveReplicaSets: spec.replicas > 0.
func activeRSs(rss []*api.ReplicaSet) []*api.ReplicaSet {
	var out []*api.ReplicaSet
	for _, rs := range rss {
		if rs != nil && replicas(rs) > 0 {
			out = append(out, rs)
		}
	}
	return out
}

// byCreation is ReplicaSetsByCreationTimestamp: older first, then name.
func byCreation(a, b *api.ReplicaSet) int {
	if a.CreationTimestamp != b.CreationTimestamp {
		if a.CreationTimestamp < b.CreationTimestamp {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Name, b.Name)
}

// bySizeNewer is ReplicaSetsBySizeNewer: larger first, ties newest first.
func bySizeNewer(a, b *api.ReplicaSet) int {
	if replicas(a) != replicas(b) {
		return int(replicas(b) - replicas(a))
	}
	return byCreation(b, a)
}

// bySizeOlder is ReplicaSetsBySizeOlder: larger first, ties oldest first.
func bySizeOlder(a, b *api.ReplicaSet) int {
	if replicas(a) != replicas(b) {
		return int(replicas(b) - replicas(a))
	}
	return byCreation(a, b)
}

// byRevision is ReplicaSetsByRevision: lower revision first, then creation.
func byRevision(a, b *api.ReplicaSet) int {
	ra, rb := api.Revision(&a.ObjectMeta), api.Revision(&b.ObjectMeta)
	if ra != rb {
		if ra < rb {
			return -1
		}
		return 1
	}
	return byCreation(a, b)
}

// NewRSNewReplicas is the size the new RS should have now (deployment_util.go
// NewRSNewReplicas): for RollingUpdate, grow by what maxSurge leaves of replicas+maxSurge
// over the spec sum, never past replicas; for Recreate, replicas.
//
// Example: replicas 4, maxSurge 1, spec sum 4 with the new RS at 0 -> 1.
func NewRSNewReplicas(d *api.Deployment, all []*api.ReplicaSet, newRS *api.ReplicaSet) (int32, error) {
	switch d.Spec.Strategy.Type {
	case api.RollingUpdateDeploymentStrategy:
		var ms *api.IntOrString
		if d.Spec.Strategy.RollingUpdate != nil {
			ms = d.Spec.Strategy.RollingUpdate.MaxSurge
		}
		surge, err := api.ScaledValue(ms, int(desired(d)), true)
		if err != nil {
			return 0, err
		}
		current := sumSpec(all)
		maxTotal := desired(d) + int32(surge)
		if current >= maxTotal {
			return replicas(newRS), nil
		}
		up := min(maxTotal-current, desired(d)-replicas(newRS))
		return replicas(newRS) + up, nil
	case api.RecreateDeploymentStrategy:
		return desired(d), nil
	}
	return 0, fmt.Errorf("deployment type %v isn't supported", d.Spec.Strategy.Type)
}

// replicaSetFraction is getReplicaSetFraction: how many replicas rs gains (or loses) when the
// Deployment goes from its max-replicas annotation to replicas+maxSurge, rounded half away
// from zero.
//
// Example: RS 8 of max-replicas 13, new replicas 15 + surge 3 = 18: round(8*18/13) - 8 = 3.
func replicaSetFraction(rs *api.ReplicaSet, d *api.Deployment) int32 {
	if desired(d) == 0 {
		return -replicas(rs)
	}
	maxNow := desired(d) + d.MaxSurge()
	before, ok := intAnnotation(rs, api.MaxReplicasAnnotation)
	if !ok || before == 0 {
		before = d.Status.Replicas
		if before == 0 {
			return 0
		}
	}
	return roundDiv(int64(replicas(rs))*int64(maxNow), int64(before)) - replicas(rs)
}

// roundDiv is math.Round(a/b) for a >= 0, b > 0 (half away from zero), in integers.
func roundDiv(a, b int64) int32 { return int32((2*a + b) / (2 * b)) }

// replicaSetProportion is GetReplicaSetProportion: rs's share of toAdd, clamped to what is
// still left to distribute.
func replicaSetProportion(rs *api.ReplicaSet, d *api.Deployment, toAdd, added int32) int32 {
	if rs == nil || replicas(rs) == 0 || toAdd == 0 || toAdd == added {
		return 0
	}
	f := replicaSetFraction(rs, d)
	allowed := toAdd - added
	if toAdd > 0 {
		return min(f, allowed)
	}
	return max(f, allowed)
}

func intAnnotation(rs *api.ReplicaSet, key string) (int32, bool) {
	v, ok := rs.Annotations[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, false
	}
	return int32(n), true
}

// isSaturated is IsSaturated: the new RS has replicas by spec, annotation and availability.
func isSaturated(d *api.Deployment, rs *api.ReplicaSet) bool {
	if rs == nil {
		return false
	}
	want, ok := intAnnotation(rs, api.DesiredReplicasAnnotation)
	return ok && want == desired(d) && replicas(rs) == desired(d) && rs.Status.AvailableReplicas == desired(d)
}

// findActiveOrLatest is FindActiveOrLatest: the only active RS, else (none active) the new RS
// or the newest old one; nil when several are active.
func findActiveOrLatest(newRS *api.ReplicaSet, olds []*api.ReplicaSet) *api.ReplicaSet {
	if newRS == nil && len(olds) == 0 {
		return nil
	}
	olds = slices.Clone(olds)
	slices.SortStableFunc(olds, func(a, b *api.ReplicaSet) int { return byCreation(b, a) })
	all := activeRSs(append(olds, newRS))
	switch len(all) {
	case 0:
		if newRS != nil {
			return newRS
		}
		return olds[0]
	case 1:
		return all[0]
	}
	return nil
}

// deploymentComplete is DeploymentComplete.
func deploymentComplete(d *api.Deployment, st *api.DeploymentStatus) bool {
	r := desired(d)
	return st.UpdatedReplicas == r && st.Replicas == r && st.AvailableReplicas == r && st.ObservedGeneration >= d.Generation
}

// deploymentProgressing is DeploymentProgressing: compares st with d.Status.
func deploymentProgressing(d *api.Deployment, st *api.DeploymentStatus) bool {
	old := d.Status
	return st.UpdatedReplicas > old.UpdatedReplicas ||
		st.Replicas-st.UpdatedReplicas < old.Replicas-old.UpdatedReplicas ||
		st.ReadyReplicas > old.ReadyReplicas || st.AvailableReplicas > old.AvailableReplicas
}

func hasProgressDeadline(d *api.Deployment) bool {
	return d.Spec.ProgressDeadlineSeconds != nil && *d.Spec.ProgressDeadlineSeconds != 1<<31-1
}

// deploymentTimedOut is DeploymentTimedOut (the deadline passes strictly after
// lastUpdateTime + progressDeadlineSeconds).
func deploymentTimedOut(d *api.Deployment, st *api.DeploymentStatus, now api.Time) bool {
	if !hasProgressDeadline(d) {
		return false
	}
	c := api.GetDeploymentCondition(st.Conditions, api.DeploymentProgressing)
	if c == nil || c.Reason == api.NewRSAvailableReason {
		return false
	}
	if c.Reason == api.TimedOutReason {
		return true
	}
	return c.LastUpdateTime.Add(api.Seconds(int64(*d.Spec.ProgressDeadlineSeconds))) < now
}

// newCondition is NewDeploymentCondition at now.
func newCondition(t, status, reason, msg string, now api.Time) api.DeploymentCondition {
	return api.DeploymentCondition{Type: t, Status: status, LastUpdateTime: now, LastTransitionTime: now, Reason: reason, Message: msg}
}

// setCondition is SetDeploymentCondition: no-op for the same status and reason; keeps the
// transition time when only the reason changes; moves the condition to the end.
func setCondition(st *api.DeploymentStatus, c api.DeploymentCondition) {
	cur := api.GetDeploymentCondition(st.Conditions, c.Type)
	if cur != nil && cur.Status == c.Status && cur.Reason == c.Reason {
		return
	}
	if cur != nil && cur.Status == c.Status {
		c.LastTransitionTime = cur.LastTransitionTime
	}
	removeCondition(st, c.Type)
	st.Conditions = append(st.Conditions, c)
}

func removeCondition(st *api.DeploymentStatus, t string) {
	out := st.Conditions[:0:0]
	for _, c := range st.Conditions {
		if c.Type != t {
			out = append(out, c)
		}
	}
	st.Conditions = out
	if len(st.Conditions) == 0 {
		st.Conditions = nil
	}
}

// skipCopyAnnotation lists the Deployment annotations not copied to its ReplicaSets.
func skipCopyAnnotation(k string) bool {
	switch k {
	case api.LastAppliedConfigAnnotation, api.RevisionAnnotation, api.RevisionHistoryAnnotation,
		api.DesiredReplicasAnnotation, api.MaxReplicasAnnotation, api.RollbackToAnnotation:
		return true
	}
	return false
}

// setNewReplicaSetAnnotations is SetNewReplicaSetAnnotations: copy the Deployment's
// annotations, raise the revision (recording the old one in revision-history when an old RS
// is re-used) and, for a new RS, the replica annotations. It reports whether rs changed.
func setNewReplicaSetAnnotations(d *api.Deployment, rs *api.ReplicaSet, newRevision string, exists bool) bool {
	changed := false
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	for _, k := range api.SortedKeys(d.Annotations) {
		if skipCopyAnnotation(k) || rs.Annotations[k] == d.Annotations[k] {
			continue
		}
		rs.Annotations[k] = d.Annotations[k]
		changed = true
	}
	oldRevision, had := rs.Annotations[api.RevisionAnnotation]
	oldInt, err := strconv.ParseInt(oldRevision, 10, 64)
	if err != nil {
		if oldRevision != "" {
			return false
		}
		oldInt = 0
	}
	newInt, _ := strconv.ParseInt(newRevision, 10, 64)
	if oldInt < newInt {
		rs.Annotations[api.RevisionAnnotation] = newRevision
		changed = true
	}
	if had && oldInt < newInt {
		hist := rs.Annotations[api.RevisionHistoryAnnotation]
		olds := strings.Split(hist, ",")
		if len(olds[0]) == 0 {
			rs.Annotations[api.RevisionHistoryAnnotation] = oldRevision
		} else {
			total := len(hist) + len(oldRevision) + 1
			start := 0
			for total > maxRevHistoryLengthInChars && start < len(olds) {
				total -= len(olds[start]) + 1
				start++
			}
			if total <= maxRevHistoryLengthInChars {
				rs.Annotations[api.RevisionHistoryAnnotation] = strings.Join(append(olds[start:], oldRevision), ",")
			}
		}
	}
	if !exists && setReplicasAnnotations(rs, desired(d), desired(d)+d.MaxSurge()) {
		changed = true
	}
	return changed
}

// setReplicasAnnotations is SetReplicasAnnotations.
func setReplicasAnnotations(rs *api.ReplicaSet, want, maxTotal int32) bool {
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	w, m := strconv.Itoa(int(want)), strconv.Itoa(int(maxTotal))
	changed := false
	if rs.Annotations[api.DesiredReplicasAnnotation] != w {
		rs.Annotations[api.DesiredReplicasAnnotation] = w
		changed = true
	}
	if rs.Annotations[api.MaxReplicasAnnotation] != m {
		rs.Annotations[api.MaxReplicasAnnotation] = m
		changed = true
	}
	return changed
}

func replicasAnnotationsNeedUpdate(rs *api.ReplicaSet, want, maxTotal int32) bool {
	return rs.Annotations[api.DesiredReplicasAnnotation] != strconv.Itoa(int(want)) ||
		rs.Annotations[api.MaxReplicasAnnotation] != strconv.Itoa(int(maxTotal))
}

// maxRevision is MaxRevision over the RSes.
func maxRevision(rss []*api.ReplicaSet) int64 {
	var m int64
	for _, rs := range rss {
		if rs != nil {
			m = max(m, api.Revision(&rs.ObjectMeta))
		}
	}
	return m
}
