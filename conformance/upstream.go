package main

import (
	"container/heap"
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	appsinformers "k8s.io/client-go/informers/apps/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	appslisters "k8s.io/client-go/listers/apps/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/kubernetes/pkg/controller/deployment"
	deploymentutil "k8s.io/kubernetes/pkg/controller/deployment/util"
	"k8s.io/kubernetes/pkg/controller/replicaset"
	"k8s.io/kubernetes/pkg/controller/statefulset"
	"k8s.io/kubernetes/pkg/controller/util/consistency"
)

// debug prints the controllers' sync errors (CONFORMANCE_DEBUG=1).
var debug = os.Getenv("CONFORMANCE_DEBUG") != ""

// epoch is virtual t=0, the same moment kubesim uses (2026-01-01T00:00:00Z).
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// vclock is the virtual clock: the ReplicaSet controller's clock field and the deployment
// packages' nowFn read it.
type vclock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *vclock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}
func (c *vclock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }
func (c *vclock) ms() int64                       { return c.Now().Sub(epoch).Milliseconds() }
func (c *vclock) set(ms int64) {
	c.mu.Lock()
	c.now = epoch.Add(time.Duration(ms) * time.Millisecond)
	c.mu.Unlock()
}

// upstream runs the real controllers in virtual time.
type upstream struct {
	clock   *vclock
	srv     *apiServer
	ctx     context.Context
	ctrls   []*worker
	mu      sync.Mutex // guards timers, seq, events, newPods, deletedPods
	timers  timerHeap
	seq     int
	events  []rawEvent
	kubelet *kubeletReplay
	ranks   rankCheck
	// wallClockRanks: per Deployment, the first instant its ReplicaSet controller deleted
	// other pods than a virtual-time ranking would have (wallclock.go)
	wallClockRanks map[string]int64
	kubesimDeleted map[int64]map[string]bool // Replay.ReplicaSetDeleted
	names          *namer                    // ReplicaSet names, assigned at creation (guarded by mu)

	queueSeq atomic.Int64 // orders keys across the controllers' queues
}

type rawEvent struct {
	t                           int64
	kind, name, reason, message string
}

// worker is one controller: its sync function (the syncHandler its constructor set) and
// the work queue that replaced its own.
type worker struct {
	name  string
	queue *vqueue
	sync  func(ctx context.Context, key string) error
	// retry reproduces the controller's handleErr: the Deployment controller drops a key
	// after 15 requeues, the ReplicaSet controller never does.
	maxRetries int
}

