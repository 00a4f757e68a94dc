package scheduler

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// pods places pods labelled as given: "node-a:foo" one pod with label foo on node-a,
// "node-b:foo,bar" one with foo and bar.
func placed(spec ...string) map[string][]*api.Pod {
	m := map[string][]*api.Pod{}
	for i, s := range spec {
		n, ls, _ := strings.Cut(s, ":")
		l := map[string]string{}
		for _, k := range strings.Split(ls, ",") {
			l[k] = ""
		}
		m[n] = append(m[n], spreadPod(fmt.Sprintf("p-%s-%d", n, i), n, l))
	}
	return m
}

func rep(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func soft(key string, skew int32, label string) api.TopologySpread {
	return api.TopologySpread{MaxSkew: skew, TopologyKey: key, WhenUnsatisfiable: api.ScheduleAnyway,
		LabelSelector: &api.LabelSelector{MatchExpressions: []api.LabelSelectorRequirement{{Key: label, Operator: "Exists"}}}}
}

// spreadScores runs PodTopologySpread's PreScore, Score and NormalizeScore over the feasible
// nodes, the others (failed) holding pods too.
func spreadScores(p *api.Pod, feasible, failed []*api.Node, pods map[string][]*api.Pod, cl *cluster) map[string]int64 {
	all := append(append([]*api.Node(nil), feasible...), failed...)
	podsOn := func(n string) []*api.Pod { return pods[n] }
	cands := candidatesOf(feasible)
	s := preScoreSpread(p, cands, all, podsOn, cl)
	if s == nil {
		return nil
	}
	s.scoreAll(cands, nil)
	normalizeSpread(s, cands)
	out := map[string]int64{}
	for _, c := range cands {
		out[c.node.Name] = c.spread
	}
	return out
}

// candidatesOf makes nodes the candidates, nodes[i] at index i of the attempt's node list.
func candidatesOf(nodes []*api.Node) []candidate {
	cands := make([]candidate, len(nodes))
	for i, n := range nodes {
		cands[i] = candidate{node: n, idx: i}
	}
	return cands
}

// The cases and expected scores are upstream's
// pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go TestPodTopologySpreadScore
// (v1.37.2): pods spread as 2/1/0/3 etc. over nodes labelled kubernetes.io/hostname and zone.
func TestPodTopologySpreadScore(t *testing.T) {
	host := func(names ...string) []*api.Node {
		var ns []*api.Node
		for _, n := range names {
			ns = append(ns, spreadNode(n, api.LabelHostname+"="+n))
		}
		return ns
	}
	zoned := func(spec ...string) []*api.Node { // "node-a/zone1"
		var ns []*api.Node
		for _, s := range spec {
			n, z, _ := strings.Cut(s, "/")
			ns = append(ns, spreadNode(n, "zone="+z+","+api.LabelHostname+"="+n))
		}
		return ns
	}
	foo := map[string]string{"foo": ""}
	fooBar := map[string]string{"foo": "", "bar": ""}
	svcStore := store.New()
	svc := &api.Service{TypeMeta: api.TypeMeta{Kind: "Service", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: "s", Namespace: "default"},
		Spec: api.ServiceSpec{Selector: map[string]string{"foo": ""}}}
	if err := svcStore.Create(svc); err != nil {
		t.Fatal(err)
	}
	p2103 := append(append(rep("node-a:foo", 2), "node-b:foo"), rep("node-d:foo", 3)...)
	p4321 := append(append(append(rep("node-a:foo", 4), rep("node-b:foo", 3)...), rep("node-c:foo", 2)...), "node-d:foo")
	p4213 := append(append(append(rep("node-a:foo", 4), rep("node-b:foo", 2)...), "node-x:foo"), rep("node-y:foo", 3)...)
	tests := []struct {
		name             string
		pod              *api.Pod
		feasible, failed []*api.Node
		pods             []string
		cl               *cluster
		want             map[string]int64
	}{
		{"one constraint on node, all 4 nodes are candidates, maxSkew=2", spreadPod("p", "", foo, soft(api.LabelHostname, 2, "foo")),
			host("node-a", "node-b", "node-c", "node-d"), nil, p2103, nil,
			map[string]int64{"node-a": 33, "node-b": 66, "node-c": 100, "node-d": 16}},
		{"one constraint on node, all 4 nodes are candidates, maxSkew=3", spreadPod("p", "", foo, soft(api.LabelHostname, 3, "foo")),
			host("node-a", "node-b", "node-c", "node-d"), nil, p4321, nil,
			map[string]int64{"node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100}},
		{"system defaulting, nodes don't have zone, pods match service", spreadPod("p", "", foo),
			host("node-a", "node-b", "node-c", "node-d"), nil, p4321, &cluster{st: svcStore},
			map[string]int64{"node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100}},
		{"one constraint on node, 3 out of 4 nodes are candidates", spreadPod("p", "", foo, soft(api.LabelHostname, 1, "foo")),
			host("node-a", "node-b", "node-x"), host("node-y"), p4213, nil,
			map[string]int64{"node-a": 33, "node-b": 83, "node-x": 100}},
		{"one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key", spreadPod("p", "", foo, soft(api.LabelHostname, 1, "foo")),
			[]*api.Node{spreadNode("node-a", api.LabelHostname+"=node-a"), spreadNode("node-b", "n=node-b"), spreadNode("node-x", api.LabelHostname+"=node-x")}, host("node-y"), p4213, nil,
			map[string]int64{"node-a": 16, "node-b": 0, "node-x": 100}},
		{"one constraint on zone, 3 out of 4 nodes are candidates", spreadPod("p", "", foo, soft("zone", 1, "foo")),
			zoned("node-a/zone1", "node-b/zone1", "node-x/zone2"), zoned("node-y/zone2"), p4213, nil,
			map[string]int64{"node-a": 75, "node-b": 75, "node-x": 100}},
		{"two Constraints on zone and node, 2 out of 4 nodes are candidates", spreadPod("p", "", foo, soft("zone", 1, "foo"), soft(api.LabelHostname, 1, "foo")),
			zoned("node-a/zone1", "node-x/zone2"), zoned("node-b/zone1", "node-y/zone2"),
			append(append(append(rep("node-a:foo", 2), "node-b:foo"), rep("node-x:foo", 2)...), rep("node-y:foo", 4)...), nil,
			map[string]int64{"node-a": 100, "node-x": 63}},
		{"two Constraints on zone and node, with different labelSelectors", spreadPod("p", "", fooBar, soft("zone", 1, "foo"), soft(api.LabelHostname, 1, "bar")),
			zoned("node-a/zone1", "node-b/zone1", "node-x/zone2", "node-y/zone2"), nil,
			[]string{"node-a:foo", "node-b:foo,bar", "node-y:foo", "node-y:bar"}, nil,
			map[string]int64{"node-a": 60, "node-b": 20, "node-x": 100, "node-y": 60}},
		{"two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods", spreadPod("p", "", fooBar, soft("zone", 1, "foo"), soft(api.LabelHostname, 1, "bar")),
			zoned("node-a/zone1", "node-b/zone1", "node-x/zone2", "node-y/zone2"), nil,
			[]string{"node-b:bar", "node-x:foo", "node-y:foo,bar"}, nil,
			map[string]int64{"node-a": 100, "node-b": 60, "node-x": 40, "node-y": 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := spreadScores(tc.pod, tc.feasible, tc.failed, placed(tc.pods...), tc.cl)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("scores = %v, want %v", got, tc.want)
			}
		})
	}
}

// A pod nothing selects, or with only DoNotSchedule constraints, is skipped by the score
// (PreScore returns Skip): no default constraints without a selector, and a pod's own
// constraints replace the defaults entirely.
func TestPodTopologySpreadScoreSkips(t *testing.T) {
	st := store.New()
	if err := st.Create(&api.Service{TypeMeta: api.TypeMeta{Kind: "Service", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: "s", Namespace: "default"},
		Spec: api.ServiceSpec{Selector: map[string]string{"app": "web"}}}); err != nil {
		t.Fatal(err)
	}
	nodes := []*api.Node{spreadNode("node-a", api.LabelHostname+"=node-a")}
	on := func(string) []*api.Pod { return nil }
	if s := preScoreSpread(spreadPod("p", "", map[string]string{"app": "db"}), candidatesOf(nodes), nodes, on, &cluster{st: st}); s != nil {
		t.Errorf("a pod no Service selects got default constraints %+v", s.cs)
	}
	if s := preScoreSpread(spreadPod("p", "", map[string]string{"app": "web"}, hard("zone", 1, map[string]string{"app": "web"})), candidatesOf(nodes), nodes, on, &cluster{st: st}); s != nil {
		t.Errorf("a pod with its own DoNotSchedule constraint got soft ones %+v", s.cs)
	}
	s := preScoreSpread(spreadPod("p", "", map[string]string{"app": "web"}), candidatesOf(nodes), nodes, on, &cluster{st: st})
	if s == nil || len(s.cs) != 2 || s.cs[0].key != api.LabelHostname || s.cs[0].maxSkew != 3 || s.cs[1].key != api.LabelZone || s.cs[1].maxSkew != 5 {
		t.Errorf("default constraints = %+v, want hostname maxSkew 3 and zone maxSkew 5", s)
	}
}

// The default constraints kept for the next pod follow every write that changes them: a
// Service, ReplicaSet or StatefulSet created or changed, or other labels.
func TestDefaultSpreadConstraintsFollowWrites(t *testing.T) {
	st := store.New()
	cl := &cluster{st: st}
	web := map[string]string{"app": "web", "tier": "a"}
	sels := func(labels map[string]string) string {
		cs := defaultSpreadConstraints(spreadPod("p", "", labels), api.ScheduleAnyway, cl)
		if len(cs) == 0 {
			return "none"
		}
		return spreadMemoName(&cs[0], "default")
	}
	check := func(step, want string, labels map[string]string) {
		t.Helper()
		got := sels(labels)
		fresh := defaultSpreadConstraints(spreadPod("p", "", labels), api.ScheduleAnyway, &cluster{st: st})
		wantName := "none"
		if len(fresh) > 0 {
			wantName = spreadMemoName(&fresh[0], "default")
		}
		if got != wantName || (want == "none") != (got == "none") {
			t.Fatalf("%s: %q; want %q (fresh %q)", step, got, want, wantName)
		}
	}
	check("nothing selects", "none", web)
	check("again", "none", web)
	svc := &api.Service{TypeMeta: api.TypeMeta{Kind: "Service", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: "s", Namespace: "default"},
		Spec: api.ServiceSpec{Selector: map[string]string{"app": "web"}}}
	if err := st.Create(svc); err != nil {
		t.Fatal(err)
	}
	check("a Service", "some", web)
	check("other labels", "none", map[string]string{"app": "db"})
	check("back", "some", web)
	rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{Kind: "ReplicaSet", APIVersion: "apps/v1"}, ObjectMeta: api.ObjectMeta{Name: "r", Namespace: "default"},
		Spec: api.ReplicaSetSpec{Selector: &api.LabelSelector{MatchLabels: map[string]string{"tier": "a"}}}}
	if err := st.Create(rs); err != nil {
		t.Fatal(err)
	}
	check("a ReplicaSet", "some", web)
	ss := &api.StatefulSet{TypeMeta: api.TypeMeta{Kind: "StatefulSet", APIVersion: "apps/v1"}, ObjectMeta: api.ObjectMeta{Name: "ss", Namespace: "default"},
		Spec: api.StatefulSetSpec{Selector: &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}}
	if err := st.Create(ss); err != nil {
		t.Fatal(err)
	}
	check("a StatefulSet", "some", web)
	cp := api.Clone(st.Get("Service", "default/s").(*api.Service))
	cp.Spec.Selector = map[string]string{"app": "other"}
	if err := st.Update(cp); err != nil {
		t.Fatal(err)
	}
	check("the Service changed", "some", web)
}

// lnInt must agree with math.Log bit for bit on every domain count a cluster can have.
func TestLnIntMatchesMathLog(t *testing.T) {
	for x := 1; x <= 10000; x++ {
		if got, want := lnInt(x), math.Log(float64(x)); got != want {
			t.Fatalf("lnInt(%d) = %v, math.Log = %v", x, got, want)
		}
	}
}

// samePlacement finds pods equal only when every input of the node-local filters and scores
// is: a memoized verdict is reused for such pods alone.
func TestSamePlacementComparesEveryInput(t *testing.T) {
	q := func(s string) api.Quantity {
		v, err := api.ParseQuantity(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	base := func() *api.Pod {
		secs := int64(300)
		return &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "a"},
			Spec: api.PodSpec{Containers: []api.Container{{Name: "c",
				Resources: api.ResourceRequirements{Requests: api.ResourceList{api.ResourceCPU: q("100m")}}}},
				Tolerations: []api.Toleration{{Key: "k", Operator: "Exists", Effect: api.TaintNoExecute, TolerationSeconds: &secs}}}}
	}
	cls := &placementClass{p: base(), pr: newPodRequest(base())}
	same := base()
	same.Name = "b"
	if !samePlacement(same, newPodRequest(same), cls) {
		t.Fatal("a pod differing in its name only is not the same placement")
	}
	for name, change := range map[string]func(*api.Pod){
		"toleration seconds": func(p *api.Pod) { s := int64(5); p.Spec.Tolerations[0].TolerationSeconds = &s },
		"toleration key":     func(p *api.Pod) { p.Spec.Tolerations[0].Key = "other" },
		"node selector":      func(p *api.Pod) { p.Spec.NodeSelector = map[string]string{"zone": "a"} },
		"cpu request":        func(p *api.Pod) { p.Spec.Containers[0].Resources.Requests[api.ResourceCPU] = q("200m") },
		"memory request":     func(p *api.Pod) { p.Spec.Containers[0].Resources.Requests[api.ResourceMemory] = q("1Gi") },
		"extended resource":  func(p *api.Pod) { p.Spec.Containers[0].Resources.Requests["example.com/gpu"] = q("1") },
		"host port": func(p *api.Pod) {
			p.Spec.Containers[0].Ports = []api.ContainerPort{{ContainerPort: 80, HostPort: 80, Protocol: "TCP"}}
		},
		"node affinity": func(p *api.Pod) { p.Spec.Affinity = &api.Affinity{NodeAffinity: &api.NodeAffinity{}} },
	} {
		p := base()
		change(p)
		if samePlacement(p, newPodRequest(p), cls) {
			t.Errorf("%s: a different pod is the same placement", name)
		}
	}
}

// A node's info updated from an earlier version (newNodeInfo with prev) equals the info
// derived anew, usage and carried spread counts alike, through adds, status changes and
// removals, with namespaces that start one another (their keys sort by the '/').
func TestNodeInfoFromPrevEqualsFresh(t *testing.T) {
	sel := &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	c := &spreadConstraint{key: api.LabelHostname, sel: sel}
	key := newMemoKey(spreadMemoName(c, "a"))
	mk := func(ns, name, app string, phase string) *api.Pod {
		p := spreadPod(name, "n1", map[string]string{"app": app})
		p.Namespace = ns
		p.Spec.Containers = []api.Container{{Name: "c"}}
		p.Status.Phase = phase
		return p
	}
	pods := map[string]*api.Pod{}
	var prev *nodeInfo
	step := func(what string) {
		t.Helper()
		var keys []string
		for k := range pods {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		objs := make([]api.Object, len(keys))
		for i, k := range keys {
			objs[i] = pods[k]
		}
		fresh := newNodeInfo(objs, nil)
		fresh.spread = []spreadCount{{key: key, n: countMatching(fresh.pods, c, "a"), c: c, ns: "a"}}
		got := newNodeInfo(objs, prev)
		if prev == nil {
			got.spread = []spreadCount{{key: key, n: countMatching(got.pods, c, "a"), c: c, ns: "a"}}
		}
		got.spread[0].used = true // read, as an attempt would
		if got.usage != fresh.usage || len(got.spread) != 1 || got.spread[0].n != fresh.spread[0].n || !slices.Equal(got.shares, fresh.shares) {
			t.Fatalf("%s: usage %+v spread %+v; want %+v %+v", what, got.usage, got.spread, fresh.usage, fresh.spread)
		}
		prev = got
	}
	put := func(p *api.Pod) { pods[p.Namespace+"/"+p.Name] = p }
	put(mk("a", "w1", "web", ""))
	put(mk("a-b", "w1", "web", ""))
	step("first")
	put(mk("ab", "x", "web", ""))
	put(mk("a", "w0", "web", ""))
	step("two added")
	put(mk("a", "w1", "web", api.PodRunning))
	step("a status write")
	put(mk("a", "w1", "web", api.PodSucceeded))
	put(mk("a", "w2", "db", ""))
	step("terminal, and another app")
	delete(pods, "a/w0")
	delete(pods, "ab/x")
	step("two removed")
	delete(pods, "a/w1")
	delete(pods, "a/w2")
	delete(pods, "a-b/w1")
	step("empty")
	put(mk("a", "w9", "web", ""))
	step("again")
}
