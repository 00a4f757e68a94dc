package trace

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// TypeDelta is a state record that holds only what changed since the previous state record.
const TypeDelta = "delta"

// FullEvery is how often the JSONL trace repeats a full state record: the first state record
// and every FullEvery-th after it are full, the others are deltas, so a tool can start
// reading at a full record without replaying the whole trace.
const FullEvery = 100

// Delta is the change between two states: every entry that is new or differs, whole, and
// the keys of the entries that went away. Lists of kinds without a change are omitted;
// Removed is always present ({} when nothing went).
type Delta struct {
	Deployments  []DeploymentState  `json:"deployments,omitempty"`
	ReplicaSets  []ReplicaSetState  `json:"replicaSets,omitempty"`
	StatefulSets []StatefulSetState `json:"statefulSets,omitempty"`
	Pods         []PodState         `json:"pods,omitempty"`
	PVCs         []PVCState         `json:"pvcs,omitempty"`
	DNS          []DNSState         `json:"dns,omitempty"`
	HPAs         []HPAState         `json:"hpas,omitempty"`
	PDBs         []PDBState         `json:"pdbs,omitempty"`
	Removed      Removed            `json:"removed"`
}

// Removed names the entries a delta removes, by kind: the entry's name, and for DNS answers
// "name type data" (an FQDN can have several answers).
type Removed struct {
	Deployments  []string `json:"deployments,omitempty"`
	ReplicaSets  []string `json:"replicaSets,omitempty"`
	StatefulSets []string `json:"statefulSets,omitempty"`
	Pods         []string `json:"pods,omitempty"`
	PVCs         []string `json:"pvcs,omitempty"`
	DNS          []string `json:"dns,omitempty"`
	HPAs         []string `json:"hpas,omitempty"`
	PDBs         []string `json:"pdbs,omitempty"`
}

// Empty reports whether the delta changes nothing.
func (d *Delta) Empty() bool {
	r := &d.Removed
	return len(d.Deployments)+len(d.ReplicaSets)+len(d.StatefulSets)+len(d.Pods)+len(d.PVCs)+len(d.DNS)+len(d.HPAs)+len(d.PDBs)+
		len(r.Deployments)+len(r.ReplicaSets)+len(r.StatefulSets)+len(r.Pods)+len(r.PVCs)+len(r.DNS)+len(r.HPAs)+len(r.PDBs) == 0
}

// kindOps is what diffing and applying need to know about one list of a State.
type kindOps[T any] struct {
	key func(T) string // identity, as written in Removed
	// sameKey is key(a) == key(b) without building the keys (a DNS answer's is a
	// concatenation, and diff compares every entry of every instant).
	sameKey func(a, b T) bool
	order   func(T) string // the store's sort key, which orders BuildState's lists
	equal   func(a, b T) bool
	// appendOrder appends order's key to b: sorted checks every entry of every state
	// written, and building each key as a string was most of a 1,000-answer trace's cost.
	appendOrder func(b []byte, e T) []byte
}

// withStoreOrder sets key, order and appendOrder for a kind whose entries are named by nsName.
func withStoreOrder[T any](name func(T) string, equal func(a, b T) bool) kindOps[T] {
	return kindOps[T]{key: name, sameKey: func(a, b T) bool { return name(a) == name(b) },
		order: func(e T) string { return storeOrder(name(e)) }, equal: equal,
		appendOrder: func(b []byte, e T) []byte { return appendStoreOrder(b, name(e)) }}
}

// storeOrder is the store key of a namespaced object whose state name is nsName's: the store
// lists objects sorted by "namespace/name", and nsName drops the default namespace.
func storeOrder(name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	return "default/" + name
}

func appendStoreOrder(b []byte, name string) []byte {
	if !strings.Contains(name, "/") {
		b = append(b, "default/"...)
	}
	return append(b, name...)
}

// dnsOrder is the store key of the DNSRecord behind an answer: every FQDN the dns controller
// answers ends in "<namespace>.svc.cluster.local", and the object's name is made from the
// answer (api.DNSRecordName).
func dnsOrder(d DNSState) string {
	ns := ""
	if rest, ok := strings.CutSuffix(d.Name, ".svc.cluster.local"); ok {
		ns = rest[strings.LastIndex(rest, ".")+1:]
	}
	return ns + "/" + api.DNSRecordName(d.Name, d.Type, d.Data)
}

