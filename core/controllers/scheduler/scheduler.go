package scheduler

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Name is the scheduler's name: pods with spec.schedulerName equal to it are its to bind, and
// it is the source of its events.
const Name = api.DefaultSchedulerName

// QueueKind is the hidden kind of the scheduler's bookkeeping object.
const QueueKind = "SchedulerQueue"

// RetryInterval is how long an unschedulable pod waits at most before it is tried again
// without any cluster event (podMaxInUnschedulablePodsDuration, 5 minutes; pods.md §10.3).
const RetryInterval = 5 * api.Minute

// Queue is the scheduler's state kept in the store (a single object named
// "default-scheduler"): the pods in their binding cycle and the nominated ones. The
// unschedulable pods are Attempt objects, one per pod.
type Queue struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	// Binding maps a pod key to the node it was assumed on while VolumeBinding's PreBind
	// waits for its claims to become Bound.
	Binding map[string]PendingBinding `json:"binding,omitempty"`
	// Nominated maps a pending pod's key to the node a preemption nominated it for (its
	// status.nominatedNodeName): the scheduler's nominator, whose pods count on that node
	// for every pod of no higher priority.
	Nominated map[string]string `json:"nominated,omitempty"`
}

// CloneSelf is api.Clone's fast copy: every field is a map of plain values.
func (q *Queue) CloneSelf() *Queue {
	if q == nil {
		return nil
	}
	return &Queue{TypeMeta: q.TypeMeta, ObjectMeta: q.ObjectMeta.DeepCopy(), Binding: maps.Clone(q.Binding), Nominated: maps.Clone(q.Nominated)}
}

// AttemptKind is the hidden kind of an unschedulable pod's entry in the scheduler's
// unschedulable queue (unschedulablePods), with the pod's namespace and name. One object per
// pod, so a failed attempt writes only its own entry: a single map of every pending pod,
// copied on each write, made applying 5,000 replicas on a full cluster quadratic.
const AttemptKind = "SchedulerAttempt"

// Attempt records when an unschedulable pod's last scheduling attempt failed.
type Attempt struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	Failed         api.Time `json:"failed"`
}

// unschedulablePods maps the key of every unschedulable pod to its last failed attempt.
func unschedulablePods(st *store.Store) map[string]api.Time {
	list := store.ListAs[*Attempt](st, AttemptKind, "")
	out := make(map[string]api.Time, len(list))
	for _, a := range list {
		out[a.Namespace+"/"+a.Name] = a.Failed
	}
	return out
}

// lastFailure is the time of key's last failed attempt, if it is unschedulable.
func lastFailure(st *store.Store, key string) (api.Time, bool) {
	if o := st.Get(AttemptKind, key); o != nil {
		return o.(*Attempt).Failed, true
	}
	return 0, false
}

// markUnschedulable puts key in the unschedulable queue as failed now.
func markUnschedulable(ctx *sim.Context, key string) error {
	if o := ctx.Store().Get(AttemptKind, key); o != nil {
		a := *o.(*Attempt)
		a.ObjectMeta = a.ObjectMeta.DeepCopy()
		a.Failed = ctx.Now()
		return ctx.Update(&a)
	}
	ns, name, _ := strings.Cut(key, "/")
	// A UID of its own keeps the store's UID sequence (the pods' UIDs) as it was.
	return ctx.Create(&Attempt{TypeMeta: api.TypeMeta{Kind: AttemptKind},
		ObjectMeta: api.ObjectMeta{Namespace: ns, Name: name, UID: "scheduler-attempt"}, Failed: ctx.Now()})
}

// clearUnschedulable takes key out of the unschedulable queue.
func clearUnschedulable(ctx *sim.Context, key string) error {
	if ctx.Store().Get(AttemptKind, key) == nil {
		return nil
	}
	return ctx.Remove(AttemptKind, key)
}

// PendingBinding is a pod in the binding cycle: assumed on Node, waiting for its claims until
// Deadline (PreBind start + BindTimeout).
type PendingBinding struct {
	Node     string   `json:"node"`
	Deadline api.Time `json:"deadline"`
	// Explanation is the scheduling decision, recorded when the pod is finally bound.
	Explanation string `json:"explanation,omitempty"`
}

// Controller is the scheduler. It keeps no state in memory.
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return Name }

