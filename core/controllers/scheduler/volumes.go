package scheduler

import (
	"fmt"
	"slices"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// VolumeBinding plugin texts (v1.37.2 pkg/scheduler/framework/plugins/volumebinding/
// volume_binding.go, binder.go; pods.md §10.2, §11).
const (
	ReasonUnboundImmediate = "pod has unbound immediate PersistentVolumeClaims"
	ReasonBindConflict     = "node(s) didn't find available persistent volumes to bind"
	ReasonVolumeNode       = "node(s) didn't match PersistentVolume's node affinity"
	ReasonPVNotExist       = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
	// noProvisioner is the provisioner of classes that only bind pre-created volumes.
	noProvisioner = "kubernetes.io/no-provisioner"
)

// BindTimeout is the VolumeBinding PreBind wait for the claims to become Bound
// (bindTimeoutSeconds, default 600).
const BindTimeout = 600 * api.Second

// podClaims are the claims of a pod (volume order) that VolumeBinding looks at.
type podClaims struct {
	bound   []*api.PersistentVolumeClaim // Bound (or pre-bound to a volume)
	delayed []*api.PersistentVolumeClaim // unbound, WaitForFirstConsumer
}

// preFilterVolumes is VolumeBinding's PreFilter: every claim must exist and not be being
// deleted, and no claim of an Immediate class may be unbound; the rejection is
// UnschedulableAndUnresolvable (preemption cannot help). It returns the claims sorted into
// bound and delayed-binding ones, or the rejection message.
func preFilterVolumes(s *store.Store, p *api.Pod) (podClaims, string) {
	var pc podClaims
	unboundImmediate := false
	for i := range p.Spec.Volumes {
		v := p.Spec.Volumes[i].PersistentVolumeClaim
		if v == nil {
			continue
		}
		o := s.Get("PersistentVolumeClaim", p.Namespace+"/"+v.ClaimName)
		if o == nil {
			return pc, fmt.Sprintf("persistentvolumeclaim %q not found", v.ClaimName)
		}
		c := o.(*api.PersistentVolumeClaim)
		if c.DeletionTimestamp != nil {
			return pc, fmt.Sprintf("persistentvolumeclaim %q is being deleted", v.ClaimName)
		}
		if c.Status.Phase == api.ClaimBound || c.Spec.VolumeName != "" {
			pc.bound = append(pc.bound, c)
			continue
		}
		if delayedBinding(s, c) {
			pc.delayed = append(pc.delayed, c)
		} else {
			unboundImmediate = true
		}
	}
	if unboundImmediate {
		return pc, ReasonUnboundImmediate
	}
	return pc, ""
}

// delayedBinding reports whether the claim's class binds WaitForFirstConsumer
// (pkg/scheduler/framework/plugins/volumebinding: IsDelayBindingMode).
//
// A claim without storageClassName gets the default class: upstream the DefaultStorageClass
// admission plugin writes it at creation; in kubesim the volume controller assigns it a
// moment later, so the scheduler resolves it the same way meanwhile.
func delayedBinding(s *store.Store, c *api.PersistentVolumeClaim) bool {
	sc := claimClass(s, c)
	return sc != nil && api.Deref(sc.VolumeBindingMode, api.VolumeBindingImmediate) == api.VolumeBindingWaitForFirstConsumer
}

// claimClass returns the claim's StorageClass (the default one when it names none), or nil.
func claimClass(s *store.Store, c *api.PersistentVolumeClaim) *api.StorageClass {
	if c.Spec.StorageClassName == nil {
		var def *api.StorageClass
		for _, sc := range store.ListAs[*api.StorageClass](s, "StorageClass", "") {
			if sc.Annotations[api.DefaultStorageClassAnnotation] == "true" && (def == nil || sc.CreationTimestamp >= def.CreationTimestamp) {
				def = sc
			}
		}
		return def
	}
	if *c.Spec.StorageClassName == "" {
		return nil
	}
	if o := s.Get("StorageClass", *c.Spec.StorageClassName); o != nil {
		return o.(*api.StorageClass)
	}
	return nil
}

// filterVolumes is VolumeBinding's Filter for one node: a bound claim's volume must exist and
// its nodeAffinity must admit the node; an unbound WaitForFirstConsumer claim needs an
// Available volume the node can reach or a class that provisions dynamically. It returns the
// node's reasons (sorted like upstream's ConflictReasons) or nil.
func filterVolumes(s *store.Store, pc podClaims, n *api.Node) []string {
	if len(pc.bound) == 0 && len(pc.delayed) == 0 {
		return nil
	}
	var reasons []string
	add := func(r string) {
		if !slices.Contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	for _, c := range pc.bound {
		o := s.Get("PersistentVolume", c.Spec.VolumeName)
		if o == nil {
			add(ReasonPVNotExist)
			continue
		}
		if !volumeReachable(o.(*api.PersistentVolume), n) {
			add(ReasonVolumeNode)
		}
	}
	for _, c := range pc.delayed {
		if !canBindOrProvision(s, c, n) {
			add(ReasonBindConflict)
		}
	}
	slices.Sort(reasons)
	return reasons
}

// volumeReachable checks a volume's spec.nodeAffinity against the node's labels
// (volume util CheckNodeAffinity: terms ORed, expressions ANDed).
func volumeReachable(pv *api.PersistentVolume, n *api.Node) bool {
	if pv.Spec.NodeAffinity == nil || pv.Spec.NodeAffinity.Required == nil {
		return true
	}
	for i := range pv.Spec.NodeAffinity.Required.NodeSelectorTerms {
		if termMatches(&pv.Spec.NodeAffinity.Required.NodeSelectorTerms[i], n) {
			return true
		}
	}
	return false
}

// canBindOrProvision is FindPodVolumes for one unbound delayed claim: an Available volume of
// its class with the access modes and capacity that the node can reach, or a provisioner.
func canBindOrProvision(s *store.Store, c *api.PersistentVolumeClaim, n *api.Node) bool {
	sc := claimClass(s, c)
	if sc == nil {
		return false
	}
	class := sc.Name
	want := c.Spec.Resources.Requests["storage"]
	for _, pv := range store.ListAs[*api.PersistentVolume](s, "PersistentVolume", "") {
		if pv.Spec.StorageClassName != class || pv.DeletionTimestamp != nil {
			continue
		}
		if r := pv.Spec.ClaimRef; r != nil && (r.Name != c.Name || r.Namespace != c.Namespace) {
			continue
		}
		if pv.Spec.ClaimRef == nil && pv.Status.Phase != api.VolumeAvailable {
			continue
		}
		if c.Spec.Selector != nil && !c.Spec.Selector.Matches(pv.Labels) {
			continue
		}
		ok := true
		for _, m := range c.Spec.AccessModes {
			ok = ok && slices.Contains(pv.Spec.AccessModes, m)
		}
		if capacity := pv.Spec.Capacity["storage"]; ok && capacity.Milli >= want.Milli && volumeReachable(pv, n) {
			return true
		}
	}
	return sc.Provisioner != noProvisioner
}

// claimsBound reports whether every persistentVolumeClaim of the pod is Bound
// (BindPodVolumes' checkBindings).
func claimsBound(s *store.Store, p *api.Pod) bool {
	return len(api.UnreadyClaims(p, func(name string) *api.PersistentVolumeClaim {
		if o := s.Get("PersistentVolumeClaim", p.Namespace+"/"+name); o != nil {
			return o.(*api.PersistentVolumeClaim)
		}
		return nil
	})) == 0
}

// hasClaims reports whether the pod uses any persistentVolumeClaim volume.
func hasClaims(p *api.Pod) bool {
	for i := range p.Spec.Volumes {
		if p.Spec.Volumes[i].PersistentVolumeClaim != nil {
			return true
		}
	}
	return false
}
