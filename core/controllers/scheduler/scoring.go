package scheduler

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// Score weights of the default profile (pkg/scheduler/apis/config/v1/default_plugins.go,
// v1.37.2). ImageLocality (weight 1) is not modelled: the simulator has no image sizes.
const (
	weightTaintToleration   = 3
	weightNodeAffinity      = 2
	weightNodeResourcesFit  = 1
	weightBalancedAlloc     = 1
	weightPodTopologySpread = 2
	weightInterPodAffinity  = 2
	maxNodeScore            = 100
)

// cluster is what PodTopologySpread's default constraints and InterPodAffinity read besides
// nodes and pods: the Services, ReplicaSets and StatefulSets that select a pod, and namespace
// labels. A nil cluster (the exported Schedule) has none of them. With memo set (no pod is
// assumed on a node outside the store, so podsOn and usageOn read the store alone), per-node
// pod counts and usage are memoized in the store.
type cluster struct {
	st   *store.Store
	memo bool
	// start is nextStartNodeIndex: where this attempt's filtering starts (Cursor).
	start int
	// table is the nodes' table the attempt's node list comes from (nil in tests).
	table *nodeTable
	// sb is the controller's scratch memory (nil in tests).
	sb *scratch
	// infos holds nodeInfoOf(nodes[i]) while scheduleWith runs (it writes nothing): every
	// attempt reads each node's memo a few times, and the store's look-up costs several map
	// accesses each time.
	infos []*nodeInfo
	// refs is the table's refs while scheduleWith runs on the table's own node list (nil
	// otherwise): refs[i] is then nodes[i]'s.
	refs []store.IndexRef
}

// startIndex is the node index filtering starts from (0 without a cluster: Schedule).
func (cl *cluster) startIndex(nodes int) int {
	if cl == nil || nodes == 0 {
		return 0
	}
	return cl.start % nodes
}

// nodeTable is what every attempt reads of the nodes themselves, derived from the Node
// objects alone (store ListDerived), so it is rebuilt when a node is written, not on every
// attempt: the nodes in name order, their allocatable, and label values by key.
type nodeTable struct {
	nodes []*api.Node
	alloc []nodeAlloc
	// labels holds, per label key, every node's value; filled on first use (spread
	// constraints read one or two keys of every node per attempt).
	labels map[string][]labelValue
	// domains holds, per label key, every node's domain (domainsOf); filled on first use.
	domains map[string]labelDomains
	// refs[i] finds nodes[i]'s pods in the store's "node" index without hashing its name
	// (nodeInfoOf); they only remember where the store keeps them.
	refs []store.IndexRef
	// keys interns spread memo names (memoKey), so that the per-node counts an earlier
	// attempt memoized hold the very string this one compares: equal strings at one address
	// compare without reading them.
	keys map[string]memoKey
}

// memoKey is newMemoKey(name), interned while the table lives.
func (t *nodeTable) memoKey(name string) memoKey {
	if k, ok := t.keys[name]; ok {
		return k
	}
	if len(t.keys) >= 1024 { // many workloads come and go: start over
		clear(t.keys)
	}
	k := newMemoKey(name)
	t.keys[name] = k
	return k
}

// labelDomains numbers the values of one label key over the nodes: id[j] is nodes[j]'s, equal
// values (a missing label counting as "") sharing one id, n ids in all. PodTopologySpread
// counts per domain in slices by id instead of maps by value.
type labelDomains struct {
	id []int32
	n  int
}

// domainsOf numbers the values col holds (col[j] being nodes[j]'s label).
func domainsOf(col []labelValue) labelDomains {
	ids := map[string]int32{}
	d := labelDomains{id: make([]int32, len(col))}
	for j := range col {
		id, ok := ids[col[j].v]
		if !ok {
			id = int32(len(ids))
			ids[col[j].v] = id
		}
		d.id[j] = id
	}
	d.n = len(ids)
	return d
}

// domains is domainsOf(t.label(key)), memoized like the label columns.
func (t *nodeTable) domain(key string) labelDomains {
	if d, ok := t.domains[key]; ok {
		return d
	}
	d := domainsOf(t.label(key))
	t.domains[key] = d
	return d
}

type labelValue struct {
	v  string
	ok bool
}

func nodeTableOf(st *store.Store) *nodeTable {
	return st.ListDerived("Node", "scheduler/nodes", func(objs []api.Object) any {
		t := &nodeTable{nodes: make([]*api.Node, len(objs)), alloc: make([]nodeAlloc, len(objs)), labels: map[string][]labelValue{},
			refs: make([]store.IndexRef, len(objs)), domains: map[string]labelDomains{}, keys: map[string]memoKey{}}
		for i, o := range objs {
			t.nodes[i] = o.(*api.Node)
			t.alloc[i] = allocOf(t.nodes[i])
		}
		return t
	}).(*nodeTable)
}

