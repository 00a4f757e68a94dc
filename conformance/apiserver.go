package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"sync"
	"time"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	appsdefaults "k8s.io/kubernetes/pkg/apis/apps/v1"
	coredefaults "k8s.io/kubernetes/pkg/apis/core/v1"
)

// apiServer is an in-memory API server for Deployments, ReplicaSets and Pods behind
// client-go's fake clientset (one reactor answers every request). It has the write
// semantics the controllers depend on: defaulting on create, generated names, UIDs,
// resourceVersion with conflicts, metadata.generation bumped on a spec change, the status
// subresource (an update keeps the status, a status update keeps the spec), graceful pod
// deletion, and ownerReference garbage collection. Every write is delivered to the
// informers' handlers synchronously, so a controller's cache never lags: the same
// "a controller sees its own writes at once" that kubesim's store gives.
type apiServer struct {
	mu        sync.Mutex
	clock     *vclock
	rv        int64
	uids      int
	names     map[string]int
	informers map[string]*informer // by resource: deployments, replicasets, pods
	client    *fake.Clientset

	// hooks for the kubelet emulation, called with mu held.
	podCreated func(p *corev1.Pod)
	podDeleted func(p *corev1.Pod) // graceful deletion started
	rsCreated  func(rs *appsv1.ReplicaSet)
}

func newAPIServer(clock *vclock) *apiServer {
	s := &apiServer{clock: clock, names: map[string]int{}, informers: map[string]*informer{}}
	for _, r := range []string{"deployments", "replicasets", "pods", "statefulsets", "controllerrevisions", "persistentvolumeclaims"} {
		s.informers[r] = newInformer()
	}
	s.client = &fake.Clientset{}
	s.client.AddReactor("*", "*", s.react)
	return s
}

var groupResources = map[string]schema.GroupResource{
	"deployments": {Group: "apps", Resource: "deployments"},
	"replicasets": {Group: "apps", Resource: "replicasets"},
	"pods":        {Resource: "pods"},

	"statefulsets":           {Group: "apps", Resource: "statefulsets"},
	"controllerrevisions":    {Group: "apps", Resource: "controllerrevisions"},
	"persistentvolumeclaims": {Resource: "persistentvolumeclaims"},
}

