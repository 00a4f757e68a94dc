package sim

import (
	"container/heap"
	"slices"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// Snapshot is the complete state of an engine at one instant: clock, queue, work, random
// streams, store, actions and trace length. Restoring it and running on gives exactly the
// same future as the original run.
type Snapshot struct {
	now      api.Time
	seq      uint64
	q        queue
	work     []workItem
	failures map[workItem]int
	rng      *streams
	store    *store.Snapshot
	actions  []Action
	nrec     int
	dirty    bool
	last     *trace.State // the last state recorded (immutable)
	states   int
}

// Time returns the instant the snapshot was taken at.
func (s *Snapshot) Time() api.Time { return s.now }

// Snapshot captures the engine's state. It must not be called in the middle of an instant
// run in slices (InInstant), whose progress it does not hold.
func (e *Engine) Snapshot() *Snapshot {
	if e.inInstant {
		panic("sim: Snapshot in the middle of an instant")
	}
	f := make(map[workItem]int, len(e.failures))
	for k, v := range e.failures {
		f[k] = v
	}
	return &Snapshot{now: e.now, seq: e.seq, q: slices.Clone(e.q), work: slices.Clone(e.work), failures: f,
		rng: e.rng.clone(), store: e.store.Snapshot(), actions: slices.Clone(e.actions), nrec: len(e.records),
		dirty: e.dirty, last: e.last, states: e.states}
}

// Restore returns the engine to a snapshot taken from it. Trace records written after the
// snapshot are dropped. The snapshot stays valid and can be restored again.
func (e *Engine) Restore(s *Snapshot) {
	e.now, e.seq = s.now, s.seq
	e.q = slices.Clone(s.q)
	e.work = slices.Clone(s.work)
	e.pending = make(map[workItem]struct{}, len(e.work))
	for _, w := range e.work {
		e.pending[w] = struct{}{}
	}
	e.failures = make(map[workItem]int, len(s.failures))
	for k, v := range s.failures {
		e.failures[k] = v
	}
	e.rng = s.rng.clone()
	e.store.Restore(s.store)
	e.actions = slices.Clone(s.actions)
	if s.nrec <= len(e.records) {
		e.records = e.records[:s.nrec:s.nrec]
	}
	e.dirty, e.last, e.states = s.dirty, s.last, s.states
	e.err = nil
	e.inInstant, e.before, e.after, e.outside = false, nil, false, false
	// Snapshots are taken between instants, so no explanation of the next one is recorded yet.
	e.explainedAt, e.explained = -1, nil
}

// DropActionsAfter removes queued actions from source scheduled after t; used when a user
// acts at a past moment and the timeline forks.
func (e *Engine) DropActionsAfter(source string, t api.Time) {
	kept := e.q[:0]
	for _, it := range e.q {
		if it.Ctrl < 0 && e.actions[it.Act].Source == source && e.actions[it.Act].At > t {
			continue
		}
		kept = append(kept, it)
	}
	e.q = kept
	heap.Init(&e.q) // items keep their sequence numbers, so FIFO order among equal times holds
}