// Keys: a pod key "ns/name", timerPrefix+pod key for the 5-minute retry, and retryKey for
// "a cluster event happened: retry every unschedulable pod".
const (
	retryKey    = "\x00retry"
	timerPrefix = "\x01"
	// bindWaitKey: a claim changed, re-check every pod waiting in PreBind.
	bindWaitKey = "\x00bindwait"
	// retrySpreadKey: a pod was bound or a bound pod's labels changed; retry the unschedulable
	// pods with DoNotSchedule spread constraints or required pod affinity (PodTopologySpread's
	// and InterPodAffinity's EventsToRegister: assigned Pod Add/UpdatePodLabel), which such a
	// change can make schedulable.
	retrySpreadKey = "\x00retryspread"
)

// OwnedKinds implements sim.KindOwner: the queue, the attempts in flight and the node cursor are this controller's own.
func (Controller) OwnedKinds() []string {
	return []string{QueueKind, AttemptKind, CursorKind}
}

// Watch enqueues new unbound pods; node changes and pods that leave a node (deleted or
// terminal) retry every unschedulable pod, like the scheduling queue's
// MoveAllToActiveOrBackoffQueue on cluster events.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "Pod":
		switch c.Type {
		case store.Added:
			if p := c.New.(*api.Pod); p.Spec.NodeName == "" {
				ctx.Enqueue(c.Key)
			} else {
				ctx.Enqueue(retrySpreadKey)
			}
		case store.Deleted:
			if c.Old.(*api.Pod).Spec.NodeName != "" {
				ctx.Enqueue(retryKey)
			} else if c.Old.(*api.Pod).Status.NominatedNodeName != "" {
				ctx.Enqueue(c.Key) // a nominated pod is gone: forget its nomination
			}
		case store.Modified:
			o, n := c.Old.(*api.Pod), c.New.(*api.Pod)
			if n.Spec.NodeName != "" && !o.IsTerminal() && n.IsTerminal() {
				ctx.Enqueue(retryKey)
			}
			if n.Spec.NodeName != "" && (o.Spec.NodeName == "" || !maps.Equal(o.Labels, n.Labels)) {
				ctx.Enqueue(retrySpreadKey)
			}
		}
	case "Node":
		ctx.Enqueue(retryKey)
	case "PersistentVolumeClaim", "PersistentVolume", "StorageClass":
		// VolumeBinding's cluster events (EventsToRegister): claims, volumes and classes
		// that are added or change move unschedulable pods back to the active queue; a claim
		// that becomes Bound completes a waiting PreBind.
		ctx.Enqueue(bindWaitKey)
		ctx.Enqueue(retryKey)
	}
}

