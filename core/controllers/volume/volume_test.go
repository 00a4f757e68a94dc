package volume_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/volume"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// Expected behaviour: the PV controller (pkg/controller/volume/persistentvolume pv_controller.go
// syncUnboundClaim, provisionClaimOperation, reclaimVolume; index.go findByClaim and
// findMatchingVolume), the pvc-protection controller (pkg/controller/volume/pvcprotection
// pvc_protection_controller.go podUsesPVC) and pods.md §11. Provisioning is instant.

type env struct {
	t *testing.T
	e *sim.Engine
}

func newEnv(t *testing.T) *env {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(volume.Controller{})
	return &env{t: t, e: e}
}

func (v *env) ctx() *sim.Context { return v.e.ActionContext("test") }

func (v *env) settle() {
	v.t.Helper()
	if err := v.e.AdvanceTo(v.e.Now()); err != nil {
		v.t.Fatal(err)
	}
}

func (v *env) create(o api.Object) {
	v.t.Helper()
	if err := v.ctx().Create(o); err != nil {
		v.t.Fatal(err)
	}
	v.settle()
}

func (v *env) delete(kind, key string) {
	v.t.Helper()
	if err := v.ctx().Delete(kind, key, sim.DeleteOptions{}); err != nil {
		v.t.Fatal(err)
	}
	v.settle()
}

func (v *env) claim(name string) *api.PersistentVolumeClaim {
	c, _ := store.GetAs[*api.PersistentVolumeClaim](v.e.Store(), "PersistentVolumeClaim", "default/"+name)
	return c
}

func (v *env) pv(name string) *api.PersistentVolume {
	pv, _ := store.GetAs[*api.PersistentVolume](v.e.Store(), "PersistentVolume", name)
	return pv
}

// events returns the "Reason: message" of the claim's events, in order.
func (v *env) events(claim string) []string {
	var out []string
	for _, r := range v.e.Records() {
		if r.Type == trace.TypeEvent && r.Event.Object == "PersistentVolumeClaim/default/"+claim {
			out = append(out, r.Event.Reason+": "+r.Event.Message)
		}
	}
	return out
}

func (v *env) explained(substr string) bool {
	for _, r := range v.e.Records() {
		if r.Type == trace.TypeExplain && strings.Contains(r.Explain.Message, substr) {
			return true
		}
	}
	return false
}

func class(name, mode, reclaim string) *api.StorageClass {
	sc := &api.StorageClass{TypeMeta: api.TypeMeta{APIVersion: "storage.k8s.io/v1", Kind: "StorageClass"},
		ObjectMeta: api.ObjectMeta{Name: name}, Provisioner: "ebs.csi.aws.com", VolumeBindingMode: api.Ptr(mode)}
	if reclaim != "" {
		sc.ReclaimPolicy = api.Ptr(reclaim)
	}
	return sc
}

// pvc is a claim of size with the given class (nil: unset) and access modes (RWO when none).
func pvc(name, size string, className *string, modes ...string) *api.PersistentVolumeClaim {
	if len(modes) == 0 {
		modes = []string{"ReadWriteOnce"}
	}
	return &api.PersistentVolumeClaim{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name},
		Spec: api.PersistentVolumeClaimSpec{AccessModes: modes, StorageClassName: className,
			Resources: api.VolumeResourceRequirements{Requests: api.ResourceList{"storage": api.MustQuantity(size)}}}}
}

func staticPV(name, size, className string, modes ...string) *api.PersistentVolume {
	return &api.PersistentVolume{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"},
		ObjectMeta: api.ObjectMeta{Name: name},
		Spec: api.PersistentVolumeSpec{Capacity: api.ResourceList{"storage": api.MustQuantity(size)}, AccessModes: modes,
			StorageClassName: className, HostPath: &api.HostPathVolumeSource{Path: "/mnt/" + name}}}
}

func podUsing(name, node, claim string) *api.Pod {
	return &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name},
		Spec: api.PodSpec{NodeName: node, Containers: []api.Container{{Name: "c", Image: "x"}},
			Volumes: []api.Volume{{Name: "data", PersistentVolumeClaim: &api.PVCVolumeSource{ClaimName: claim}}}},
		Status: api.PodStatus{Phase: api.PodRunning}}
}