func newUpstream(lives Lives) (*upstream, error) {
	u := &upstream{clock: &vclock{now: epoch}, names: newNamer(), ctx: klog.NewContext(context.Background(), klog.Background()), wallClockRanks: map[string]int64{}}
	u.ranks.u = u
	u.srv = newAPIServer(u.clock)
	setNowFns(u.clock.Now)
	u.kubelet = newKubeletReplay(u, lives)
	u.srv.podCreated = u.kubelet.created
	u.srv.rsCreated = func(rs *appsv1.ReplicaSet) {
		if ref := metav1.GetControllerOf(rs); ref != nil && ref.Kind == "Deployment" {
			u.mu.Lock()
			u.names.assign(rs.Name, upstreamKey(ref.Name, rs))
			u.mu.Unlock()
		}
	}
	u.srv.podDeleted = u.kubelet.deleted
	client := u.srv.client

	dInf := deploymentInformer{u.srv.informers["deployments"]}
	rsInf := replicaSetInformer{u.srv.informers["replicasets"]}
	podInf := podInformer{u.srv.informers["pods"]}

	dc, err := deployment.NewDeploymentController(u.ctx, dInf, rsInf, podInf, client)
	if err != nil {
		return nil, err
	}
	drec := &recorder{u: u}
	dq := newVQueue(u)
	setField(dc, "queue", dq)
	setField(dc, "eventRecorder", record.EventRecorder(drec))
	setField(dc, "rsControl", controller.RSControlInterface(controller.RealRSControl{KubeClient: client, Recorder: drec}))
	u.ctrls = append(u.ctrls, &worker{name: "deployment", queue: dq, sync: getField(dc, "syncHandler").(func(context.Context, string) error), maxRetries: 15})

	rsc := replicaset.NewBaseController(klog.Background(), rsInf, podInf, client, replicaset.BurstReplicas,
		appsv1.SchemeGroupVersion.WithKind("ReplicaSet"), "replicaset_controller", "replicaset",
		controller.RealPodControl{KubeClient: client, Recorder: &recorder{u: u}},
		record.NewBroadcaster(), replicaset.DefaultReplicaSetControllerFeatures(), consistency.NewNoopConsistencyStore())
	rq := newVQueue(u)
	setField(rsc, "queue", rq)
	setField(rsc, "clock", clockPassive(u.clock))
	u.ctrls = append(u.ctrls, &worker{name: "replicaset", queue: rq, sync: getField(rsc, "syncHandler").(func(context.Context, string) error)})

	ssc := statefulset.NewStatefulSetController(u.ctx, podInf, statefulSetInformer{u.srv.informers["statefulsets"]},
		pvcInformer{u.srv.informers["persistentvolumeclaims"]}, revisionInformer{u.srv.informers["controllerrevisions"]}, client)
	srec := &recorder{u: u}
	sq := newVQueue(u)
	setField(ssc, "queue", sq)
	setField(ssc, "clock", clockPassive(u.clock))
	setField(ssc, "podControl", controller.PodControlInterface(controller.RealPodControl{KubeClient: client, Recorder: srec}))
	// The events on the StatefulSet come from StatefulPodControl's recorder, inside the
	// default StatefulSetControl.
	setField(reflect.ValueOf(getField(reflect.ValueOf(getField(ssc, "control")).Interface(), "podControl")).Interface(), "recorder", record.EventRecorder(srec))
	u.ctrls = append(u.ctrls, &worker{name: "statefulset", queue: sq, sync: func(ctx context.Context, key string) error { return statefulSetSync(ssc, ctx, key) }})
	return u, nil
}

// setField and getField reach a controller's unexported fields (its queue, clock, event
// recorder and syncHandler): the constructors give no way to inject them, and the upstream
// unit tests set the same fields from inside the package.
func setField(obj any, name string, val any) {
	f := reflect.ValueOf(obj).Elem().FieldByName(name)
	if !f.IsValid() {
		panic("conformance: no field " + name)
	}
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Set(reflect.ValueOf(val))
}

func getField(obj any, name string) any {
	f := reflect.ValueOf(obj).Elem().FieldByName(name)
	if !f.IsValid() {
		panic("conformance: no field " + name)
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface()
}

type passiveClock interface {
	Now() time.Time
	Since(time.Time) time.Duration
}

func clockPassive(c *vclock) passiveClock { return c }

// schedule runs fn at virtual time at (milliseconds).
func (u *upstream) schedule(at int64, fn func()) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.seq++
	heap.Push(&u.timers, timer{at: at, seq: u.seq, fn: fn, settle: true})
}

// Timers of one instant run by class, then in the order they were scheduled: the
// scenario's actions and the replayed scales first (kubesim schedules its actions when
// it loads the scenario, ahead of any timer the run arms), then the controllers' delayed
// queue adds, after which the controllers settle, then the replayed pod states. kubesim
// queues an instant's timers together and drains them in their order; its kubelet re-arms
// a probe timer every period, so a controller's requeue armed earlier (a ReplicaSet's
// next availability check, armed when the pods became Ready) comes first, while the
// replay's pod states were all armed at the pod's creation and would come first here
// (seed 182: six pods became Available at 84 s and failed their readiness probe at 84 s;
// kubesim's Deployment saw them Available, which is progress, and its deadline moved;
// seed 312: a drain at 8 s goes before the availability check of 8 s).
type timerClass int

const (
	actionTimer timerClass = iota
	queueAddTimer
	replayTimer
)

func (u *upstream) scheduleClass(at int64, c timerClass, fn func()) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.seq++
	heap.Push(&u.timers, timer{at: at, class: c, seq: u.seq, fn: fn})
}