// Reconcile tries to bind one pod, or (retryKey) re-queues every unschedulable pod.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	if key == retrySpreadKey {
		for _, k := range prioritySorted(ctx.Store(), unschedulablePods(ctx.Store())) {
			if o := ctx.Store().Get("Pod", k); o != nil && (hasHardSpread(o.(*api.Pod)) || hasRequiredPodAffinity(o.(*api.Pod))) {
				ctx.Enqueue(k)
			}
		}
		return nil
	}
	if key == retryKey || key == bindWaitKey {
		q := getQueue(ctx)
		if key == bindWaitKey {
			for _, k := range api.SortedKeys(q.Binding) {
				ctx.Enqueue(k)
			}
			return nil
		}
		for _, k := range prioritySorted(ctx.Store(), unschedulablePods(ctx.Store())) {
			ctx.Enqueue(k)
		}
		return nil
	}
	timer := strings.HasPrefix(key, timerPrefix)
	key = strings.TrimPrefix(key, timerPrefix)
	o := ctx.Store().Get("Pod", key)
	if o == nil {
		return forget(ctx, key)
	}
	p := o.(*api.Pod)
	if p.Spec.NodeName != "" || p.DeletionTimestamp != nil || p.IsTerminal() {
		return forget(ctx, key)
	}
	if p.Spec.SchedulerName != "" && p.Spec.SchedulerName != Name {
		return nil
	}
	q := getQueue(ctx)
	if pb, ok := q.Binding[key]; ok {
		return waitForVolumes(ctx, p, key, pb)
	}
	if last, ok := lastFailure(ctx.Store(), key); ok {
		// A timer retries only if no other attempt happened in the last 5 minutes; an event
		// retries unless the pod already failed at this very instant (that attempt saw the
		// same cluster).
		if (timer && ctx.Now() < last.Add(RetryInterval)) || (!timer && ctx.Now() == last) {
			return nil
		}
	}
	st := ctx.Store()
	tab := nodeTableOf(st)
	nodes := tab.nodes
	podsOn := func(node string) []*api.Pod {
		return store.ByIndexAs[*api.Pod](st, "node", "Pod", node)
	}
	usageOn := func(node string) nodeUsage { return nodeUsageOf(st, node) }
	assumed := nominatedPods(st, q, p)
	if len(q.Binding) > 0 || len(assumed) > 0 {
		// Pods in their binding cycle are assumed on their node (scheduler cache AssumePod);
		// pods nominated by a preemption count on their node for pods of no higher priority
		// (RunFilterPluginsWithNominatedPods).
		if assumed == nil {
			assumed = map[string][]*api.Pod{}
		}
		for _, k := range api.SortedKeys(q.Binding) {
			if o := st.Get("Pod", k); o != nil {
				assumed[q.Binding[k].Node] = append(assumed[q.Binding[k].Node], o.(*api.Pod))
			}
		}
		podsOn = func(node string) []*api.Pod {
			on := store.ByIndexAs[*api.Pod](st, "node", "Pod", node)
			if a := assumed[node]; len(a) > 0 {
				on = append(append([]*api.Pod(nil), on...), a...)
			}
			return on
		}
		usageOn = func(node string) nodeUsage {
			return nodeUsageOf(st, node).plus(usageOf(assumed[node]))
		}
	}
	if hasClaims(p) {
		pc, msg := preFilterVolumes(st, p)
		if msg != "" {
			return unschedulable(ctx, p, preFilterRejection(len(nodes), msg))
		}
		extra := func(n *api.Node) []string { return filterVolumes(st, pc, n) }
		start := getCursor(st)
		cl := &cluster{st: st, memo: len(q.Binding) == 0 && len(assumed) == 0, start: start, table: tab, sb: scratchOf(ctx)}
		res := scheduleWith(p, nodes, podsOn, usageOn, extra, cl, ctx.Rand(RandStream))
		if err := advanceCursor(ctx, start, res.Processed, len(nodes)); err != nil {
			return err
		}
		if res.Node == "" {
			return postFilter(ctx, p, q, nodes, podsOn, extra, cl, res)
		}
		return preBind(ctx, p, key, pc, res)
	}
	start := getCursor(st)
	cl := &cluster{st: st, memo: len(q.Binding) == 0 && len(assumed) == 0, start: start, table: tab, sb: scratchOf(ctx)}
	res := scheduleWith(p, nodes, podsOn, usageOn, nil, cl, ctx.Rand(RandStream))
	if err := advanceCursor(ctx, start, res.Processed, len(nodes)); err != nil {
		return err
	}
	if res.Node == "" {
		return postFilter(ctx, p, q, nodes, podsOn, nil, cl, res)
	}
	return bind(ctx, p, res)
}

// preFilterRejection is the FitError of a PreFilter rejection: its message for every node,
// and preemption finds no node where it could help.
func preFilterRejection(n int, msg string) Result {
	m := fmt.Sprintf("0/%d nodes are available: %s.", n, msg)
	if n > 0 {
		m += " preemption: " + fitError(n, map[string]int{"Preemption is not helpful for scheduling": n})
	}
	return Result{Message: m, Explanation: "VolumeBinding PreFilter: " + msg}
}

// preBind is VolumeBinding's Reserve + PreBind: the chosen node goes on every unbound
// WaitForFirstConsumer claim as volume.kubernetes.io/selected-node (the provisioner creates
// the volume in that topology), then the binding waits until every claim is Bound. Upstream
// polls once a second (BindPodVolumes); kubesim re-checks on every claim change, so the pod
// is bound at the instant its last claim becomes Bound.
func preBind(ctx *sim.Context, p *api.Pod, key string, pc podClaims, res Result) error {
	for _, c := range pc.delayed {
		if c.Annotations[api.SelectedNodeAnnotation] == res.Node {
			continue
		}
		cp := api.Clone(c)
		if cp.Annotations == nil {
			cp.Annotations = map[string]string{}
		}
		cp.Annotations[api.SelectedNodeAnnotation] = res.Node
		ctx.Explain(cp, "VolumeBinding: pod %s is assumed on %s; the claim is provisioned in that topology", p.Name, res.Node)
		if err := ctx.Update(cp); err != nil {
			return err
		}
	}
	if claimsBound(ctx.Store(), p) {
		if err := forgetBinding(ctx, key); err != nil {
			return err
		}
		return bind(ctx, p, res)
	}
	nq := api.Clone(getQueue(ctx))
	if nq.Binding == nil {
		nq.Binding = map[string]PendingBinding{}
	}
	nq.Binding[key] = PendingBinding{Node: res.Node, Deadline: ctx.Now().Add(BindTimeout), Explanation: res.Explanation}
	if err := putQueue(ctx, nq); err != nil {
		return err
	}
	if err := clearUnschedulable(ctx, key); err != nil {
		return err
	}
	ctx.Explain(p, "VolumeBinding PreBind: waiting for the claims of %s to be Bound before binding it to %s", p.Name, res.Node)
	ctx.EnqueueAt(key, ctx.Now().Add(BindTimeout))
	return nil
}

