package invariant

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// Rules for StatefulSets, volumes, endpoints and cluster DNS (workloads.md §8, pods.md §11-14).

func init() {
	RegisterStateful("statefulset-ordered-ready", newOrderedReady)
	Register("statefulset-one-pod-per-ordinal", statefulSetOnePodPerOrdinal)
	Register("statefulset-retained-claims-exist", statefulSetRetainedClaims)
	Register("headless-dns-equals-ready-endpoints", headlessDNSEqualsReadyEndpoints)
	Register("endpoint-conditions-match-pods", endpointConditionsMatchPods)
	Register("volume-bound-to-one-claim", volumeBoundToOneClaim)
	Register("claims-bound-before-containers-start", claimsBoundBeforeContainersStart)
}

// claimsBoundBeforeContainersStart: a pod whose containers have started (any container or
// init container Running or Terminated, including its sidecars) mounts only claims that exist
// and were Bound: the scheduler binds the pod only once its claims are Bound (VolumeBinding
// PreBind) and the kubelet mounts every volume before it starts a container (pods.md §11).
// Afterwards a claim may become Lost (its PV deleted) or Terminating (kept by
// pvc-protection), but it cannot be Pending again or disappear while the pod is not terminal.
func claimsBoundBeforeContainersStart(s *store.Store, _ api.Time) error {
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		if p.IsTerminal() || !anyContainerStarted(p) {
			continue
		}
		for _, v := range p.Spec.Volumes {
			if v.PersistentVolumeClaim == nil {
				continue
			}
			c, ok := store.GetAs[*api.PersistentVolumeClaim](s, "PersistentVolumeClaim", p.Namespace+"/"+v.PersistentVolumeClaim.ClaimName)
			switch {
			case !ok:
				return objErr("Pod", p.Key(), "pod %s has started containers but its claim %s does not exist", p.Key(), v.PersistentVolumeClaim.ClaimName)
			case c.Status.Phase != api.ClaimBound && c.Status.Phase != api.ClaimLost:
				return objErr("Pod", p.Key(), "pod %s has started containers but its claim %s is %q, not Bound", p.Key(), c.Name, c.Status.Phase)
			}
		}
	}
	return nil
}

func anyContainerStarted(p *api.Pod) bool {
	for _, list := range [][]api.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses} {
		for _, c := range list {
			if c.State.Running != nil || c.State.Terminated != nil || c.LastTerminationState.Terminated != nil {
				return true
			}
		}
	}
	return false
}

func stsPods(s *store.Store, set *api.StatefulSet) []*api.Pod {
	return store.ByIndexAs[*api.Pod](s, "owner", "Pod", set.UID)
}

// orderedReady is the stateful rule statefulset-ordered-ready. Under OrderedReady the
// controller creates the pod of ordinal k only when every lower ordinal of the replica range
// (from spec.ordinals.start) exists, is not terminating, is Running and Ready, and is
// available when minReadySeconds > 0: phase 1 of updateStatefulSet walks the slots in
// ascending order and stops at the first that is missing or not healthy (workloads.md §8.5;
// upstream pkg/controller/statefulset/stateful_set_control.go processReplica,
// isRunningAndReady / isRunningAndAvailable).
//
// The rule checks that decision where it is made: it watches the store (Observer) and, at
// the write that creates a pod of an OrderedReady set, checks every lower ordinal in the
// store as it is at that moment, which is what the controller saw. What happens to a pod
// after its successor was created (a readiness flap, a node failure and recovery, a crash
// loop, a rolling update replacing it in the same instant) cannot break it; a stateless rule
// that dated readiness by the Ready condition's lastTransitionTime, and a rule that compared
// instants, both got those wrong (kubesim check seeds 84, 963, 5111).
type orderedReady struct {
	violation error // the first broken creation, reported at the next Check
}

func newOrderedReady() Rule { return &orderedReady{} }

// stsHealthy is isRunningAndReady plus availability for minReadySeconds > 0, and not
// terminating: what phase 1 waits for before it moves to the next ordinal.
func stsHealthy(p *api.Pod, minReady int32, now api.Time) bool {
	return p.Status.Phase == api.PodRunning && !p.IsTerminating() && p.IsReady() && p.IsAvailable(minReady, now)
}

