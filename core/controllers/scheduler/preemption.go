package scheduler

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// DefaultPreemption, the PostFilter plugin: pkg/scheduler/framework/plugins/defaultpreemption
// (PostFilter, PodEligibleToPreemptOthers, SelectVictimsOnNode, filterPodsWithPDBViolation)
// and pkg/scheduler/framework/preemption/preemption.go (Preempt, findCandidates,
// DryRunPreemption, pickOneNodeForPreemption, prepareCandidate), v1.37.2.

// Preemption texts (v1.37.2).
const (
	ReasonNoVictims        = "No preemption victims found for incoming pod"
	ReasonNotHelpful       = "Preemption is not helpful for scheduling"
	notEligibleNever       = "not eligible due to preemptionPolicy=Never."
	notEligibleTerminating = "not eligible due to a terminating pod on the nominated node."
	// PreemptionByScheduler is the DisruptionTarget reason on a victim.
	PreemptionByScheduler = "PreemptionByScheduler"
)

// DefaultPreemptionArgs' defaults: at least 10% of the nodes and at least 100 are dry-run.
const (
	minCandidateNodesPercentage = 10
	minCandidateNodesAbsolute   = 100
)

// Victims are the pods to preempt on one node, most important first, and how many of them
// violate a PodDisruptionBudget (extenderv1.Victims).
type Victims struct {
	Node             string
	Pods             []*api.Pod
	NumPDBViolations int
	// Reprieved are the lower-priority pods that fit back after all were removed.
	Reprieved []*api.Pod
}

// podStartTime is util.GetPodStartTime: status.startTime, or now for a pod not started.
func podStartTime(p *api.Pod, now api.Time) api.Time {
	if p.Status.StartTime != nil {
		return *p.Status.StartTime
	}
	return now
}

// moreImportantPod is util.MoreImportantPod: higher priority, then earlier start.
func moreImportantPod(a, b *api.Pod, now api.Time) bool {
	if pa, pb := api.PodPriority(a), api.PodPriority(b); pa != pb {
		return pa > pb
	}
	return podStartTime(a, now) < podStartTime(b, now)
}

// podEligibleToPreemptOthers is PodEligibleToPreemptOthers: a pod with preemptionPolicy
// Never does not preempt, nor does one whose nominated node still has a lower-priority pod
// terminating because of a preemption (unless that node now rejects it for good).
func podEligibleToPreemptOthers(p *api.Pod, podsOn func(string) []*api.Pod, nominatedUnresolvable bool) (bool, string) {
	if p.Spec.PreemptionPolicy != nil && *p.Spec.PreemptionPolicy == api.PreemptNever {
		return false, notEligibleNever
	}
	if nom := p.Status.NominatedNodeName; nom != "" && !nominatedUnresolvable {
		for _, v := range podsOn(nom) {
			if api.PodPriority(v) < api.PodPriority(p) && terminatingByPreemption(v) {
				return false, notEligibleTerminating
			}
		}
	}
	return true, ""
}

// terminatingByPreemption is podTerminatingByPreemption.
func terminatingByPreemption(p *api.Pod) bool {
	if p.DeletionTimestamp == nil {
		return false
	}
	c := p.GetCondition(api.DisruptionTarget)
	return c != nil && c.Status == api.ConditionTrue && c.Reason == PreemptionByScheduler
}

// filterPodsWithPDBViolation splits pods (kept in order) into those whose preemption would
// take a matching budget below zero disruptions and the others; pods already in a budget's
// disruptedPods do not use it again.
func filterPodsWithPDBViolation(pods []*api.Pod, pdbs []*api.PodDisruptionBudget) (violating, nonViolating []*api.Pod) {
	allowed := make([]int32, len(pdbs))
	for i, pdb := range pdbs {
		allowed[i] = pdb.Status.DisruptionsAllowed
	}
	for _, p := range pods {
		violated := false
		if len(p.Labels) != 0 {
			for i, pdb := range pdbs {
				if pdb.Namespace != p.Namespace || pdb.Spec.Selector == nil || selectorEmpty(pdb.Spec.Selector) || !pdb.Spec.Selector.Matches(p.Labels) {
					continue // a nil or empty selector matches nothing here
				}
				if _, ok := pdb.Status.DisruptedPods[p.Name]; ok {
					continue
				}
				allowed[i]--
				if allowed[i] < 0 {
					violated = true
				}
			}
		}
		if violated {
			violating = append(violating, p)
		} else {
			nonViolating = append(nonViolating, p)
		}
	}
	return violating, nonViolating
}

func selectorEmpty(s *api.LabelSelector) bool {
	return len(s.MatchLabels) == 0 && len(s.MatchExpressions) == 0
}

