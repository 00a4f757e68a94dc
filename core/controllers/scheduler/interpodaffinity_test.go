package scheduler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

func secTerm(key, op string, values ...string) api.PodAffinityTerm {
	return api.PodAffinityTerm{TopologyKey: key, LabelSelector: &api.LabelSelector{
		MatchExpressions: []api.LabelSelectorRequirement{{Key: "security", Operator: op, Values: values}}}}
}

func weighted(w int32, t api.PodAffinityTerm) api.WeightedPodAffinityTerm {
	return api.WeightedPodAffinityTerm{Weight: w, PodAffinityTerm: t}
}

// affPod is a pod labelled security=sec (none when sec is "") on node with affinity a.
func affPod(name, node, sec string, a *api.Affinity) *api.Pod {
	p := pod(name, "100m", node)
	if sec != "" {
		p.Labels = map[string]string{"security": sec}
	}
	p.Spec.Affinity = a
	return p
}

func labelled(name, labels string) *api.Node { return spreadNode(name, labels) }

// interPodScores runs InterPodAffinity's PreScore, Score and NormalizeScore over every node.
func interPodScores(p *api.Pod, nodes []*api.Node, existing []*api.Pod) map[string]int64 {
	on := map[string][]*api.Pod{}
	for _, o := range existing {
		on[o.Spec.NodeName] = append(on[o.Spec.NodeName], o)
	}
	podsOn := func(n string) []*api.Pod { return on[n] }
	s := preScoreInterPod(p, nodes, podsOn, &nsLabelCache{})
	if s == nil {
		return nil
	}
	raw := make([]int64, len(nodes))
	for i, n := range nodes {
		raw[i] = s.score(n)
	}
	out := map[string]int64{}
	for i, v := range normalizeInterPod(raw) {
		out[nodes[i].Name] = v
	}
	return out
}

