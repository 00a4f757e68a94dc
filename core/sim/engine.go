package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"slices"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// Controller is a level-triggered reconciler. It must keep no state between calls: what it
// needs to remember goes into the store, so that snapshots capture it.
type Controller interface {
	// Name identifies the controller in explanations and errors ("deployment").
	Name() string
	// Watch is called synchronously for every store change; it enqueues the keys the change
	// concerns (ctx.Enqueue). It must not write to the store.
	Watch(ctx *Context, c store.Change)
	// Reconcile brings the object named by key toward its desired state. It may write to the
	// store, emit events and explanations, and ask to be called again later
	// (ctx.EnqueueAfter). A returned error is traced and the key retried with back-off.
	Reconcile(ctx *Context, key string) error
}

// KindOwner is implemented by a controller that keeps its own bookkeeping in hidden kinds
// (the kubelet's pod runtimes, the scheduler's queue) which no other controller's Watch acts
// on: the engine offers their changes to it alone. They are about half of a run's writes.
type KindOwner interface {
	OwnedKinds() []string
}

// Action is a scenario step or user command scheduled at a virtual time.
type Action struct {
	At      api.Time
	Source  string // "scenario" or "user"
	Command string
}

// ActionHandler carries out an action, returning what it printed. The cluster package
// supplies it (kubectl commands, apply, node failure, captions).
type ActionHandler func(ctx *Context, a Action) (output string, err error)

// Options configure an engine.
type Options struct {
	// Seed seeds every random stream.
	Seed uint64
	// RecordState writes a "state" record after every instant at which the visible state
	// changed. Benchmarks turn it off.
	RecordState bool
	// MaxWorkPerInstant bounds the reconciles run at one instant, so a controller livelock is an
	// error instead of a frozen tab. Zero means 1,000,000.
	MaxWorkPerInstant int
}

// ErrLivelock is returned when the work bound of one instant is exceeded.
var ErrLivelock = errors.New("sim: controllers did not settle (work limit per instant exceeded)")

type workItem struct {
	ctrl int
	key  string
}

// Engine runs controllers over a store in virtual time. It is not safe for concurrent use.
type Engine struct {
	opts     Options
	now      api.Time
	seq      uint64
	q        queue
	work     []workItem
	pending  map[workItem]struct{}
	failures map[workItem]int
	store    *store.Store
	ctrls    []Controller
	ctxs     []*Context
	owner    map[string]int // the controller a hidden kind's changes go to alone (KindOwner)
	rng      *streams
	actions  []Action
	handler  ActionHandler
	records  []trace.Record
	dirty    bool
	last     *trace.State // the last state recorded
	states   int          // state records written (full or delta)
	err      error
	workDone int // reconciles at the current instant
	// An instant being run in slices (StepBudget): its time, and an action popped whose
	// preceding drain, or whose own settling drain, is not finished yet.
	inInstant bool
	before    *Action
	after     bool
	outside   bool // the instant is work left by writes made outside a step
	budget    int  // reconciles left in the current slice; -1 without a budget
	// explained holds the explanations already recorded at explainedAt, to drop repeats.
	explained   map[[3]string]bool
	explainedAt api.Time
	// aggKey is the eventAgg index value of aggEv, the event EventAt is creating: it was
	// just built for the look-up, so the index need not build it again.
	aggEv  *api.Event
	aggKey []string
	// current is the item being reconciled (when reconciling); requeue records that it was
	// enqueued again meanwhile, which queues it when its reconcile returns.
	current              workItem
	reconciling, requeue bool
}

// New returns an engine with an empty store.
func New(opts Options) *Engine {
	if opts.MaxWorkPerInstant == 0 {
		opts.MaxWorkPerInstant = 1_000_000
	}
	e := &Engine{opts: opts, store: store.New(), rng: newStreams(opts.Seed),
		pending: map[workItem]struct{}{}, failures: map[workItem]int{}, explainedAt: -1, budget: -1}
	e.store.Clock = func() api.Time { return e.now }
	e.store.AddIndex("eventAgg", "Event", func(o api.Object) []string {
		if o == api.Object(e.aggEv) {
			return e.aggKey
		}
		return []string{eventAggKey(o.(*api.Event))}
	})
	e.store.Listen(e.dispatch)
	return e
}

