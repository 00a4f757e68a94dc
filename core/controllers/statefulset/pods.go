package statefulset

import (
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Pod identity and storage helpers (stateful_set_utils.go).

// parentAndOrdinal splits "web-3" into ("web", 3); the ordinal is -1 when the name has none.
func parentAndOrdinal(name string) (string, int) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return "", -1
	}
	digits := name[i+1:]
	// The canonical decimal form only (what strconv.Itoa would print): no sign, no leading
	// zero; parsed by hand because this runs for every pod on every sync.
	if len(digits) == 0 || len(digits) > 18 || (digits[0] == '0' && len(digits) > 1) {
		return "", -1
	}
	n := 0
	for j := 0; j < len(digits); j++ {
		c := digits[j]
		if c < '0' || c > '9' {
			return "", -1
		}
		n = n*10 + int(c-'0')
	}
	return name[:i], n
}

func ordinalOf(p *api.Pod) int {
	_, o := parentAndOrdinal(p.Name)
	return o
}

func podName(set *api.StatefulSet, ordinal int) string { return set.Name + "-" + strconv.Itoa(ordinal) }

func startOrdinal(set *api.StatefulSet) int {
	if set.Spec.Ordinals != nil {
		return int(set.Spec.Ordinals.Start)
	}
	return 0
}

func endOrdinal(set *api.StatefulSet) int {
	return startOrdinal(set) + int(api.Deref(set.Spec.Replicas, 1)) - 1
}

func inOrdinalRange(p *api.Pod, set *api.StatefulSet) bool {
	o := ordinalOf(p)
	return o >= startOrdinal(set) && o <= endOrdinal(set)
}

// claimName is getPersistentVolumeClaimName: <template>-<set>-<ordinal>.
func claimName(set *api.StatefulSet, tmpl *api.PersistentVolumeClaim, ordinal int) string {
	return tmpl.Name + "-" + set.Name + "-" + strconv.Itoa(ordinal)
}

// claimKeys returns the store keys of the claims of ordinal, without building the claims.
func claimKeys(set *api.StatefulSet, ordinal int) []string {
	out := make([]string, len(set.Spec.VolumeClaimTemplates))
	for i := range set.Spec.VolumeClaimTemplates {
		out[i] = set.Namespace + "/" + claimName(set, &set.Spec.VolumeClaimTemplates[i], ordinal)
	}
	return out
}

// claimsFor returns the claims the pod of ordinal needs (getPersistentVolumeClaims): the
// templates, renamed, in the set's namespace, labelled with the selector's matchLabels.
func claimsFor(set *api.StatefulSet, ordinal int) []*api.PersistentVolumeClaim {
	var out []*api.PersistentVolumeClaim
	for i := range set.Spec.VolumeClaimTemplates {
		c := api.Clone(set.Spec.VolumeClaimTemplates[i])
		c.TypeMeta = api.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"}
		c.Name = claimName(set, &set.Spec.VolumeClaimTemplates[i], ordinal)
		c.Namespace = set.Namespace
		c.UID, c.ResourceVersion = "", 0
		if set.Spec.Selector != nil && len(set.Spec.Selector.MatchLabels) > 0 {
			if c.Labels == nil {
				c.Labels = map[string]string{}
			}
			for k, v := range set.Spec.Selector.MatchLabels {
				c.Labels[k] = v
			}
		}
		out = append(out, &c)
	}
	return out
}

// newPod builds the pod of ordinal from set's template (newStatefulSetPod): template labels
// and annotations, controller reference, identity (name, hostname, subdomain, labels) and
// one volume per claim template.
func newPod(set *api.StatefulSet, ordinal int, revision string) *api.Pod {
	t := &set.Spec.Template
	p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: set.Namespace, Name: podName(set, ordinal),
			Labels: map[string]string{}, OwnerReferences: []api.OwnerReference{api.NewControllerRef(set, "apps/v1")}},
		Spec: api.Clone(t.Spec)}
	for k, v := range t.Labels {
		p.Labels[k] = v
	}
	if len(t.Annotations) > 0 {
		p.Annotations = map[string]string{}
		for k, v := range t.Annotations {
			p.Annotations[k] = v
		}
	}
	p.Finalizers = append([]string(nil), t.Finalizers...)
	updateIdentity(set, p)
	updateStorage(set, p)
	p.Labels[api.ControllerRevisionHash] = revision
	return p
}

// updateIdentity is initIdentity/updateIdentity: hostname = pod name, subdomain = serviceName,
// labels statefulset.kubernetes.io/pod-name and apps.kubernetes.io/pod-index.
func updateIdentity(set *api.StatefulSet, p *api.Pod) {
	_, o := parentAndOrdinal(p.Name)
	p.Namespace = set.Namespace
	p.Spec.Hostname = p.Name
	p.Spec.Subdomain = set.Spec.ServiceName
	if p.Labels == nil {
		p.Labels = map[string]string{}
	}
	p.Labels[api.StatefulSetPodNameLabel] = p.Name
	p.Labels[api.PodIndexLabel] = strconv.Itoa(o)
}

