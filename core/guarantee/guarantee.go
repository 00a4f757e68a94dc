// Package guarantee finds the moments of a run where a guarantee a user relies on held or
// broke: a Deployment's availability and surge bounds during a rollout, a StatefulSet's
// ordering, traffic only to Ready pods, a PodDisruptionBudget's healthy floor. It reads the
// same state the invariants and the trace see (the store after every instant, and every
// write for judgements made at a write), and explains each marker with its arithmetic.
//
// Unlike core/invariant, nothing here is a bug when it breaks: a failed node breaks
// maxUnavailable and the markers say so. Markers are teaching material for the page's time
// slider; a run gets a fresh Tracker, and its memory is neither in the store nor in
// snapshots.
package guarantee

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/player"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Marker kinds.
const (
	Availability = "availability" // Deployment: available >= replicas - maxUnavailable during a rollout
	Surge        = "surge"        // Deployment: pods <= replicas + maxSurge during a rollout
	Ordering     = "ordering"     // StatefulSet OrderedReady: creation after the lower ordinal is Ready; reverse-order deletion
	Traffic      = "traffic"      // EndpointSlice: a ready endpoint only for a Ready pod on a live node
	Budget       = "budget"       // PodDisruptionBudget: currentHealthy >= desiredHealthy; evictions within it
)

// Marker is one moment where a guarantee held or broke.
type Marker struct {
	T      api.Time
	Kind   string
	Held   bool
	Object string // "Kind/namespace/name", as the page's Why panel names objects
	Text   string // one line
	Why    string // the arithmetic behind it
}

// Tracker watches one run. Attach it to the store before the first instant, call Check
// after every instant in time order, then read Markers.
type Tracker struct {
	markers []Marker
	deps    map[string]*rollout // Deployment UID
	pdbs    map[string]*budget  // PDB UID
	traffic map[string]api.Time // "svc|pod" -> since when a ready endpoint pointed at a pod that is not
	joined  map[string]bool     // "svc|pod" endpoints that were ready at the previous instant
	pods    map[string]*api.Pod // every pod at the previous instant, by key (to explain what is gone)
	pending []Marker            // markers judged at writes, filed at the next Check
	failed  map[string]api.Time // node -> when it was first seen failed
}

type rollout struct {
	active          bool
	brokeA, brokeS  bool // availability / surge currently broken
	everA, everS    bool // broken at some moment of this rollout
	low, peak       int32
	minAvail, bound int32
	available       map[string]bool // pod keys available at the previous instant
}

type budget struct {
	armed, broke bool
	healthy      map[string]bool // pod keys healthy at the previous instant
}

// New returns a Tracker with an empty memory.
func New() *Tracker {
	return &Tracker{deps: map[string]*rollout{}, pdbs: map[string]*budget{}, traffic: map[string]api.Time{},
		joined: map[string]bool{}, pods: map[string]*api.Pod{}, failed: map[string]api.Time{}}
}

// Markers returns the markers found so far, in time order (ties in the order found).
func (t *Tracker) Markers() []Marker { return t.markers }

func (t *Tracker) add(m Marker) { t.markers = append(t.markers, m) }

// Attach makes the tracker judge the decisions made at a write (a StatefulSet pod created,
// an eviction admitted) against the store at that write.
func (t *Tracker) Attach(s *store.Store) {
	s.Listen(func(c store.Change) { t.observe(s, c) })
}

// Check looks at the store after the instant at now.
func (t *Tracker) Check(s *store.Store, now api.Time) {
	t.markers = append(t.markers, t.pending...)
	t.pending = t.pending[:0]
	for _, n := range store.ListAs[*api.Node](s, "Node", "") {
		if _, ok := n.Annotations[cluster.FailedAnnotation]; ok {
			if _, seen := t.failed[n.Name]; !seen {
				t.failed[n.Name] = now
			}
		} else {
			delete(t.failed, n.Name)
		}
	}
	t.checkDeployments(s, now)
	t.checkBudgets(s, now)
	t.checkTraffic(s, now)
	pods := map[string]*api.Pod{}
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		pods[p.Key()] = p
	}
	t.pods = pods
}

// Runner computes the markers of one timeline in slices, so the page can spread the work
// over frames: it plays sc with the user's commands log as the page's player does (each
// command runs at its moment) to the timeline's end. The cost is one more run of the
// scenario without state records; the tracker's pass after every instant adds little
// (BenchmarkRun1000Pods).
type Runner struct {
	c    *cluster.Cluster
	t    *Tracker
	log  []player.UserAction
	next int // the next command of log to schedule
	end  api.Time
	done bool
}