// waitForVolumes re-checks a pod waiting in PreBind: bound once its claims are, a scheduling
// failure when the 600 s run out (schedule_one.go handleBindingCycleError; the message is
// the PreBind error).
func waitForVolumes(ctx *sim.Context, p *api.Pod, key string, pb PendingBinding) error {
	if claimsBound(ctx.Store(), p) {
		if err := forgetBinding(ctx, key); err != nil {
			return err
		}
		return bind(ctx, p, Result{Node: pb.Node, Explanation: pb.Explanation})
	}
	if ctx.Now() < pb.Deadline {
		return nil
	}
	if err := forgetBinding(ctx, key); err != nil {
		return err
	}
	msg := `running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded`
	cp := p.CloneForStatus()
	if setCondition(cp, api.PodCondition{Type: api.PodScheduled, Status: api.ConditionFalse,
		Reason: "SchedulerError", Message: msg}, ctx.Now()) {
		if err := ctx.Update(cp); err != nil {
			return err
		}
	}
	ctx.EventAt(cp, "", "Warning", "FailedScheduling", msg)
	ctx.Explain(cp, "the claims of %s were not Bound %s after the scheduler chose %s", p.Name, BindTimeout, pb.Node)
	if err := markUnschedulable(ctx, key); err != nil {
		return err
	}
	ctx.EnqueueAfter(timerPrefix+key, RetryInterval)
	return nil
}

func forgetBinding(ctx *sim.Context, key string) error {
	q := getQueue(ctx)
	if _, ok := q.Binding[key]; !ok {
		return nil
	}
	nq := api.Clone(q)
	delete(nq.Binding, key)
	return putQueue(ctx, nq)
}

func bind(ctx *sim.Context, p *api.Pod, res Result) error {
	// Only spec.nodeName (a string in cp's own copy of the spec struct) and the status
	// change: the metadata's and spec's maps, slices and pointers are shared with the stored
	// pod, never modified.
	cp := p.CloneStatus()
	cp.Spec.NodeName = res.Node
	// The binding clears status.nominatedNodeName (ClearingNominatedNodeNameAfterBinding).
	cp.Status.NominatedNodeName = ""
	setCondition(cp, api.PodCondition{Type: api.PodScheduled, Status: api.ConditionTrue}, ctx.Now())
	if err := ctx.Update(cp); err != nil {
		return err
	}
	ctx.EventAt(cp, "", "Normal", "Scheduled", "Successfully assigned "+cp.Namespace+"/"+cp.Name+" to "+res.Node)
	ctx.Explain(cp, "%s", res.Explanation)
	return forget(ctx, cp.Namespace+"/"+cp.Name)
}

func unschedulable(ctx *sim.Context, p *api.Pod, res Result) error {
	msg := res.Message
	cp := p.CloneForStatus()
	if setCondition(cp, api.PodCondition{Type: api.PodScheduled, Status: api.ConditionFalse,
		Reason: "Unschedulable", Message: msg}, ctx.Now()) {
		if err := ctx.Update(cp); err != nil {
			return err
		}
	}
	ev := msg
	if len(ev) > 1024 { // pkg/scheduler/schedule_one.go: cut to 1020 characters + " ..."
		ev = ev[:1020] + " ..."
	}
	ctx.EventAt(cp, "", "Warning", "FailedScheduling", ev)
	ctx.Explain(cp, "%s", res.Explanation)
	key := cp.Namespace + "/" + cp.Name
	if err := markUnschedulable(ctx, key); err != nil {
		return err
	}
	ctx.EnqueueAfter(timerPrefix+key, RetryInterval)
	return nil
}

// setCondition sets a pod condition, keeping lastTransitionTime when the status is unchanged.
// It reports whether anything changed.
func setCondition(p *api.Pod, c api.PodCondition, now api.Time) bool {
	for i := range p.Status.Conditions {
		old := &p.Status.Conditions[i]
		if old.Type != c.Type {
			continue
		}
		if old.Status == c.Status && old.Reason == c.Reason && old.Message == c.Message {
			return false
		}
		c.LastTransitionTime = old.LastTransitionTime
		if old.Status != c.Status {
			c.LastTransitionTime = now
		}
		*old = c
		return true
	}
	c.LastTransitionTime = now
	p.Status.Conditions = append(p.Status.Conditions, c)
	if p.Status.Phase == "" {
		p.Status.Phase = api.PodPending
	}
	return true
}