// label is every node's value of the label key (derived from the nodes alone, like the rest).
func (t *nodeTable) label(key string) []labelValue {
	if col, ok := t.labels[key]; ok {
		return col
	}
	col := make([]labelValue, len(t.nodes))
	for i, n := range t.nodes {
		col[i].v, col[i].ok = n.Labels[key]
	}
	t.labels[key] = col
	return col
}

// tableFor is the table whose node list nodes is, or nil: indexes into nodes are then
// indexes into the table.
func (cl *cluster) tableFor(nodes []*api.Node) *nodeTable {
	if cl == nil || cl.table == nil || len(nodes) == 0 || len(cl.table.nodes) != len(nodes) || &cl.table.nodes[0] != &nodes[0] {
		return nil
	}
	return cl.table
}

// nodeInfo is what the filter and score plugins derive from a node's pods (like the
// scheduler cache's NodeInfo): memoized in the store on the cached ByIndex("node") result, so
// it is recomputed only after a write that touches a pod of the node.
type nodeInfo struct {
	pods   []*api.Pod
	shares []nodeUsage // each pod's part of usage
	usage  nodeUsage
	spread []spreadCount // filled on first use; a pod's constraints share one or two selectors
	// verdict is the node-local filters' and scores' result for the last pod placed that
	// differed in its placement inputs (scheduleWith)
	verdict *nodeVerdict
}

// nodeVerdict is what filter, resourceScores, preferNoScheduleCount and preferredAffinity
// gave for a pod of class cls on node, with the node's pods of the nodeInfo holding it: the
// same for every pod samePlacement finds in cls, as long as the node is the same object.
type nodeVerdict struct {
	node                  *api.Node
	cls                   *placementClass
	rs                    []string
	resolvable            bool
	fit, bal, taints, aff int64
}

// noNodeAffinity reports whether p has no node affinity, the inputs samePlacement compares
// leaving it out.
func noNodeAffinity(p *api.Pod) bool {
	return p.Spec.Affinity == nil || p.Spec.Affinity.NodeAffinity == nil
}

// placementClass is a pod (with its request) that stands for every pod samePlacement finds
// equal to it.
type placementClass struct {
	p  *api.Pod
	pr *podRequest
}

// samePlacement reports whether the node-local filters and scores read the same of p (with
// request pr) as of c's pod: tolerations, node selector, requests and host ports, neither
// having node affinity.
func samePlacement(p *api.Pod, pr *podRequest, c *placementClass) bool {
	p0, pr0 := c.p, c.pr
	return noNodeAffinity(p) && noNodeAffinity(p0) &&
		slices.EqualFunc(p.Spec.Tolerations, p0.Spec.Tolerations, sameToleration) &&
		maps.Equal(p.Spec.NodeSelector, p0.Spec.NodeSelector) &&
		slices.Equal(pr.names, pr0.names) && slices.Equal(pr.req, pr0.req) &&
		pr.nzCPU == pr0.nzCPU && pr.nzMem == pr0.nzMem && maps.Equal(pr.ports, pr0.ports)
}

func sameToleration(a, b api.Toleration) bool {
	if (a.TolerationSeconds == nil) != (b.TolerationSeconds == nil) ||
		(a.TolerationSeconds != nil && *a.TolerationSeconds != *b.TolerationSeconds) {
		return false
	}
	a.TolerationSeconds, b.TolerationSeconds = nil, nil
	return a == b
}

// spreadCount is countMatching(the node's pods) for the selector spreadMemoName names.
type spreadCount struct {
	key memoKey
	n   int
	// the constraint and namespace it counts for (any with this key count alike), to update
	// the count from the pods that changed (newNodeInfo)
	c  *spreadConstraint
	ns string
	// used is set when an attempt read the count: only those are carried over
	used bool
}

// maxCarriedCounts is how many spread counts a node's info carries over to its next version:
// the selectors read since the last version (the pods being placed), not every one the node
// ever saw.
const maxCarriedCounts = 4

// memoKey is a spreadMemoName with a hash of it, compared first: the names of a rollout's
// two ReplicaSets have one length and differ near their end, so comparing the strings alone
// read most of both on every node.
type memoKey struct {
	s string
	h uint64
}

func newMemoKey(s string) memoKey {
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return memoKey{s, h}
}

func nodeInfoOf(st *store.Store, node string) *nodeInfo {
	return st.ByIndexDerived("node", "Pod", node, nodeInfoName, func(objs []api.Object) any { return newNodeInfo(objs, nil) }).(*nodeInfo)
}

const nodeInfoName = "scheduler/nodeInfo"