// Store returns the engine's store. Writes made through it wake controllers like any other.
func (e *Engine) Store() *store.Store { return e.store }

// Now returns the virtual time.
func (e *Engine) Now() api.Time { return e.now }

// Err returns the error that stopped the engine, if any.
func (e *Engine) Err() error { return e.err }

// Records returns the trace so far. The slice is shared: do not modify it.
func (e *Engine) Records() []trace.Record { return e.records }

// SetActionHandler installs the function that carries out actions.
func (e *Engine) SetActionHandler(h ActionHandler) { e.handler = h }

// Register adds a controller. Controllers are woken in registration order.
func (e *Engine) Register(c Controller) {
	e.ctrls = append(e.ctrls, c)
	e.ctxs = append(e.ctxs, &Context{e: e, ctrl: len(e.ctrls) - 1, name: c.Name()})
	if o, ok := c.(KindOwner); ok {
		if e.owner == nil {
			e.owner = map[string]int{}
		}
		for _, k := range o.OwnedKinds() {
			if prev, dup := e.owner[k]; dup {
				panic("sim: kind " + k + " owned by both " + e.ctrls[prev].Name() + " and " + c.Name())
			}
			e.owner[k] = len(e.ctrls) - 1
		}
	}
}

// Schedule queues an action. Actions at the same time run in the order they were scheduled.
func (e *Engine) Schedule(a Action) {
	if a.At < e.now {
		a.At = e.now
	}
	e.actions = append(e.actions, a)
	e.push(item{At: a.At, Ctrl: -1, Act: len(e.actions) - 1})
}

// ActionContext returns a context for code outside any controller (the action handler,
// tests) that writes to the store or emits events in the name of source.
func (e *Engine) ActionContext(source string) *Context {
	return &Context{e: e, ctrl: -1, name: source}
}

func (e *Engine) push(it item) {
	e.seq++
	it.Seq = e.seq
	e.q.push(it)
}

// HasWork reports whether reconciles are pending at the current instant (left by writes
// made outside a step); Step runs them before anything else.
func (e *Engine) HasWork() bool { return len(e.work) > 0 }

// NextTime returns the time of the next queued item.
func (e *Engine) NextTime() (api.Time, bool) {
	it, ok := e.q.peek()
	return it.At, ok
}

// Step runs the next instant: every queued item at the earliest queued time. Timers of the
// instant are queued together and then drained to a fixpoint; each action runs on a settled
// cluster and is settled before the next item. It reports whether anything ran.
func (e *Engine) Step() (bool, error) {
	if e.err != nil {
		return false, e.err
	}
	if !e.inInstant && len(e.work) == 0 {
		if _, ok := e.q.peek(); !ok {
			return false, nil
		}
	}
	_, err := e.StepBudget(-1)
	return true, err
}

