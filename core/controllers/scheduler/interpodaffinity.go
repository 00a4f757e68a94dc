package scheduler

import (
	"github.com/kubesim/kubesim/core/api"
)

// InterPodAffinity filter reasons (pkg/scheduler/framework/plugins/interpodaffinity/filtering.go,
// v1.37.2).
const (
	ReasonPodAffinity          = "node(s) didn't match pod affinity rules"
	ReasonPodAntiAffinity      = "node(s) didn't match pod anti-affinity rules"
	ReasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules"
)

// hardPodAffinityWeight is InterPodAffinityArgs' default: an existing pod's required affinity
// term that matches the incoming pod adds this to the score of its domain.
const hardPodAffinityWeight = 1

// affinityTerm is framework.AffinityTerm: a term resolved against its pod. With neither
// namespaces nor namespaceSelector the term means its pod's own namespace; a nil labelSelector
// or namespaceSelector matches nothing, an empty one everything.
type affinityTerm struct {
	sel    *api.LabelSelector
	ns     []string
	nsSel  *api.LabelSelector
	key    string
	weight int64
}

func newAffinityTerm(owner *api.Pod, t *api.PodAffinityTerm, weight int64) affinityTerm {
	at := affinityTerm{sel: t.LabelSelector, ns: t.Namespaces, nsSel: t.NamespaceSelector, key: t.TopologyKey, weight: weight}
	if len(t.Namespaces) == 0 && t.NamespaceSelector == nil {
		at.ns = []string{owner.Namespace}
	}
	return at
}

// matches is AffinityTerm.Matches: p's namespace is one of the term's (listed, or selected by
// its namespaceSelector through the namespace's labels) and p's labels match its selector.
func (t *affinityTerm) matches(p *api.Pod, nsLabels map[string]string) bool {
	if !contains(t.ns, p.Namespace) && (t.nsSel == nil || !t.nsSel.Matches(nsLabels)) {
		return false
	}
	return t.sel.Matches(p.Labels)
}

// podTerms are a pod's affinity terms.
type podTerms struct {
	req, anti         []affinityTerm // required affinity and anti-affinity
	prefAff, prefAnti []affinityTerm // preferred, with their weights
}

func termsOf(p *api.Pod) podTerms {
	var pt podTerms
	a := p.Spec.Affinity
	if a == nil {
		return pt
	}
	conv := func(pa *api.PodAffinity) (req, pref []affinityTerm) {
		if pa == nil {
			return nil, nil
		}
		for i := range pa.RequiredDuringSchedulingIgnoredDuringExecution {
			req = append(req, newAffinityTerm(p, &pa.RequiredDuringSchedulingIgnoredDuringExecution[i], 0))
		}
		for i := range pa.PreferredDuringSchedulingIgnoredDuringExecution {
			w := &pa.PreferredDuringSchedulingIgnoredDuringExecution[i]
			pref = append(pref, newAffinityTerm(p, &w.PodAffinityTerm, int64(w.Weight)))
		}
		return req, pref
	}
	pt.req, pt.prefAff = conv(a.PodAffinity)
	pt.anti, pt.prefAnti = conv(a.PodAntiAffinity)
	return pt
}

// hasPodAffinity reports whether p has any pod affinity or anti-affinity (nodeInfo's
// PodsWithAffinity).
func hasPodAffinity(p *api.Pod) bool {
	a := p.Spec.Affinity
	return a != nil && (a.PodAffinity != nil || a.PodAntiAffinity != nil)
}

// hasRequiredPodAffinity reports whether p has a required pod affinity term: a pod bound or
// relabelled elsewhere can make it schedulable (InterPodAffinity's EventsToRegister).
func hasRequiredPodAffinity(p *api.Pod) bool {
	a := p.Spec.Affinity
	return a != nil && a.PodAffinity != nil && len(a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution) > 0
}

// topologyPair is a topology key and one of its values.
type topologyPair struct{ key, value string }

// nsLabelCache looks namespace labels, and the pods with affinity, up once per attempt.
type nsLabelCache struct {
	cl      *cluster
	m       map[string]map[string]string
	aff     map[string][]*api.Pod // nil when no bound pod has pod affinity
	affDone bool
}

func (c *nsLabelCache) affinityPods(nodes []*api.Node, podsOn func(string) []*api.Pod) map[string][]*api.Pod {
	if !c.affDone {
		c.aff, c.affDone = c.cl.affinityPods(nodes, podsOn), true
	}
	return c.aff
}