// getQueue is the stored queue, or an empty one. Like a stored object it is shared: clone it
// before a change (every writer does).
func getQueue(ctx *sim.Context) *Queue {
	if o := ctx.Store().Get(QueueKind, Name); o != nil {
		return o.(*Queue)
	}
	return noQueue
}

// noQueue is getQueue's empty queue, shared: one per call was two allocations per attempt.
var noQueue = &Queue{TypeMeta: api.TypeMeta{Kind: QueueKind}, ObjectMeta: api.ObjectMeta{Name: Name}}

func putQueue(ctx *sim.Context, q *Queue) error {
	if ctx.Store().Get(QueueKind, Name) == nil {
		return ctx.Create(q)
	}
	return ctx.Update(q)
}

func forget(ctx *sim.Context, key string) error {
	if err := clearUnschedulable(ctx, key); err != nil {
		return err
	}
	q := getQueue(ctx)
	_, b := q.Binding[key]
	_, n := q.Nominated[key]
	if !b && !n {
		return nil
	}
	nq := api.Clone(q)
	delete(nq.Binding, key)
	delete(nq.Nominated, key)
	return putQueue(ctx, nq)
}

// Result is the outcome of one scheduling attempt.
type Result struct {
	// Node is the chosen node, or "" when the pod does not fit anywhere.
	Node string
	// Message is the FitError text when Node is "".
	Message string
	// Explanation lists the per-node verdicts and scores.
	Explanation string
	// Processed is how many nodes the filters ran on (the next attempt starts after them).
	Processed int
	// fitMsg is Message without the PostFilter part; statuses are the rejected nodes, for
	// DefaultPreemption (both set only when no node fits).
	fitMsg   string
	statuses []nodeStatus
}

// nodeStatus is one node's filter verdict: resolvable is false for an
// UnschedulableAndUnresolvable status, which preemption cannot change.
type nodeStatus struct {
	node       *api.Node
	reasons    []string
	resolvable bool
}

// Minimums of pkg/scheduler/schedule_one.go's numFeasibleNodesToFind.
const (
	minFeasibleNodesToFind           = 100
	minFeasibleNodesPercentageToFind = 5
)

// numFeasibleNodesToFind is how many feasible nodes end the filtering, with
// percentageOfNodesToScore unset as in the default configuration: every node below 100,
// else an adaptive 50% minus 1% per 125 nodes (at least 5%), and never fewer than 100.
func numFeasibleNodesToFind(n int) int {
	if n < minFeasibleNodesToFind {
		return n
	}
	pct := max(minFeasibleNodesPercentageToFind, 50-n/125)
	return max(minFeasibleNodesToFind, n*pct/100)
}

// CursorKind is the hidden kind that keeps the scheduler's nextStartNodeIndex between
// attempts (a field of upstream's Scheduler): the node the next attempt's filtering starts
// from. It only moves on clusters of 100 nodes or more, where filtering can stop early.
const CursorKind = "SchedulerCursor"

// Cursor is the scheduler's nextStartNodeIndex.
type Cursor struct {
	api.TypeMeta       `json:",inline"`
	api.ObjectMeta     `json:"metadata"`
	NextStartNodeIndex int `json:"nextStartNodeIndex"`
}

func getCursor(st *store.Store) int {
	if o := st.Get(CursorKind, Name); o != nil {
		return o.(*Cursor).NextStartNodeIndex
	}
	return 0
}

// advanceCursor moves nextStartNodeIndex past the nodes an attempt processed.
func advanceCursor(ctx *sim.Context, start, processed, nodes int) error {
	if nodes == 0 {
		return nil
	}
	next := (start + processed) % nodes
	if next == start {
		return nil
	}
	o := ctx.Store().Get(CursorKind, Name)
	if o == nil {
		return ctx.Create(&Cursor{TypeMeta: api.TypeMeta{Kind: CursorKind}, ObjectMeta: api.ObjectMeta{Name: Name}, NextStartNodeIndex: next})
	}
	c := api.Clone(o.(*Cursor))
	c.NextStartNodeIndex = next
	return ctx.Update(c)
}

// RandStream is the engine's random stream the scheduler breaks score ties with: a stream of
// its own, so a tie drawn here never shifts generated names or any other stream.
const RandStream = "scheduler"