// StepBudget runs the next instant like Step, but stops after budget reconciles (a
// negative budget has no bound) and reports whether the instant is finished. Calling it
// again resumes where it stopped, so an instant spread over many calls does exactly what
// one Step does, in the same order, with the same trace: the page computes a big apply
// between frames. While an instant is unfinished, InInstant is true and the engine must
// not be snapshot.
func (e *Engine) StepBudget(budget int) (done bool, err error) {
	if e.err != nil {
		return false, e.err
	}
	e.budget = budget
	defer func() { e.budget = -1 }()
	if !e.inInstant && len(e.work) > 0 {
		// Work left by writes made outside a step runs as an instant of its own.
		e.workDone, e.inInstant, e.outside = 0, true, true
	}
	if e.outside {
		if !e.drain() {
			return false, e.err
		}
		e.inInstant, e.outside = false, false
		e.flushState()
		return true, e.err
	}
	if !e.inInstant {
		e.workDone = 0
		it, ok := e.q.peek()
		if !ok {
			return true, nil
		}
		if it.At < e.now {
			panic(fmt.Sprintf("sim: time went backwards: item at %d, now %d", it.At, e.now))
		}
		e.now = it.At
		e.inInstant = true
	}
	for e.err == nil {
		if e.before != nil {
			// An action sees a settled cluster and settles before the next item.
			if !e.drain() {
				return false, e.err
			}
			a := *e.before
			e.before, e.after = nil, true
			e.runAction(a)
		}
		if e.after {
			if !e.drain() {
				return false, e.err
			}
			e.after = false
		}
		it, ok := e.q.peek()
		if !ok || it.At != e.now {
			break
		}
		e.q.pop()
		if it.Ctrl < 0 {
			a := e.actions[it.Act]
			e.before = &a
			continue
		}
		// Timers due at the same instant are queued together before anything settles, the
		// way an informer's deduplicating work queue lets a controller see several pods that
		// became Ready at once in one sync (and keeps a 1,000-pod instant linear).
		e.enqueue(it.Ctrl, it.Key)
	}
	if !e.drain() {
		return false, e.err
	}
	e.inInstant = false
	e.flushState()
	return true, e.err
}

// InInstant reports whether an instant started by StepBudget is unfinished.
func (e *Engine) InInstant() bool { return e.inInstant }

// Pending is how many reconciles are queued at the current instant (a progress measure
// for an instant run in slices).
func (e *Engine) Pending() int { return len(e.work) }

// AdvanceTo runs every instant up to and including t, then sets the clock to t.
func (e *Engine) AdvanceTo(t api.Time) error {
	for e.err == nil {
		// Work left by writes made outside a step (tests, the page) runs first: it may
		// schedule timers that fall before t.
		if len(e.work) == 0 {
			next, ok := e.NextTime()
			if !ok || next > t {
				break
			}
		}
		if _, err := e.Step(); err != nil {
			return err
		}
	}
	if e.err == nil && t > e.now {
		e.now = t
	}
	return e.err
}

func (e *Engine) enqueue(ctrl int, key string) {
	w := workItem{ctrl, key}
	if _, ok := e.pending[w]; ok {
		return
	}
	if e.reconciling && w == e.current {
		// client-go's workqueue (Typed.Add) only marks a key being processed dirty; Done
		// queues it, behind whatever the sync itself enqueued (a ReplicaSet's pod creations
		// come after the Deployment its status write woke).
		e.requeue = true
		return
	}
	e.pending[w] = struct{}{}
	e.work = append(e.work, w)
}

// drain reconciles until no work is left, and reports whether it got there: it stops early
// when the slice's budget (StepBudget) is spent, or on an engine error.
func (e *Engine) drain() bool {
	for len(e.work) > 0 && e.err == nil {
		if e.budget == 0 {
			return false
		}
		if e.budget > 0 {
			e.budget--
		}
		w := e.work[0]
		e.work = e.work[1:]
		delete(e.pending, w)
		e.workDone++
		if e.workDone > e.opts.MaxWorkPerInstant {
			e.err = fmt.Errorf("%w at t=%ss (last: %s %q)", ErrLivelock, e.now.SecondsString(), e.ctrls[w.ctrl].Name(), w.key)
			return false
		}
		e.current, e.reconciling, e.requeue = w, true, false
		err := e.reconcile(w)
		e.reconciling = false
		if e.requeue {
			e.enqueue(w.ctrl, w.key)
		}
		if err != nil {
			if e.err != nil {
				return false
			}
			n := e.failures[w] + 1
			e.failures[w] = n
			e.explain(e.ctrls[w.ctrl].Name(), w.key, "error: "+err.Error())
			e.push(item{At: e.now.Add(retryDelay(n)), Ctrl: w.ctrl, Key: w.key})
		} else {
			delete(e.failures, w)
		}
	}
	return e.err == nil
}

// retryDelay is the per-item exponential back-off of client-go's default controller rate
// limiter (5 ms doubling, capped at 1000 s), in virtual time.
func retryDelay(failures int) api.Duration {
	d := 5 * api.Millisecond
	for i := 1; i < failures && d < 1000*api.Second; i++ {
		d *= 2
	}
	return min(d, 1000*api.Second)
}