func (s *apiServer) react(action clienttesting.Action) (bool, runtime.Object, error) {
	res := action.GetResource().Resource
	inf, ok := s.informers[res]
	if !ok {
		return true, nil, fmt.Errorf("conformance API server: resource %q is not served", res)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gr := groupResources[res]
	ns := action.GetNamespace()
	// By verb: the action interfaces overlap (an update action is also a CreateAction).
	switch action.GetVerb() {
	case "create":
		o, err := s.create(res, action.(clienttesting.CreateAction).GetObject().DeepCopyObject())
		return true, copyOf(o), err
	case "update":
		a := action.(clienttesting.UpdateAction)
		o, err := s.update(res, a.GetObject().DeepCopyObject(), a.GetSubresource() == "status")
		return true, copyOf(o), err
	case "patch":
		a := action.(clienttesting.PatchAction)
		o, err := s.patch(res, ns, a.GetName(), a.GetPatchType(), a.GetPatch())
		return true, copyOf(o), err
	case "delete":
		a := action.(clienttesting.DeleteAction)
		return true, nil, s.delete(res, ns, a.GetName(), a.GetDeleteOptions())
	case "get":
		a := action.(clienttesting.GetAction)
		o, ok, _ := inf.indexer.GetByKey(key(ns, a.GetName()))
		if !ok {
			return true, nil, apierrors.NewNotFound(gr, a.GetName())
		}
		return true, copyOf(o.(runtime.Object)), nil
	}
	return true, nil, fmt.Errorf("conformance API server: %s %s is not served", action.GetVerb(), res)
}

func copyOf(o runtime.Object) runtime.Object {
	if o == nil {
		return nil
	}
	return o.DeepCopyObject()
}

func key(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

func (s *apiServer) nextRV() string {
	s.rv++
	return fmt.Sprint(s.rv)
}

// create is the create half of a registry: defaults, a generated name (the apiserver's
// five random characters; here a counter per generateName, so runs repeat), uid,
// resourceVersion, generation 1, creationTimestamp, and an emptied status.
func (s *apiServer) create(res string, o runtime.Object) (runtime.Object, error) {
	m, _ := meta.Accessor(o)
	gr := groupResources[res]
	if err := validate(o); err != nil {
		return nil, err
	}
	if m.GetName() == "" {
		if m.GetGenerateName() == "" {
			return nil, apierrors.NewBadRequest("name or generateName is required")
		}
		s.names[m.GetGenerateName()]++
		m.SetName(fmt.Sprintf("%s%05d", m.GetGenerateName(), s.names[m.GetGenerateName()]))
	}
	if m.GetNamespace() == "" {
		m.SetNamespace("default")
	}
	inf := s.informers[res]
	if _, exists, _ := inf.indexer.GetByKey(key(m.GetNamespace(), m.GetName())); exists {
		return nil, apierrors.NewAlreadyExists(gr, m.GetName())
	}
	s.uids++
	m.SetUID(types.UID(fmt.Sprintf("uid-%d", s.uids)))
	m.SetResourceVersion(s.nextRV())
	m.SetCreationTimestamp(metav1.NewTime(s.clock.Now()))
	m.SetDeletionTimestamp(nil)
	switch x := o.(type) {
	case *appsv1.Deployment:
		appsdefaults.SetObjectDefaults_Deployment(x)
		x.Generation = 1
		x.Status = appsv1.DeploymentStatus{}
	case *appsv1.ReplicaSet:
		appsdefaults.SetObjectDefaults_ReplicaSet(x)
		x.Generation = 1
		x.Status = appsv1.ReplicaSetStatus{}
	case *corev1.Pod:
		coredefaults.SetObjectDefaults_Pod(x)
		x.Status = corev1.PodStatus{Phase: corev1.PodPending}
	case *appsv1.StatefulSet:
		appsdefaults.SetObjectDefaults_StatefulSet(x)
		x.Generation = 1
		x.Status = appsv1.StatefulSetStatus{}
	case *corev1.PersistentVolumeClaim:
		coredefaults.SetObjectDefaults_PersistentVolumeClaim(x)
		x.Status = corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimPending}
	}
	if rs, ok := o.(*appsv1.ReplicaSet); ok && s.rsCreated != nil {
		s.rsCreated(rs)
	}
	inf.add(o)
	if p, ok := o.(*corev1.Pod); ok && s.podCreated != nil {
		s.podCreated(p)
	}
	return o, nil
}

// update is PUT (status false) or PUT .../status (status true).
func (s *apiServer) update(res string, o runtime.Object, status bool) (runtime.Object, error) {
	m, _ := meta.Accessor(o)
	gr := groupResources[res]
	inf := s.informers[res]
	cur, ok, _ := inf.indexer.GetByKey(key(m.GetNamespace(), m.GetName()))
	if !ok {
		return nil, apierrors.NewNotFound(gr, m.GetName())
	}
	old := cur.(runtime.Object)
	om, _ := meta.Accessor(old)
	if err := validate(o); err != nil {
		return nil, err
	}
	if rv := m.GetResourceVersion(); rv != "" && rv != om.GetResourceVersion() {
		return nil, apierrors.NewConflict(gr, m.GetName(), fmt.Errorf("the object has been modified; please apply your changes to the latest version and try again"))
	}
	// Fields the client cannot change.
	m.SetUID(om.GetUID())
	m.SetCreationTimestamp(om.GetCreationTimestamp())
	m.SetDeletionTimestamp(om.GetDeletionTimestamp())
	m.SetGeneration(om.GetGeneration())
	switch x := o.(type) {
	case *appsv1.Deployment:
		y := old.(*appsv1.Deployment)
		// pkg/registry/apps/deployment/strategy.go: a status update keeps spec and labels
		// (annotations may change: the controller writes the revision that way); an update
		// keeps the status and bumps the generation on a spec or annotation change.
		if status {
			x.Spec, x.Labels = y.Spec, y.Labels
			s.stampConditions(x.Status.Conditions)
		} else {
			appsdefaults.SetObjectDefaults_Deployment(x)
			x.Status = y.Status
			if !apiequality.Semantic.DeepEqual(x.Spec, y.Spec) || !apiequality.Semantic.DeepEqual(x.Annotations, y.Annotations) {
				x.Generation = y.Generation + 1
			}
		}
	case *appsv1.ReplicaSet:
		y := old.(*appsv1.ReplicaSet)
		// pkg/registry/apps/replicaset/strategy.go: a status update keeps the spec.
		if status {
			x.Spec = y.Spec
			for i := range x.Status.Conditions {
				x.Status.Conditions[i].LastTransitionTime = s.stamp(x.Status.Conditions[i].LastTransitionTime)
			}
		} else {
			appsdefaults.SetObjectDefaults_ReplicaSet(x)
			x.Status = y.Status
			if !apiequality.Semantic.DeepEqual(x.Spec, y.Spec) {
				x.Generation = y.Generation + 1
			}
		}
	case *appsv1.StatefulSet:
		y := old.(*appsv1.StatefulSet)
		// pkg/registry/apps/statefulset/strategy.go: a status update keeps the spec; an
		// update keeps the status and bumps the generation on a spec change.
		if status {
			x.Spec = y.Spec
			for i := range x.Status.Conditions {
				x.Status.Conditions[i].LastTransitionTime = s.stamp(x.Status.Conditions[i].LastTransitionTime)
			}
		} else {
			appsdefaults.SetObjectDefaults_StatefulSet(x)
			x.Status = y.Status
			if !apiequality.Semantic.DeepEqual(x.Spec, y.Spec) {
				x.Generation = y.Generation + 1
			}
		}
	case *corev1.PersistentVolumeClaim:
		if !status {
			x.Status = old.(*corev1.PersistentVolumeClaim).Status
		}
	case *corev1.Pod:
		y := old.(*corev1.Pod)
		// pkg/registry/core/pod/strategy.go: a status update keeps spec, deletionTimestamp
		// and ownerReferences.
		if status {
			x.Spec, x.OwnerReferences = y.Spec, y.OwnerReferences
		} else {
			x.Status = y.Status
		}
	}
	if apiequality.Semantic.DeepEqual(o, old) {
		return old, nil // a no-op write keeps the resourceVersion and sends no event
	}
	m.SetResourceVersion(s.nextRV())
	if debug {
		debugWrite(s.clock.ms(), res, status, o)
	}
	inf.update(old, o)
	return o, nil
}

// debugWrite prints Deployment and ReplicaSet writes (CONFORMANCE_DEBUG=1).
func debugWrite(t int64, res string, status bool, o runtime.Object) {
	switch x := o.(type) {
	case *appsv1.Deployment:
		var conds []string
		for _, c := range x.Status.Conditions {
			conds = append(conds, fmt.Sprintf("%s=%s/%s", c.Type, c.Status, c.Reason))
		}
		fmt.Fprintf(os.Stderr, "%s write %s status=%v gen %d replicas %d updated %d ready %d available %d %v\n", ms(t), x.Name, status, x.Generation,
			x.Status.Replicas, x.Status.UpdatedReplicas, x.Status.ReadyReplicas, x.Status.AvailableReplicas, conds)
	case *appsv1.ReplicaSet:
		fmt.Fprintf(os.Stderr, "%s write rs %s status=%v spec %d replicas %d ready %d available %d rev %s\n", ms(t), x.Name, status, *x.Spec.Replicas,
			x.Status.Replicas, x.Status.ReadyReplicas, x.Status.AvailableReplicas, x.Annotations["deployment.kubernetes.io/revision"])
	}
}

// stamp replaces a timestamp taken from the wall clock (metav1.Now() inside the
// controllers, which this harness cannot redirect) by the virtual time of the write.
// Virtual time lies in [epoch, epoch+48h]; anything else came from the wall clock.
func (s *apiServer) stamp(t metav1.Time) metav1.Time {
	if t.IsZero() || (!t.Before(&metav1.Time{Time: epoch}) && t.Time.Before(epoch.Add(48*time.Hour))) {
		return t
	}
	return metav1.NewTime(s.clock.Now())
}

func (s *apiServer) stampConditions(cs []appsv1.DeploymentCondition) {
	for i := range cs {
		cs[i].LastUpdateTime = s.stamp(cs[i].LastUpdateTime)
		cs[i].LastTransitionTime = s.stamp(cs[i].LastTransitionTime)
	}
}

func (s *apiServer) patch(res, ns, name string, pt types.PatchType, data []byte) (runtime.Object, error) {
	inf := s.informers[res]
	cur, ok, _ := inf.indexer.GetByKey(key(ns, name))
	if !ok {
		return nil, apierrors.NewNotFound(groupResources[res], name)
	}
	old := cur.(runtime.Object)
	orig, err := json.Marshal(old)
	if err != nil {
		return nil, err
	}
	var patched []byte
	switch pt {
	case types.StrategicMergePatchType:
		patched, err = strategicpatch.StrategicMergePatch(orig, data, old)
	case types.MergePatchType:
		patched, err = jsonpatch.MergePatch(orig, data)
	case types.JSONPatchType:
		var p jsonpatch.Patch
		if p, err = jsonpatch.DecodePatch(data); err == nil {
			patched, err = p.Apply(orig)
		}
	default:
		return nil, apierrors.NewBadRequest(fmt.Sprintf("patch type %s is not served", pt))
	}
	if err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	// Into a fresh object: json.Unmarshal into a copy of the old one would keep map keys
	// the patch removed (a "$patch": "replace" of a template with annotations).
	o := reflect.New(reflect.TypeOf(old).Elem()).Interface().(runtime.Object)
	if err := json.Unmarshal(patched, o); err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	m, _ := meta.Accessor(o)
	m.SetResourceVersion("")
	return s.update(res, o, false)
}

// delete removes an object. A pod bound to a node is deleted gracefully: it gets a
// deletionTimestamp (now + grace period) and stays until the kubelet emulation removes it;
// an unbound or finished pod, or grace period 0, goes at once (the pod registry's
// CheckGracefulDelete). Dependents of a removed object are garbage collected in the
// background (or orphaned when asked).
func (s *apiServer) delete(res, ns, name string, opts metav1.DeleteOptions) error {
	inf := s.informers[res]
	cur, ok, _ := inf.indexer.GetByKey(key(ns, name))
	if !ok {
		return apierrors.NewNotFound(groupResources[res], name)
	}
	if p, ok := cur.(*corev1.Pod); ok {
		grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
		if p.Spec.TerminationGracePeriodSeconds != nil {
			grace = *p.Spec.TerminationGracePeriodSeconds
		}
		if opts.GracePeriodSeconds != nil {
			grace = *opts.GracePeriodSeconds
		}
		if p.Spec.NodeName == "" || p.Status.Phase == corev1.PodFailed || p.Status.Phase == corev1.PodSucceeded {
			grace = 0
		}
		if p.DeletionTimestamp != nil {
			return nil
		}
		if grace > 0 {
			np := p.DeepCopy()
			ts := metav1.NewTime(s.clock.Now().Add(time.Duration(grace) * time.Second))
			np.DeletionTimestamp = &ts
			np.DeletionGracePeriodSeconds = &grace
			np.ResourceVersion = s.nextRV()
			inf.update(p, np)
			if s.podDeleted != nil {
				s.podDeleted(np)
			}
			return nil
		}
	}
	s.remove(res, cur.(runtime.Object), opts.PropagationPolicy)
	return nil
}

// remove takes an object out of the store and collects its dependents.
func (s *apiServer) remove(res string, o runtime.Object, policy *metav1.DeletionPropagation) {
	// A deletion is a write with a resourceVersion of its own, as in etcd: the informer's
	// store takes the deleted object's version as the last it saw, and the StatefulSet
	// controller's consistency store compares its writes with that (seed 540: a claim
	// deleted with its old version made the store look older than the controller's last
	// claim write, and every sync failed "read version is not as new as written").
	o = o.DeepCopyObject()
	if om, err := meta.Accessor(o); err == nil {
		om.SetResourceVersion(s.nextRV())
	}
	s.informers[res].del(o)
	m, _ := meta.Accessor(o)
	uid := m.GetUID()
	for _, dres := range []string{"replicasets", "pods", "controllerrevisions", "persistentvolumeclaims"} {
		for _, d := range s.informers[dres].sortedList() {
			dm, _ := meta.Accessor(d)
			owned := false
			for _, ref := range dm.GetOwnerReferences() {
				owned = owned || ref.UID == uid
			}
			if !owned {
				continue
			}
			if policy != nil && *policy == metav1.DeletePropagationOrphan {
				c := d.DeepCopyObject()
				cm, _ := meta.Accessor(c)
				var refs []metav1.OwnerReference
				for _, ref := range cm.GetOwnerReferences() {
					if ref.UID != uid {
						refs = append(refs, ref)
					}
				}
				cm.SetOwnerReferences(refs)
				cm.SetResourceVersion(s.nextRV())
				s.informers[dres].update(d, c)
				continue
			}
			_ = s.delete(dres, dm.GetNamespace(), dm.GetName(), metav1.DeleteOptions{})
		}
	}
}

// validate is the part of the API server's validation a scenario's writes can break
// (kubesim check seed 108: a re-apply of type OnDelete onto a StatefulSet patched to
// RollingUpdate keeps rollingUpdate, which apps validation
// ValidateStatefulSetUpdateStrategy rejects, as kubesim does).
func validate(o runtime.Object) error {
	if ss, ok := o.(*appsv1.StatefulSet); ok && ss.Spec.UpdateStrategy.Type == appsv1.OnDeleteStatefulSetStrategyType && ss.Spec.UpdateStrategy.RollingUpdate != nil {
		return apierrors.NewInvalid(schema.GroupKind{Group: "apps", Kind: "StatefulSet"}, ss.Name, field.ErrorList{
			field.Invalid(field.NewPath("spec", "updateStrategy", "rollingUpdate"), ss.Spec.UpdateStrategy.RollingUpdate, "only allowed for updateStrategy 'RollingUpdate'")})
	}
	return nil
}

// pod is incarnation uid of pod ns/name ("" for any incarnation). The caller holds mu.
func (s *apiServer) pod(ns, name string, uid types.UID) (*corev1.Pod, bool) {
	cur, ok, _ := s.informers["pods"].indexer.GetByKey(key(ns, name))
	if !ok || (uid != "" && cur.(*corev1.Pod).UID != uid) {
		return nil, false
	}
	return cur.(*corev1.Pod), true
}

// hasPod tells whether incarnation uid of pod ns/name exists.
func (s *apiServer) hasPod(ns, name string, uid types.UID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.pod(ns, name, uid)
	return ok
}

// hasActivePod tells whether incarnation uid of pod ns/name exists and is not being
// deleted.
func (s *apiServer) hasActivePod(ns, name string, uid types.UID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pod(ns, name, uid)
	return ok && p.DeletionTimestamp == nil
}

// setPod is the kubelet emulation's write: node binding and status at once. A uid other
// than "" names the incarnation: a StatefulSet re-creates a pod of the same name, and the
// old one's kubelet must not touch the new one. It reports whether the pod was there.
func (s *apiServer) setPod(ns, name string, uid types.UID, fn func(p *corev1.Pod)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.pod(ns, name, uid)
	if !ok {
		return false
	}
	p := old.DeepCopy()
	fn(p)
	if apiequality.Semantic.DeepEqual(p, old) {
		return true
	}
	p.ResourceVersion = s.nextRV()
	s.informers["pods"].update(old, p)
	return true
}

// playAs gives pod ns/name, incarnation uid, the UID and the list position of the kubesim
// pod whose life it plays: UID to, and listed as if named as (annotation
// listAsAnnotation). Nothing refers to a ReplicaSet's pod by UID, so only the pod
// changes. It reports whether the pod was there.
func (s *apiServer) playAs(ns, name string, uid, to types.UID, as string) bool {
	return s.setPod(ns, name, uid, func(p *corev1.Pod) {
		p.UID = to
		metav1.SetMetaDataAnnotation(&p.ObjectMeta, listAsAnnotation, as)
	})
}

// finishPod removes a terminating pod (the kubelet has stopped it).
func (s *apiServer) finishPod(ns, name string, uid types.UID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.pod(ns, name, uid); ok {
		s.remove("pods", p, nil)
	}
}

func (s *apiServer) list(res string) []runtime.Object {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.informers[res].sortedList()
}

// informer is a SharedIndexInformer whose store is written by apiServer and whose handlers
// run synchronously inside the write. Methods the controllers never call are left to the
// nil embedded interface.
type informer struct {
	cache.SharedIndexInformer
	indexer  cache.Indexer
	handlers []cache.ResourceEventHandler
}

func newInformer() *informer {
	return &informer{indexer: cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})}
}

