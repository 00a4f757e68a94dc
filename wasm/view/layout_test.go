package view

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// box is where a text is drawn, by the estimate Build uses without a font.
func box(x Text) (x0, y0, x1, y1 float32) {
	w := estimate(x.S, x.Size, x.Bold)
	switch x.Align {
	case Right:
		x0 = x.X - w
	case Center:
		x0 = x.X - w/2
	default:
		x0 = x.X
	}
	return x0, x.Y, x0 + w, x.Y + x.Size
}

// TestNarrowCanvas: in a phone's and a small laptop's canvas (issue #16), every card, text
// and chip stays on the canvas, no two texts overlap, and the workload card still says
// how many replicas are desired, updated and available.
func TestNarrowCanvas(t *testing.T) {
	for _, sz := range [][2]float32{{390, 600}, {800, 440}, {1280, 800}} {
		f := Build(&Input{Store: fixture(t, 3, midRollout), Now: 12_400, W: sz[0], H: sz[1], Theme: Light})
		for i, r := range f.Rects {
			if r.X < -0.5 || r.Y < -0.5 || r.X+r.W > f.W+0.5 || r.Y+r.H > f.H+0.5 {
				t.Errorf("%vx%v: rect %d %+v leaves the canvas", sz[0], sz[1], i, r)
			}
		}
		var status bool
		for i, x := range f.Texts {
			status = status || x.S == "4 desired · 2 updated · 3 available"
			x0, y0, x1, y1 := box(x)
			if x0 < -0.5 || x1 > f.W+0.5 || y1 > f.H+0.5 {
				t.Errorf("%vx%v: text %q spans (%v,%v)..(%v,%v), off the canvas", sz[0], sz[1], x.S, x0, y0, x1, y1)
			}
			for _, o := range f.Texts[i+1:] {
				a0, b0, a1, b1 := box(o)
				if x.S != "" && o.S != "" && x0 < a1-1 && a0 < x1-1 && y0 < b1-1 && b0 < y1-1 {
					t.Errorf("%vx%v: texts %q and %q overlap", sz[0], sz[1], x.S, o.S)
				}
			}
		}
		if !status {
			t.Errorf("%vx%v: the Deployment's desired/updated/available line is missing", sz[0], sz[1])
		}
	}
}

// TestFailedNodeSaysNotReady: a failed node reads as kubectl shows it, NotReady, with its
// stopped kubelet on the sub-line; before the node controller notices, it is still Ready.
func TestFailedNodeSaysNotReady(t *testing.T) {
	s := fixture(t, 2, nil)
	n, _ := store.GetAs[*api.Node](s, "Node", "node-2")
	n = api.Clone(n)
	n.Annotations = map[string]string{"kubesim.dev/failed": "true"}
	if err := s.Update(n); err != nil {
		t.Fatal(err)
	}
	texts := func() map[string]bool {
		m := map[string]bool{}
		for _, x := range Build(&Input{Store: s, W: 1280, H: 800, Theme: Light}).Texts {
			m[x.S] = true
		}
		return m
	}
	if got := texts(); !got["node-2"] || !got["kubelet stopped"] {
		t.Errorf("failed node before the grace period: texts %v, want node-2 and kubelet stopped", got)
	}
	n = api.Clone(n)
	n.Status.Conditions = []api.NodeCondition{{Type: "Ready", Status: api.ConditionUnknown}}
	if err := s.Update(n); err != nil {
		t.Fatal(err)
	}
	got := texts()
	if !got["node-2  NotReady"] {
		t.Errorf("failed node after the grace period: texts %v, want \"node-2  NotReady\"", got)
	}
	for x := range got {
		if strings.Contains(x, "FAILED") {
			t.Errorf("node text %q: Kubernetes says NotReady", x)
		}
	}
}

// TestFailedCommandIsNoChartMark: a console command that failed changed nothing, so the
// chart does not mark it (issue #16).
func TestFailedCommandIsNoChartMark(t *testing.T) {
	s := ChartSeries([]trace.Record{
		{T: 1000, Type: trace.TypeAction, Action: &trace.Action{Source: "user", Command: "kubectl scale deployment/nope --replicas=2",
			Error: `Error from server (NotFound): deployments.apps "nope" not found`}},
		{T: 2000, Type: trace.TypeAction, Action: &trace.Action{Source: "user", Command: "kubectl scale deployment/web --replicas=2"}},
	})
	if len(s.Marks) != 1 || s.Marks[0].T != 2000 {
		t.Errorf("marks = %+v, want only the command that succeeded", s.Marks)
	}
}