// newNodeInfo derives the info of a node's pods objs. With prev, the info of an earlier
// version of them, it sums again only the pods that changed (a bind adds one, a status write
// replaces one) and updates prev's spread counts by them: the pods are sorted by key in
// both, so one merge finds them.
func newNodeInfo(objs []api.Object, prev *nodeInfo) *nodeInfo {
	ni := &nodeInfo{pods: make([]*api.Pod, len(objs)), shares: make([]nodeUsage, len(objs))}
	var gone, came []*api.Pod
	j := 0
	for i, o := range objs {
		p := o.(*api.Pod)
		ni.pods[i] = p
		if prev != nil {
			for j < len(prev.pods) && prev.pods[j] != p && keyCompare(&prev.pods[j].ObjectMeta, &p.ObjectMeta) < 0 {
				gone = append(gone, prev.pods[j])
				j++
			}
			if j < len(prev.pods) && prev.pods[j] == p {
				ni.shares[i] = prev.shares[j]
				ni.usage = ni.usage.plus(ni.shares[i])
				j++
				continue
			}
			if j < len(prev.pods) && keyCompare(&prev.pods[j].ObjectMeta, &p.ObjectMeta) == 0 {
				gone = append(gone, prev.pods[j]) // an earlier version of p
				j++
			}
			came = append(came, p)
		}
		ni.shares[i].add(p)
		ni.usage = ni.usage.plus(ni.shares[i])
	}
	if prev == nil {
		return ni
	}
	gone = append(gone, prev.pods[j:]...)
	for k := max(0, len(prev.spread)-maxCarriedCounts); k < len(prev.spread); k++ {
		e := prev.spread[k]
		if !e.used {
			continue
		}
		for _, o := range gone {
			e.n -= countMatching([]*api.Pod{o}, e.c, e.ns)
		}
		for _, o := range came {
			e.n += countMatching([]*api.Pod{o}, e.c, e.ns)
		}
		e.used = false
		ni.spread = append(ni.spread, e)
	}
	return ni
}

// keyCompare compares a.Key() and b.Key() as strings, without building them when both have
// a namespace.
func keyCompare(a, b *api.ObjectMeta) int {
	if a.Namespace == b.Namespace {
		return strings.Compare(a.Name, b.Name)
	}
	na, nb := a.Namespace, b.Namespace
	if na != "" && nb != "" {
		n := min(len(na), len(nb))
		if c := strings.Compare(na[:n], nb[:n]); c != 0 {
			return c
		}
		// One namespace starts the other: its key has '/' where the other's goes on.
		if len(na) < len(nb) && nb[n] != '/' {
			return cmpByte('/', nb[n])
		}
		if len(nb) < len(na) && na[n] != '/' {
			return cmpByte(na[n], '/')
		}
	}
	return strings.Compare(a.Key(), b.Key())
}

func cmpByte(x, y byte) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// memoized reports whether the attempt reads the memo (infoAt) instead of podsOn and usageOn.
func (cl *cluster) memoized() bool { return cl != nil && cl.memo }

// infoAt is nodeInfoOf(node), node being nodes[i] of the running attempt.
func (cl *cluster) infoAt(i int, node string) *nodeInfo {
	if i >= len(cl.infos) {
		return nodeInfoOf(cl.st, node)
	}
	if cl.infos[i] == nil {
		if i < len(cl.refs) {
			if v, ok := cl.refs[i].Cached(cl.st); ok {
				cl.infos[i] = v.(*nodeInfo)
				return cl.infos[i]
			}
			cl.infos[i] = cl.st.ByIndexDerivedFromRef(&cl.refs[i], "node", "Pod", node, nodeInfoName, func(objs []api.Object, prev any) any {
				p, _ := prev.(*nodeInfo)
				return newNodeInfo(objs, p)
			}).(*nodeInfo)
		} else {
			cl.infos[i] = nodeInfoOf(cl.st, node)
		}
	}
	return cl.infos[i]
}

func withPodAffinity(pods []*api.Pod) []*api.Pod {
	var out []*api.Pod
	for _, o := range pods {
		if !o.IsTerminal() && hasPodAffinity(o) {
			out = append(out, o)
		}
	}
	return out
}

// matchingOn is countMatching(podsOn(node), c, ns), node being nodes[i] of the attempt; key
// is spreadMemoName(c, ns). Every scheduling attempt of a workload pod counts its siblings on
// every node, which would otherwise cost a selector match per pod in the cluster per attempt.
func (cl *cluster) matchingOn(i int, node string, c *spreadConstraint, key memoKey, ns string, podsOn func(string) []*api.Pod) int {
	if !cl.memoized() {
		return countMatching(podsOn(node), c, ns)
	}
	ni := cl.infoAt(i, node)
	if n, ok := ni.count(key); ok {
		return n
	}
	v := countMatching(ni.pods, c, ns)
	ni.spread = append(ni.spread, spreadCount{key: key, n: v, c: c, ns: ns, used: true}) // derived from the node's pods alone, like the rest of the memo
	return v
}