// appendDNSOrder appends dnsOrder(d) to b, building api.DNSRecordName in place.
func appendDNSOrder(b []byte, d DNSState) []byte {
	if rest, ok := strings.CutSuffix(d.Name, ".svc.cluster.local"); ok {
		b = append(b, rest[strings.LastIndex(rest, ".")+1:]...)
	}
	b = append(b, '/')
	start := len(b)
	b = append(append(append(append(b, d.Name...), '.'), d.Type...), '.')
	for _, c := range []byte(strings.TrimSuffix(d.Data, ".")) {
		if c == ' ' {
			c = '_'
		}
		b = append(b, c)
	}
	for i := start; i < len(b); i++ {
		if b[i] >= 0x80 { // not ASCII: lower-case the name as strings.ToLower does
			return append(b[:start], strings.ToLower(string(b[start:]))...)
		}
	}
	for i := start; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return b
}

func dnsKey(d DNSState) string { return d.Name + " " + d.Type + " " + d.Data }

func same[T comparable](a, b T) bool { return a == b }

var (
	deploymentOps = withStoreOrder(func(d DeploymentState) string { return d.Name },
		func(a, b DeploymentState) bool {
			return a.Name == b.Name && a.Replicas == b.Replicas && a.Updated == b.Updated && a.Ready == b.Ready &&
				a.Available == b.Available && a.Unavailable == b.Unavailable && slices.Equal(a.Conditions, b.Conditions)
		})
	replicaSetOps = withStoreOrder(func(r ReplicaSetState) string { return r.Name },
		func(a, b ReplicaSetState) bool {
			return a.Name == b.Name && a.Owner == b.Owner && a.Revision == b.Revision && slices.Equal(a.Images, b.Images) &&
				a.SpecReplicas == b.SpecReplicas && a.Replicas == b.Replicas && a.Ready == b.Ready && a.Available == b.Available
		})
	statefulSetOps = withStoreOrder(func(s StatefulSetState) string { return s.Name }, same[StatefulSetState])
	podOps         = withStoreOrder(func(p PodState) string { return p.Name }, same[PodState])
	pvcOps         = withStoreOrder(func(c PVCState) string { return c.Name }, same[PVCState])
	// An answer is all key: its name, type and data.
	dnsOps = kindOps[DNSState]{key: dnsKey, sameKey: same[DNSState], order: dnsOrder, equal: same[DNSState],
		appendOrder: appendDNSOrder}
	hpaOps = withStoreOrder(func(h HPAState) string { return h.Name },
		func(a, b HPAState) bool {
			eqp := func(x, y *int32) bool { return x == nil && y == nil || x != nil && y != nil && *x == *y }
			return a.Name == b.Name && a.Reference == b.Reference && a.Targets == b.Targets && a.MinReplicas == b.MinReplicas &&
				a.MaxReplicas == b.MaxReplicas && a.CurrentReplicas == b.CurrentReplicas && a.DesiredReplicas == b.DesiredReplicas &&
				eqp(a.CurrentUtilization, b.CurrentUtilization) && eqp(a.TargetUtilization, b.TargetUtilization)
		})
	pdbOps = withStoreOrder(func(b PDBState) string { return b.Name }, same[PDBState])
)

// diff returns the entries of cur that are new or changed, in cur's order, and the keys of
// prev's entries that cur no longer has, in prev's order. Both lists must be in store order
// (as BuildState's are): it walks them side by side, and builds store keys only where they
// part, so an instant that adds one pod to a thousand costs no map and no string per entry.
func (k kindOps[T]) diff(prev, cur []T) (changed []T, removed []string) {
	var po, co []byte // store keys of prev[i] and cur[j], built at a mismatch
	i, j := 0, 0
	for i < len(prev) && j < len(cur) {
		if k.sameKey(prev[i], cur[j]) {
			if !k.equal(prev[i], cur[j]) {
				changed = append(changed, cur[j])
			}
			i++
			j++
			continue
		}
		po, co = k.appendOrder(po[:0], prev[i]), k.appendOrder(co[:0], cur[j])
		if bytes.Compare(po, co) < 0 {
			removed = append(removed, k.key(prev[i]))
			i++
		} else {
			changed = append(changed, cur[j])
			j++
		}
	}
	for ; i < len(prev); i++ {
		removed = append(removed, k.key(prev[i]))
	}
	return append(changed, cur[j:]...), removed
}

// sorted reports whether list is strictly increasing in store order, which is what apply
// rebuilds; BuildState's lists always are.
func (k kindOps[T]) sorted(list []T) bool {
	var prev, cur []byte
	for i := range list {
		cur = k.appendOrder(cur[:0], list[i])
		if i > 0 && bytes.Compare(prev, cur) >= 0 {
			return false
		}
		prev, cur = cur, prev
	}
	return true
}