// Observe judges each pod creation against the store at that moment.
func (r *orderedReady) Observe(s *store.Store, c store.Change) {
	if r.violation != nil || c.Kind != "Pod" || c.Type != store.Added {
		return
	}
	p := c.New.(*api.Pod)
	ref := api.ControllerOf(&p.ObjectMeta)
	if ref == nil || ref.Kind != "StatefulSet" {
		return
	}
	set, ok := store.GetAs[*api.StatefulSet](s, "StatefulSet", p.Namespace+"/"+ref.Name)
	if !ok || set.UID != ref.UID || set.Spec.PodManagementPolicy == api.ParallelPodManagement {
		return
	}
	k := ordinal(p)
	if k < 0 {
		return // no ordinal: another rule's business
	}
	var now api.Time
	if s.Clock != nil {
		now = s.Clock()
	}
	start := 0
	if set.Spec.Ordinals != nil {
		start = int(set.Spec.Ordinals.Start)
	}
	for i := start; i < k; i++ {
		name := fmt.Sprintf("%s-%d", set.Name, i)
		lo, ok := store.GetAs[*api.Pod](s, "Pod", set.Namespace+"/"+name)
		switch {
		case !ok:
			r.violation = objErr("Pod", p.Key(), "statefulset %s (OrderedReady): pod %s was created while %s did not exist", set.Key(), p.Name, name)
		case !stsHealthy(lo, set.Spec.MinReadySeconds, now):
			r.violation = objErr("Pod", p.Key(), "statefulset %s (OrderedReady): pod %s was created while %s was not Running and Ready%s (phase %s, ready %v, terminating %v)",
				set.Key(), p.Name, name, availableText(set.Spec.MinReadySeconds), lo.Status.Phase, lo.IsReady(), lo.IsTerminating())
		default:
			continue
		}
		return
	}
}

// Check reports the first broken creation observed so far.
func (r *orderedReady) Check(*store.Store, api.Time) error { return r.violation }

func availableText(minReady int32) string {
	if minReady > 0 {
		return fmt.Sprintf(" and available for minReadySeconds %d", minReady)
	}
	return ""
}

func ordinal(p *api.Pod) int {
	i := strings.LastIndexByte(p.Name, '-')
	if i < 0 {
		return -1
	}
	n := 0
	for _, ch := range p.Name[i+1:] {
		if ch < '0' || ch > '9' {
			return -1
		}
		n = n*10 + int(ch-'0')
	}
	return n
}

// statefulSetOnePodPerOrdinal: no two pods carry the same StatefulSet identity.
func statefulSetOnePodPerOrdinal(s *store.Store, _ api.Time) error {
	seen := map[string]string{}
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		id, ok := p.Labels[api.StatefulSetPodNameLabel]
		if !ok {
			continue
		}
		r := api.ControllerOf(&p.ObjectMeta)
		if r == nil || r.Kind != "StatefulSet" {
			continue
		}
		key := p.Namespace + "/" + r.Name + "/" + id
		if other, dup := seen[key]; dup {
			return fmt.Errorf("pods %s and %s both have identity %s", other, p.Key(), id)
		}
		seen[key] = p.Key()
		if id != p.Name {
			return fmt.Errorf("pod %s has identity label %s", p.Key(), id)
		}
	}
	return nil
}

// statefulSetRetainedClaims: under the Retain/Retain policy (the default) the claims of every
// pod of the set exist and are not being deleted by the controller.
func statefulSetRetainedClaims(s *store.Store, _ api.Time) error {
	for _, set := range store.ListAs[*api.StatefulSet](s, "StatefulSet", "") {
		if pol := set.Spec.PersistentVolumeClaimRetentionPolicy; pol != nil &&
			(pol.WhenDeleted == api.DeletePVCRetentionPolicy || pol.WhenScaled == api.DeletePVCRetentionPolicy) {
			continue
		}
		for _, p := range stsPods(s, set) {
			o := ordinal(p)
			for _, t := range set.Spec.VolumeClaimTemplates {
				name := fmt.Sprintf("%s-%s-%d", t.Name, set.Name, o)
				c, ok := store.GetAs[*api.PersistentVolumeClaim](s, "PersistentVolumeClaim", set.Namespace+"/"+name)
				if !ok {
					return fmt.Errorf("statefulset %s (Retain): claim %s of pod %s does not exist", set.Key(), name, p.Name)
				}
				if r := api.ControllerOf(&c.ObjectMeta); r != nil && (r.Kind == "StatefulSet" || r.Kind == "Pod") && c.Labels != nil && set.Spec.Selector.Matches(c.Labels) {
					return fmt.Errorf("statefulset %s (Retain): claim %s is owned by %s %s and would be garbage-collected", set.Key(), name, r.Kind, r.Name)
				}
			}
		}
	}
	return nil
}