// updateStorage points the pod's volumes named after claim templates at the ordinal's claims.
func updateStorage(set *api.StatefulSet, p *api.Pod) {
	o := ordinalOf(p)
	var vols []api.Volume
	names := map[string]bool{}
	for i := range set.Spec.VolumeClaimTemplates {
		t := &set.Spec.VolumeClaimTemplates[i]
		names[t.Name] = true
		vols = append(vols, api.Volume{Name: t.Name, PersistentVolumeClaim: &api.PVCVolumeSource{ClaimName: claimName(set, t, o)}})
	}
	for _, v := range p.Spec.Volumes {
		if !names[v.Name] {
			vols = append(vols, v)
		}
	}
	p.Spec.Volumes = vols
}

func identityMatches(set *api.StatefulSet, p *api.Pod) bool {
	parent, o := parentAndOrdinal(p.Name)
	return o >= 0 && parent == set.Name && p.Namespace == set.Namespace &&
		p.Labels[api.StatefulSetPodNameLabel] == p.Name && p.Labels[api.PodIndexLabel] == strconv.Itoa(o)
}

func storageMatches(set *api.StatefulSet, p *api.Pod) bool {
	o := ordinalOf(p)
	for i := range set.Spec.VolumeClaimTemplates {
		t := &set.Spec.VolumeClaimTemplates[i]
		var v *api.Volume // the last volume of that name, as a map keyed by name would keep
		for j := range p.Spec.Volumes {
			if p.Spec.Volumes[j].Name == t.Name {
				v = &p.Spec.Volumes[j]
			}
		}
		if v == nil || v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != claimName(set, t, o) {
			return false
		}
	}
	return true
}

func podRevision(p *api.Pod) string { return p.Labels[api.ControllerRevisionHash] }

func isRunningAndReady(p *api.Pod) bool { return p.Status.Phase == api.PodRunning && p.IsReady() }

func isRunningAndAvailable(p *api.Pod, minReady int32, now api.Time) bool {
	return p.Status.Phase == api.PodRunning && p.IsAvailable(minReady, now)
}

// isUnavailable: not Available for minReadySeconds, or terminating (v1.37.2
// stateful_set_utils.go isUnavailable; it replaced isHealthy, Ready and not terminating, in
// the choice of the first unavailable pod and in the rolling update's wait).
func isUnavailable(p *api.Pod, minReady int32, now api.Time) bool {
	return !p.IsAvailable(minReady, now) || p.IsTerminating()
}

// PVC retention (KEP-1847, stateful_set_utils.go updateClaimOwnerRefForSetAndPod).

func ownerRef(o api.Object, apiVersion string) api.OwnerReference {
	return api.NewControllerRef(o, apiVersion)
}

// desiredClaimOwner returns the owner a claim of pod must have under the set's policy:
// the set (whenDeleted Delete, pod in range), the pod (whenScaled Delete, pod condemned),
// or nil (Retain).
func desiredClaimOwner(set *api.StatefulSet, p *api.Pod) api.Object {
	pol := set.Spec.PersistentVolumeClaimRetentionPolicy
	whenDeleted, whenScaled := api.RetainPVCRetentionPolicy, api.RetainPVCRetentionPolicy
	if pol != nil {
		whenDeleted, whenScaled = pol.WhenDeleted, pol.WhenScaled
	}
	scaledDown := !inOrdinalRange(p, set)
	switch {
	case whenScaled == api.DeletePVCRetentionPolicy && scaledDown:
		return p
	case whenDeleted == api.DeletePVCRetentionPolicy:
		return set
	}
	return nil
}

// claimOwnerUpToDate reports whether the claim's references to the set and the pod are
// what the policy asks for; other owners are left alone.
func claimOwnerUpToDate(c *api.PersistentVolumeClaim, set *api.StatefulSet, p *api.Pod) bool {
	want := desiredClaimOwner(set, p)
	hasSet, hasPod := false, false
	for _, r := range c.OwnerReferences {
		if r.Kind == "StatefulSet" && r.UID == set.UID {
			hasSet = true
		}
		if r.Kind == "Pod" && r.Name == p.Name && r.UID == p.UID {
			hasPod = true
		}
	}
	switch want {
	case nil:
		return !hasSet && !hasPod
	case api.Object(set):
		return hasSet && !hasPod
	}
	return hasPod && !hasSet
}

// setClaimOwner rewrites the claim's references to the set and the pod per the policy.
func setClaimOwner(c *api.PersistentVolumeClaim, set *api.StatefulSet, p *api.Pod) {
	var refs []api.OwnerReference
	for _, r := range c.OwnerReferences {
		if (r.Kind == "StatefulSet" && r.Name == set.Name) || (r.Kind == "Pod" && r.Name == p.Name) {
			continue
		}
		refs = append(refs, r)
	}
	switch want := desiredClaimOwner(set, p).(type) {
	case *api.StatefulSet:
		refs = append(refs, ownerRef(want, "apps/v1"))
	case *api.Pod:
		refs = append(refs, ownerRef(want, "v1"))
	}
	c.OwnerReferences = refs
}

// hasStaleOwnerRef: the claim names a pod of the same name with another UID (a claim left
// over from a scale-down whose deletion is still pending).
func hasStaleOwnerRef(c *api.PersistentVolumeClaim, p *api.Pod) bool {
	for _, r := range c.OwnerReferences {
		if r.Kind == "Pod" && r.Name == p.Name && r.UID != p.UID {
			return true
		}
	}
	return false
}