func (u *upstream) nextTime() (int64, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.timers) == 0 {
		return 0, false
	}
	return u.timers[0].at, true
}

// due pops every timer due at or before t, in (time, class, seq) order.
func (u *upstream) due(t int64) []timer {
	u.mu.Lock()
	defer u.mu.Unlock()
	var ts []timer
	for len(u.timers) > 0 && u.timers[0].at <= t {
		ts = append(ts, heap.Pop(&u.timers).(timer))
	}
	return ts
}

// settle runs the controllers until no queue has work, taking keys across both queues in
// the order they were queued (one FIFO, as kubesim's engine does: a real cluster's
// workers interleave the same way when informers deliver at once); pods created or
// deleted on the way get their kubelet timelines in name order after each sync.
func (u *upstream) settle() {
	for {
		var w *worker
		best := int64(-1)
		for _, c := range u.ctrls {
			if seq, ok := c.queue.head(); ok && (best < 0 || seq < best) {
				w, best = c, seq
			}
		}
		if seq, ok := u.kubelet.head(); ok && (w == nil || seq < best) {
			u.kubelet.hop()
			u.kubelet.assign()
			continue
		}
		if w == nil {
			u.kubelet.assign()
			if u.anyQueued() {
				continue
			}
			return
		}
		k, _ := w.queue.Get()
		if w.name == "replicaset" {
			u.ranks.start(k)
		}
		err := w.sync(u.ctx, k)
		if w.name == "replicaset" {
			u.ranks.finish()
		}
		if err != nil && debug {
			fmt.Fprintf(os.Stderr, "%s %s sync %s: %v\n", ms(u.clock.ms()), w.name, k, err)
		}
		switch {
		case err == nil:
			w.queue.Forget(k)
		case w.maxRetries > 0 && w.queue.NumRequeues(k) >= w.maxRetries:
			w.queue.Forget(k)
		default:
			w.queue.AddRateLimited(k)
		}
		w.queue.Done(k)
		u.kubelet.assign()
	}
}

func (u *upstream) anyQueued() bool {
	for _, c := range u.ctrls {
		if c.queue.Len() > 0 {
			return true
		}
	}
	return false
}

// step runs the instant t: due timers (kubelet replay, delayed queue adds, scenario
// actions in their order), settling after each action and after the timers.
func (u *upstream) step(t int64) {
	u.clock.set(t)
	for {
		ts := u.due(t)
		if len(ts) == 0 {
			break
		}
		for i, tm := range ts {
			tm.fn()
			switch {
			case tm.class == actionTimer && tm.settle:
				// kubesim settles each action before the next item (seed 242: a pod
				// preempted after a re-apply was deleted before the Deployment
				// controller had seen the apply).
				u.settle()
			case tm.class == queueAddTimer && i+1 < len(ts) && ts[i+1].class != queueAddTimer:
				u.settle()
			}
		}
		u.settle()
	}
	u.srv.client.ClearActions()
}

type timer struct {
	at     int64
	class  timerClass
	settle bool // an action: the controllers settle after it
	seq    int
	fn     func()
}

type timerHeap []timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	if h[i].class != h[j].class {
		return h[i].class < h[j].class
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// vqueue is a work queue in virtual time with the semantics of client-go's: a key is
// queued once, a key added while it is processed is queued again when it is Done,
// AddAfter waits in virtual time, AddRateLimited backs off exponentially from 5 ms (the
// default controller rate limiter's per-item part).
type vqueue struct {
	u          *upstream
	mu         sync.Mutex
	order      []qitem
	dirty      map[string]bool
	processing map[string]bool
	requeues   map[string]int
}

// qitem is a queued key with the global sequence number of its queueing.
type qitem struct {
	key string
	seq int64
}

func newVQueue(u *upstream) *vqueue {
	return &vqueue{u: u, dirty: map[string]bool{}, processing: map[string]bool{}, requeues: map[string]int{}}
}

func (q *vqueue) Add(k string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.dirty[k] {
		return
	}
	q.dirty[k] = true
	if !q.processing[k] {
		q.order = append(q.order, qitem{k, q.u.queueSeq.Add(1)})
	}
}

func (q *vqueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.order)
}