// headlessDNSEqualsReadyEndpoints: the A records of a headless Service name are exactly the
// ready endpoint addresses of its slices.
func headlessDNSEqualsReadyEndpoints(s *store.Store, _ api.Time) error {
	if s.Len("DNSRecord") == 0 {
		return nil // no DNS controller in this cluster
	}
	records := map[string][]string{}
	for _, r := range store.ListAs[*api.DNSRecord](s, "DNSRecord", "") {
		if r.Type == "A" {
			records[r.FQDN] = append(records[r.FQDN], r.Data)
		}
	}
	slices := map[string][]*api.EndpointSlice{}
	for _, es := range store.ListAs[*api.EndpointSlice](s, "EndpointSlice", "") {
		slices[es.Namespace+"/"+es.Labels[api.ServiceNameLabel]] = append(slices[es.Namespace+"/"+es.Labels[api.ServiceNameLabel]], es)
	}
	for _, svc := range store.ListAs[*api.Service](s, "Service", "") {
		if svc.Spec.ClusterIP != api.ClusterIPNone {
			continue
		}
		var ready []string
		seen := map[string]bool{}
		for _, es := range slices[svc.Key()] {
			for _, ep := range es.Endpoints {
				if ep.Conditions.Ready != nil && !*ep.Conditions.Ready {
					continue
				}
				for _, a := range ep.Addresses {
					if !seen[a] {
						seen[a] = true
						ready = append(ready, a)
					}
				}
			}
		}
		got := append([]string(nil), records[svc.Name+"."+svc.Namespace+".svc.cluster.local"]...)
		sort.Strings(ready)
		sort.Strings(got)
		if strings.Join(ready, ",") != strings.Join(got, ",") {
			return fmt.Errorf("headless service %s: DNS A records [%s] differ from ready endpoints [%s]", svc.Key(), strings.Join(got, " "), strings.Join(ready, " "))
		}
	}
	return nil
}

// endpointConditionsMatchPods: every endpoint's ready/serving/terminating conditions agree
// with its pod (pods.md §12).
func endpointConditionsMatchPods(s *store.Store, _ api.Time) error {
	for _, es := range store.ListAs[*api.EndpointSlice](s, "EndpointSlice", "") {
		svc, _ := store.GetAs[*api.Service](s, "Service", es.Namespace+"/"+es.Labels[api.ServiceNameLabel])
		if svc == nil {
			continue
		}
		for _, ep := range es.Endpoints {
			if ep.TargetRef == nil || ep.TargetRef.Kind != "Pod" {
				continue
			}
			p, ok := store.GetAs[*api.Pod](s, "Pod", ep.TargetRef.Namespace+"/"+ep.TargetRef.Name)
			if !ok {
				return fmt.Errorf("endpointslice %s lists pod %s, which does not exist", es.Key(), ep.TargetRef.Name)
			}
			serving, terminating := p.IsReady(), p.DeletionTimestamp != nil
			ready := svc.Spec.PublishNotReadyAddresses || (serving && !terminating)
			if api.Deref(ep.Conditions.Ready, true) != ready || api.Deref(ep.Conditions.Serving, true) != serving || api.Deref(ep.Conditions.Terminating, false) != terminating {
				return fmt.Errorf("endpointslice %s: endpoint of pod %s has ready=%v serving=%v terminating=%v, pod says %v/%v/%v", es.Key(), p.Name,
					api.Deref(ep.Conditions.Ready, true), api.Deref(ep.Conditions.Serving, true), api.Deref(ep.Conditions.Terminating, false), ready, serving, terminating)
			}
		}
	}
	return nil
}

// volumeBoundToOneClaim: a volume is bound to at most one claim, and a bound claim's volume
// points back at it.
func volumeBoundToOneClaim(s *store.Store, _ api.Time) error {
	byVolume := map[string]string{}
	for _, c := range store.ListAs[*api.PersistentVolumeClaim](s, "PersistentVolumeClaim", "") {
		if c.Spec.VolumeName == "" || c.Status.Phase != api.ClaimBound {
			continue
		}
		if other, dup := byVolume[c.Spec.VolumeName]; dup {
			return fmt.Errorf("volume %s is bound to claims %s and %s", c.Spec.VolumeName, other, c.Key())
		}
		byVolume[c.Spec.VolumeName] = c.Key()
		pv, ok := store.GetAs[*api.PersistentVolume](s, "PersistentVolume", c.Spec.VolumeName)
		if !ok {
			return fmt.Errorf("claim %s is Bound to volume %s, which does not exist", c.Key(), c.Spec.VolumeName)
		}
		if r := pv.Spec.ClaimRef; r == nil || r.Name != c.Name || r.Namespace != c.Namespace || (r.UID != "" && r.UID != c.UID) {
			return fmt.Errorf("claim %s is Bound to volume %s, whose claimRef points elsewhere", c.Key(), pv.Name)
		}
	}
	return nil
}