// count is the memoized spread count of key, if there is one.
func (ni *nodeInfo) count(key memoKey) (int, bool) {
	for k := len(ni.spread) - 1; k >= 0; k-- { // the selector used last is last
		if sc := &ni.spread[k]; sc.key.h == key.h && sc.key.s == key.s {
			sc.used = true
			return sc.n, true
		}
	}
	return 0, false
}

// affinityPods maps each node to its active pods with pod affinity or anti-affinity (the
// cache's HavePodsWithAffinityList), read from the store's podAffinity index: usually empty,
// so InterPodAffinity costs nothing per node then.
func (cl *cluster) affinityPods(nodes []*api.Node, podsOn func(string) []*api.Pod) map[string][]*api.Pod {
	var m map[string][]*api.Pod // made on the first pod: usually there is none
	if cl == nil || !cl.memo {
		for _, n := range nodes {
			if ps := withPodAffinity(podsOn(n.Name)); len(ps) > 0 {
				if m == nil {
					m = make(map[string][]*api.Pod)
				}
				m[n.Name] = ps
			}
		}
		return m
	}
	for _, o := range cl.st.ByIndex("podAffinity", "Pod", "bound") {
		if p := o.(*api.Pod); !p.IsTerminal() {
			if m == nil {
				m = make(map[string][]*api.Pod)
			}
			m[p.Spec.NodeName] = append(m[p.Spec.NodeName], p)
		}
	}
	return m
}

// spreadMemoName names the memoized counts of a constraint's selector in a namespace, encoding
// the selector exactly.
func spreadMemoName(c *spreadConstraint, ns string) string {
	// Each string goes in as its length and bytes (injective, like quoting, without reading
	// it rune by rune), into one buffer.
	b := make([]byte, 0, 128)
	str := func(b []byte, s string) []byte {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		return append(append(b, ':'), s...)
	}
	b = append(b, "scheduler/spread\x00"...)
	b = str(b, ns)
	kv := func(b []byte, k, v string) []byte {
		return append(str(str(b, k), v), ',')
	}
	sel := func(b []byte, s *api.LabelSelector) []byte {
		if s == nil {
			return append(b, "nil;"...)
		}
		for _, k := range api.SortedKeys(s.MatchLabels) {
			b = kv(b, k, s.MatchLabels[k])
		}
		b = append(b, '|')
		for _, r := range s.MatchExpressions {
			b = str(str(b, r.Key), r.Operator)
			b = append(strconv.AppendInt(b, int64(len(r.Values)), 10), '#')
			for _, v := range r.Values {
				b = str(b, v)
			}
			b = append(b, ',')
		}
		return append(b, ';')
	}
	labels := func(b []byte, m map[string]string) []byte {
		for _, k := range api.SortedKeys(m) {
			b = kv(b, k, m[k])
		}
		return append(b, ';')
	}
	if c.def != nil {
		b = append(b, "default;"...)
		b = labels(b, c.def.labels)
		for _, s := range c.def.sels {
			b = sel(b, s)
		}
		return string(b)
	}
	b = labels(b, c.keyLabels)
	b = sel(b, c.sel)
	return string(b)
}

func (c *cluster) namespaceLabels(ns string) map[string]string {
	if c == nil {
		return nil
	}
	if o := c.st.Get("Namespace", ns); o != nil {
		return o.Meta().Labels
	}
	return nil
}

// defaultSelector is helper.DefaultSelector (pkg/scheduler/framework/plugins/helper/spread.go):
// the selectors of every Service, ReplicaSet and StatefulSet of the pod's namespace that
// selects the pod, ANDed. ReplicationControllers are not simulated.
type defaultSelector struct {
	labels map[string]string
	sels   []*api.LabelSelector
	// name is spreadMemoName of the constraints with this selector in namespace nameNS,
	// kept for the next pods that share the selector (defaultsMemo)
	name, nameNS string
}

func (d *defaultSelector) matches(l map[string]string) bool {
	for k, v := range d.labels {
		if got, ok := l[k]; !ok || got != v {
			return false
		}
	}
	for _, s := range d.sels {
		if !s.Matches(l) {
			return false
		}
	}
	return true
}