// Cases and expected scores from upstream's
// pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go TestPreferredAffinity
// (v1.37.2), same names.
func TestInterPodAffinityScore(t *testing.T) {
	stayWithS1InRegion := &api.Affinity{PodAffinity: &api.PodAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []api.WeightedPodAffinityTerm{
		weighted(5, secTerm("region", "In", "S1"))}}}
	stayWithS2InRegion := &api.Affinity{PodAffinity: &api.PodAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []api.WeightedPodAffinityTerm{
		weighted(6, secTerm("region", "In", "S2"))}}}
	affinity3 := &api.Affinity{PodAffinity: &api.PodAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []api.WeightedPodAffinityTerm{
		{Weight: 8, PodAffinityTerm: api.PodAffinityTerm{TopologyKey: "region", LabelSelector: &api.LabelSelector{MatchExpressions: []api.LabelSelectorRequirement{
			{Key: "security", Operator: "NotIn", Values: []string{"S1"}}, {Key: "security", Operator: "In", Values: []string{"S2"}}}}}},
		{Weight: 2, PodAffinityTerm: api.PodAffinityTerm{TopologyKey: "region", LabelSelector: &api.LabelSelector{MatchExpressions: []api.LabelSelectorRequirement{
			{Key: "security", Operator: "Exists"}, {Key: "wrongkey", Operator: "DoesNotExist"}}}}}}}}
	hardAffinity := &api.Affinity{PodAffinity: &api.PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []api.PodAffinityTerm{
		secTerm("region", "In", "S1", "value2"),
		{TopologyKey: "region", LabelSelector: &api.LabelSelector{MatchExpressions: []api.LabelSelectorRequirement{
			{Key: "security", Operator: "Exists"}, {Key: "wrongkey", Operator: "DoesNotExist"}}}}}}}
	awayFromS1InAz := &api.Affinity{PodAntiAffinity: &api.PodAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []api.WeightedPodAffinityTerm{
		weighted(5, secTerm("az", "In", "S1"))}}}
	awayFromS2InAz := &api.Affinity{PodAntiAffinity: &api.PodAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []api.WeightedPodAffinityTerm{
		weighted(5, secTerm("az", "In", "S2"))}}}
	stayWithS1InRegionAwayFromS2InAz := &api.Affinity{
		PodAffinity:     &api.PodAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []api.WeightedPodAffinityTerm{weighted(8, secTerm("region", "In", "S1"))}},
		PodAntiAffinity: &api.PodAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []api.WeightedPodAffinityTerm{weighted(5, secTerm("az", "In", "S2"))}}}
	china, india, az1, az2, chinaAz1 := "region=China", "region=India", "az=az1", "az=az2", "region=China,az=az1"
	nodes := func(labels ...string) []*api.Node {
		var ns []*api.Node
		for i, l := range labels {
			ns = append(ns, labelled(fmt.Sprintf("node%d", i+1), l))
		}
		return ns
	}
	tests := []struct {
		name     string
		pod      *api.Pod
		existing []*api.Pod
		nodes    []*api.Node
		want     map[string]int64 // nil: PreScore skips
	}{
		{"all nodes are same priority as Affinity is nil", affPod("p", "", "S1", nil), nil, nodes(china, india, az1), nil},
		{"Affinity: pod that matches topology key & pods in nodes will get high score comparing to others which doesn't match either pods in nodes or in topology key",
			affPod("p", "", "S1", stayWithS1InRegion),
			[]*api.Pod{affPod("e1", "node1", "S1", nil), affPod("e2", "node2", "S2", nil), affPod("e3", "node3", "S1", nil)},
			nodes(china, india, az1), map[string]int64{"node1": 100, "node2": 0, "node3": 0}},
		{"All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score",
			affPod("p", "", "", stayWithS1InRegion), []*api.Pod{affPod("e1", "node1", "S1", nil)},
			nodes(china, chinaAz1, india), map[string]int64{"node1": 100, "node2": 100, "node3": 0}},
		{"Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score",
			affPod("p", "", "S1", stayWithS2InRegion),
			[]*api.Pod{affPod("e1", "node1", "S2", nil), affPod("e2", "node1", "S2", nil), affPod("e3", "node2", "S2", nil),
				affPod("e4", "node3", "S2", nil), affPod("e5", "node4", "S2", nil), affPod("e6", "node5", "S2", nil)},
			nodes(china, india, china, china, india), map[string]int64{"node1": 100, "node2": 0, "node3": 100, "node4": 100, "node5": 0}},
		{"Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures",
			affPod("p", "", "S1", affinity3),
			[]*api.Pod{affPod("e1", "node1", "S1", nil), affPod("e2", "node2", "S2", nil), affPod("e3", "node3", "S1", nil)},
			nodes(china, india, az1), map[string]int64{"node1": 20, "node2": 100, "node3": 0}},
		{"Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
			affPod("p", "", "S2", nil),
			[]*api.Pod{affPod("e1", "node1", "S1", stayWithS1InRegion), affPod("e2", "node2", "S2", stayWithS2InRegion)},
			nodes(china, india, az1), map[string]int64{"node1": 0, "node2": 100, "node3": 0}},
		{"Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
			affPod("p", "", "S1", nil),
			[]*api.Pod{affPod("e1", "node1", "S1", hardAffinity), affPod("e2", "node2", "S2", hardAffinity)},
			nodes(china, india, az1), map[string]int64{"node1": 100, "node2": 100, "node3": 0}},
		{"Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score",
			affPod("p", "", "S1", awayFromS1InAz),
			[]*api.Pod{affPod("e1", "node1", "S1", nil), affPod("e2", "node1", "S1", nil), affPod("e3", "node2", "S2", nil)},
			nodes(az1, india), map[string]int64{"node1": 0, "node2": 100}},
		{"Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score",
			affPod("p", "", "S2", nil),
			[]*api.Pod{affPod("e1", "node1", "S1", awayFromS2InAz), affPod("e2", "node2", "S2", awayFromS1InAz)},
			nodes(az1, az2), map[string]int64{"node1": 0, "node2": 100}},
		{"Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry",
			affPod("p", "", "S1", stayWithS1InRegionAwayFromS2InAz),
			[]*api.Pod{affPod("e1", "node1", "S1", nil), affPod("e2", "node2", "S2", nil),
				affPod("e3", "node3", "", stayWithS1InRegionAwayFromS2InAz), affPod("e4", "node4", "", awayFromS1InAz)},
			nodes(china, az1, india, az2), map[string]int64{"node1": 100, "node2": 0, "node3": 100, "node4": 0}},
		{"Avoid panic when partial nodes in a topology don't have pods with affinity",
			affPod("p", "", "S1", nil),
			[]*api.Pod{affPod("e1", "node1", "S1", nil), affPod("e2", "node2", "", stayWithS1InRegionAwayFromS2InAz)},
			nodes(china, china), map[string]int64{"node1": 0, "node2": 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := interPodScores(tc.pod, tc.nodes, tc.existing)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("scores = %v, want %v", got, tc.want)
			}
		})
	}
}