// Rand is what the scheduler needs of a random stream (ctx.Rand(RandStream) in the controller).
type Rand interface{ IntN(n int) int }

// Schedule runs the filters and scores of the default profile over nodes (sorted by name)
// and picks a node for p. podsOn returns the pods bound to a node; r breaks ties.
//
// Score = 3 x TaintToleration + 2 x NodeAffinity + 1 x NodeResourcesFit (LeastAllocated)
// + 1 x NodeResourcesBalancedAllocation (1.36 "change in balance" form) + 2 x
// PodTopologySpread + 2 x InterPodAffinity (scoring.go). Ties between equal totals are broken
// uniformly at random, see pickBest (pods.md §10.5).
func Schedule(p *api.Pod, nodes []*api.Node, podsOn func(node string) []*api.Pod, r Rand) Result {
	return ScheduleWith(p, nodes, podsOn, nil, r)
}

// ScheduleWith is Schedule with one more filter after the built-in ones (VolumeBinding's
// Filter); its rejections are UnschedulableAndUnresolvable.
func ScheduleWith(p *api.Pod, nodes []*api.Node, podsOn func(node string) []*api.Pod, extra func(*api.Node) []string, r Rand) Result {
	return scheduleWith(p, nodes, podsOn, func(node string) nodeUsage { return usageOf(podsOn(node)) }, extra, nil, r)
}

// pickBest returns the index of the highest total and how many nodes share it. Ties are
// broken as pkg/scheduler/schedule_one.go selectHost does: reservoir sampling over the nodes
// with the top score, the k-th of them (k >= 2, in name order) replacing the choice when
// r.IntN(k) == 0, so each is chosen with probability 1/cntOfMaxScore. No number is drawn
// without a tie (nor when a single node is feasible, which upstream does not score at all).
func pickBest(totals []int64, r Rand) (best, ties int) {
	for i, t := range totals {
		if i == 0 || t > totals[best] {
			best = i
		}
	}
	ties = 1
	for i := best + 1; i < len(totals); i++ {
		if totals[i] != totals[best] {
			continue
		}
		ties++
		if r.IntN(ties) == 0 {
			best = i
		}
	}
	return best, ties
}