func podDefaultSelector(p *api.Pod, cl *cluster) *defaultSelector {
	if cl == nil {
		return nil
	}
	d := &defaultSelector{}
	for _, svc := range store.ListAs[*api.Service](cl.st, "Service", p.Namespace) {
		// GetPodServices: a nil selector matches nothing, not everything
		if svc.Spec.Selector == nil || !api.SelectorMatchesMap(svc.Spec.Selector, p.Labels) {
			continue
		}
		if d.labels == nil {
			d.labels = map[string]string{}
		}
		for k, v := range svc.Spec.Selector {
			d.labels[k] = v
		}
	}
	// GetPodReplicaSets / GetPodStatefulSets: a pod without labels has none, and a nil or
	// empty selector matches nothing.
	if len(p.Labels) > 0 {
		add := func(sel *api.LabelSelector) {
			if sel != nil && !sel.IsEmpty() && sel.Matches(p.Labels) {
				d.sels = append(d.sels, sel)
			}
		}
		for _, rs := range store.ListAs[*api.ReplicaSet](cl.st, "ReplicaSet", p.Namespace) {
			add(rs.Spec.Selector)
		}
		for _, ss := range store.ListAs[*api.StatefulSet](cl.st, "StatefulSet", p.Namespace) {
			add(ss.Spec.Selector)
		}
	}
	if len(d.labels) == 0 && len(d.sels) == 0 {
		return nil
	}
	return d
}

// defaultSpreadConstraints is buildDefaultConstraints with the system defaults
// (podtopologyspread/plugin.go systemDefaultConstraints): hostname maxSkew 3 and zone maxSkew
// 5, both ScheduleAnyway, selecting what the pod's Services, ReplicaSets and StatefulSets
// select; none when nothing selects the pod.
func defaultSpreadConstraints(p *api.Pod, action string, cl *cluster) []spreadConstraint {
	if action != api.ScheduleAnyway {
		return nil
	}
	m := cl.defaultsMemo()
	if m != nil {
		if e := m.last; e != nil && e.svc == m.svc(cl.st) && e.ss == m.ss(cl.st) && e.ns == p.Namespace && maps.Equal(e.labels, p.Labels) {
			return e.cs
		}
	}
	d := podDefaultSelector(p, cl)
	var cs []spreadConstraint
	if d != nil {
		cs = []spreadConstraint{
			{maxSkew: 3, key: api.LabelHostname, def: d, minDomains: 1, honorAffinity: true},
			{maxSkew: 5, key: api.LabelZone, def: d, minDomains: 1, honorAffinity: true},
		}
	}
	if m != nil {
		m.last = &defaultsEntry{ns: p.Namespace, labels: p.Labels, svc: m.svc(cl.st), ss: m.ss(cl.st), cs: cs}
	}
	return cs
}

// defaultsMemo keeps the last pod's default constraints (podDefaultSelector) while no
// ReplicaSet is written (it is derived from their list: ListDerived drops it at their next
// write); the Services and StatefulSets it was derived from are checked by their own
// ListDerived tokens. The next pod with the same namespace and labels gets the same
// constraints: a workload's pods are scheduled one after another.
type defaultsMemo struct{ last *defaultsEntry }

type defaultsEntry struct {
	ns      string
	labels  map[string]string // the pod's, never modified (stored objects are immutable)
	svc, ss any
	cs      []spreadConstraint // shared: nothing modifies constraints
}

func (cl *cluster) defaultsMemo() *defaultsMemo {
	if cl == nil || cl.st == nil {
		return nil
	}
	return cl.st.ListDerived("ReplicaSet", "scheduler/defaults", func([]api.Object) any { return &defaultsMemo{} }).(*defaultsMemo)
}

// svc and ss are tokens that change at every write of a Service, a StatefulSet.
func (*defaultsMemo) svc(st *store.Store) any { return listToken(st, "Service") }
func (*defaultsMemo) ss(st *store.Store) any  { return listToken(st, "StatefulSet") }

func listToken(st *store.Store, kind string) any {
	return st.ListDerived(kind, "scheduler/token", func([]api.Object) any { return new(int) })
}

// spreadScoreState is PodTopologySpread's PreScore state (podtopologyspread/scoring.go):
// matching pods per domain of each non-hostname constraint (only domains of feasible nodes),
// the nodes not scored, and each constraint's normalizing weight ln(domains + 2).
type spreadScoreState struct {
	cs []spreadConstraint
	// terms[i] is cs[i]'s state: one slice, not one per field (a few allocations per attempt)
	terms []spreadTerm
	// ignored[j] is set for nodes[j] when it is not scored (nil when none is).
	ignored []bool
	// live lists the terms Score reads: not a non-hostname one that no scored node has the
	// label of (the system default zone constraint on nodes without zones).
	live    []int
	liveBuf [2]int // live's memory for the system default constraints
	// where Score counts a node's pods
	cl     *cluster
	podsOn func(string) []*api.Pod
	ns     string
}

// spreadTerm is one constraint's PreScore state.
type spreadTerm struct {
	col []labelValue // the topology label of every node (nodeTable.label)
	dom labelDomains // non-hostname keys: every node's domain
	// counts[d] is the matching pods in domain d, -1 for a domain no scored feasible node is
	// in; nil for hostname constraints (counted per node in Score).
	counts []int
	weight float64
	key    memoKey // spreadMemoName
	size   int     // domains of scored feasible nodes
	// scored: a scored node has the label, so Score reads counts. Nodes without it fall in
	// domain "" here but are skipped by Score: when no scored node has the label (system
	// defaults on nodes without a zone), counting its domains is moot.
	scored bool
}