// head is the sequence number of the first queued key.
func (q *vqueue) head() (int64, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.order) == 0 {
		return 0, false
	}
	return q.order[0].seq, true
}

func (q *vqueue) Get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	k := q.order[0].key
	q.order = q.order[1:]
	q.processing[k] = true
	delete(q.dirty, k)
	return k, false
}

func (q *vqueue) Done(k string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.processing, k)
	if q.dirty[k] {
		q.order = append(q.order, qitem{k, q.u.queueSeq.Add(1)})
	}
}

func (q *vqueue) ShutDown()          {}
func (q *vqueue) ShutDownWithDrain() {}
func (q *vqueue) ShuttingDown() bool { return false }

func (q *vqueue) AddAfter(k string, d time.Duration) {
	if d <= 0 {
		q.Add(k)
		return
	}
	q.u.scheduleClass(q.u.clock.ms()+d.Milliseconds(), queueAddTimer, func() { q.Add(k) })
}

func (q *vqueue) AddRateLimited(k string) {
	q.mu.Lock()
	n := q.requeues[k]
	q.requeues[k] = n + 1
	q.mu.Unlock()
	d := 5 * time.Millisecond << min(n, 20)
	q.AddAfter(k, min(d, 1000*time.Second))
}

func (q *vqueue) Forget(k string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.requeues, k)
}

func (q *vqueue) NumRequeues(k string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.requeues[k]
}

// recorder collects the controllers' events with their virtual time.
type recorder struct{ u *upstream }

func (r *recorder) Event(o runtime.Object, typ, reason, msg string) {
	kind, name := "?", ""
	switch x := o.(type) {
	case *appsv1.Deployment:
		kind, name = "Deployment", x.Name
	case *appsv1.ReplicaSet:
		kind, name = "ReplicaSet", x.Name
	case *corev1.Pod:
		kind, name = "Pod", x.Name
	case *appsv1.StatefulSet:
		kind, name = "StatefulSet", x.Name
	}
	r.u.mu.Lock()
	defer r.u.mu.Unlock()
	r.u.events = append(r.u.events, rawEvent{r.u.clock.ms(), kind, name, reason, msg})
}

func (r *recorder) Eventf(o runtime.Object, typ, reason, format string, args ...any) {
	r.Event(o, typ, reason, fmt.Sprintf(format, args...))
}

func (r *recorder) AnnotatedEventf(o runtime.Object, _ map[string]string, typ, reason, format string, args ...any) {
	r.Event(o, typ, reason, fmt.Sprintf(format, args...))
}

// Typed informers over the API server's informers.
type deploymentInformer struct{ i *informer }

func (d deploymentInformer) Informer() cache.SharedIndexInformer { return d.i }
func (d deploymentInformer) Lister() appslisters.DeploymentLister {
	return appslisters.NewDeploymentLister(d.i.GetIndexer())
}

type replicaSetInformer struct{ i *informer }

func (d replicaSetInformer) Informer() cache.SharedIndexInformer { return d.i }
func (d replicaSetInformer) Lister() appslisters.ReplicaSetLister {
	return appslisters.NewReplicaSetLister(d.i.GetIndexer())
}

type podInformer struct{ i *informer }

func (d podInformer) Informer() cache.SharedIndexInformer { return d.i }
func (d podInformer) Lister() corelisters.PodLister {
	return corelisters.NewPodLister(d.i.GetIndexer())
}

type statefulSetInformer struct{ i *informer }

func (d statefulSetInformer) Informer() cache.SharedIndexInformer { return d.i }
func (d statefulSetInformer) Lister() appslisters.StatefulSetLister {
	return appslisters.NewStatefulSetLister(d.i.GetIndexer())
}

type revisionInformer struct{ i *informer }

func (d revisionInformer) Informer() cache.SharedIndexInformer { return d.i }
func (d revisionInformer) Lister() appslisters.ControllerRevisionLister {
	return appslisters.NewControllerRevisionLister(d.i.GetIndexer())
}

type pvcInformer struct{ i *informer }