// labels are the namespace's labels; kubernetes.io/metadata.name, which the API server puts on
// every namespace, is there even when the scenario never created the namespace object.
func (c *nsLabelCache) labels(ns string) map[string]string {
	if l, ok := c.m[ns]; ok {
		return l
	}
	l := map[string]string{"kubernetes.io/metadata.name": ns}
	for k, v := range c.cl.namespaceLabels(ns) {
		l[k] = v
	}
	if c.m == nil {
		c.m = map[string]map[string]string{}
	}
	c.m[ns] = l
	return l
}

// interPodState is InterPodAffinity's PreFilter state (filtering.go): per topology pair, the
// existing pods whose required anti-affinity matches the incoming pod, the existing pods
// matching all of the incoming pod's required affinity terms, and those matching each of its
// required anti-affinity terms.
type interPodState struct {
	terms        podTerms
	self         *api.Pod
	existingAnti map[topologyPair]int
	affinity     map[topologyPair]int
	anti         map[topologyPair]int
}

func bump(m map[topologyPair]int, n *api.Node, key string) {
	if v, ok := n.Labels[key]; ok {
		m[topologyPair{key, v}]++
	}
}

// activePods are the pods the scheduler's cache holds for a node: terminal pods are not in it.
func activePods(pods []*api.Pod) []*api.Pod {
	out := pods[:0:0]
	for _, o := range pods {
		if !o.IsTerminal() {
			out = append(out, o)
		}
	}
	return out
}

// preFilterInterPod computes the state over every node's pods, or nil when the plugin skips
// (no existing pod's anti-affinity matches the pod and it has no required terms).
func preFilterInterPod(p *api.Pod, nodes []*api.Node, podsOn func(string) []*api.Pod, ns *nsLabelCache) *interPodState {
	terms := termsOf(p)
	hasReq := len(terms.req) > 0 || len(terms.anti) > 0
	aff := ns.affinityPods(nodes, podsOn)
	if !hasReq && len(aff) == 0 {
		return nil
	}
	s := &interPodState{terms: terms, self: p, existingAnti: map[topologyPair]int{},
		affinity: map[topologyPair]int{}, anti: map[topologyPair]int{}}
	own := ns.labels(p.Namespace)
	for _, n := range nodes {
		if !hasReq && len(aff[n.Name]) == 0 {
			continue // without required terms only pods with affinity matter
		}
		pods := aff[n.Name]
		if hasReq {
			pods = activePods(podsOn(n.Name))
		}
		for _, o := range pods {
			if hasPodAffinity(o) {
				for _, t := range termsOf(o).anti {
					if t.matches(p, own) {
						bump(s.existingAnti, n, t.key)
					}
				}
			}
			if !hasReq {
				continue
			}
			ol := ns.labels(o.Namespace)
			if len(s.terms.req) > 0 && matchesAll(s.terms.req, o, ol) {
				for _, t := range s.terms.req {
					bump(s.affinity, n, t.key)
				}
			}
			for _, t := range s.terms.anti {
				if t.matches(o, ol) {
					bump(s.anti, n, t.key)
				}
			}
		}
	}
	if len(s.existingAnti) == 0 && len(s.terms.req) == 0 && len(s.terms.anti) == 0 {
		return nil
	}
	return s
}

func matchesAll(ts []affinityTerm, p *api.Pod, nsLabels map[string]string) bool {
	for i := range ts {
		if !ts[i].matches(p, nsLabels) {
			return false
		}
	}
	return true
}

// filter is InterPodAffinity's Filter. Required affinity first (UnschedulableAndUnresolvable):
// the node needs every term's topology label and, in each of those domains, a pod matching all
// the terms - unless no pod anywhere matches them and the pod matches its own terms (the first
// pod of a group with affinity to itself). Then the pod's anti-affinity and the existing pods'
// anti-affinity towards it (both Unschedulable: preemption could remove the pods).
func (s *interPodState) filter(n *api.Node, ns *nsLabelCache) (reasons []string, resolvable bool) {
	podsExist := true
	for _, t := range s.terms.req {
		v, ok := n.Labels[t.key]
		if !ok {
			return []string{ReasonPodAffinity}, false
		}
		if s.affinity[topologyPair{t.key, v}] <= 0 {
			podsExist = false
		}
	}
	if !podsExist && !(len(s.affinity) == 0 && matchesAll(s.terms.req, s.self, ns.labels(s.self.Namespace))) {
		return []string{ReasonPodAffinity}, false
	}
	if len(s.anti) > 0 {
		for _, t := range s.terms.anti {
			if v, ok := n.Labels[t.key]; ok && s.anti[topologyPair{t.key, v}] > 0 {
				return []string{ReasonPodAntiAffinity}, true
			}
		}
	}
	if len(s.existingAnti) > 0 {
		for k, v := range n.Labels {
			if s.existingAnti[topologyPair{k, v}] > 0 {
				return []string{ReasonExistingAntiAffinity}, true
			}
		}
	}
	return nil, true
}

