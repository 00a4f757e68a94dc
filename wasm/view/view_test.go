package view

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// podSpec describes one synthetic pod: its status shape and place.
type podSpec struct {
	name, node, owner string
	rev               int
	kind              string // ready, notready, creating, pending, terminating, crash, pull, completed
}

// fixture builds a store like the middle of a rolling update: Deployment web with
// ReplicaSets rev 1 and rev 2, pods in every status class, a StatefulSet db with claims.
func fixture(t testing.TB, nodes int, pods []podSpec) *store.Store {
	t.Helper()
	s := store.New()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= nodes; i++ {
		must(s.Create(&api.Node{TypeMeta: api.TypeMeta{Kind: "Node"}, ObjectMeta: api.ObjectMeta{Name: fmt.Sprintf("node-%d", i),
			Labels: map[string]string{api.LabelZone: fmt.Sprintf("zone-%c", 'a'+(i-1)%3)}},
			Status: api.NodeStatus{Allocatable: api.ResourceList{"cpu": api.MustQuantity("4")},
				Conditions: []api.NodeCondition{{Type: "Ready", Status: api.ConditionTrue}}}}))
	}
	must(s.Create(&api.Deployment{TypeMeta: api.TypeMeta{Kind: "Deployment"}, ObjectMeta: api.ObjectMeta{Name: "web", Namespace: "default", UID: "dep-web"},
		Spec:   api.DeploymentSpec{Replicas: api.Ptr[int32](4)},
		Status: api.DeploymentStatus{UpdatedReplicas: 2, AvailableReplicas: 3, ReadyReplicas: 3}}))
	for rev := 1; rev <= 2; rev++ {
		must(s.Create(&api.ReplicaSet{TypeMeta: api.TypeMeta{Kind: "ReplicaSet"},
			ObjectMeta: api.ObjectMeta{Name: fmt.Sprintf("web-rev%d", rev), Namespace: "default", UID: fmt.Sprintf("rs-%d", rev),
				Annotations:     map[string]string{trace.RevisionAnnotation: fmt.Sprint(rev)},
				OwnerReferences: []api.OwnerReference{{Kind: "Deployment", Name: "web", UID: "dep-web", Controller: api.Ptr(true)}}},
			Spec:   api.ReplicaSetSpec{Replicas: api.Ptr[int32](2)},
			Status: api.ReplicaSetStatus{Replicas: 2, ReadyReplicas: int32(3 - rev)}}))
	}
	must(s.Create(&api.StatefulSet{TypeMeta: api.TypeMeta{Kind: "StatefulSet"}, ObjectMeta: api.ObjectMeta{Name: "db", Namespace: "default", UID: "sts-db"},
		Spec: api.StatefulSetSpec{Replicas: api.Ptr[int32](3)}, Status: api.StatefulSetStatus{ReadyReplicas: 1, CurrentReplicas: 2}}))
	for i := 0; i < 4; i++ { // data-db-3 outlived its pod (scaled down from 4)
		must(s.Create(&api.PersistentVolumeClaim{TypeMeta: api.TypeMeta{Kind: "PersistentVolumeClaim"},
			ObjectMeta: api.ObjectMeta{Name: fmt.Sprintf("data-db-%d", i), Namespace: "default"},
			Status:     api.PersistentVolumeClaimStatus{Phase: "Bound"}}))
	}
	for _, p := range pods {
		pod := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Name: p.name, Namespace: "default"},
			Spec: api.PodSpec{NodeName: p.node, Containers: []api.Container{{Name: "app", Image: "web:1.0",
				Resources: api.ResourceRequirements{Requests: api.ResourceList{"cpu": api.MustQuantity("250m")}}}}}}
		switch p.owner {
		case "rs":
			pod.OwnerReferences = []api.OwnerReference{{Kind: "ReplicaSet", Name: fmt.Sprintf("web-rev%d", p.rev), UID: fmt.Sprintf("rs-%d", p.rev), Controller: api.Ptr(true)}}
		case "sts":
			pod.OwnerReferences = []api.OwnerReference{{Kind: "StatefulSet", Name: "db", UID: "sts-db", Controller: api.Ptr(true)}}
			pod.Spec.Volumes = []api.Volume{{Name: "data", PersistentVolumeClaim: &api.PVCVolumeSource{ClaimName: "data-" + p.name}}}
		}
		cs := api.ContainerStatus{Name: "app"}
		pod.Status.Phase = "Running"
		switch p.kind {
		case "ready", "terminating":
			cs.Ready, cs.State.Running = true, &api.ContainerStateRunning{}
			pod.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: api.ConditionTrue}}
			if p.kind == "terminating" {
				pod.DeletionTimestamp = api.Ptr(api.Time(1000))
			}
		case "notready":
			cs.State.Running = &api.ContainerStateRunning{}
		case "creating":
			pod.Status.Phase = "Pending"
			cs.State.Waiting = &api.ContainerStateWaiting{Reason: "ContainerCreating"}
		case "pending":
			pod.Status.Phase = "Pending"
		case "crash":
			cs.State.Waiting = &api.ContainerStateWaiting{Reason: "CrashLoopBackOff"}
			cs.RestartCount = 3
		case "pull":
			pod.Status.Phase = "Pending"
			cs.State.Waiting = &api.ContainerStateWaiting{Reason: "ErrImagePull"}
		case "completed":
			pod.Status.Phase = "Succeeded"
			cs.State.Terminated = &api.ContainerStateTerminated{Reason: "Completed"}
		}
		if p.kind != "pending" {
			pod.Status.ContainerStatuses = []api.ContainerStatus{cs}
		}
		must(s.Create(pod))
	}
	return s
}