func (d pvcInformer) Informer() cache.SharedIndexInformer { return d.i }
func (d pvcInformer) Lister() corelisters.PersistentVolumeClaimLister {
	return corelisters.NewPersistentVolumeClaimLister(d.i.GetIndexer())
}

var (
	_ appsinformers.StatefulSetInformer           = statefulSetInformer{}
	_ appsinformers.ControllerRevisionInformer    = revisionInformer{}
	_ coreinformers.PersistentVolumeClaimInformer = pvcInformer{}
	_ appsinformers.DeploymentInformer            = deploymentInformer{}
	_ appsinformers.ReplicaSetInformer            = replicaSetInformer{}
	_ coreinformers.PodInformer                   = podInformer{}
)

// kubeletReplay plays kubesim's scheduler and kubelet: the n-th pod created for a template
// (in creation order, same-instant pods in name order) goes through the states kubesim's
// n-th pod of that template went through, at the same delays after its creation, and after
// its deletion through the same termination.
type kubeletReplay struct {
	u        *upstream
	lives    Lives
	next     map[string]int
	assigned map[string]*PodLife // by UID
	created_ []*corev1.Pod
	// createdSeqs: a FIFO turn taken as each pod is created (kubesim queues its scheduler
	// when a pod is created, inside the sync that creates it); the pod's first hop takes it
	createdSeqs []int64
	deleted_    []*corev1.Pod
	gone        map[string]bool // by UID: deletion started, the life's later steps are dropped
	// hops are the pod states still to come of a pod's first instant, or of its
	// deletion's instant, one per turn in the controllers' FIFO: kubesim's scheduler and
	// kubelet take their turns among the controllers, so a pod created, bound and Ready
	// within one instant is seen by the Deployment controller at each of those states
	// (seed 50), and a pod gone at once is gone before the next command (seed 313).
	hops []hop
}

type hop struct {
	seq int64
	fn  func()
}

func (k *kubeletReplay) head() (int64, bool) {
	if len(k.hops) == 0 {
		return 0, false
	}
	return k.hops[0].seq, true
}

// hop applies the first queued state.
func (k *kubeletReplay) hop() {
	h := k.hops[0]
	k.hops = k.hops[1:]
	h.fn()
}

// chain applies steps[0] now and queues the others, each behind the work queued by the
// one before.
func (k *kubeletReplay) chain(steps []func()) {
	if len(steps) == 0 {
		return
	}
	steps[0]()
	if len(steps) > 1 {
		k.queueHop(k.u.queueSeq.Add(1), func() { k.chain(steps[1:]) })
	}
}

// queueHop queues fn at turn seq, in turn order (a turn taken at a pod's creation can be
// older than hops queued since).
func (k *kubeletReplay) queueHop(seq int64, fn func()) {
	i := sort.Search(len(k.hops), func(i int) bool { return k.hops[i].seq > seq })
	k.hops = slices.Insert(k.hops, i, hop{seq, fn})
}

func newKubeletReplay(u *upstream, lives Lives) *kubeletReplay {
	return &kubeletReplay{u: u, lives: lives, next: map[string]int{}, assigned: map[string]*PodLife{}, gone: map[string]bool{}}
}

func (k *kubeletReplay) created(p *corev1.Pod) {
	k.u.mu.Lock()
	defer k.u.mu.Unlock()
	k.created_ = append(k.created_, p)
	k.createdSeqs = append(k.createdSeqs, k.u.queueSeq.Add(1))
}

func (k *kubeletReplay) deleted(p *corev1.Pod) {
	k.u.mu.Lock()
	defer k.u.mu.Unlock()
	k.deleted_ = append(k.deleted_, p)
}

// podKey is the key of a pod's lives: its ReplicaSet's template key, or for a pod of a
// StatefulSet its name (the k-th incarnation of web-1 plays kubesim's k-th web-1).
func (k *kubeletReplay) podKey(p *corev1.Pod) string {
	if ref := metav1.GetControllerOf(p); ref != nil && ref.Kind == "StatefulSet" {
		return statefulPodKey(p.Namespace, p.Name)
	}
	if ref := metav1.GetControllerOf(p); ref != nil {
		k.u.mu.Lock()
		defer k.u.mu.Unlock()
		return k.u.names.rs[ref.Name]
	}
	return ""
}

