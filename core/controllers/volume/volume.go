package volume

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Controller is the PV controller.
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return "persistentvolume-controller" }

const (
	pvcKind = "PersistentVolumeClaim"
	pvKind  = "PersistentVolume"
	// NoProvisioner is the provisioner of classes for statically created local volumes.
	NoProvisioner = "kubernetes.io/no-provisioner"
)

// Watch enqueues "PersistentVolumeClaim|ns/name" and "PersistentVolume|name" keys: every
// changed claim and volume, the claims of a pod that got a node or went away, and every
// pending claim when a class or an available volume appears.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case pvcKind:
		ctx.Enqueue(pvcKind + "|" + c.Key)
	case pvKind:
		ctx.Enqueue(pvKind + "|" + c.Key)
		if pv, ok := c.Object().(*api.PersistentVolume); ok && c.Type != store.Deleted {
			if r := pv.Spec.ClaimRef; r == nil {
				enqueuePending(ctx)
			} else {
				// A volume pre-bound to a claim: upstream binds it at the claim's next periodic
				// resync (--pvclaimbinder-sync-period, 15 s); here at once.
				ctx.Enqueue(pvcKind + "|" + r.Namespace + "/" + r.Name)
			}
		}
		if pv := c.Old; pv != nil {
			if r := pv.(*api.PersistentVolume).Spec.ClaimRef; r != nil {
				ctx.Enqueue(pvcKind + "|" + r.Namespace + "/" + r.Name)
			}
		}
	case "StorageClass":
		if c.Type == store.Added {
			enqueuePending(ctx)
		}
	case "Pod":
		var old, cur *api.Pod
		if c.Old != nil {
			old = c.Old.(*api.Pod)
		}
		if c.New != nil {
			cur = c.New.(*api.Pod)
		}
		relevant := c.Type == store.Deleted || (old == nil) || (old.Spec.NodeName == "" && cur.Spec.NodeName != "") ||
			(!old.IsTerminal() && cur.IsTerminal())
		if !relevant {
			return
		}
		p := c.Object().(*api.Pod)
		for _, v := range p.Spec.Volumes {
			if v.PersistentVolumeClaim != nil {
				ctx.Enqueue(pvcKind + "|" + p.Namespace + "/" + v.PersistentVolumeClaim.ClaimName)
			}
		}
	}
}

func enqueuePending(ctx *sim.Context) {
	for _, pvc := range store.ListAs[*api.PersistentVolumeClaim](ctx.Store(), pvcKind, "") {
		if pvc.Status.Phase == api.ClaimPending || pvc.Status.Phase == "" {
			ctx.Enqueue(pvcKind + "|" + pvc.Key())
		}
	}
}

// Reconcile syncs one claim or volume.
func (c Controller) Reconcile(ctx *sim.Context, key string) error {
	kind, k, _ := strings.Cut(key, "|")
	if kind == pvKind {
		return syncVolume(ctx, k)
	}
	return syncClaim(ctx, k)
}