// isIgnored reports whether nodes[j] is not scored.
func (s *spreadScoreState) isIgnored(j int) bool { return s.ignored != nil && s.ignored[j] }

// preScoreSpread is PodTopologySpread's PreScore over the feasible nodes cands, nil when it
// skips (the pod has no ScheduleAnyway constraint, or no constraint at all and nothing
// selects it). Only with the pod's own constraints must a node carry every topology key to
// be scored (system defaults spread by hostname on nodes without a zone label too).
func preScoreSpread(p *api.Pod, cands []candidate, nodes []*api.Node, podsOn func(string) []*api.Pod, cl *cluster) *spreadScoreState {
	cs := spreadConstraints(p, api.ScheduleAnyway, cl)
	if len(cs) == 0 {
		return nil
	}
	requireAll := len(p.Spec.TopologySpreadConstraints) > 0
	// The state lives in the attempt's scratch, like the candidates it scores.
	sb := cl.scratchMem()
	s := &sb.spread
	*s = spreadScoreState{cs: cs, terms: slices.Grow(sb.terms[:0], len(cs))[:len(cs)], cl: cl, podsOn: podsOn, ns: p.Namespace}
	clear(s.terms)
	sb.terms = s.terms
	tab := cl.tableFor(nodes)
	ndom := 0
	for i := range cs {
		t := &s.terms[i]
		if i > 0 && cs[i].def != nil && cs[i].def == cs[0].def {
			t.key = s.terms[0].key // the default constraints share one selector, so one name
		} else {
			var name string
			if d := cs[i].def; d != nil {
				if d.name == "" || d.nameNS != p.Namespace {
					d.name, d.nameNS = spreadMemoName(&cs[i], p.Namespace), p.Namespace
				}
				name = d.name
			} else {
				name = spreadMemoName(&cs[i], p.Namespace)
			}
			if tab != nil {
				t.key = tab.memoKey(name)
			} else {
				t.key = newMemoKey(name)
			}
		}
		if tab != nil {
			t.col = tab.label(cs[i].key)
		} else {
			t.col = make([]labelValue, len(nodes))
			for j, n := range nodes {
				t.col[j].v, t.col[j].ok = n.Labels[cs[i].key]
			}
		}
		if cs[i].key == api.LabelHostname {
			continue
		}
		if tab != nil {
			t.dom = tab.domain(cs[i].key)
		} else {
			t.dom = domainsOf(t.col)
		}
		ndom += t.dom.n
	}
	counts := slices.Grow(sb.counts[:0], ndom)[:ndom]
	sb.counts = counts
	for d := range counts {
		counts[d] = -1
	}
	for i := range s.terms {
		if t := &s.terms[i]; cs[i].key != api.LabelHostname {
			t.counts, counts = counts[:t.dom.n:t.dom.n], counts[t.dom.n:]
		}
	}
	ignored := 0
	if requireAll {
		for k := range cands {
			if j := cands[k].idx; !s.hasKeys(j) {
				if s.ignored == nil {
					s.ignored = make([]bool, len(nodes))
				}
				s.ignored[j] = true
				ignored++
			}
		}
	}
	count := false // some constraint counts pods per domain
	for i := range s.terms {
		t := &s.terms[i]
		if t.counts == nil {
			t.weight = lnInt(len(cands) - ignored + 2) // hostname: counted per node in Score
			continue
		}
		for k := range cands {
			j := cands[k].idx
			if s.isIgnored(j) {
				continue
			}
			t.scored = t.scored || t.col[j].ok
			if d := t.dom.id[j]; t.counts[d] < 0 {
				t.counts[d] = 0
				t.size++
			}
		}
		t.weight = lnInt(t.size + 2)
		count = count || t.scored
	}
	s.live = s.liveBuf[:0]
	for i := range s.terms {
		if s.terms[i].counts == nil || s.terms[i].scored {
			s.live = append(s.live, i)
		}
	}
	if !count {
		return s
	}
	for j, n := range nodes {
		if requireAll && !s.hasKeys(j) {
			continue
		}
		for i := range s.terms {
			t, c := &s.terms[i], &cs[i]
			if t.counts == nil || !t.scored {
				continue // no domain: counted per node in Score; or never read
			}
			d := t.dom.id[j]
			if t.counts[d] < 0 {
				continue // not a domain of a feasible node (hostname included)
			}
			if !c.includes(p, n) {
				continue
			}
			t.counts[d] += cl.matchingOn(j, n.Name, c, t.key, p.Namespace, podsOn)
		}
	}
	return s
}