// scheduleWith is ScheduleWith with the requested totals of each node's pods supplied by
// usageOn (the controller's are memoized in the store, see nodeUsageOf); podsOn is called
// only when a filter or score needs the pods themselves. cl (nil in tests) supplies the
// objects PodTopologySpread's default constraints and namespaceSelectors read.
func scheduleWith(p *api.Pod, nodes []*api.Node, podsOn func(node string) []*api.Pod, usageOn func(node string) nodeUsage, extra func(*api.Node) []string, cl *cluster, r Rand) Result {
	if len(nodes) == 0 {
		return Result{Message: "no nodes available to schedule pods", Explanation: "no nodes available to schedule pods"}
	}
	sb := cl.scratchMem()
	cands := sb.cands[:0]
	if cl.memoized() {
		cl.infos = slices.Grow(sb.infos[:0], len(nodes))[:len(nodes)]
		sb.infos = cl.infos
	}
	tab := cl.tableFor(nodes)
	if tab != nil && cl.memoized() {
		cl.refs = tab.refs
	}
	defer func() {
		clear(sb.infos)
		sb.cands, sb.infos = cands[:0], sb.infos[:0]
		if cl != nil {
			cl.infos, cl.refs = nil, nil
		}
	}()
	usageAt := func(i int, n *api.Node) nodeUsage {
		if cl.memoized() {
			return cl.infoAt(i, n.Name).usage
		}
		return usageOn(n.Name)
	}
	allocAt := func(i int, n *api.Node) nodeAlloc {
		if tab != nil {
			return tab.alloc[i]
		}
		return allocOf(n)
	}
	reasons := map[string]int{}
	preempt := map[string]int{}
	var why []string
	pr := newPodRequest(p)
	spread := preFilterSpread(p, nodes, podsOn)
	ns := &nsLabelCache{cl: cl}
	ipa := preFilterInterPod(p, nodes, podsOn, ns)
	baseFilter := func(n *api.Node, a nodeAlloc, u nodeUsage) (rs []string, resolvable bool) {
		var pods []*api.Pod
		return filter(p, pr, n, a, func() []*api.Pod {
			if pods == nil {
				pods = podsOn(n.Name)
			}
			return pods
		}, u)
	}
	// laterFilters runs the filters after the node-local ones, which passed with rs empty.
	laterFilters := func(n *api.Node, rs []string, resolvable bool) ([]string, bool) {
		if len(rs) == 0 && extra != nil {
			rs, resolvable = extra(n), false
		}
		if len(rs) == 0 && spread != nil {
			rs, resolvable = filterSpread(spread, p, n)
		}
		if len(rs) == 0 && ipa != nil {
			rs, resolvable = ipa.filter(n, ns)
		}
		return rs, resolvable
	}
	filterNode := func(n *api.Node, a nodeAlloc, u nodeUsage) (rs []string, resolvable bool) {
		rs, resolvable = baseFilter(n, a, u)
		return laterFilters(n, rs, resolvable)
	}
	// The node-local filters' verdict and scores are memoized on the node's info for the
	// next pods with the same placement inputs (a ReplicaSet's pods, mostly): only the node
	// that got the last pod changes between two attempts.
	// Verdicts name their pod's placement class; the attempt adopts the first equal class it
	// meets, so that the verdicts of one workload share one class and the check is a pointer
	// comparison on every other node.
	verdicts := cl.memoized() && noNodeAffinity(p)
	later := extra != nil || spread != nil || ipa != nil // laterFilters has a filter to run
	var cls, other *placementClass                       // cls: p's; other: the last unequal class met
	verdictAt := func(ni *nodeInfo, idx int, n *api.Node) *nodeVerdict {
		if v := ni.verdict; v != nil && v.node == n && v.cls != other {
			if v.cls == cls {
				return v
			}
			if samePlacement(p, pr, v.cls) {
				if cls == nil {
					cls = v.cls
				}
				v.cls = cls // an equal class: the same verdict
				return v
			}
			other = v.cls
		}
		if cls == nil {
			cls = &placementClass{p: p, pr: pr}
		}
		v := &nodeVerdict{node: n, cls: cls}
		u, a := ni.usage, allocAt(idx, n)
		v.rs, v.resolvable = baseFilter(n, a, u)
		if len(v.rs) == 0 {
			v.fit, v.bal = resourceScores(pr, a, u)
			v.taints, v.aff = preferNoScheduleCount(p, n), preferredAffinity(p, n)
		}
		ni.verdict = v // derived from the node, its pods and p's placement inputs alone
		return v
	}
	// evaluateNominatedNode (schedule_one.go findNodesThatFitPod): a pod nominated by an
	// earlier preemption is tried on that node first, and bound there without scoring when
	// it fits.
	if nom := p.Status.NominatedNodeName; nom != "" {
		for i, n := range nodes {
			if n.Name != nom {
				continue
			}
			if rs, _ := filterNode(n, allocAt(i, n), usageAt(i, n)); len(rs) == 0 {
				return Result{Node: nom, Explanation: "assigned to " + nom + " (its nominated node, where it now fits: the filters run there first)"}
			}
		}
	}
	// Filtering stops once numFeasibleNodesToFind nodes passed, starting where the last
	// attempt stopped (schedule_one.go findNodesThatPassFilters and nextStartNodeIndex):
	// on 1,000 nodes only the first 420 feasible ones are scored.
	toFind, start := numFeasibleNodesToFind(len(nodes)), cl.startIndex(len(nodes))
	processed := 0
	var statuses []nodeStatus
	for i := range nodes {
		if len(cands) == toFind {
			break
		}
		idx := (start + i) % len(nodes)
		n := nodes[idx]
		processed++
		var rs []string
		var resolvable bool
		var v *nodeVerdict
		var u nodeUsage
		var a nodeAlloc
		if verdicts {
			ni := cl.infoAt(idx, n.Name)
			if v = ni.verdict; v == nil || v.node != n || v.cls != cls || cls == nil {
				v = verdictAt(ni, idx, n) // not the class this attempt settled on (yet)
			}
			rs, resolvable = v.rs, v.resolvable
			if len(rs) == 0 && later {
				rs, resolvable = laterFilters(n, rs, resolvable)
			}
		} else {
			u, a = usageAt(idx, n), allocAt(idx, n)
			rs, resolvable = filterNode(n, a, u)
		}
		if len(rs) > 0 {
			statuses = append(statuses, nodeStatus{node: n, reasons: rs, resolvable: resolvable})
			for _, r := range rs {
				reasons[r]++
			}
			if resolvable {
				preempt["No preemption victims found for incoming pod"]++
			} else {
				preempt["Preemption is not helpful for scheduling"]++
			}
			why = append(why, rejection(n.Name, rs))
			continue
		}
		if v != nil {
			cands = append(cands, candidate{node: n, idx: idx, fit: v.fit, bal: v.bal, taints: v.taints, aff: v.aff})
			continue
		}
		fit, bal := resourceScores(pr, a, u)
		cands = append(cands, candidate{node: n, idx: idx, fit: fit, bal: bal, taints: preferNoScheduleCount(p, n), aff: preferredAffinity(p, n)})
	}
	if len(cands) == 0 {
		fit := fitError(len(nodes), reasons)
		msg := fit + " preemption: " + fitError(len(nodes), preempt)
		return Result{Message: msg, Explanation: "unschedulable: " + strings.Join(why, "; "), fitMsg: fit, statuses: statuses, Processed: processed}
	}
	sc := scoreCandidates(p, cands, nodes, podsOn, ns, sb)
	totals := normalize(cands, sc, sb)
	best, ties := pickBest(totals, r)
	node := cands[best].node.Name
	// The explanation names at most maxExplainedNodes nodes, always including the chosen one,
	// and counts the rest: on a 100-node cluster the full list would bury the answer (and
	// cost the most of any string of an attempt).
	shown := len(why) + len(cands)
	limit := shown
	if limit > maxExplainedNodes {
		limit = maxExplainedNodes - 1 // one place kept for the chosen node
	}
	// Built in the scratch's buffer, then copied once: a Builder grown from a guess allocated
	// twice on most attempts.
	b := sb.explain[:0]
	b = append(b, "assigned to "...)
	b = append(b, node...)
	if ties > 1 {
		b = append(b, " (highest score, drawn at random among "...)
		b = strconv.AppendInt(b, int64(ties), 10)
		b = append(b, " nodes tied on it): "...)
	} else {
		b = append(b, " (highest score): "...)
	}
	written := 0
	sep := func() {
		if written > 0 {
			b = append(b, "; "...)
		}
		written++
	}
	for _, w := range why {
		if written >= limit {
			break
		}
		sep()
		b = append(b, w...)
	}
	chosenShown := false
	for i := range cands {
		if written >= limit && !(i == best && !chosenShown) {
			continue
		}
		if written >= limit+1 {
			break
		}
		sep()
		b = appendScoreLine(b, &cands[i], totals[i], sc)
		chosenShown = chosenShown || i == best
	}
	if rest := shown - written; rest > 0 {
		b = append(b, "; "...)
		b = strconv.AppendInt(b, int64(rest), 10)
		b = append(b, " more nodes not listed"...)
	}
	if processed < len(nodes) {
		b = append(b, "; "...)
		b = strconv.AppendInt(b, int64(len(nodes)-processed), 10)
		b = append(b, " nodes not evaluated: the default percentageOfNodesToScore stops filtering after "...)
		b = strconv.AppendInt(b, int64(toFind), 10)
		b = append(b, " feasible nodes of "...)
		b = strconv.AppendInt(b, int64(len(nodes)), 10)
		b = append(b, ", starting from "...)
		b = append(b, nodes[start].Name...)
	}
	sb.explain = b[:0]
	return Result{Node: node, Explanation: string(b), Processed: processed}
}