// selectVictimsOnNode is SelectVictimsOnNode: remove every pod of lower priority than p
// from the node; if p then fits, add them back one by one, most important first (the
// PDB-violating ones before the others), keeping each that still lets p fit. fits reports
// the filter reasons for p on the node with the given pods. A node without lower-priority
// pods is "No preemption victims found for incoming pod" (UnschedulableAndUnresolvable); one
// where p does not fit even without them gives the filters' reasons.
func selectVictimsOnNode(p *api.Pod, node string, pods []*api.Pod, pdbs []*api.PodDisruptionBudget, now api.Time,
	fits func(pods []*api.Pod) []string) (v *Victims, reasons []string) {
	var potential, remaining []*api.Pod
	for _, q := range pods {
		if q.Spec.NodeName == node && !q.IsTerminal() && api.PodPriority(q) < api.PodPriority(p) {
			potential = append(potential, q)
		} else {
			remaining = append(remaining, q)
		}
	}
	if len(potential) == 0 {
		return nil, []string{ReasonNoVictims}
	}
	if rs := fits(remaining); len(rs) > 0 {
		return nil, rs
	}
	sort.SliceStable(potential, func(i, j int) bool { return moreImportantPod(potential[i], potential[j], now) })
	violating, nonViolating := filterPodsWithPDBViolation(potential, pdbs)
	v = &Victims{Node: node}
	reprieve := func(q *api.Pod) bool {
		with := append(remaining[:len(remaining):len(remaining)], q)
		if len(fits(with)) == 0 {
			remaining = with
			v.Reprieved = append(v.Reprieved, q)
			return true
		}
		v.Pods = append(v.Pods, q)
		return false
	}
	for _, q := range violating {
		if !reprieve(q) {
			v.NumPDBViolations++
		}
	}
	for _, q := range nonViolating {
		reprieve(q)
	}
	if len(violating) != 0 && len(nonViolating) != 0 {
		sort.SliceStable(v.Pods, func(i, j int) bool { return moreImportantPod(v.Pods[i], v.Pods[j], now) })
	}
	if len(v.Pods) == 0 {
		return nil, []string{fmt.Sprintf("expected at least one victim pod on node %q", node)}
	}
	return v, nil
}

// earliestStartOfHighest is util.GetEarliestPodStartTime: the earliest start among the
// victims of the highest priority.
func earliestStartOfHighest(v *Victims, now api.Time) api.Time {
	earliest, maxPrio := podStartTime(v.Pods[0], now), api.PodPriority(v.Pods[0])
	for _, q := range v.Pods {
		switch pr := api.PodPriority(q); {
		case pr == maxPrio:
			if t := podStartTime(q, now); t < earliest {
				earliest = t
			}
		case pr > maxPrio:
			maxPrio, earliest = pr, podStartTime(q, now)
		}
	}
	return earliest
}

// preemptionCriteria are pickOneNodeForPreemption's score functions in order (higher is
// better), with the words the explanation uses for each.
var preemptionCriteria = []struct {
	name  string
	score func(v *Victims, now api.Time) int64
}{
	{"fewest PodDisruptionBudget violations", func(v *Victims, _ api.Time) int64 { return -int64(v.NumPDBViolations) }},
	{"lowest highest victim priority", func(v *Victims, _ api.Time) int64 { return -int64(api.PodPriority(v.Pods[0])) }},
	{"smallest sum of victim priorities", func(v *Victims, _ api.Time) int64 {
		var sum int64
		for _, q := range v.Pods {
			// MaxInt32+1 is added to each so that more pods of negative priority never
			// sum to less than fewer of them.
			sum += int64(api.PodPriority(q)) + math.MaxInt32 + 1
		}
		return -sum
	}},
	{"fewest victims", func(v *Victims, _ api.Time) int64 { return -int64(len(v.Pods)) }},
	{"latest start of the highest-priority victims", func(v *Victims, now api.Time) int64 { return int64(earliestStartOfHighest(v, now)) }},
}

// pickOneNodeForPreemption applies the criteria in order, each keeping the candidates with
// the best score, and stops when one is left. Upstream then takes the first of a Go map's
// keys (an arbitrary order); kubesim draws among the remaining ones from r, which makes no
// draw unless a tie is left. It returns the chosen index and the deciding criterion.
func pickOneNodeForPreemption(cands []*Victims, now api.Time, r Rand) (int, string) {
	idx := make([]int, len(cands))
	for i := range idx {
		idx[i] = i
	}
	if len(cands) == 1 {
		return 0, "the only candidate"
	}
	for _, c := range preemptionCriteria {
		best := int64(math.MinInt64)
		var kept []int
		for _, i := range idx {
			s := c.score(cands[i], now)
			if s > best {
				best, kept = s, kept[:0]
			}
			if s == best {
				kept = append(kept, i)
			}
		}
		idx = kept
		if len(idx) == 1 {
			return idx[0], c.name
		}
	}
	return idx[r.IntN(len(idx))], "a random draw among " + strconv.Itoa(len(idx)) + " nodes tied on every criterion"
}