// hasKeys is hasSpreadKeys(nodes[j], s.cs).
func (s *spreadScoreState) hasKeys(j int) bool {
	for i := range s.terms {
		if !s.terms[i].col[j].ok {
			return false
		}
	}
	return true
}

// scoreAll is PodTopologySpread's Score of every candidate, into its spread field: per
// constraint whose key the node has, count x weight + (maxSkew - 1), summed in constraint
// order and rounded; fewer matching pods is better, so NormalizeScore reverses it. sums is
// scratch memory for the sums. Constraints are the outer loop, so a hostname constraint's
// per-node counts are read from the node memos in one pass.
func (s *spreadScoreState) scoreAll(cands []candidate, sums []float64) []float64 {
	sums = slices.Grow(sums[:0], len(cands))[:len(cands)]
	clear(sums)
	memo := s.cl.memoized()
	for _, i := range s.live {
		t, c := &s.terms[i], &s.cs[i]
		for k := range cands {
			cand := &cands[k]
			if s.isIgnored(cand.idx) || !t.col[cand.idx].ok {
				continue
			}
			var cnt int
			switch {
			case t.counts != nil:
				cnt = max(t.counts[t.dom.id[cand.idx]], 0) // a missing domain counts 0
			case memo:
				var ok bool
				if cnt, ok = s.cl.infoAt(cand.idx, cand.node.Name).count(t.key); !ok {
					cnt = s.cl.matchingOn(cand.idx, cand.node.Name, c, t.key, s.ns, s.podsOn)
				}
			default:
				cnt = s.cl.matchingOn(cand.idx, cand.node.Name, c, t.key, s.ns, s.podsOn)
			}
			sums[k] += scoreForCount(cnt, c.maxSkew, t.weight)
		}
	}
	for k := range cands {
		cands[k].spread = 0
		if !s.isIgnored(cands[k].idx) {
			cands[k].spread = int64(math.Round(sums[k]))
		}
	}
	return sums
}

// scoreForCount is scoring.go scoreForCount. The explicit conversion keeps the product
// rounded before the addition, so no platform fuses it into one FMA instruction.
func scoreForCount(cnt, maxSkew int, weight float64) float64 {
	return float64(float64(cnt)*weight) + float64(maxSkew-1)
}

// normalizeSpread is PodTopologySpread's NormalizeScore, in place on the candidates' raw
// scores: ignored nodes get 0, the others 100 x (max + min - score) / max, or 100 each when
// max is 0.
func normalizeSpread(s *spreadScoreState, cands []candidate) {
	minS, maxS := int64(math.MaxInt64), int64(0)
	for i := range cands {
		if s.isIgnored(cands[i].idx) {
			continue
		}
		minS, maxS = min(minS, cands[i].spread), max(maxS, cands[i].spread)
	}
	for i := range cands {
		c := &cands[i]
		switch {
		case s.isIgnored(c.idx):
			c.spread = 0
		case maxS == 0:
			c.spread = maxNodeScore
		default:
			c.spread = maxNodeScore * (maxS + minS - c.spread) / maxS
		}
	}
}

// lnInt is math.Log(float64(x)) computed by the portable algorithm of Go's math/log.go
// (FreeBSD's e_log.c) with every product rounded on its own: amd64 runs an assembly Log and
// arm64 may fuse multiply-adds, and the page (wasm) must score exactly as the CLI does.
func lnInt(x int) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
		l1    = 6.666666666666735130e-01
		l2    = 3.999999999940941908e-01
		l3    = 2.857142874366239149e-01
		l4    = 2.222219843214978396e-01
		l5    = 1.818357216161805012e-01
		l6    = 1.531383769920937332e-01
		l7    = 1.479819860511658591e-01
	)
	if x <= 0 {
		return math.Inf(-1)
	}
	f1, ki := math.Frexp(float64(x))
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	m := func(a, b float64) float64 { return float64(a * b) }
	s := f / (2 + f)
	s2 := m(s, s)
	s4 := m(s2, s2)
	t1 := m(s2, l1+m(s4, l3+m(s4, l5+m(s4, l7))))
	t2 := m(s4, l2+m(s4, l4+m(s4, l6)))
	r := t1 + t2
	hfsq := m(m(0.5, f), f)
	return m(k, ln2Hi) - ((hfsq - (m(s, hfsq+r) + m(k, ln2Lo))) - f)
}

// candidate is a feasible node with its raw and, after normalize, its normalized scores.
type candidate struct {
	node             *api.Node
	idx              int // in the attempt's node list
	fit, bal, taints int64
	aff              int64
	spread, ipa      int64
}

// scores is the PreScore state of the score plugins that may skip a pod: nil when the
// plugin skipped, and then it adds nothing to any node.
type scores struct {
	spread *spreadScoreState
	ipa    interPodScore
}