// podsUsing returns the non-terminal pods that mount the claim, sorted by key.
func podsUsing(s *store.Store, pvc *api.PersistentVolumeClaim) []*api.Pod {
	var out []*api.Pod
	for _, p := range store.ListAs[*api.Pod](s, "Pod", pvc.Namespace) {
		if p.IsTerminal() {
			continue
		}
		for _, v := range p.Spec.Volumes {
			if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == pvc.Name {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// podsProtecting returns the pods that keep a deleted claim: every pod bound to a node that
// mounts it, whatever its phase (pvc_protection_controller.go podUsesPVC: the kubelet sees a
// pod only once it is scheduled, and a finished pod still holds its volumes until deleted).
func podsProtecting(s *store.Store, pvc *api.PersistentVolumeClaim) []*api.Pod {
	var out []*api.Pod
	for _, p := range store.ListAs[*api.Pod](s, "Pod", pvc.Namespace) {
		if p.Spec.NodeName == "" {
			continue
		}
		for _, v := range p.Spec.Volumes {
			if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == pvc.Name {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

func syncClaim(ctx *sim.Context, key string) error {
	pvc, ok := store.GetAs[*api.PersistentVolumeClaim](ctx.Store(), pvcKind, key)
	if !ok {
		return nil
	}
	// pvc-protection: added on creation (admission), removed once no pod uses a deleted claim.
	if pvc.DeletionTimestamp != nil {
		if users := podsProtecting(ctx.Store(), pvc); len(users) > 0 {
			ctx.Explain(pvc, "claim is being deleted but pod %s still uses it: kubernetes.io/pvc-protection keeps it Terminating", users[0].Name)
			return nil
		}
		cp := api.Clone(pvc)
		cp.Finalizers = slices.DeleteFunc(cp.Finalizers, func(f string) bool { return f == api.PVCProtectionFinalizer })
		if len(cp.Finalizers) == 0 {
			if err := ctx.Remove(pvcKind, key); err != nil {
				return err
			}
			return releaseVolume(ctx, pvc)
		}
		return ctx.Update(cp)
	}
	if !slices.Contains(pvc.Finalizers, api.PVCProtectionFinalizer) {
		cp := api.Clone(pvc)
		cp.Finalizers = append(cp.Finalizers, api.PVCProtectionFinalizer)
		if cp.Status.Phase == "" {
			cp.Status.Phase = api.ClaimPending
		}
		return ctx.Update(cp)
	}
	if pvc.Status.Phase == api.ClaimBound || pvc.Status.Phase == api.ClaimLost {
		pv, _ := store.GetAs[*api.PersistentVolume](ctx.Store(), pvKind, pvc.Spec.VolumeName)
		if pv == nil && pvc.Status.Phase == api.ClaimBound {
			cp := api.Clone(pvc)
			cp.Status.Phase = api.ClaimLost
			if err := ctx.Update(cp); err != nil {
				return err
			}
			ctx.Event(cp, "Warning", "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!")
		}
		return nil
	}
	// Pending.
	className := api.Deref(pvc.Spec.StorageClassName, "")
	if pvc.Spec.StorageClassName == nil {
		// Retroactive default StorageClass assignment (GA 1.28).
		if def := defaultClass(ctx.Store()); def != nil {
			cp := api.Clone(pvc)
			cp.Spec.StorageClassName = api.Ptr(def.Name)
			return ctx.Update(cp)
		}
	}
	var class *api.StorageClass
	if className != "" {
		class, _ = store.GetAs[*api.StorageClass](ctx.Store(), "StorageClass", className)
	}
	if class != nil && api.Deref(class.VolumeBindingMode, api.VolumeBindingImmediate) == api.VolumeBindingWaitForFirstConsumer &&
		pvc.Annotations[api.SelectedNodeAnnotation] == "" {
		users := podsUsing(ctx.Store(), pvc)
		var node string
		for _, p := range users {
			if p.Spec.NodeName != "" {
				node = p.Spec.NodeName
				break
			}
		}
		if node == "" {
			if len(users) == 0 {
				ctx.Event(pvc, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding")
			} else {
				ctx.Eventf(pvc, "Normal", "WaitForPodScheduled", "waiting for pod %s to be scheduled", users[0].Name)
			}
			return nil
		}
		// The scheduler records its choice on the claim (volume binder AssumePodVolumes).
		cp := api.Clone(pvc)
		if cp.Annotations == nil {
			cp.Annotations = map[string]string{}
		}
		cp.Annotations[api.SelectedNodeAnnotation] = node
		ctx.Explain(pvc, "first consumer %s is on node %s: provisioning in that topology", users[0].Name, node)
		return ctx.Update(cp)
	}
	if pv := findMatch(ctx.Store(), pvc, className); pv != nil {
		return bind(ctx, pvc, pv)
	}
	if class == nil {
		if className == "" {
			ctx.Event(pvc, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set")
		} else {
			ctx.Eventf(pvc, "Warning", "ProvisioningFailed", "storageclass.storage.k8s.io %q not found", className)
		}
		return nil
	}
	if class.Provisioner == NoProvisioner {
		ctx.Event(pvc, "Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set")
		return nil
	}
	return provision(ctx, pvc, class)
}

func defaultClass(s *store.Store) *api.StorageClass {
	var def *api.StorageClass
	for _, sc := range store.ListAs[*api.StorageClass](s, "StorageClass", "") {
		if sc.Annotations[api.DefaultStorageClassAnnotation] == "true" {
			// Several defaults: the newest wins (GetDefaultClass, 1.26+).
			if def == nil || sc.CreationTimestamp >= def.CreationTimestamp {
				def = sc
			}
		}
	}
	return def
}

func requested(pvc *api.PersistentVolumeClaim) int64 {
	q := pvc.Spec.Resources.Requests["storage"]
	return q.Milli
}

// findMatch is findBestMatchForClaim (pkg/controller/volume/persistentvolume/index.go
// findByClaim, with FindMatchingVolume of component-helpers/storage/volume): volumes are
// grouped by their set of access modes and only groups holding every requested mode are
// searched, the fewest modes first, so the claim gets what is closest to what it asked for.
// Within a group, a volume pre-bound to the claim wins if it is big enough; otherwise the
// smallest Available volume of the claim's class and volume mode that fits (and matches
// the claim's selector). Groups with as many modes go in name order (upstream: index order).
func findMatch(s *store.Store, pvc *api.PersistentVolumeClaim, className string) *api.PersistentVolume {
	groups := map[string][]*api.PersistentVolume{}
	for _, pv := range store.ListAs[*api.PersistentVolume](s, pvKind, "") {
		if pvc.Spec.VolumeName != "" && pv.Name != pvc.Spec.VolumeName {
			continue
		}
		modes := slices.Compact(slices.Sorted(slices.Values(pv.Spec.AccessModes)))
		ok := len(modes) > 0
		for _, m := range pvc.Spec.AccessModes {
			ok = ok && slices.Contains(modes, m)
		}
		if ok {
			k := strings.Join(modes, ",")
			groups[k] = append(groups[k], pv)
		}
	}
	keys := api.SortedKeys(groups)
	sort.SliceStable(keys, func(i, j int) bool { return strings.Count(keys[i], ",") < strings.Count(keys[j], ",") })
	for _, k := range keys {
		if pv := matchInGroup(pvc, className, groups[k]); pv != nil {
			return pv
		}
	}
	return nil
}

func matchInGroup(pvc *api.PersistentVolumeClaim, className string, pvs []*api.PersistentVolume) *api.PersistentVolume {
	var best *api.PersistentVolume
	for _, pv := range pvs {
		capacity := pv.Spec.Capacity["storage"]
		if api.Deref(pv.Spec.VolumeMode, "Filesystem") != api.Deref(pvc.Spec.VolumeMode, "Filesystem") || pv.DeletionTimestamp != nil {
			continue
		}
		if r := pv.Spec.ClaimRef; r != nil {
			if r.Name == pvc.Name && r.Namespace == pvc.Namespace && (r.UID == "" || r.UID == pvc.UID) && capacity.Milli >= requested(pvc) {
				return pv // pre-bound to this claim
			}
			continue
		}
		if pv.Status.Phase != api.VolumeAvailable || pv.Spec.StorageClassName != className ||
			(pvc.Spec.Selector != nil && !pvc.Spec.Selector.Matches(pv.Labels)) || capacity.Milli < requested(pvc) {
			continue
		}
		if best == nil || capacity.Milli < best.Spec.Capacity["storage"].Milli {
			best = pv
		}
	}
	return best
}

// bind writes both halves of a binding: the volume's claimRef and phase, then the claim's
// volumeName, phase, capacity and access modes.
func bind(ctx *sim.Context, pvc *api.PersistentVolumeClaim, pv *api.PersistentVolume) error {
	v := api.Clone(pv)
	v.Spec.ClaimRef = &api.ObjectReference{Kind: pvcKind, Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID}
	v.Status.Phase = api.VolumeBound
	if v.Annotations == nil {
		v.Annotations = map[string]string{}
	}
	v.Annotations["pv.kubernetes.io/bound-by-controller"] = "yes"
	if err := ctx.Update(v); err != nil {
		return err
	}
	c := api.Clone(pvc)
	c.Spec.VolumeName = pv.Name
	c.Status.Phase = api.ClaimBound
	c.Status.AccessModes = append([]string(nil), pv.Spec.AccessModes...)
	c.Status.Capacity = api.ResourceList{"storage": pv.Spec.Capacity["storage"]}
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[api.BindCompletedAnnotation] = "yes"
	c.Annotations["pv.kubernetes.io/bound-by-controller"] = "yes"
	ctx.Explain(pvc, "bound to volume %s (%s, %s)", pv.Name, pv.Spec.Capacity["storage"].String(), strings.Join(pv.Spec.AccessModes, ","))
	return ctx.Update(c)
}

// provision is the external provisioner's work, done at once: a volume pvc-<claim uid> of the
// requested size with the class's reclaim policy, pre-bound to the claim.
func provision(ctx *sim.Context, pvc *api.PersistentVolumeClaim, class *api.StorageClass) error {
	ctx.Eventf(pvc, "Normal", "ExternalProvisioning", "Waiting for a volume to be created either by the external provisioner '%s' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.", class.Provisioner)
	ctx.Eventf(pvc, "Normal", "Provisioning", "External provisioner is provisioning volume for claim %q", pvc.Namespace+"/"+pvc.Name)
	name := "pvc-" + pvc.UID
	pv := &api.PersistentVolume{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: pvKind},
		ObjectMeta: api.ObjectMeta{Name: name, Annotations: map[string]string{api.ProvisionedByAnnotation: class.Provisioner}},
		Spec: api.PersistentVolumeSpec{Capacity: api.ResourceList{"storage": pvc.Spec.Resources.Requests["storage"]},
			AccessModes:                   append([]string(nil), pvc.Spec.AccessModes...),
			ClaimRef:                      &api.ObjectReference{Kind: pvcKind, Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID},
			PersistentVolumeReclaimPolicy: api.Deref(class.ReclaimPolicy, "Delete"), StorageClassName: class.Name,
			VolumeMode: pvc.Spec.VolumeMode, CSI: &api.CSIVolumeSource{Driver: class.Provisioner, VolumeHandle: name}},
		Status: api.PersistentVolumeStatus{Phase: api.VolumePending}}
	if node := pvc.Annotations[api.SelectedNodeAnnotation]; node != "" {
		pv.Spec.NodeAffinity = &api.VolumeNodeAffinity{Required: &api.NodeSelector{NodeSelectorTerms: []api.NodeSelectorTerm{{
			MatchExpressions: []api.NodeSelectorRequirement{{Key: "kubernetes.io/hostname", Operator: "In", Values: []string{node}}}}}}}
	}
	if err := ctx.Create(pv); err != nil {
		return fmt.Errorf("provisioning %s: %w", name, err)
	}
	ctx.Eventf(pvc, "Normal", "ProvisioningSucceeded", "Successfully provisioned volume %s", name)
	c := api.Clone(pvc)
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[api.StorageProvisionerAnnotation] = class.Provisioner
	if err := ctx.Update(c); err != nil {
		return err
	}
	created, _ := store.GetAs[*api.PersistentVolume](ctx.Store(), pvKind, name)
	return bind(ctx, c, created)
}

// releaseVolume handles the volume of a claim that is gone: Delete policy removes it,
// Retain leaves it Released.
func releaseVolume(ctx *sim.Context, pvc *api.PersistentVolumeClaim) error {
	if pvc.Spec.VolumeName == "" {
		return nil
	}
	return syncVolume(ctx, pvc.Spec.VolumeName)
}

func syncVolume(ctx *sim.Context, name string) error {
	pv, ok := store.GetAs[*api.PersistentVolume](ctx.Store(), pvKind, name)
	if !ok {
		return nil
	}
	r := pv.Spec.ClaimRef
	if r == nil {
		if pv.Status.Phase != api.VolumeAvailable {
			cp := api.Clone(pv)
			cp.Status.Phase = api.VolumeAvailable
			return ctx.Update(cp)
		}
		return nil
	}
	claim, _ := store.GetAs[*api.PersistentVolumeClaim](ctx.Store(), pvcKind, r.Namespace+"/"+r.Name)
	if claim != nil && (r.UID == "" || claim.UID == r.UID) {
		return nil // bound or being bound
	}
	if r.UID == "" {
		return nil // pre-bound to a claim that does not exist yet
	}
	// The claim is gone: reclaim.
	switch pv.Spec.PersistentVolumeReclaimPolicy {
	case "Delete":
		ctx.Explain(pv, "claim %s/%s is gone and the reclaim policy is Delete: deleting the volume", r.Namespace, r.Name)
		return ctx.Remove(pvKind, name)
	default:
		if pv.Status.Phase != api.VolumeReleased {
			cp := api.Clone(pv)
			cp.Status.Phase = api.VolumeReleased
			ctx.Explain(pv, "claim %s/%s is gone and the reclaim policy is Retain: the volume is Released and keeps its data", r.Namespace, r.Name)
			return ctx.Update(cp)
		}
	}
	return nil
}