var midRollout = []podSpec{
	{"web-rev1-aaaaa", "node-1", "rs", 1, "ready"},
	{"web-rev1-bbbbb", "node-2", "rs", 1, "terminating"},
	{"web-rev1-ccccc", "node-3", "rs", 1, "ready"},
	{"web-rev2-ddddd", "node-1", "rs", 2, "notready"},
	{"web-rev2-eeeee", "node-2", "rs", 2, "creating"},
	{"web-rev2-fffff", "", "rs", 2, "pending"},
	{"db-0", "node-1", "sts", 1, "ready"},
	{"db-1", "node-2", "sts", 1, "crash"},
	{"solo", "node-3", "", 0, "pull"},
	{"job-x", "node-3", "", 0, "completed"},
}

func buildMid(t testing.TB, s *store.Store) *Frame {
	return Build(&Input{Store: s, Now: 12_400, W: 1280, H: 800, Theme: Light, Selected: "Pod/default/db-0"})
}

func TestClassifyKubectlStatus(t *testing.T) {
	for _, c := range []struct {
		status      string
		ready, term bool
		want        Status
	}{
		{"Running", true, false, Ready},
		{"Running", false, false, NotReady},
		{"Running", true, true, Terminating},
		{"Terminating", false, false, Terminating},
		{"ContainerCreating", false, false, Creating},
		{"Init:0/1", false, false, Creating},
		{"Init:CrashLoopBackOff", false, false, CrashLoop},
		{"Pending", false, false, Pending},
		{"CrashLoopBackOff", false, false, CrashLoop},
		{"Error", false, false, CrashLoop},
		{"ErrImagePull", false, false, ImagePull},
		{"ImagePullBackOff", false, false, ImagePull},
		{"Completed", false, false, Completed},
		{"Unknown", false, false, Unknown},
	} {
		if got := Classify(c.status, c.ready, c.term); got != c.want {
			t.Errorf("Classify(%q, ready=%v, terminating=%v) = %s, want %s", c.status, c.ready, c.term, styles[got].Label, styles[c.want].Label)
		}
	}
}

// TestStatusCuesAreDistinct: every pair of status classes differs in more than hue (icon,
// pattern or dash), so the page reads in greyscale and for colour-blind viewers.
func TestStatusCuesAreDistinct(t *testing.T) {
	shown := []Status{Ready, NotReady, Creating, Pending, Terminating, CrashLoop, ImagePull, Completed, Unknown}
	for i, a := range shown {
		for _, b := range shown[i+1:] {
			sa, sb := styles[a], styles[b]
			if sa.Icon == sb.Icon && sa.Pattern == sb.Pattern && sa.Dashed == sb.Dashed {
				t.Errorf("%s and %s differ only by colour", sa.Label, sb.Label)
			}
		}
	}
}