// interPodScore is InterPodAffinity's PreScore state (scoring.go): a score per topology
// domain, which every node of the domain gets.
type interPodScore map[topologyPair]int64

// preScoreInterPod is InterPodAffinity's PreScore over every node's pods (processExistingPod):
// the incoming pod's preferred affinity (+weight) and anti-affinity (-weight) terms matching an
// existing pod, and the existing pod's required affinity (+hardPodAffinityWeight), preferred
// affinity (+weight) and preferred anti-affinity (-weight) terms matching the incoming pod, each
// credited to the existing pod's domain. nil when nothing was credited (the plugin skips).
// Upstream visits only pods with affinity unless the incoming pod has preferred terms; the other
// pods contribute nothing either way.
func preScoreInterPod(p *api.Pod, nodes []*api.Node, podsOn func(string) []*api.Pod, ns *nsLabelCache) interPodScore {
	pt := termsOf(p)
	hasPref := len(pt.prefAff) > 0 || len(pt.prefAnti) > 0
	aff := ns.affinityPods(nodes, podsOn)
	if !hasPref && len(aff) == 0 {
		return nil
	}
	s := interPodScore{}
	own := ns.labels(p.Namespace)
	credit := func(ts []affinityTerm, weight func(affinityTerm) int64, target *api.Pod, nsl map[string]string, n *api.Node, sign int64) {
		for _, t := range ts {
			if !t.matches(target, nsl) {
				continue
			}
			if v, ok := n.Labels[t.key]; ok {
				s[topologyPair{t.key, v}] += weight(t) * sign
			}
		}
	}
	termWeight := func(t affinityTerm) int64 { return t.weight }
	hard := func(affinityTerm) int64 { return hardPodAffinityWeight }
	for _, n := range nodes {
		if len(n.Labels) == 0 || (!hasPref && len(aff[n.Name]) == 0) {
			continue // without preferred terms only pods with affinity matter
		}
		pods := aff[n.Name]
		if hasPref {
			pods = activePods(podsOn(n.Name))
		}
		for _, o := range pods {
			if !hasPref && !hasPodAffinity(o) {
				continue
			}
			if hasPref {
				ol := ns.labels(o.Namespace)
				credit(pt.prefAff, termWeight, o, ol, n, 1)
				credit(pt.prefAnti, termWeight, o, ol, n, -1)
			}
			if hasPodAffinity(o) {
				ot := termsOf(o)
				credit(ot.req, hard, p, own, n, 1)
				credit(ot.prefAff, termWeight, p, own, n, 1)
				credit(ot.prefAnti, termWeight, p, own, n, -1)
			}
		}
	}
	if len(s) == 0 {
		return nil
	}
	return s
}

// score is InterPodAffinity's Score: the sum over the node's labels of their domains' scores.
func (s interPodScore) score(n *api.Node) int64 {
	var sum int64
	for k, v := range n.Labels {
		sum += s[topologyPair{k, v}]
	}
	return sum
}

// normalizeInterPod is InterPodAffinity's NormalizeScore: scaled so the lowest is 0 and the
// highest 100, all 0 when they are equal; float64 and truncation as upstream.
func normalizeInterPod(raw []int64) []int64 {
	out := make([]int64, len(raw))
	if len(raw) == 0 {
		return out
	}
	lo, hi := raw[0], raw[0]
	for _, r := range raw {
		lo, hi = min(lo, r), max(hi, r)
	}
	if d := hi - lo; d > 0 {
		for i, r := range raw {
			out[i] = int64(float64(maxNodeScore) * (float64(r-lo) / float64(d)))
		}
	}
	return out
}