// numCandidates is calculateNumCandidates.
func numCandidates(n int) int {
	c := n * minCandidateNodesPercentage / 100
	if c < minCandidateNodesAbsolute {
		c = minCandidateNodesAbsolute
	}
	return min(c, n)
}

// preemption is the outcome of DefaultPreemption's PostFilter for one attempt.
type preemption struct {
	// chosen is the node and victims, nil when preemption cannot help.
	chosen *Victims
	// message is the PostFilter status message ("" on success), already prefixed with
	// "preemption: " as DefaultPreemption.PostFilter does.
	message string
	// clearNomination: the pod's nominatedNodeName is cleared (no candidate was found).
	clearNomination bool
	explanation     string
}

// preempt runs Preempt for p, which no node accepted (res.statuses). fitsOn runs every
// filter for p on a node whose pods are the given ones.
func preempt(p *api.Pod, nodes []*api.Node, res Result, podsOn func(string) []*api.Pod, pdbs []*api.PodDisruptionBudget,
	fitsOn func(n *api.Node, pods []*api.Pod) []string, now api.Time, r Rand) preemption {
	nominatedUnresolvable := false
	var potential []*api.Node
	for _, s := range res.statuses {
		if s.resolvable {
			potential = append(potential, s.node)
		} else if s.node.Name == p.Status.NominatedNodeName {
			nominatedUnresolvable = true
		}
	}
	if ok, msg := podEligibleToPreemptOthers(p, podsOn, nominatedUnresolvable); !ok {
		return preemption{message: "preemption: " + msg, explanation: "preemption: " + msg}
	}
	reasons := map[string]int{}
	var nonViolating, violating []*Victims
	var why []string
	if len(potential) > 0 {
		want := numCandidates(len(potential))
		offset := 0
		if want < len(potential) {
			// Only then does the random offset of GetOffsetAndNumCandidates decide which
			// nodes are tried; with every node tried it would only reorder them.
			offset = r.IntN(len(potential))
		}
		for k := range potential {
			n := potential[(offset+k)%len(potential)]
			v, rs := selectVictimsOnNode(p, n.Name, podsOn(n.Name), pdbs, now, func(pods []*api.Pod) []string { return fitsOn(n, pods) })
			if v == nil {
				for _, x := range rs {
					reasons[x]++
				}
				why = append(why, n.Name+": "+strings.Join(rs, ", "))
				continue
			}
			if v.NumPDBViolations == 0 {
				nonViolating = append(nonViolating, v)
			} else {
				violating = append(violating, v)
			}
			if len(nonViolating) > 0 && len(nonViolating)+len(violating) >= want {
				break
			}
		}
	}
	cands := append(nonViolating, violating...)
	if len(cands) == 0 {
		reasons[ReasonNotHelpful] += len(nodes) - len(potential)
		if reasons[ReasonNotHelpful] == 0 {
			delete(reasons, ReasonNotHelpful)
		}
		msg := "preemption: " + fitError(len(nodes), reasons)
		// Without a lower-priority pod anywhere the message says all there is to say.
		expl := ""
		if reasons[ReasonNoVictims] != len(potential) {
			expl = "preemption: no node where removing lower-priority pods helps (" + strings.Join(why, "; ") + ")"
		}
		return preemption{message: msg, clearNomination: true, explanation: expl}
	}
	best, criterion := pickOneNodeForPreemption(cands, now, r)
	v := cands[best]
	var b strings.Builder
	fmt.Fprintf(&b, "preemption: nominated to %s (%s, among %d candidate nodes); victims %s", v.Node, criterion, len(cands), podList(v.Pods))
	if v.NumPDBViolations > 0 {
		fmt.Fprintf(&b, " (%d violating a PodDisruptionBudget)", v.NumPDBViolations)
	}
	if len(v.Reprieved) > 0 {
		fmt.Fprintf(&b, "; reprieved, as %s fits with them: %s", p.Name, podList(v.Reprieved))
	}
	for i, c := range cands {
		if i == best {
			continue
		}
		if i >= maxExplainedNodes {
			fmt.Fprintf(&b, "; %d more candidates not listed", len(cands)-i)
			break
		}
		fmt.Fprintf(&b, "; %s would need %s", c.Node, podList(c.Pods))
		if c.NumPDBViolations > 0 {
			fmt.Fprintf(&b, " (%d violating a PodDisruptionBudget)", c.NumPDBViolations)
		}
	}
	return preemption{chosen: v, explanation: b.String()}
}