func TestBuildMidRollout(t *testing.T) {
	f := buildMid(t, fixture(t, 3, midRollout))
	texts := map[string]bool{}
	for _, x := range f.Texts {
		texts[x.S] = true
	}
	for _, want := range []string{"Deployment web", "StatefulSet db", "node-1", "node-2", "node-3", Unscheduled,
		"web-rev2-ddddd", "Terminating", "ContainerCreating", "CrashLoopBackOff (3)", "ErrImagePull",
		"v1", "v2", "data-db-0", "2/2 ready", "1/2 ready", "db-2"} {
		if !texts[want] {
			t.Errorf("frame has no text %q", want)
		}
	}
	// Each pod chip is a hit region, inside its node's card, and hit-tests to its ref.
	for _, ref := range []string{"Pod/default/web-rev1-aaaaa", "Pod/default/db-1", "Pod/default/web-rev2-fffff"} {
		it := f.Items[ref]
		if it == nil {
			t.Fatalf("no item for %s", ref)
		}
		if got := f.HitTest(it.X+5, it.Y+5); got != ref {
			t.Errorf("HitTest inside %s = %q", ref, got)
		}
	}
	if got := f.HitTest(f.Items["Pod/default/web-rev1-aaaaa"].X-4, f.Items["Pod/default/web-rev1-aaaaa"].Y+20); got != "Node/node-1" {
		t.Errorf("HitTest just left of a chip = %q, want its node", got)
	}
	// The terminating chip is hatched, the pending one dashed, the selected one outlined.
	chip := func(ref string) Rect { return f.Rects[f.Items[ref].Rects[0]] }
	if r := chip("Pod/default/web-rev1-bbbbb"); r.Pattern != Hatch {
		t.Errorf("terminating chip pattern = %v, want Hatch", r.Pattern)
	}
	if r := chip("Pod/default/web-rev2-fffff"); !r.Dashed {
		t.Errorf("pending chip is not dashed")
	}
	if r := chip("Pod/default/db-0"); r.Stroke != Light.Selected || r.StrokeW < 4 {
		t.Errorf("selected chip stroke = %v/%v", r.Stroke, r.StrokeW)
	}
	// Everything stays on the canvas.
	for i, r := range f.Rects {
		if r.X < 0 || r.Y < 0 || r.X+r.W > f.W+0.5 || r.Y+r.H > f.H+0.5 {
			t.Errorf("rect %d %+v leaves the %vx%v canvas", i, r, f.W, f.H)
		}
	}
}

// TestClaimStaysWithOrdinal: db-2 has no pod, but its claim is still drawn at ordinal 2.
func TestClaimStaysWithOrdinal(t *testing.T) {
	f := buildMid(t, fixture(t, 3, midRollout))
	var ord2, claim2 *Text
	for i := range f.Texts {
		switch f.Texts[i].S {
		case "db-2":
			ord2 = &f.Texts[i]
		case "data-db-2":
			claim2 = &f.Texts[i]
		}
	}
	if ord2 == nil || claim2 == nil {
		t.Fatalf("ordinal db-2 or its claim missing")
	}
	if ord2.X != claim2.X || claim2.Y <= ord2.Y {
		t.Errorf("claim data-db-2 at (%v,%v) is not under ordinal db-2 at (%v,%v)", claim2.X, claim2.Y, ord2.X, ord2.Y)
	}
	if f.HitTest(claim2.X, claim2.Y+4) != "PersistentVolumeClaim/default/data-db-2" {
		t.Errorf("the claim is not clickable")
	}
	// Ordinal 3 is beyond the desired 3 replicas, but its claim remains: it is drawn.
	var ord3 bool
	for _, x := range f.Texts {
		ord3 = ord3 || x.S == "db-3"
	}
	if !ord3 {
		t.Errorf("the retained claim data-db-3 of ordinal 3 is not drawn")
	}
}