// TestChartMarkLabelsDoNotOverlap: commands close together on the timeline get their
// labels on separate rows, or none, never one over another (issue #16).
func TestChartMarkLabelsDoNotOverlap(t *testing.T) {
	var past []trace.Record
	for i := range 8 {
		past = append(past, trace.Record{T: api.Time(10_000 + i*1500), Type: trace.TypeAction,
			Action: &trace.Action{Source: "user", Command: fmt.Sprintf("kubectl scale deployment/web --replicas=%d", i+2)}})
	}
	st := trace.State{Deployments: []trace.DeploymentState{{Name: "web", Replicas: 4, Available: 4, Updated: 4}}}
	past = append([]trace.Record{{T: 0, Type: trace.TypeState, State: &st}}, past...)
	f := Build(&Input{Store: fixture(t, 3, midRollout), Now: 30_000, End: 90_000, Past: past, W: 800, H: 500, Theme: Light})
	var labels []Text
	for _, x := range f.Texts {
		if strings.HasPrefix(x.S, "scale ") {
			labels = append(labels, x)
		}
	}
	if len(labels) < 2 {
		t.Fatalf("%d mark labels drawn, want at least two", len(labels))
	}
	for i, a := range labels {
		ax0, ay0, ax1, ay1 := box(a)
		for _, l := range f.Lines {
			if l.W == 3 && min(l.X1, l.X2) < ax1 && max(l.X1, l.X2) > ax0 && min(l.Y1, l.Y2) < ay1 && max(l.Y1, l.Y2) > ay0 {
				t.Errorf("mark label %q is drawn over a series line %+v", a.S, l)
				break
			}
		}
		for _, o := range labels[i+1:] {
			bx0, by0, bx1, by1 := box(o)
			if ax0 < bx1 && bx0 < ax1 && ay0 < by1 && by0 < ay1 {
				t.Errorf("mark labels %q and %q overlap", a.S, o.S)
			}
		}
	}
}