func upstreamKey(deploy string, rs *appsv1.ReplicaSet) string {
	var images []string
	for _, c := range rs.Spec.Template.Spec.Containers {
		images = append(images, c.Image)
	}
	return templateKey(deploy, images, rs.Annotations[deploymentutil.RevisionAnnotation])
}

// assign gives the pods created and deleted since the last call their timelines.
func (k *kubeletReplay) assign() {
	k.u.mu.Lock()
	created, deleted, seqs := k.created_, k.deleted_, k.createdSeqs
	k.created_, k.deleted_, k.createdSeqs = nil, nil, nil
	k.u.mu.Unlock()
	sort.Slice(created, func(i, j int) bool { return created[i].Name < created[j].Name })
	slices.Sort(seqs)
	sort.Slice(deleted, func(i, j int) bool { return deleted[i].Name < deleted[j].Name })
	now := k.u.clock.ms()
	renamed := map[types.UID]types.UID{} // upstream UID -> kubesim's, for pods given kubesim's UID
	for i, p := range created {
		pk := k.podKey(p)
		ls := k.lives[pk]
		n := k.next[pk]
		k.next[pk] = n + 1
		var l *PodLife
		switch {
		case n < len(ls):
			l = ls[n]
		case len(ls) > 0:
			l = ls[len(ls)-1] // more pods than kubesim made: the last one's timing
		default:
			continue // kubesim never made such a pod: it stays Pending
		}
		ns, name := p.Namespace, p.Name
		if n < len(ls) && !l.sts && l.UID != "" && k.u.srv.playAs(ns, name, p.UID, types.UID(l.UID), l.Name) {
			renamed[p.UID] = types.UID(l.UID)
		}
		id, uid := string(p.UID), p.UID
		if to, ok := renamed[uid]; ok {
			id, uid = string(to), to
		}
		k.assigned[id] = l
		var first []func()
		for _, st := range l.Steps {
			fn := func() {
				if !k.gone[id] {
					k.u.srv.setPod(ns, name, uid, func(p *corev1.Pod) { applyStep(p, st, k.u.clock.Now()) })
				}
			}
			if st.DT == 0 && !l.sts {
				first = append(first, fn)
				continue
			}
			k.u.scheduleClass(now+st.DT, replayTimer, fn)
		}
		// The first state is the pod as created; the next ones take turns from the turn
		// of its creation.
		if len(first) > 0 {
			first[0]()
			if rest := first[1:]; len(rest) > 0 {
				k.queueHop(seqs[i], func() { k.chain(rest) })
			}
		}
		if l.External && l.Deleted >= 0 {
			// Deleted by something that does not run upstream (eviction, drain, node
			// lifecycle): delete it at the same age. A StatefulSet's pod is deleted after
			// its state step of that instant and after the controllers reacted to it
			// (kubesim check seed 38: web-0 became Ready, the controller created web-1,
			// then a preemption deleted web-0, all at 2 s).
			sts, grace := l.sts, l.Grace
			class := replayTimer
			if l.ByAction {
				class = actionTimer
			}
			k.u.scheduleClass(now+(l.Deleted-l.Created), class, func() {
				// Not between the pods one drain deletes: kubesim's drain deletes them in
				// one action (seed 222: db-0-3 and db-0-2 drained at 60 s; settling
				// between them let OrderedReady re-create db-0-3 first).
				if sts && class != actionTimer {
					k.u.settle()
				}
				if k.u.srv.hasPod(ns, name, uid) {
					_ = k.u.srv.client.CoreV1().Pods(ns).Delete(k.u.ctx, name, metav1.DeleteOptions{GracePeriodSeconds: grace})
				}
			})
		}
	}
	for _, p := range deleted {
		id, uid := string(p.UID), p.UID
		if to, ok := renamed[uid]; ok {
			id, uid = string(to), to
		}
		k.gone[id] = true
		l := k.assigned[id]
		if l == nil || l.Deleted < 0 {
			l = k.someTermination(k.podKey(p))
		}
		ns, name := p.Namespace, p.Name
		if l == nil {
			grace := int64(30)
			if p.DeletionGracePeriodSeconds != nil {
				grace = *p.DeletionGracePeriodSeconds
			}
			k.u.scheduleClass(now+grace*1000, replayTimer, func() { k.u.srv.finishPod(ns, name, uid) })
			continue
		}
		// A termination's states of the deletion's instant (a container that exits on
		// SIGTERM at once, a pod that is gone at once) take turns in the FIFO, as kubesim's
		// kubelet does: the next command of the instant sees the pod gone and its
		// replacement made (seed 313: kubectl delete pod db-1-0 twice at 26.5 s).
		var first []func()
		for _, st := range l.Term {
			fn := func() {
				k.u.srv.setPod(ns, name, uid, func(p *corev1.Pod) { applyStep(p, st, k.u.clock.Now()) })
			}
			if st.DT == 0 {
				first = append(first, fn)
				continue
			}
			k.u.scheduleClass(now+st.DT, replayTimer, fn)
		}
		if l.Gone >= 0 { // else it is still terminating at the end (its node is down)
			fn := func() { k.u.srv.finishPod(ns, name, uid) }
			if l.Gone == 0 {
				first = append(first, fn)
			} else {
				k.u.scheduleClass(now+l.Gone, replayTimer, fn)
			}
		}
		if len(first) > 0 {
			k.queueHop(k.u.queueSeq.Add(1), func() { k.chain(first) })
		}
	}
}

