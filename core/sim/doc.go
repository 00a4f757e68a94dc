// Package sim is kubesim's discrete-event engine: a virtual clock, an event queue ordered by
// (time, sequence), seeded named random streams, a work queue of controller keys, and
// snapshots of the complete state. It is the only place virtual time advances.
//
// Controllers are level-triggered reconcilers, like upstream's. They keep no state of their
// own: everything they know lives in the store (hidden bookkeeping kinds included), so a
// Snapshot of the engine is a snapshot of the whole simulation. A controller sees store
// changes through Watch, which enqueues keys; the engine then calls Reconcile for each key in
// FIFO order until the cluster is quiet, and only then moves the clock to the next timer.
//
// # Ordering
//
// Everything that happens is an item on the queue: a timer (a key to reconcile at a time) or
// an action (a scenario step or a user command). Items at the same time run in the order they
// were scheduled. The timers of one instant are queued together and then drained to a
// fixpoint, so a controller sees every change of that instant in one sync (as an informer's
// deduplicating queue would); an action runs on a settled cluster and settles before the next
// item. A key already queued is not queued twice, and a key enqueued while it is being
// reconciled (typically by the watch event of its own write) is queued when that reconcile
// returns, behind the keys the reconcile woke, as client-go's workqueue does (Add marks a key
// in processing dirty, Done queues it). A "state" trace record is written once per instant at which the visible state changed.
//
// # Usage
//
//	e := sim.New(sim.Options{Seed: 1})
//	e.Register(myController)
//	e.Schedule(sim.Action{At: 0, Source: "scenario", Command: "apply all"})
//	e.AdvanceTo(60 * api.Time(api.Second))
//	for _, r := range e.Records() { ... }
package sim