// TestStatefulSetStory: every per-pod A and SRV record is on the canvas in full, a record
// that appeared in the last seconds is highlighted and one that went away is struck
// through, and each claim says its phase and volume (issue #16, item 2).
func TestStatefulSetStory(t *testing.T) {
	s := fixture(t, 3, midRollout)
	add := func(i int, fqdn, typ, data string) {
		t.Helper()
		if err := s.Create(&api.DNSRecord{TypeMeta: api.TypeMeta{Kind: "DNSRecord"},
			ObjectMeta: api.ObjectMeta{Name: fmt.Sprintf("r%d", i), Namespace: "default"}, FQDN: fqdn, Type: typ, Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		add(i, fmt.Sprintf("db-%d.db.default.svc.cluster.local", i), "A", fmt.Sprintf("10.244.1.%d", i+2))
		add(10+i, "_sql._tcp.db.default.svc.cluster.local", "SRV", fmt.Sprintf("0 25 5432 db-%d.db.default.svc.cluster.local.", i))
	}
	pvc, _ := store.GetAs[*api.PersistentVolumeClaim](s, "PersistentVolumeClaim", "default/data-db-0")
	pvc = api.Clone(pvc)
	pvc.Spec.VolumeName = "pvc-uid-000012"
	if err := s.Update(pvc); err != nil {
		t.Fatal(err)
	}
	now := trace.BuildState(s)
	// Four seconds ago db-3 had no records yet and db-9 still had one.
	before := *now
	before.DNS = nil
	for _, r := range now.DNS {
		if !strings.Contains(r.Name+r.Data, "db-3.") {
			before.DNS = append(before.DNS, r)
		}
	}
	before.DNS = append(before.DNS, trace.DNSState{Name: "db-9.db.default.svc.cluster.local", Type: "A", Data: "10.244.2.9"})
	past := []trace.Record{{T: 6_000, Type: trace.TypeState, State: &before}, {T: 8_000, Type: trace.TypeState, State: now}}
	f := Build(&Input{Store: s, Now: 12_000, End: 90_000, Past: past, W: 1280, H: 800, Theme: Light})
	texts := map[string]Text{}
	for _, x := range f.Texts {
		texts[x.S] = x
	}
	for i := range 4 {
		for _, want := range []string{fmt.Sprintf("A   db-%d.db 10.244.1.%d", i, i+2), fmt.Sprintf("SRV _sql._tcp.db 0 25 5432 db-%d.db", i)} {
			if _, ok := texts[want]; !ok {
				t.Errorf("DNS panel has no line %q", want)
			}
		}
	}
	for s := range texts {
		if strings.Contains(s, "more") || strings.HasSuffix(s, "…") && strings.Contains(s, ".db") {
			t.Errorf("DNS line cut or hidden: %q", s)
		}
	}
	highlighted := func(x Text) bool {
		for _, r := range f.Rects {
			if r.Fill == styles[Ready].Fill && r.X <= x.X && x.X < r.X+r.W && r.Y <= x.Y && x.Y < r.Y+r.H {
				return true
			}
		}
		return false
	}
	if x := texts["A   db-3.db 10.244.1.5"]; !highlighted(x) {
		t.Errorf("the new record of db-3 is not highlighted")
	}
	if x := texts["A   db-0.db 10.244.1.2"]; highlighted(x) {
		t.Errorf("the old record of db-0 is highlighted")
	}
	gone, ok := texts["A   db-9.db 10.244.2.9"]
	struck := false
	for _, l := range f.Lines {
		struck = struck || ok && l.Y1 > gone.Y && l.Y1 < gone.Y+gone.Size && l.X1 <= gone.X+1
	}
	if !ok || !struck {
		t.Errorf("the removed record of db-9 is not shown struck through (shown %v)", ok)
	}
	// The same as the engine records it: the later state as a delta (Diff needs store order,
	// so it is written out: db-3's answers added, db-9's removed).
	d := &trace.Delta{Removed: trace.Removed{DNS: []string{"db-9.db.default.svc.cluster.local A 10.244.2.9"}}}
	for _, r := range now.DNS {
		if strings.Contains(r.Name+r.Data, "db-3.") {
			d.DNS = append(d.DNS, r)
		}
	}
	past = []trace.Record{{T: 6_000, Type: trace.TypeState, State: &before}, {T: 8_000, Type: trace.TypeDelta, Delta: d}}
	fd := Build(&Input{Store: s, Now: 12_000, End: 90_000, Past: past, W: 1280, H: 800, Theme: Light})
	if !reflect.DeepEqual(fd.Texts, f.Texts) || !reflect.DeepEqual(fd.Rects, f.Rects) || !reflect.DeepEqual(fd.Lines, f.Lines) {
		t.Errorf("the DNS panel differs when the change is recorded as a delta")
	}
	vol, ok := texts["pvc-uid-000012"]
	bound := false
	for _, x := range f.Texts {
		bound = bound || x.S == "Bound" && x.X == vol.X && x.Y < vol.Y
	}
	if !ok || !bound {
		t.Errorf("claim data-db-0 does not say Bound and its volume")
	}
	// 6 s after the change the highlight is over, also when the state part comes from the cache.
	c := &Cache{}
	Build(&Input{Store: s, Now: 12_000, End: 90_000, Past: past, W: 1280, H: 800, Theme: Light, Cache: c, Key: 1})
	later := Build(&Input{Store: s, Now: 14_500, End: 90_000, Past: past, W: 1280, H: 800, Theme: Light, Cache: c, Key: 1})
	for _, x := range later.Texts {
		if strings.Contains(x.S, "db-9.db") {
			t.Errorf("the removed record is still shown 6.5 s after it went away")
		}
	}
}

// TestHugeCountsStayInTheirCard: 5,000 pods waiting for a node are drawn as counts inside
// their card, not as a grid of squares overflowing it (issue #16, item 4).
func TestHugeCountsStayInTheirCard(t *testing.T) {
	var ps []podSpec
	for i := range 5000 {
		ps = append(ps, podSpec{fmt.Sprintf("web-%05d", i), "", "rs", 1, "pending"})
	}
	ps = append(ps, podSpec{"web-ready", "node-1", "rs", 1, "ready"})
	f := Build(&Input{Store: fixture(t, 3, ps), Now: 1000, W: 1280, H: 800, Theme: Light})
	for i, r := range f.Rects {
		if r.X < -0.5 || r.Y < -0.5 || r.X+r.W > f.W+0.5 || r.Y+r.H > f.H+0.5 {
			t.Fatalf("rect %d %+v leaves the canvas", i, r)
		}
	}
	var found bool
	for _, x := range f.Texts {
		found = found || x.S == "5,000 Pending"
	}
	if !found {
		t.Errorf("the unscheduled card does not say 5,000 Pending")
	}
	if f.Items["Pod/default/web-ready"] == nil {
		t.Errorf("the scheduled pod is not drawn")
	}
}