// scoreCandidates runs PodTopologySpread's and InterPodAffinity's PreScore and Score over the
// feasible nodes, leaving the raw scores in cands.
func scoreCandidates(p *api.Pod, cands []candidate, nodes []*api.Node, podsOn func(string) []*api.Pod, ns *nsLabelCache, sb *scratch) scores {
	sc := scores{spread: preScoreSpread(p, cands, nodes, podsOn, ns.cl), ipa: preScoreInterPod(p, nodes, podsOn, ns)}
	if sc.spread != nil {
		sb.sums = sc.spread.scoreAll(cands, sb.sums)
	}
	if sc.ipa != nil {
		for i := range cands {
			cands[i].ipa = sc.ipa.score(cands[i].node)
		}
	}
	return sc
}

// normalize applies each plugin's NormalizeScore and returns the weighted totals.
// TaintToleration is reversed (fewest intolerable PreferNoSchedule taints = 100), NodeAffinity
// scaled to the highest preferred weight (helper.DefaultNormalizeScore).
func normalize(cands []candidate, sc scores, sb *scratch) []int64 {
	sp := sc.spread
	var maxTaints, maxAff int64
	for i := range cands {
		maxTaints, maxAff = max(maxTaints, cands[i].taints), max(maxAff, cands[i].aff)
	}
	var ipa []int64
	if sp != nil {
		normalizeSpread(sp, cands)
	}
	if sc.ipa != nil {
		raw := make([]int64, len(cands))
		for i, c := range cands {
			raw[i] = c.ipa
		}
		ipa = normalizeInterPod(raw)
	}
	totals := slices.Grow(sb.totals[:0], len(cands))[:len(cands)]
	sb.totals = totals
	for i := range cands {
		c := &cands[i]
		taint := int64(maxNodeScore)
		if maxTaints > 0 {
			taint = maxNodeScore - c.taints*maxNodeScore/maxTaints
		}
		aff := int64(0)
		if maxAff > 0 {
			aff = c.aff * maxNodeScore / maxAff
		}
		c.taints, c.aff = taint, aff
		if ipa != nil {
			c.ipa = ipa[i]
		}
		totals[i] = weightTaintToleration*c.taints + weightNodeAffinity*c.aff +
			weightNodeResourcesFit*c.fit + weightBalancedAlloc*c.bal +
			weightPodTopologySpread*c.spread + weightInterPodAffinity*c.ipa
	}
	return totals
}

// appendScoreLine appends "<node>: score T (taints 3x100, node-affinity 2x0, fit 95,
// balanced 73[, spread 2x100][, pod-affinity 2x0])": each plugin's normalized score with its
// weight, spread and pod-affinity only when those plugins scored the pod. Built without fmt
// (it runs once per node per attempt).
func appendScoreLine(b []byte, c *candidate, total int64, sc scores) []byte {
	w := func(b []byte, name string, weight, v int64) []byte {
		b = append(b, name...)
		if weight != 1 {
			b = strconv.AppendInt(b, weight, 10)
			b = append(b, 'x')
		}
		return strconv.AppendInt(b, v, 10)
	}
	b = append(b, c.node.Name...)
	b = append(b, ": score "...)
	b = strconv.AppendInt(b, total, 10)
	b = w(append(b, " ("...), "taints ", weightTaintToleration, c.taints)
	b = w(append(b, ", "...), "node-affinity ", weightNodeAffinity, c.aff)
	b = w(append(b, ", "...), "fit ", weightNodeResourcesFit, c.fit)
	b = w(append(b, ", "...), "balanced ", weightBalancedAlloc, c.bal)
	if sc.spread != nil {
		b = w(append(b, ", "...), "spread ", weightPodTopologySpread, c.spread)
	}
	if sc.ipa != nil {
		b = w(append(b, ", "...), "pod-affinity ", weightInterPodAffinity, c.ipa)
	}
	return append(b, ')')
}

// rejection renders a node's filter verdict: the plugin that rejected it (the framework stops
// at the first) and its reasons.
func rejection(node string, reasons []string) string {
	return node + ": " + pluginOf(reasons[0]) + ": " + strings.Join(reasons, ", ")
}

// pluginOf names the filter plugin of a reason text.
func pluginOf(reason string) string {
	switch {
	case reason == ReasonUnschedulable:
		return "NodeUnschedulable"
	case reason == ReasonTaint:
		return "TaintToleration"
	case reason == ReasonAffinity:
		return "NodeAffinity"
	case reason == ReasonPorts:
		return "NodePorts"
	case reason == ReasonTooManyPods || strings.HasPrefix(reason, "Insufficient "):
		return "NodeResourcesFit"
	case strings.HasPrefix(reason, ReasonSpread):
		return "PodTopologySpread"
	case reason == ReasonPodAffinity || reason == ReasonPodAntiAffinity || reason == ReasonExistingAntiAffinity:
		return "InterPodAffinity"
	}
	return "VolumeBinding"
}