// podList names pods with their priorities: "a (priority 0), b (priority 5)", at most 10.
func podList(pods []*api.Pod) string {
	var parts []string
	for i, q := range pods {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("%d more", len(pods)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (priority %d)", q.Name, api.PodPriority(q)))
	}
	return strings.Join(parts, ", ")
}

// listPDBs is getPodDisruptionBudgets: every budget in the cluster.
func listPDBs(st *store.Store) []*api.PodDisruptionBudget {
	return store.ListAs[*api.PodDisruptionBudget](st, "PodDisruptionBudget", "")
}

// fitsWith runs every filter for p on a node with the given pods in place of its own (the
// dry run's NodeInfo copy): PodTopologySpread and InterPodAffinity recount the cluster with
// them, as their PreFilterExtensions' RemovePod/AddPod do, and only when they apply.
func fitsWith(p *api.Pod, nodes []*api.Node, podsOn func(string) []*api.Pod, extra func(*api.Node) []string, cl *cluster) func(n *api.Node, pods []*api.Pod) []string {
	pr := newPodRequest(p)
	spread := hasHardSpread(p)
	terms := termsOf(p)
	ipa := len(terms.req) > 0 || len(terms.anti) > 0 || len((&nsLabelCache{cl: cl}).affinityPods(nodes, podsOn)) > 0
	// Each pod's requests are summed once per attempt (the dry run re-checks a node once per
	// reprieved pod), and a bound pod's once per version of its node's pods (podUsagesOn).
	each := map[*api.Pod]nodeUsage{}
	usage := func(pods []*api.Pod) nodeUsage {
		var u nodeUsage
		for _, q := range pods {
			c, ok := each[q]
			if !ok {
				if cl != nil && q.Spec.NodeName != "" {
					c, ok = podUsagesOn(cl.st, q.Spec.NodeName)[q]
				}
				if !ok {
					c.add(q)
				}
				each[q] = c
			}
			u = u.plus(c)
		}
		return u
	}
	return func(n *api.Node, pods []*api.Pod) []string {
		rs, _ := filter(p, pr, n, allocOf(n), func() []*api.Pod { return pods }, usage(pods))
		if len(rs) == 0 && extra != nil {
			rs = extra(n)
		}
		if len(rs) > 0 || (!spread && !ipa) {
			return rs
		}
		on := func(name string) []*api.Pod {
			if name == n.Name {
				return pods
			}
			return podsOn(name)
		}
		if s := preFilterSpread(p, nodes, on); s != nil {
			if rs, _ = filterSpread(s, p, n); len(rs) > 0 {
				return rs
			}
		}
		if ipa {
			var nocl *cluster // no memo: the node's pods differ from the store's
			if cl != nil {
				nocl = &cluster{st: cl.st}
			}
			ns := &nsLabelCache{cl: nocl}
			if s := preFilterInterPod(p, nodes, on, ns); s != nil {
				rs, _ = s.filter(n, ns)
			}
		}
		return rs
	}
}

// podUsagesOn is each pod's share of nodeUsageOf(node), memoized in the store like it.
func podUsagesOn(st *store.Store, node string) map[*api.Pod]nodeUsage {
	return st.ByIndexDerived("node", "Pod", node, "scheduler/podUsages", func(objs []api.Object) any {
		m := make(map[*api.Pod]nodeUsage, len(objs))
		for _, o := range objs {
			var u nodeUsage
			u.add(o.(*api.Pod))
			m[o.(*api.Pod)] = u
		}
		return m
	}).(map[*api.Pod]nodeUsage)
}

// nominatedPods maps each node to the pending pods nominated to it whose priority is at
// least p's (addGhostPods / RunFilterPluginsWithNominatedPods), p excepted.
func nominatedPods(st *store.Store, q *Queue, p *api.Pod) map[string][]*api.Pod {
	if len(q.Nominated) == 0 {
		return nil // the caller makes a map if it adds pods in their binding cycle
	}
	out := map[string][]*api.Pod{}
	self := p.Namespace + "/" + p.Name
	for _, k := range api.SortedKeys(q.Nominated) {
		if k == self {
			continue
		}
		o := st.Get("Pod", k)
		if o == nil {
			continue
		}
		if np := o.(*api.Pod); np.Spec.NodeName == "" && api.PodPriority(np) >= api.PodPriority(p) {
			out[q.Nominated[k]] = append(out[q.Nominated[k]], np)
		}
	}
	return out
}

// prioritySorted orders pod keys as the PrioritySort plugin orders the queue: higher
// priority first, then the earlier queue timestamp (for an unschedulable pod the time of its
// last attempt), then the key.
func prioritySorted(st *store.Store, since map[string]api.Time) []string {
	keys := api.SortedKeys(since)
	prio := make(map[string]int32, len(keys))
	for _, k := range keys {
		if o := st.Get("Pod", k); o != nil {
			prio[k] = api.PodPriority(o.(*api.Pod))
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if prio[a] != prio[b] {
			return prio[a] > prio[b]
		}
		return since[a] < since[b]
	})
	return keys
}