// Start builds the cluster of sc at t=0; Advance runs it.
func Start(sc *scenario.Scenario, seed uint64, log []player.UserAction) (*Runner, error) {
	c, err := cluster.New(sc, cluster.Options{Seed: seed})
	if err != nil {
		return nil, err
	}
	r := &Runner{c: c, t: New(), log: log, end: player.End(sc, log)}
	r.t.Attach(c.Store())
	return r, nil
}

// Advance runs one slice of at most budget reconciles of the next instant, or with a
// negative budget everything to the end, and reports whether the timeline's end is
// reached. Slicing changes nothing: the engine runs the same instants in the same order
// (sim.Engine.StepBudget), and the tracker looks after each finished one.
func (r *Runner) Advance(budget int) (bool, error) {
	c := r.c
	for !r.done {
		at := r.end
		if r.next < len(r.log) {
			at = r.log[r.next].At
		}
		if next, ok := c.NextTime(); c.InInstant() || c.HasWork() || (ok && next <= at) {
			done, err := c.StepBudget(budget)
			if err != nil {
				return false, err
			}
			if done {
				r.t.Check(c.Store(), c.Now())
			}
			if budget >= 0 {
				return false, nil
			}
			continue
		}
		// Nothing left up to at: set the clock there, as the player's Seek does, then queue
		// the user's command (it runs in the next pass of the loop).
		if err := c.AdvanceTo(at); err != nil {
			return false, err
		}
		if r.next == len(r.log) {
			r.done = true
			break
		}
		a := r.log[r.next]
		c.Schedule(sim.Action{At: a.At, Source: "user", Command: a.Command})
		r.next++
	}
	return true, nil
}

// Markers returns the markers found so far, in time order.
func (r *Runner) Markers() []Marker { return r.t.Markers() }

// Run computes all markers of sc with the user's commands log at once.
func Run(sc *scenario.Scenario, seed uint64, log []player.UserAction) ([]Marker, error) {
	r, err := Start(sc, seed, log)
	if err != nil {
		return nil, err
	}
	_, err = r.Advance(-1)
	return r.Markers(), err
}

func ref(o api.Object) string {
	m, kind := o.Meta(), o.GetKind()
	if m.Namespace == "" {
		return kind + "/" + m.Name
	}
	return kind + "/" + m.Namespace + "/" + m.Name
}

// lost explains why pods that counted at the previous instant no longer do: the causes
// in the order of the pods' keys, one per distinct cause ("node-2 failed (2 pods)").
func (t *Tracker) lost(s *store.Store, keys []string) string {
	sort.Strings(keys)
	var order []string
	count := map[string]int{}
	for _, k := range keys {
		c := t.cause(s, k)
		if count[c] == 0 {
			order = append(order, c)
		}
		count[c]++
	}
	for i, c := range order {
		if count[c] > 1 && !strings.Contains(c, "pod ") {
			order[i] = fmt.Sprintf("%s (%d pods)", c, count[c])
		}
	}
	return strings.Join(order, ", ")
}

func (t *Tracker) cause(s *store.Store, key string) string {
	p, ok := store.GetAs[*api.Pod](s, "Pod", key)
	if !ok {
		if old := t.pods[key]; old != nil && evicted(old) != "" {
			return "pod " + old.Name + " was " + evicted(old)
		}
		return "pod " + name(key) + " was deleted"
	}
	if p.Spec.NodeName != "" {
		if _, ok := t.failed[p.Spec.NodeName]; ok {
			return p.Spec.NodeName + " failed"
		}
		if n, ok := store.GetAs[*api.Node](s, "Node", p.Spec.NodeName); ok && !n.IsReady() {
			return p.Spec.NodeName + " is NotReady"
		}
	}
	switch {
	case p.IsTerminating() && evicted(p) != "":
		return "pod " + p.Name + " was " + evicted(p)
	case p.IsTerminating():
		return "pod " + p.Name + " is being deleted"
	case p.IsTerminal():
		return "pod " + p.Name + " " + strings.ToLower(string(p.Status.Phase))
	case !p.IsReady():
		return "pod " + p.Name + " turned not Ready"
	}
	return "pod " + p.Name + " is not available yet"
}

func evicted(p *api.Pod) string {
	c := p.GetCondition(api.DisruptionTarget)
	if c == nil || c.Status != api.ConditionTrue {
		return ""
	}
	switch c.Reason {
	case "EvictionByEvictionAPI":
		return "evicted"
	case "DeletionByTaintManager":
		return "evicted by the taint manager"
	}
	return "disrupted (" + c.Reason + ")"
}

func name(key string) string { return key[strings.LastIndexByte(key, '/')+1:] }

func diff(before, now map[string]bool) []string {
	var out []string
	for k := range before {
		if !now[k] {
			out = append(out, k)
		}
	}
	return out
}
