package scheduler

import "github.com/kubesim/kubesim/core/api"

// PodTopologySpread filter reasons (pkg/scheduler/framework/plugins/podtopologyspread
// ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch).
const (
	ReasonSpread             = "node(s) didn't match pod topology spread constraints"
	ReasonSpreadMissingLabel = ReasonSpread + " (missing required label)"
)

// spreadConstraint is one constraint of the action being evaluated with its defaults applied
// (podtopologyspread/common.go filterTopologySpreadConstraints): minDomains 1,
// nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore, matchLabelKeys merged into the selector.
type spreadConstraint struct {
	maxSkew       int
	key           string
	sel           *api.LabelSelector
	keyLabels     map[string]string // from matchLabelKeys: the pod's own values
	def           *defaultSelector  // a cluster default constraint's selector, instead of sel
	minDomains    int
	honorAffinity bool
	honorTaints   bool
}

// matches is the constraint's selector. A nil labelSelector selects nothing, unless
// matchLabelKeys gave labels (mergeLabelSetWithSelector keeps only those then).
func (c *spreadConstraint) matches(l map[string]string) bool {
	if c.def != nil {
		return c.def.matches(l)
	}
	for k, v := range c.keyLabels {
		if got, ok := l[k]; !ok || got != v {
			return false
		}
	}
	if c.sel == nil {
		return len(c.keyLabels) > 0
	}
	return c.sel.Matches(l)
}

// spreadState is PodTopologySpread's PreFilter state: per constraint, the number of matching
// pods in each eligible domain (a domain with none counts 0) and the global minimum.
type spreadState struct {
	cs     []spreadConstraint
	counts []map[string]int
}

// spreadConstraints is the pod's constraints with whenUnsatisfiable == action, or, when the
// pod has none at all, the cluster default constraints of that action
// (podtopologyspread/common.go, plugin.go buildDefaultConstraints).
func spreadConstraints(p *api.Pod, action string, cl *cluster) []spreadConstraint {
	if len(p.Spec.TopologySpreadConstraints) == 0 {
		return defaultSpreadConstraints(p, action, cl)
	}
	var cs []spreadConstraint
	for _, t := range p.Spec.TopologySpreadConstraints {
		if t.WhenUnsatisfiable != action {
			continue
		}
		c := spreadConstraint{maxSkew: int(t.MaxSkew), key: t.TopologyKey, sel: t.LabelSelector,
			minDomains: 1, honorAffinity: true}
		for _, k := range t.MatchLabelKeys {
			if v, ok := p.Labels[k]; ok {
				if c.keyLabels == nil {
					c.keyLabels = map[string]string{}
				}
				c.keyLabels[k] = v
			}
		}
		if t.MinDomains != nil {
			c.minDomains = int(*t.MinDomains)
		}
		if t.NodeAffinityPolicy != nil {
			c.honorAffinity = *t.NodeAffinityPolicy == api.PolicyHonor
		}
		if t.NodeTaintsPolicy != nil {
			c.honorTaints = *t.NodeTaintsPolicy == api.PolicyHonor
		}
		cs = append(cs, c)
	}
	return cs
}

// preFilterSpread computes the state over all nodes (calPreFilterState), or nil when the pod
// has no DoNotSchedule constraint (the plugin skips it). Cluster default constraints are all
// ScheduleAnyway, so they never reach the filter.
func preFilterSpread(p *api.Pod, nodes []*api.Node, podsOn func(node string) []*api.Pod) *spreadState {
	cs := spreadConstraints(p, api.DoNotSchedule, nil)
	if len(cs) == 0 {
		return nil
	}
	s := &spreadState{cs: cs, counts: make([]map[string]int, len(cs))}
	for i := range cs {
		s.counts[i] = map[string]int{}
	}
	for _, n := range nodes {
		if !hasSpreadKeys(n, cs) { // nodeLabelsMatchSpreadConstraints: all keys or none counted
			continue
		}
		var pods []*api.Pod
		for i := range cs {
			c := &cs[i]
			if !c.includes(p, n) {
				continue
			}
			if pods == nil {
				pods = podsOn(n.Name)
			}
			s.counts[i][n.Labels[c.key]] += countMatching(pods, c, p.Namespace)
		}
	}
	return s
}

// includes is matchNodeInclusionPolicies: with nodeAffinityPolicy Honor only nodes that match
// the pod's nodeSelector and required node affinity count, with nodeTaintsPolicy Honor only
// nodes whose NoSchedule/NoExecute taints the pod tolerates.
func (c *spreadConstraint) includes(p *api.Pod, n *api.Node) bool {
	if c.honorAffinity && !MatchesNodeSelector(p, n) {
		return false
	}
	return !c.honorTaints || !hasUntoleratedDoNotScheduleTaint(p, n)
}

func hasSpreadKeys(n *api.Node, cs []spreadConstraint) bool {
	for i := range cs {
		if _, ok := n.Labels[cs[i].key]; !ok {
			return false
		}
	}
	return true
}

// hasUntoleratedDoNotScheduleTaint is FindMatchingUntoleratedTaint with
// DoNotScheduleTaintsFilterFunc: NoSchedule and NoExecute taints.
func hasUntoleratedDoNotScheduleTaint(p *api.Pod, n *api.Node) bool {
	for i := range n.Spec.Taints {
		t := &n.Spec.Taints[i]
		if (t.Effect == api.TaintNoSchedule || t.Effect == api.TaintNoExecute) && !tolerates(p, t) {
			return true
		}
	}
	return false
}

// countMatching is countPodsMatchSelector: pods of the namespace that match, not terminating.
// Terminal pods are not in the scheduler's cache at all.
func countMatching(pods []*api.Pod, c *spreadConstraint, ns string) int {
	k := 0
	for _, o := range pods {
		if o.DeletionTimestamp != nil || o.Namespace != ns || o.IsTerminal() {
			continue
		}
		if c.matches(o.Labels) {
			k++
		}
	}
	return k
}

// minMatch is the global minimum of constraint i, 0 while fewer than minDomains domains are
// eligible (preFilterState.minMatchNum).
func (s *spreadState) minMatch(i int) int {
	if len(s.counts[i]) < s.cs[i].minDomains {
		return 0
	}
	m, first := 0, true
	for _, k := range s.counts[i] {
		if first || k < m {
			m, first = k, false
		}
	}
	return m
}

// filterSpread is PodTopologySpread's Filter: for each constraint the node needs its topology
// label (else UnschedulableAndUnresolvable), and matching pods in its domain + 1 if the pod
// matches itself - the global minimum must not exceed maxSkew (else Unschedulable, so
// preemption could help).
func filterSpread(s *spreadState, p *api.Pod, n *api.Node) (reasons []string, resolvable bool) {
	for i := range s.cs {
		c := &s.cs[i]
		v, ok := n.Labels[c.key]
		if !ok {
			return []string{ReasonSpreadMissingLabel}, false
		}
		self := 0
		if c.matches(p.Labels) {
			self = 1
		}
		if s.counts[i][v]+self-s.minMatch(i) > c.maxSkew {
			return []string{ReasonSpread}, true
		}
	}
	return nil, true
}

// hasHardSpread reports whether p has a DoNotSchedule constraint.
func hasHardSpread(p *api.Pod) bool {
	for _, t := range p.Spec.TopologySpreadConstraints {
		if t.WhenUnsatisfiable == api.DoNotSchedule {
			return true
		}
	}
	return false
}