// TestCompactLayoutForManyPods: 1,000 pods on 100 nodes fall back to compact squares that
// all fit on the canvas, each still clickable.
func TestCompactLayoutForManyPods(t *testing.T) {
	s := manyPods(t, 100, 1000)
	f := Build(&Input{Store: s, Now: 1000, W: 1280, H: 800, Theme: Dark})
	n := 0
	for ref, it := range f.Items {
		if !strings.HasPrefix(ref, "Pod/") {
			continue
		}
		n++
		r := f.Rects[it.Rects[0]]
		if r.W < 4 || r.X+r.W > f.W || r.Y+r.H > f.H {
			t.Fatalf("pod %s square %+v is too small or off canvas", ref, r)
		}
	}
	if n != 1000 {
		t.Errorf("%d pods drawn, want 1000", n)
	}
}

func manyPods(t testing.TB, nodes, pods int) *store.Store {
	kinds := []string{"ready", "ready", "ready", "notready", "creating", "terminating"}
	var ps []podSpec
	for i := range pods {
		ps = append(ps, podSpec{fmt.Sprintf("web-%05d", i), fmt.Sprintf("node-%d", 1+i%nodes), "rs", 1 + i%2, kinds[i%len(kinds)]})
	}
	return fixture(t, nodes, ps)
}

func TestChartSeries(t *testing.T) {
	st := func(avail, upd int32, oldReplicas int32) *trace.State {
		return &trace.State{Deployments: []trace.DeploymentState{{Name: "web", Replicas: 4, Available: avail, Updated: upd}},
			ReplicaSets: []trace.ReplicaSetState{{Name: "web-1", Owner: "Deployment/web", Revision: 1, Replicas: oldReplicas},
				{Name: "web-2", Owner: "Deployment/web", Revision: 2, Replicas: upd}}}
	}
	past := []trace.Record{
		{T: 0, Type: trace.TypeState, State: st(0, 0, 4)},
		{T: 5000, Type: trace.TypeState, State: st(4, 0, 4)},
		{T: 30000, Type: trace.TypeAction, Action: &trace.Action{Source: "scenario", Command: "kubectl set image deployment/web web=web:2.0"}},
		{T: 30000, Type: trace.TypeAction, Action: &trace.Action{Source: "scenario", Command: "kubectl get pods"}},
		{T: 30000, Type: trace.TypeState, State: st(3, 1, 3)},
		{T: 31000, Type: trace.TypeState, State: st(3, 1, 3)},
	}
	s := ChartSeries(past)
	if got := fmt.Sprint(s.Available); got != "[{0 0} {5000 4} {30000 3}]" {
		t.Errorf("available = %s", got)
	}
	if got := fmt.Sprint(s.Old); got != "[{0 4} {30000 3}]" {
		t.Errorf("old = %s", got)
	}
	if len(s.Marks) != 1 || s.Marks[0].Label != "set image deployment/web web=web:2.0" {
		t.Errorf("marks = %+v, want only the set image command", s.Marks)
	}
	if s.Max != 4 {
		t.Errorf("max = %d", s.Max)
	}
}

// BenchmarkBuild1000 is the Go-side share of the 3 ms frame budget: 1,000 pods on 100 nodes.
func BenchmarkBuild1000(b *testing.B) {
	s := manyPods(b, 100, 1000)
	in := &Input{Store: s, Now: 1000, W: 1280, H: 800, Theme: Light}
	b.ReportAllocs()
	for b.Loop() {
		Build(in)
	}
	f := Build(in)
	b.ReportMetric(float64(len(f.Rects)), "rects")
	b.ReportMetric(float64(len(f.Texts)), "texts")
}