// apply returns prev without the removed entries, with the changed ones replacing or joining
// them, in store order. prev must be in store order. kind names the list in errors. Its cost
// beyond one pass over prev grows with the delta: a reader replays a long trace this way.
func (k kindOps[T]) apply(kind string, prev, changed []T, removed []string) ([]T, error) {
	if len(changed) == 0 && len(removed) == 0 {
		return prev, nil
	}
	drop := make(map[string]bool, len(removed)+len(changed))
	for _, key := range removed {
		if drop[key] {
			return nil, fmt.Errorf("removed.%s: %q is listed twice", kind, key)
		}
		drop[key] = true
	}
	add := slices.Clone(changed)
	addOrder := make([]string, len(add))
	slices.SortStableFunc(add, func(a, b T) int { return strings.Compare(k.order(a), k.order(b)) })
	for i, e := range add {
		key := k.key(e)
		if drop[key] {
			return nil, fmt.Errorf("%s: %q is both changed and removed, or listed twice", kind, key)
		}
		drop[key] = true
		addOrder[i] = k.order(e)
		if i > 0 && addOrder[i-1] == addOrder[i] {
			return nil, fmt.Errorf("%s: two entries sort as %q", kind, addOrder[i])
		}
	}
	out := make([]T, 0, len(prev)+len(add))
	var eo []byte   // prev's entry's store key, built only while adds remain to be placed
	i, gone := 0, 0 // gone counts the removed entries found
	for _, e := range prev {
		if key := k.key(e); drop[key] {
			if slices.Contains(removed, key) {
				gone++
			}
			continue
		}
		if i < len(add) {
			eo = k.appendOrder(eo[:0], e)
			for i < len(add) && addOrder[i] < string(eo) {
				out = append(out, add[i])
				i++
			}
			if i < len(add) && addOrder[i] == string(eo) {
				return nil, fmt.Errorf("%s: %q sorts as %q, like the unchanged %q", kind, k.key(add[i]), eo, k.key(e))
			}
		}
		out = append(out, e)
	}
	if gone != len(removed) {
		have := make(map[string]bool, len(prev))
		for _, e := range prev {
			have[k.key(e)] = true
		}
		for _, key := range removed {
			if !have[key] {
				return nil, fmt.Errorf("removed.%s: %q is not in the previous state", kind, key)
			}
		}
	}
	return append(out, add[i:]...), nil
}

// Diff returns the delta that turns prev into cur: Apply(prev) gives cur again when both are
// in store order (as BuildState's are).
func Diff(prev, cur *State) *Delta {
	d := &Delta{}
	r := &d.Removed
	d.Deployments, r.Deployments = deploymentOps.diff(prev.Deployments, cur.Deployments)
	d.ReplicaSets, r.ReplicaSets = replicaSetOps.diff(prev.ReplicaSets, cur.ReplicaSets)
	d.StatefulSets, r.StatefulSets = statefulSetOps.diff(prev.StatefulSets, cur.StatefulSets)
	d.Pods, r.Pods = podOps.diff(prev.Pods, cur.Pods)
	d.PVCs, r.PVCs = pvcOps.diff(prev.PVCs, cur.PVCs)
	d.DNS, r.DNS = dnsOps.diff(prev.DNS, cur.DNS)
	d.HPAs, r.HPAs = hpaOps.diff(prev.HPAs, cur.HPAs)
	d.PDBs, r.PDBs = pdbOps.diff(prev.PDBs, cur.PDBs)
	return d
}

// inStoreOrder reports whether every list of st is in the order Apply rebuilds.
func (st *State) inStoreOrder() bool {
	return deploymentOps.sorted(st.Deployments) && replicaSetOps.sorted(st.ReplicaSets) &&
		statefulSetOps.sorted(st.StatefulSets) && podOps.sorted(st.Pods) && pvcOps.sorted(st.PVCs) &&
		dnsOps.sorted(st.DNS) && hpaOps.sorted(st.HPAs) && pdbOps.sorted(st.PDBs)
}

