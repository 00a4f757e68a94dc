// Package invariant holds rules that must hold after every step of every simulation: the
// golden-trace harness and `kubesim check` run all of them after each instant. Each rule
// returns an error naming the object and what is wrong.
//
// Most rules are stateless functions of the store (Register). A rule that must compare what
// it sees with what it saw at the previous instant (a pod that just appeared, a ReplicaSet
// that was just scaled down) is stateful (RegisterStateful): it keeps its memory in Go, and a
// run gets fresh instances from NewSet. The memory is test tooling, not simulation state, so
// it is neither in the store nor in snapshots; it must never be shared between runs.
package invariant

import (
	"fmt"
	"sort"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// Check inspects the store at time now and returns nil or an error naming the broken rule's
// object. It must not modify the store.
type Check func(s *store.Store, now api.Time) error

// Rule is a stateful rule: Check is called once after every instant of one run, in time
// order, and may remember what it saw for the next call. It must not modify the store.
type Rule interface {
	Check(s *store.Store, now api.Time) error
}

var (
	checks   = map[string]Check{}
	stateful = map[string]func() Rule{}
)

// Register adds a named stateless rule. It is called from init functions, one file per topic.
func Register(name string, c Check) {
	mustBeNew(name)
	checks[name] = c
}

// RegisterStateful adds a named stateful rule; newRule returns a fresh instance with an empty
// memory, called once per run by NewSet.
func RegisterStateful(name string, newRule func() Rule) {
	mustBeNew(name)
	stateful[name] = newRule
}

func mustBeNew(name string) {
	_, dup := checks[name]
	_, dup2 := stateful[name]
	if dup || dup2 {
		panic("invariant: registered twice: " + name)
	}
}

// Names returns the registered rule names, stateless and stateful, sorted.
func Names() []string {
	var out []string
	for n := range checks {
		out = append(out, n)
	}
	for n := range stateful {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Violation is a broken rule.
type Violation struct {
	Rule string
	Err  error
}

func (v *Violation) Error() string { return fmt.Sprintf("invariant %s: %v", v.Rule, v.Err) }

// Unwrap returns the rule's error.
func (v *Violation) Unwrap() error { return v.Err }

// CheckAll runs every stateless rule in name order and returns the first violation. It needs
// no history, so it may be called on any store at any time; a run that checks every instant
// uses a Set instead, which runs the stateful rules too.
func CheckAll(s *store.Store, now api.Time) error {
	for _, n := range Names() {
		if c, ok := checks[n]; ok {
			if err := c(s, now); err != nil {
				return &Violation{Rule: n, Err: err}
			}
		}
	}
	return nil
}

// Set is the rules of one run: every stateless rule and a fresh instance of every stateful
// one. Call Check after every instant, in time order, from the run's first instant on.
type Set struct {
	names []string
	rules []Rule
}

type checkFunc Check

func (c checkFunc) Check(s *store.Store, now api.Time) error { return c(s, now) }

// Observer is a rule that also watches every store write as it happens (Set.Attach), for
// judgements that depend on the order of writes within one instant, which checks at instant
// boundaries cannot see: "when the controller created web-2, was web-1 Ready?".
type Observer interface {
	Observe(s *store.Store, c store.Change)
}

// Attach makes the set's observers watch every write to s. Call it once, before the run's
// first instant.
func (set *Set) Attach(s *store.Store) {
	var obs []Observer
	for _, r := range set.rules {
		if o, ok := r.(Observer); ok {
			obs = append(obs, o)
		}
	}
	if len(obs) == 0 {
		return
	}
	s.Listen(func(c store.Change) {
		for _, o := range obs {
			o.Observe(s, c)
		}
	})
}

// NewSet returns the rules for one run.
func NewSet() *Set {
	set := &Set{}
	for _, n := range Names() {
		set.names = append(set.names, n)
		if c, ok := checks[n]; ok {
			set.rules = append(set.rules, checkFunc(c))
		} else {
			set.rules = append(set.rules, stateful[n]())
		}
	}
	return set
}

// Check runs every rule in name order and returns the first violation. Every stateful rule
// sees every instant, even after an earlier rule failed, so that its memory stays complete.
func (set *Set) Check(s *store.Store, now api.Time) error {
	var first error
	for i, r := range set.rules {
		if err := r.Check(s, now); err != nil && first == nil {
			first = &Violation{Rule: set.names[i], Err: err}
		}
	}
	return first
}