// scratch is an attempt's working memory, reused by the next attempt (ctx.Scratch): the
// candidates alone were a tenth of what a 1,000-replica run allocated. Nothing in it outlives
// the attempt (cleared before reuse), so reuse cannot change a result.
type scratch struct {
	cands   []candidate
	infos   []*nodeInfo
	totals  []int64
	explain []byte
	// PodTopologySpread's PreScore state and its slices (preScoreSpread)
	spread spreadScoreState
	terms  []spreadTerm
	counts []int
	sums   []float64
}

func scratchOf(ctx *sim.Context) *scratch {
	return ctx.Scratch(func() any { return new(scratch) }).(*scratch)
}

// scratchMem is the controller's scratch, or fresh memory without one (Schedule).
func (cl *cluster) scratchMem() *scratch {
	if cl == nil || cl.sb == nil {
		return new(scratch)
	}
	return cl.sb
}

// maxExplainedNodes is how many nodes a scheduling explanation lists.
const maxExplainedNodes = 5

// fitError renders "0/N nodes are available: <count> <reason>, ...." with the reason strings
// sorted (pkg/scheduler/framework/types.go FitError.Error).
func fitError(n int, reasons map[string]int) string {
	var parts []string
	for r, c := range reasons {
		parts = append(parts, fmt.Sprintf("%d %s", c, r))
	}
	sort.Strings(parts)
	return fmt.Sprintf("0/%d nodes are available: %s.", n, strings.Join(parts, ", "))
}