// Immediate binding with a provisioner: the claim gets the pvc-protection finalizer, a volume
// pvc-<claim uid> of the requested size with the class's reclaim policy is provisioned and
// both are Bound, with upstream's events and annotations.
func TestImmediateDynamicProvisioning(t *testing.T) {
	v := newEnv(t)
	v.create(class("fast", api.VolumeBindingImmediate, "Retain"))
	v.create(pvc("data", "5Gi", api.Ptr("fast")))
	c := v.claim("data")
	name := "pvc-" + c.UID
	if c.Status.Phase != api.ClaimBound || c.Spec.VolumeName != name || c.Status.Capacity["storage"].String() != "5Gi" ||
		strings.Join(c.Status.AccessModes, ",") != "ReadWriteOnce" {
		t.Fatalf("claim: %+v %+v", c.Spec, c.Status)
	}
	if strings.Join(c.Finalizers, ",") != api.PVCProtectionFinalizer {
		t.Errorf("claim finalizers %v", c.Finalizers)
	}
	for k, want := range map[string]string{api.BindCompletedAnnotation: "yes", "pv.kubernetes.io/bound-by-controller": "yes",
		api.StorageProvisionerAnnotation: "ebs.csi.aws.com"} {
		if c.Annotations[k] != want {
			t.Errorf("claim annotation %s = %q, want %q", k, c.Annotations[k], want)
		}
	}
	pv := v.pv(name)
	if pv == nil || pv.Status.Phase != api.VolumeBound || pv.Spec.PersistentVolumeReclaimPolicy != "Retain" ||
		pv.Spec.StorageClassName != "fast" || pv.Spec.ClaimRef == nil || pv.Spec.ClaimRef.UID != c.UID ||
		pv.Spec.Capacity["storage"].String() != "5Gi" || pv.Annotations[api.ProvisionedByAnnotation] != "ebs.csi.aws.com" {
		t.Fatalf("volume: %+v", pv)
	}
	want := []string{
		"ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
		`Provisioning: External provisioner is provisioning volume for claim "default/data"`,
		"ProvisioningSucceeded: Successfully provisioned volume " + name,
	}
	if got := v.events("data"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A class without reclaimPolicy defaults to Delete, and its volumes inherit it.
	v.create(class("std", api.VolumeBindingImmediate, ""))
	v.create(pvc("logs", "1Gi", api.Ptr("std")))
	if p := v.pv(v.claim("logs").Spec.VolumeName); p == nil || p.Spec.PersistentVolumeReclaimPolicy != "Delete" {
		t.Errorf("volume of a default class: %+v", p)
	}
}

// WaitForFirstConsumer: the claim waits (WaitForFirstConsumer, then WaitForPodScheduled once
// a pod uses it) until a pod using it is on a node; the scheduler's choice is recorded in
// volume.kubernetes.io/selected-node and the volume is provisioned in that topology.
func TestWaitForFirstConsumer(t *testing.T) {
	v := newEnv(t)
	v.create(class("local", api.VolumeBindingWaitForFirstConsumer, ""))
	v.create(pvc("www-web-0", "1Gi", api.Ptr("local")))
	if c := v.claim("www-web-0"); c.Status.Phase != api.ClaimPending {
		t.Fatalf("claim phase %q before any consumer, want Pending", c.Status.Phase)
	}
	v.create(podUsing("web-0", "", "www-web-0"))
	if c := v.claim("www-web-0"); c.Status.Phase != api.ClaimPending || c.Annotations[api.SelectedNodeAnnotation] != "" {
		t.Fatalf("claim bound before its pod was scheduled: %+v", c)
	}
	p, _ := store.GetAs[*api.Pod](v.e.Store(), "Pod", "default/web-0")
	cp := api.Clone(p)
	cp.Spec.NodeName = "node-2"
	if err := v.ctx().Update(cp); err != nil {
		t.Fatal(err)
	}
	v.settle()
	c := v.claim("www-web-0")
	if c.Status.Phase != api.ClaimBound || c.Annotations[api.SelectedNodeAnnotation] != "node-2" {
		t.Fatalf("claim after scheduling: %+v", c)
	}
	pv := v.pv(c.Spec.VolumeName)
	if pv == nil || pv.Spec.NodeAffinity == nil {
		t.Fatalf("volume %+v: want node affinity", pv)
	}
	req := pv.Spec.NodeAffinity.Required.NodeSelectorTerms[0].MatchExpressions[0]
	if req.Key != "kubernetes.io/hostname" || req.Operator != "In" || strings.Join(req.Values, ",") != "node-2" {
		t.Errorf("volume node affinity %+v, want kubernetes.io/hostname In [node-2]", req)
	}
	got := v.events("www-web-0")
	for _, want := range []string{"WaitForFirstConsumer: waiting for first consumer to be created before binding",
		"WaitForPodScheduled: waiting for pod web-0 to be scheduled"} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("no event %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

// Static volumes: a claim binds to a matching Available volume of its class, volume mode and
// selector, big enough; among the volume groups that hold every requested access mode the one
// with the fewest modes is searched first, and in it the smallest volume that fits wins; a
// volume pre-bound to the claim (claimRef) wins over smaller ones.
func TestStaticBinding(t *testing.T) {
	v := newEnv(t)
	rwo, rwx := "ReadWriteOnce", "ReadWriteMany"
	for _, pv := range []*api.PersistentVolume{
		staticPV("a-1g", "1Gi", "", rwo),
		staticPV("b-10g", "10Gi", "", rwo),
		staticPV("c-5g-rwo-rwx", "5Gi", "", rwo, rwx),
		staticPV("d-20g-slow", "20Gi", "slow", rwo),
		staticPV("e-2g-rwx", "2Gi", "", rwx),
		staticPV("f-100g-pinned", "100Gi", "", rwo),
		staticPV("g-1g", "1Gi", "", rwo),
		staticPV("h-1g-gold", "1Gi", "", rwo),
		staticPV("i-1g-block", "1Gi", "", rwo),
	} {
		switch pv.Name {
		case "f-100g-pinned":
			pv.Spec.ClaimRef = &api.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: "default", Name: "pinned"}
		case "h-1g-gold":
			pv.Labels = map[string]string{"tier": "gold"}
		case "i-1g-block":
			pv.Spec.VolumeMode = api.Ptr("Block")
		}
		v.create(pv)
	}
	none := api.Ptr("")
	gold := pvc("gold", "1Gi", none)
	gold.Spec.Selector = &api.LabelSelector{MatchLabels: map[string]string{"tier": "gold"}}
	block := pvc("block", "1Gi", none)
	block.Spec.VolumeMode = api.Ptr("Block")
	tests := []struct {
		claim *api.PersistentVolumeClaim
		want  string
	}{
		{pvc("small", "500Mi", none), "a-1g"},                // smallest that fits (a and g tie: first by name)
		{pvc("mid", "3Gi", none), "b-10g"},                   // [RWO] group before [RWO,RWX], though c is smaller
		{pvc("shared", "1Gi", none, rwx), "e-2g-rwx"},        // [RWX] before [RWO,RWX]
		{pvc("slow", "1Gi", api.Ptr("slow")), "d-20g-slow"},  // the class must match
		{pvc("pinned", "1Gi", none), "f-100g-pinned"},        // pre-bound wins over g-1g
		{gold, "h-1g-gold"},                                  // selector
		{block, "i-1g-block"},                                // volume mode
		{pvc("both", "1Gi", none, rwo, rwx), "c-5g-rwo-rwx"}, // only c has both modes
		{pvc("huge", "200Gi", none), ""},                     // nothing fits
	}
	for _, tc := range tests {
		v.create(tc.claim)
		c := v.claim(tc.claim.Name)
		if c.Spec.VolumeName != tc.want {
			t.Errorf("claim %s bound to %q, want %q", tc.claim.Name, c.Spec.VolumeName, tc.want)
			continue
		}
		if tc.want == "" {
			continue
		}
		pv := v.pv(tc.want)
		if c.Status.Phase != api.ClaimBound || pv.Status.Phase != api.VolumeBound || pv.Spec.ClaimRef.UID != c.UID {
			t.Errorf("claim %s: phase %s, volume %s phase %s claimRef %+v", c.Name, c.Status.Phase, pv.Name, pv.Status.Phase, pv.Spec.ClaimRef)
		}
	}
	if got := v.events("huge"); len(got) == 0 || got[0] != "FailedBinding: no persistent volumes available for this claim and no storage class is set" {
		t.Errorf("events of an unsatisfiable claim without class: %v", got)
	}
}

// A volume created pre-bound (claimRef) to a claim that is already Pending binds to it.
func TestPreBoundVolumeCreatedLater(t *testing.T) {
	v := newEnv(t)
	v.create(pvc("pinned", "1Gi", api.Ptr("")))
	pv := staticPV("reserved", "5Gi", "", "ReadWriteOnce")
	pv.Spec.ClaimRef = &api.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: "default", Name: "pinned"}
	v.create(pv)
	if c := v.claim("pinned"); c.Spec.VolumeName != "reserved" || c.Status.Phase != api.ClaimBound {
		t.Errorf("claim: volume %q phase %s, want reserved and Bound", c.Spec.VolumeName, c.Status.Phase)
	}
}

// The claim's volume mode (Filesystem by default) must be the volume's: a Filesystem claim
// does not take a smaller Block volume (checkVolumeModeMismatches).
func TestVolumeModeMustMatch(t *testing.T) {
	v := newEnv(t)
	blk := staticPV("blk-1g", "1Gi", "", "ReadWriteOnce")
	blk.Spec.VolumeMode = api.Ptr("Block")
	v.create(blk)
	v.create(staticPV("fs-2g", "2Gi", "", "ReadWriteOnce"))
	v.create(pvc("files", "1Gi", api.Ptr("")))
	raw := pvc("raw", "1Gi", api.Ptr(""))
	raw.Spec.VolumeMode = api.Ptr("Block")
	v.create(raw)
	if got := v.claim("files").Spec.VolumeName; got != "fs-2g" {
		t.Errorf("Filesystem claim bound to %q, want fs-2g", got)
	}
	if got := v.claim("raw").Spec.VolumeName; got != "blk-1g" {
		t.Errorf("Block claim bound to %q, want blk-1g", got)
	}
}

// Deleting a claim nobody uses removes it (its finalizer goes) and reclaims its volume:
// Delete removes the volume, Retain leaves it Released with its claimRef, so a new claim of
// the same name does not get it back.
func TestReclaimPolicies(t *testing.T) {
	v := newEnv(t)
	v.create(class("del", api.VolumeBindingImmediate, "Delete"))
	v.create(class("keep", api.VolumeBindingImmediate, "Retain"))
	v.create(pvc("a", "1Gi", api.Ptr("del")))
	v.create(pvc("b", "1Gi", api.Ptr("keep")))
	pvA, pvB := v.claim("a").Spec.VolumeName, v.claim("b").Spec.VolumeName

	v.delete("PersistentVolumeClaim", "default/a")
	if v.claim("a") != nil || v.pv(pvA) != nil {
		t.Errorf("Delete: claim %v volume %v, want both gone", v.claim("a"), v.pv(pvA))
	}
	if !v.explained("reclaim policy is Delete: deleting the volume") {
		t.Error("no explanation of the Delete reclaim")
	}

	v.delete("PersistentVolumeClaim", "default/b")
	pv := v.pv(pvB)
	if v.claim("b") != nil || pv == nil || pv.Status.Phase != api.VolumeReleased || pv.Spec.ClaimRef == nil {
		t.Fatalf("Retain: claim %v, volume %+v, want the volume Released with its claimRef", v.claim("b"), pv)
	}
	v.create(pvc("b", "1Gi", api.Ptr("keep")))
	if got := v.claim("b").Spec.VolumeName; got == pvB || got == "" {
		t.Errorf("new claim b bound to %q, want a new volume (the Released one keeps its data)", got)
	}
}

// pvc-protection: a deleted claim that a scheduled pod mounts stays Terminating until that
// pod is gone, whatever the pod's phase; a pod that is not scheduled does not protect it.
func TestPVCProtection(t *testing.T) {
	v := newEnv(t)
	v.create(class("std", api.VolumeBindingImmediate, ""))
	v.create(pvc("data", "1Gi", api.Ptr("std")))
	v.create(pvc("spare", "1Gi", api.Ptr("std")))
	done := podUsing("job", "node-1", "data")
	done.Status.Phase = api.PodSucceeded
	v.create(done)
	v.create(podUsing("pending", "", "spare"))

	v.delete("PersistentVolumeClaim", "default/data")
	c := v.claim("data")
	if c == nil || c.DeletionTimestamp == nil || strings.Join(c.Finalizers, ",") != api.PVCProtectionFinalizer {
		t.Fatalf("claim used by a (finished) pod on a node: %+v, want Terminating with its finalizer", c)
	}
	if !v.explained("pod job still uses it: kubernetes.io/pvc-protection keeps it Terminating") {
		t.Error("no explanation of the protection")
	}
	pvData := c.Spec.VolumeName
	if err := v.ctx().Remove("Pod", "default/job"); err != nil {
		t.Fatal(err)
	}
	v.settle()
	if v.claim("data") != nil || v.pv(pvData) != nil {
		t.Errorf("after the pod is gone: claim %v volume %v, want both gone (Delete)", v.claim("data"), v.pv(pvData))
	}

	v.delete("PersistentVolumeClaim", "default/spare")
	if v.claim("spare") != nil {
		t.Error("an unscheduled pod kept its claim from being deleted")
	}
}

// A Bound claim whose volume disappears is Lost, with upstream's warning.
func TestClaimLost(t *testing.T) {
	v := newEnv(t)
	v.create(staticPV("disk", "1Gi", "", "ReadWriteOnce"))
	v.create(pvc("data", "1Gi", api.Ptr("")))
	if v.claim("data").Status.Phase != api.ClaimBound {
		t.Fatal("claim not bound")
	}
	if err := v.ctx().Remove("PersistentVolume", "disk"); err != nil {
		t.Fatal(err)
	}
	v.settle()
	if c := v.claim("data"); c.Status.Phase != api.ClaimLost {
		t.Errorf("phase %q, want Lost", c.Status.Phase)
	}
	got := v.events("data")
	if len(got) == 0 || got[len(got)-1] != "ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!" {
		t.Errorf("events %v", got)
	}
}

// A claim without storageClassName gets the default class, retroactively, once one exists
// (the newest default when several are marked); a class that does not exist is reported; a
// kubernetes.io/no-provisioner class never provisions.
func TestClassAssignmentAndFailures(t *testing.T) {
	v := newEnv(t)
	v.create(pvc("early", "1Gi", nil))
	if c := v.claim("early"); c.Spec.StorageClassName != nil || c.Status.Phase != api.ClaimPending {
		t.Fatalf("claim with no class and no default: %+v", c)
	}
	old := class("old-default", api.VolumeBindingImmediate, "")
	old.Annotations = map[string]string{api.DefaultStorageClassAnnotation: "true"}
	v.create(old)
	if err := v.e.AdvanceTo(api.Time(api.Second)); err != nil {
		t.Fatal(err)
	}
	newer := class("new-default", api.VolumeBindingImmediate, "")
	newer.Annotations = map[string]string{api.DefaultStorageClassAnnotation: "true"}
	v.create(newer)
	v.create(pvc("late", "1Gi", nil))
	if got := api.Deref(v.claim("late").Spec.StorageClassName, ""); got != "new-default" {
		t.Errorf("late claim got class %q, want the newest default new-default", got)
	}
	if got := api.Deref(v.claim("early").Spec.StorageClassName, ""); got == "" || v.claim("early").Status.Phase != api.ClaimBound {
		t.Errorf("early claim: class %q phase %s, want a default class assigned retroactively and Bound", got, v.claim("early").Status.Phase)
	}

	v.create(pvc("ghost", "1Gi", api.Ptr("nope")))
	if got := v.events("ghost"); len(got) == 0 || got[0] != `ProvisioningFailed: storageclass.storage.k8s.io "nope" not found` {
		t.Errorf("events for a missing class: %v", got)
	}

	local := class("local", api.VolumeBindingImmediate, "")
	local.Provisioner = volume.NoProvisioner
	v.create(local)
	v.create(pvc("manual", "1Gi", api.Ptr("local")))
	if c := v.claim("manual"); c.Status.Phase != api.ClaimPending || c.Spec.VolumeName != "" {
		t.Errorf("claim of a no-provisioner class: %+v", c)
	}
	n := 0
	for _, pv := range store.ListAs[*api.PersistentVolume](v.e.Store(), "PersistentVolume", "") {
		if pv.Spec.StorageClassName == "local" {
			n++
		}
	}
	if n != 0 {
		t.Errorf("%d volumes provisioned for a no-provisioner class", n)
	}

}