func (i *informer) AddEventHandler(h cache.ResourceEventHandler) (cache.ResourceEventHandlerRegistration, error) {
	i.handlers = append(i.handlers, h)
	return nil, nil
}
func (i *informer) HasSynced() bool                     { return true }
func (i *informer) GetIndexer() cache.Indexer           { return sortedIndexer{i.indexer} }
func (i *informer) GetStore() cache.Store               { return sortedIndexer{i.indexer} }
func (i *informer) AddIndexers(ix cache.Indexers) error { return i.indexer.AddIndexers(ix) }
func (i *informer) LastSyncResourceVersion() string     { return "" }
func (i *informer) sortedList() []runtime.Object        { return toObjects(sortedIndexer{i.indexer}.List()) }
func (i *informer) add(o runtime.Object) {
	_ = i.indexer.Add(o)
	i.each(func(h cache.ResourceEventHandler) { h.OnAdd(o, false) })
}
func (i *informer) update(old, o runtime.Object) {
	_ = i.indexer.Update(o)
	i.each(func(h cache.ResourceEventHandler) { h.OnUpdate(old, o) })
}
func (i *informer) del(o runtime.Object) {
	_ = i.indexer.Delete(o)
	i.each(func(h cache.ResourceEventHandler) { h.OnDelete(o) })
}
func (i *informer) each(fn func(h cache.ResourceEventHandler)) {
	for _, h := range i.handlers {
		fn(h)
	}
}