// reconcile calls the controller and turns a panic into an engine error: a bug must stop the
// simulation with a message, never crash the page.
func (e *Engine) reconcile(w workItem) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e.err = fmt.Errorf("sim: controller %s panicked reconciling %q at t=%ss: %v\n%s", e.ctrls[w.ctrl].Name(), w.key, e.now.SecondsString(), r, debug.Stack())
		}
	}()
	return e.ctrls[w.ctrl].Reconcile(e.ctxs[w.ctrl], w.key)
}

func (e *Engine) runAction(a Action) {
	rec := &trace.Action{Source: a.Source, Command: a.Command}
	e.record(trace.Record{T: e.now, Type: trace.TypeAction, Action: rec})
	if e.handler == nil {
		rec.Error = "no action handler installed"
		return
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				e.err = fmt.Errorf("sim: action %q panicked at t=%ss: %v\n%s", a.Command, e.now.SecondsString(), r, debug.Stack())
			}
		}()
		out, err := e.handler(e.ActionContext(a.Source), a)
		rec.Output = out
		if err != nil {
			rec.Error = err.Error()
		}
	}()
}

// dispatch is the store listener: it offers every change but Events to every controller's
// Watch, but a hidden kind's to its owner alone.
func (e *Engine) dispatch(c store.Change) {
	// Events are a record for people; no controller acts on them (neither do upstream's), so
	// they are not offered to Watch, and they are not part of the visible state.
	if c.Kind == "Event" {
		return
	}
	if i, ok := e.owner[c.Kind]; ok {
		// A controller's bookkeeping is not part of the visible state (trace.BuildState)
		// either: an instant of probe ticks alone writes no state record.
		e.ctrls[i].Watch(e.ctxs[i], c)
		return
	}
	e.dirty = true
	for i, ctrl := range e.ctrls {
		ctrl.Watch(e.ctxs[i], c)
	}
}

func (e *Engine) explain(controller, object, msg string) {
	// A controller that syncs the same object again within an instant usually reaches the
	// same conclusion; saying it once is enough.
	if e.explainedAt != e.now {
		e.explainedAt, e.explained = e.now, map[[3]string]bool{}
	}
	k := [3]string{controller, object, msg}
	if e.explained[k] {
		return
	}
	e.explained[k] = true
	e.record(trace.Record{T: e.now, Type: trace.TypeExplain,
		Explain: &trace.Explain{Controller: controller, Object: object, Message: msg}})
}

// flushState writes a state record if the visible state changed at this instant.
func (e *Engine) flushState() {
	if !e.dirty || !e.opts.RecordState {
		return
	}
	e.dirty = false
	st := trace.BuildState(e.store)
	r := trace.Record{T: e.now, Type: trace.TypeState, State: st}
	if e.last != nil {
		if r.Delta = trace.Diff(e.last, st); r.Delta.Empty() {
			return
		}
		// Kept as a delta but for every FullEvery-th state, as the JSONL trace writes them:
		// the trace in memory then grows with the changes too (a 1,000-replica
		// StatefulSet's full states were about 200 MB that the collector marked again and
		// again), and the writer copies the deltas out as they are.
		if e.states%trace.FullEvery != 0 {
			r.Type, r.State = trace.TypeDelta, nil
		}
	}
	e.last = st
	e.states++
	e.record(r)
}

// record appends r to the trace, which only grows: doubling its capacity copies it about
// twice in all, where append's growth of large slices (a quarter) copied it five times.
func (e *Engine) record(r trace.Record) {
	if len(e.records) == cap(e.records) {
		e.records = slices.Grow(e.records, max(len(e.records), 256))
	}
	e.records = append(e.records, r)
}

// AppendRecord adds a record at the current time (captions, action output written later).
func (e *Engine) AppendRecord(r trace.Record) {
	r.T = e.now
	e.record(r)
}

// Rand returns the named random stream.
func (e *Engine) Rand(stream string) *rand.Rand { return rand.New(e.rng.get(stream)) }
