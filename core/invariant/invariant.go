// Package invariant holds rules that must hold after every step of every simulation: the
// golden-trace harness and `kubesim check` run all of them after each instant. Each rule
// returns an error naming the object and what is wrong.
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

var checks = map[string]Check{}

// Register adds a named rule. It is called from init functions, one file per topic.
func Register(name string, c Check) {
	if _, dup := checks[name]; dup {
		panic("invariant: registered twice: " + name)
	}
	checks[name] = c
}

// Names returns the registered rule names, sorted.
func Names() []string {
	var out []string
	for n := range checks {
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

// CheckAll runs every rule in name order and returns the first violation.
func CheckAll(s *store.Store, now api.Time) error {
	for _, n := range Names() {
		if err := checks[n](s, now); err != nil {
			return &Violation{Rule: n, Err: err}
		}
	}
	return nil
}