// The filter's verdicts, following upstream's filtering_test.go (TestRequiredAffinitySingleNode,
// TestRequiredAffinityMultipleNodes): required affinity, the first pod of a self-affine group,
// anti-affinity, and the symmetry of existing pods' anti-affinity.
func TestInterPodAffinityFilter(t *testing.T) {
	req := func(terms ...api.PodAffinityTerm) *api.Affinity {
		return &api.Affinity{PodAffinity: &api.PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: terms}}
	}
	anti := func(terms ...api.PodAffinityTerm) *api.Affinity {
		return &api.Affinity{PodAntiAffinity: &api.PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: terms}}
	}
	zones := []*api.Node{labelled("node-a", "zone=z1,host=a"), labelled("node-b", "zone=z1,host=b"), labelled("node-c", "zone=z2,host=c"), labelled("node-d", "host=d")}
	tests := []struct {
		name     string
		pod      *api.Pod
		existing []*api.Pod
		want     string // per node: . fits, A affinity, N anti-affinity, E existing anti-affinity
	}{
		{"affinity to S1 in the zone of node-a", affPod("p", "", "", req(secTerm("zone", "In", "S1"))),
			[]*api.Pod{affPod("e1", "node-a", "S1", nil)}, "..AA"},
		{"affinity to a pod that exists nowhere", affPod("p", "", "", req(secTerm("zone", "In", "S1"))),
			[]*api.Pod{affPod("e1", "node-a", "S2", nil)}, "AAAA"},
		{"first pod of a group with affinity to itself: every node with the key", affPod("p", "", "S1", req(secTerm("zone", "In", "S1"))),
			nil, "...A"},
		{"affinity in another namespace does not count", affPod("p", "", "", req(secTerm("zone", "In", "S1"))),
			[]*api.Pod{func() *api.Pod { o := affPod("e1", "node-a", "S1", nil); o.Namespace = "other"; return o }()}, "AAAA"},
		{"namespaceSelector {} selects every namespace", affPod("p", "", "", req(func() api.PodAffinityTerm {
			t := secTerm("zone", "In", "S1")
			t.NamespaceSelector = &api.LabelSelector{}
			return t
		}())), []*api.Pod{func() *api.Pod { o := affPod("e1", "node-c", "S1", nil); o.Namespace = "other"; return o }()}, "AA.A"},
		{"anti-affinity by host", affPod("p", "", "S1", anti(secTerm("host", "In", "S1"))),
			[]*api.Pod{affPod("e1", "node-a", "S1", nil), affPod("e2", "node-c", "S2", nil)}, "N..."},
		{"anti-affinity by zone", affPod("p", "", "S1", anti(secTerm("zone", "In", "S1"))),
			[]*api.Pod{affPod("e1", "node-a", "S1", nil)}, "NN.."},
		{"existing pod's anti-affinity rejects the incoming pod in its zone", affPod("p", "", "S1", nil),
			[]*api.Pod{affPod("e1", "node-b", "S2", anti(secTerm("zone", "In", "S1")))}, "EE.."},
		{"a terminal pod no longer counts", affPod("p", "", "S1", anti(secTerm("zone", "In", "S1"))),
			[]*api.Pod{func() *api.Pod { o := affPod("e1", "node-a", "S1", nil); o.Status.Phase = api.PodSucceeded; return o }()}, "...."},
	}
	codes := map[string]string{ReasonPodAffinity: "A", ReasonPodAntiAffinity: "N", ReasonExistingAntiAffinity: "E"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			on := map[string][]*api.Pod{}
			for _, o := range tc.existing {
				on[o.Spec.NodeName] = append(on[o.Spec.NodeName], o)
			}
			ns := &nsLabelCache{}
			s := preFilterInterPod(tc.pod, zones, func(n string) []*api.Pod { return on[n] }, ns)
			var got strings.Builder
			for _, n := range zones {
				if s == nil {
					got.WriteString(".")
					continue
				}
				rs, _ := s.filter(n, ns)
				if len(rs) == 0 {
					got.WriteString(".")
				} else {
					got.WriteString(codes[rs[0]])
				}
			}
			if got.String() != tc.want {
				t.Errorf("verdicts = %s, want %s", got.String(), tc.want)
			}
		})
	}
}