// Apply returns the state prev becomes with d: a new State; prev is not changed. The error
// names a removal of an entry prev does not have, or an entry listed twice.
func (d *Delta) Apply(prev *State) (*State, error) {
	st := &State{}
	r := &d.Removed
	var err error
	applyList(&err, &st.Deployments, deploymentOps, "deployments", prev.Deployments, d.Deployments, r.Deployments)
	applyList(&err, &st.ReplicaSets, replicaSetOps, "replicaSets", prev.ReplicaSets, d.ReplicaSets, r.ReplicaSets)
	applyList(&err, &st.StatefulSets, statefulSetOps, "statefulSets", prev.StatefulSets, d.StatefulSets, r.StatefulSets)
	applyList(&err, &st.Pods, podOps, "pods", prev.Pods, d.Pods, r.Pods)
	applyList(&err, &st.PVCs, pvcOps, "pvcs", prev.PVCs, d.PVCs, r.PVCs)
	applyList(&err, &st.DNS, dnsOps, "dns", prev.DNS, d.DNS, r.DNS)
	applyList(&err, &st.HPAs, hpaOps, "hpas", prev.HPAs, d.HPAs, r.HPAs)
	applyList(&err, &st.PDBs, pdbOps, "pdbs", prev.PDBs, d.PDBs, r.PDBs)
	if err != nil {
		return nil, err
	}
	st.fillLists()
	return st, nil
}

// applyList sets *dst to k.apply's result unless an earlier list already failed.
func applyList[T any](err *error, dst *[]T, k kindOps[T], kind string, prev, changed []T, removed []string) {
	if *err == nil {
		*dst, *err = k.apply(kind, prev, changed, removed)
	}
}

// fillLists makes the always-present lists [] rather than null, as BuildState does; the
// optional ones (hpas, pdbs) are nil when empty so they stay omitted.
func (st *State) fillLists() {
	if st.Deployments == nil {
		st.Deployments = []DeploymentState{}
	}
	if st.ReplicaSets == nil {
		st.ReplicaSets = []ReplicaSetState{}
	}
	if st.StatefulSets == nil {
		st.StatefulSets = []StatefulSetState{}
	}
	if st.Pods == nil {
		st.Pods = []PodState{}
	}
	if st.PVCs == nil {
		st.PVCs = []PVCState{}
	}
	if st.DNS == nil {
		st.DNS = []DNSState{}
	}
	if len(st.HPAs) == 0 {
		st.HPAs = nil
	}
	if len(st.PDBs) == 0 {
		st.PDBs = nil
	}
}

// Cursor follows a trace's state and delta records in order and holds the state after each:
// the engine keeps most state records as deltas, so a reader of states walks them with one.
type Cursor struct {
	cur *State
	// Workloads keeps only the Deployments, ReplicaSets, StatefulSets, HPAs and PDBs
	// current (the other lists are left empty): enough for the page's charts, which walk the
	// whole past at every frame and would otherwise apply every pod's change again.
	Workloads bool
}

// Next returns the state after r: r's own for a full state record, the previous one with
// r's delta applied for a delta record, and nil for a record of another type. A delta
// before any state is an error.
func (c *Cursor) Next(r Record) (*State, error) {
	switch {
	case r.Type == TypeState && r.State != nil:
		c.cur = r.State
		if c.Workloads {
			c.cur = &State{Deployments: r.State.Deployments, ReplicaSets: r.State.ReplicaSets,
				StatefulSets: r.State.StatefulSets, HPAs: r.State.HPAs, PDBs: r.State.PDBs}
		}
	case r.Type == TypeDelta:
		if c.cur == nil || r.Delta == nil {
			return nil, errors.New("trace: a delta record needs a state record before it")
		}
		d := r.Delta
		if c.Workloads {
			d = &Delta{Deployments: d.Deployments, ReplicaSets: d.ReplicaSets, StatefulSets: d.StatefulSets,
				HPAs: d.HPAs, PDBs: d.PDBs, Removed: Removed{Deployments: d.Removed.Deployments,
					ReplicaSets: d.Removed.ReplicaSets, StatefulSets: d.Removed.StatefulSets,
					HPAs: d.Removed.HPAs, PDBs: d.Removed.PDBs}}
		}
		st, err := d.Apply(c.cur)
		if err != nil {
			return nil, fmt.Errorf("trace: delta at t=%s: %w", r.T.SecondsString(), err)
		}
		c.cur = st
	default:
		return nil, nil
	}
	return c.cur, nil
}

// States returns recs with every delta record replaced by a state record of the state it
// leads to (tests and tools that read whole states).
func States(recs []Record) ([]Record, error) {
	var c Cursor
	out := make([]Record, len(recs))
	for i, r := range recs {
		st, err := c.Next(r)
		if err != nil {
			return nil, err
		}
		if st != nil {
			r = Record{T: r.T, Type: TypeState, State: st}
		}
		out[i] = r
	}
	return out, nil
}