func toObjects(xs []any) []runtime.Object {
	out := make([]runtime.Object, len(xs))
	for i, x := range xs {
		out[i] = x.(runtime.Object)
	}
	return out
}

// sortedIndexer returns lists in key order: a thread-safe store lists in map order, and the
// controllers sort pods with sort.Sort (not stable), so equal-ranked pods would be chosen
// differently from run to run.
type sortedIndexer struct{ cache.Indexer }

func (s sortedIndexer) List() []any { return sortByKey(s.Indexer.List()) }
func (s sortedIndexer) ByIndex(name, value string) ([]any, error) {
	xs, err := s.Indexer.ByIndex(name, value)
	return sortByKey(xs), err
}
func (s sortedIndexer) Index(name string, obj any) ([]any, error) {
	xs, err := s.Indexer.Index(name, obj)
	return sortByKey(xs), err
}
func (s sortedIndexer) ListKeys() []string {
	ks := s.Indexer.ListKeys()
	sort.Strings(ks)
	return ks
}

func sortByKey(xs []any) []any {
	sort.Slice(xs, func(i, j int) bool { return listKey(xs[i]) < listKey(xs[j]) })
	return xs
}

// listAsAnnotation names the kubesim pod an upstream pod plays. A real informer lists in
// map order, so when the ReplicaSet controller's ranking ties completely (same node
// count, ready and creation times, restarts) the victim is the lister's: kubesim's lists
// go in name order, and the upstream pod is listed where its kubesim pod would be (seed
// 69: ten pods created at 3 s, six deleted at 36.5 s).
const listAsAnnotation = "conformance.kubesim.dev/list-as"

func listKey(x any) string {
	m, err := meta.Accessor(x)
	if err != nil {
		k, _ := cache.MetaNamespaceKeyFunc(x)
		return k
	}
	name := m.GetName()
	if as := m.GetAnnotations()[listAsAnnotation]; as != "" {
		name = as
	}
	if m.GetNamespace() == "" {
		return name
	}
	return m.GetNamespace() + "/" + name
}