// TestSmallClusterIsMagnified: two pods on one node are drawn larger than the base chip
// size, and everything still fits on the canvas.
func TestSmallClusterIsMagnified(t *testing.T) {
	f := Build(&Input{Store: fixture(t, 1, []podSpec{{"a", "node-1", "", 0, "ready"}, {"b", "node-1", "", 0, "ready"}}),
		W: 1280, H: 800, Theme: Light})
	r := f.Rects[f.Items["Pod/default/a"].Rects[0]]
	if r.W <= chipW {
		t.Errorf("chip width %v, want magnified beyond %v", r.W, chipW)
	}
	for _, x := range f.Texts {
		if x.Size < SizeSmall {
			t.Errorf("text %q at size %v is smaller than %v", x.S, x.Size, SizeSmall)
		}
	}
	for i, r := range f.Rects {
		if r.X < 0 || r.Y < 0 || r.X+r.W > f.W+0.5 || r.Y+r.H > f.H+0.5 {
			t.Errorf("rect %d %+v leaves the canvas", i, r)
		}
	}
	if got := f.HitTest(r.X+r.W-2, r.Y+r.H-2); got != "Pod/default/a" {
		t.Errorf("hit regions are not magnified with the chips: %q", got)
	}
}

// TestCacheGivesTheSameFrame: with an unchanged state (same key), a cached build at a later
// time equals a fresh build at that time, for a magnified and a compact layout.
func TestCacheGivesTheSameFrame(t *testing.T) {
	for _, s := range []*store.Store{fixture(t, 3, midRollout), manyPods(t, 100, 1000)} {
		past := []trace.Record{{T: 0, Type: trace.TypeState, State: trace.BuildState(s)}}
		c := &Cache{}
		in := func(now api.Time, cache *Cache) *Input {
			return &Input{Store: s, Now: now, Past: past, End: 90_000, W: 1280, H: 800, Theme: Light, Cache: cache, Key: 1}
		}
		Build(in(1_000, c))
		got := Build(in(7_500, c))
		want := Build(in(7_500, nil))
		if !reflect.DeepEqual(got.Rects, want.Rects) || !reflect.DeepEqual(got.Lines, want.Lines) ||
			!reflect.DeepEqual(got.Texts, want.Texts) || !reflect.DeepEqual(got.Hits, want.Hits) {
			t.Errorf("cached frame differs from a fresh one (%d/%d rects, %d/%d texts)", len(got.Rects), len(want.Rects), len(got.Texts), len(want.Texts))
		}
		for ref, it := range want.Items {
			if g := got.Items[ref]; g == nil || g.X != it.X || g.Y != it.Y {
				t.Errorf("item %s: cached %+v, fresh %+v", ref, g, it)
				break
			}
		}
	}
}

// BenchmarkBuild1000Cached is a frame while playing between two instants: only the chart
// and the time cursor are rebuilt.
func BenchmarkBuild1000Cached(b *testing.B) {
	s := manyPods(b, 100, 1000)
	c := &Cache{}
	Build(&Input{Store: s, Now: 1000, W: 1280, H: 800, Theme: Light, Cache: c, Key: 1})
	for i := 0; b.Loop(); i++ {
		Build(&Input{Store: s, Now: api.Time(1000 + i), W: 1280, H: 800, Theme: Light, Cache: c, Key: 1})
	}
}

// Node cards show CPU in cores, always the same way, so two cards compare at a glance.
func TestCPUStringInCores(t *testing.T) {
	for m, want := range map[int64]string{0: "0", 250: "0.25", 500: "0.5", 1250: "1.25", 4000: "4"} {
		if got := cpuString(m); got != want {
			t.Errorf("cpuString(%d) = %q; want %q", m, got, want)
		}
	}
}

// Every character a label can contain must be in the bundled Go fonts, or the projector shows
// a tofu box (a "✕" once did). The fonts cover WGL4: Latin-1, General Punctuation and a few
// more; labels stay within Latin-1 plus General Punctuation (…, ·, –).
func TestLabelsUseGlyphsTheFontHas(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	lit := regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			code, _, _ := strings.Cut(line, "//")
			for _, s := range lit.FindAllString(code, -1) {
				for _, r := range s {
					if r > 0xFF && (r < 0x2000 || r > 0x206F) {
						t.Errorf("%s:%d: %q in %s may be missing from the Go fonts", f, i+1, r, s)
					}
				}
			}
		}
	}
}