// someTermination is a kubesim pod of the same template (else of any) that was deleted
// and went away: how long termination takes.
func (k *kubeletReplay) someTermination(pk string) *PodLife {
	for _, l := range k.lives[pk] {
		if l.Deleted >= 0 && l.Gone >= 0 && len(l.Steps) > 0 && l.Steps[len(l.Steps)-1].Node != "" {
			return l
		}
	}
	keys := make([]string, 0, len(k.lives))
	for key := range k.lives {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		for _, l := range k.lives[key] {
			if l.Deleted >= 0 && l.Gone >= 0 && len(l.Steps) > 0 && l.Steps[len(l.Steps)-1].Node != "" {
				return l
			}
		}
	}
	return nil
}

// applyStep writes a kubesim pod state onto an upstream pod: binding, phase, conditions
// (Ready and ContainersReady with their transition time) and restart counts.
func applyStep(p *corev1.Pod, st PodStep, now time.Time) {
	if st.Node != "" {
		p.Spec.NodeName = st.Node
		setCondition(p, corev1.PodScheduled, true, now)
	}
	p.Status.Phase = corev1.PodPhase(st.Phase)
	setCondition(p, corev1.ContainersReady, st.Ready, now)
	setCondition(p, corev1.PodReady, st.Ready, now)
	if len(p.Status.ContainerStatuses) != len(p.Spec.Containers) {
		p.Status.ContainerStatuses = make([]corev1.ContainerStatus, len(p.Spec.Containers))
		for i, c := range p.Spec.Containers {
			p.Status.ContainerStatuses[i] = corev1.ContainerStatus{Name: c.Name, Image: c.Image}
		}
	}
	for i := range p.Status.ContainerStatuses {
		p.Status.ContainerStatuses[i].Ready = st.Ready
	}
	if len(p.Status.ContainerStatuses) > 0 {
		p.Status.ContainerStatuses[0].RestartCount = st.Restarts
	}
	if p.Status.StartTime == nil && st.Phase == string(corev1.PodRunning) {
		t := metav1.NewTime(now)
		p.Status.StartTime = &t
	}
}

func setCondition(p *corev1.Pod, typ corev1.PodConditionType, on bool, now time.Time) {
	status := corev1.ConditionFalse
	if on {
		status = corev1.ConditionTrue
	}
	for i := range p.Status.Conditions {
		c := &p.Status.Conditions[i]
		if c.Type == typ {
			if c.Status != status {
				c.Status, c.LastTransitionTime = status, metav1.NewTime(now)
			}
			return
		}
	}
	p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: typ, Status: status, LastTransitionTime: metav1.NewTime(now)})
}
