package view

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/scenarios"
	"github.com/kubesim/kubesim/wasm/session"
)

// hpaCPU opens the catalogue's hpa-cpu scenario at t seconds, as the page does.
func hpaCPU(t *testing.T, at float64) *session.Session {
	t.Helper()
	data, err := scenarios.Read("hpa-cpu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := session.Load("hpa-cpu.yaml", string(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Seek(at); err != nil {
		t.Fatal(err)
	}
	return s
}

func texts(f *Frame) string {
	var b strings.Builder
	for _, x := range f.Texts {
		b.WriteString(x.S + "\n")
	}
	return b.String()
}

// TestHPACard: at 100 s of hpa-cpu the HPA has scaled web 6 -> 7 (its 90 s sync: 87% of
// request against 50%), and its card beside the Deployment says so.
func TestHPACard(t *testing.T) {
	s := hpaCPU(t, 100)
	p := s.P
	f := Build(&Input{Store: p.Cluster().Store(), Now: p.Now(), Past: p.Past(), End: s.End(), W: 1440, H: 820, Theme: Light})
	all := texts(f)
	for _, want := range []string{"HPA web", "scales Deployment/web", "6 current · 7 desired  (min 2, max 10)", "CPU 87%, target 50%"} {
		if !strings.Contains(all, want+"\n") {
			t.Errorf("frame has no text %q; texts:\n%s", want, all)
		}
	}
	var card, dep *Hit
	for i, h := range f.Hits {
		switch h.Ref {
		case "HorizontalPodAutoscaler/default/web":
			card = &f.Hits[i]
		case "Deployment/default/web":
			dep = &f.Hits[i]
		}
	}
	if card == nil || dep == nil {
		t.Fatalf("no HPA card or Deployment card among the hits: %+v", f.Hits)
	}
	if card.Y != dep.Y || card.X < dep.X+dep.W {
		t.Errorf("the HPA card %+v is not beside its Deployment's %+v", *card, *dep)
	}
}

// TestChartViewsOfHPACPU checks the three views' series at given times against the trace
// (`kubesim run hpa-cpu -o jsonl`): the HPA's status and the Deployment's.
func TestChartViewsOfHPACPU(t *testing.T) {
	s := hpaCPU(t, 600)
	past := s.P.Past()
	c := ChartData(past, ChartAuto, false)
	if c.View != ChartHPA {
		t.Fatalf("auto view of a scenario with an HPA = %v, want HPA", c.View)
	}
	if got := strings.Join(viewNames(c.Views), ","); got != "replicas,kube-state-metrics,HPA" {
		t.Errorf("views = %s", got)
	}
	type at struct {
		t    float64
		want []int32 // one value per plot, -1 for none yet
	}
	check := func(c Chart, names []string, cases []at) {
		t.Helper()
		for i, p := range c.Plots {
			if p.Name != names[i] {
				t.Errorf("%v plot %d is %q, want %q", c.View, i, p.Name, names[i])
			}
		}
		for _, k := range cases {
			for i, p := range c.Plots {
				if got := p.ValueAt(api.Time(k.t * 1000)); got != k.want[i] {
					t.Errorf("%v %s at %v s = %d, want %d", c.View, p.Name, k.t, got, k.want[i])
				}
			}
		}
	}
	check(c, []string{"CPU utilisation", "target", "current replicas", "desired replicas"}, []at{
		{10, []int32{-1, 50, 0, 0}},  // created, not synced yet
		{20, []int32{-1, 50, 2, 0}},  // 15 s sync: no metrics for the pods yet
		{30, []int32{20, 50, 2, 2}},  // 2 pods at 40m of 200m
		{60, []int32{83, 50, 2, 4}},  // the load spike: ceil(1.66 x 2)
		{100, []int32{87, 50, 6, 7}}, // the 90 s sync
		{135, []int32{54, 50, 9, 9}}, // within the tolerance
		{480, []int32{12, 50, 9, 8}}, // scale-down after the 300 s window
	})
	if c.Max != 180 || c.RightMax != 10 {
		t.Errorf("axes: %d%% and %d replicas, want 180%% (143%% + a fifth, in tens) and 10 (maxReplicas)", c.Max, c.RightMax)
	}
	k := ChartData(past, ChartKSM, false)
	check(k, []string{"kube_deployment_status_replicas_available", "kube_deployment_status_replicas_updated",
		"kube_deployment_status_replicas_unavailable"}, []at{
		{5, []int32{0, 2, 2}},
		{60, []int32{2, 4, 2}},
		{90, []int32{6, 7, 1}},
		{100, []int32{7, 7, 0}},
		{500, []int32{3, 3, 0}},
	})
	r := ChartData(past, ChartReplicas, false)
	check(r, []string{"available", "updated", "old"}, []at{{60, []int32{2, 4, 0}}, {110, []int32{9, 9, 0}}})
}

func viewNames(vs []ChartView) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.String())
	}
	return out
}

// TestChartWithoutHPA: a scenario without an HPA keeps the replicas chart and offers no HPA tab.
func TestChartWithoutHPA(t *testing.T) {
	c := ChartData(nil, ChartHPA, false)
	if c.View != ChartReplicas || len(c.Views) != 1 {
		t.Errorf("chart without Deployment or HPA: view %v, views %v", c.View, c.Views)
	}
}

// TestChartTabsSwitchTheView: the tabs are hit regions naming their view, also when the
// frame comes from the cache of a magnified layout.
func TestChartTabsSwitchTheView(t *testing.T) {
	s := hpaCPU(t, 100)
	p := s.P
	c := &Cache{}
	for _, v := range []ChartView{ChartAuto, ChartKSM} {
		f := Build(&Input{Store: p.Cluster().Store(), Now: p.Now(), Past: p.Past(), End: s.End(), W: 1440, H: 820, Theme: Light,
			Chart: v, Cache: c, Key: 1})
		var tabs []string
		for _, h := range f.Hits {
			if tv, ok := ChartViewOfRef(h.Ref); ok {
				tabs = append(tabs, tv.String())
				if got := f.HitTest(h.X+h.W/2, h.Y+h.H/2); got != h.Ref {
					t.Errorf("the middle of tab %s hits %q", h.Ref, got)
				}
			}
		}
		if strings.Join(tabs, ",") != "replicas,kube-state-metrics,HPA" {
			t.Errorf("tabs %v", tabs)
		}
		all := texts(f)
		want := map[ChartView]string{ChartAuto: "CPU utilisation 87%", ChartKSM: "kube_deployment_status_replicas_unavailable 0"}[v]
		if !strings.Contains(all, want+"\n") {
			t.Errorf("view %v: no legend %q in\n%s", v, want, all)
		}
	}
}

// TestChartMarkLabelsClearOfLines: in every view of hpa-cpu at 600 s, the command labels on
// the chart ("top pods", "top nodes" at 40 s) sit where no plotted line crosses them, or
// over a band of the card's colour drawn after the lines they cross.
func TestChartMarkLabelsClearOfLines(t *testing.T) {
	s := hpaCPU(t, 600)
	p := s.P
	plotColours := map[Color]bool{chartCPU: true, chartUpdated: true, chartDesired: true, chartAvail: true, chartOld: true, RGB(0x5a6577): true}
	for _, v := range []ChartView{ChartReplicas, ChartKSM, ChartHPA} {
		f := Build(&Input{Store: p.Cluster().Store(), Now: p.Now(), Past: p.Past(), End: s.End(), W: 1440, H: 820, Theme: Light, Chart: v})
		n := 0
		for _, x := range f.Texts {
			if x.S != "top pods" && x.S != "top nodes" {
				continue
			}
			n++
			x0, x1, y0, y1 := x.X, x.X+estimate(x.S, x.Size, false), x.Y, x.Y+x.Size
			backed := -1 // index of the band behind the label, if any
			for i, l := range f.Lines {
				if l.C == Light.Card && l.Y1 == l.Y2 && l.X1 <= x0 && l.X2 >= x1 && l.Y1-l.W/2 <= y0 && l.Y1+l.W/2 >= y0+0.7*x.Size {
					backed = i
				}
			}
			for i, l := range f.Lines {
				if !plotColours[l.C] || min(l.X1, l.X2) > f.W*0.6 { // plots, not the legend's swatches on the right
					continue
				}
				if max(l.X1, l.X2) > x0 && min(l.X1, l.X2) < x1 && max(l.Y1, l.Y2)+l.W/2 > y0 && min(l.Y1, l.Y2)-l.W/2 < y1 && i > backed {
					t.Errorf("%v: label %q at (%.0f,%.0f) crosses a line %+v", v, x.S, x.X, x.Y, l)
					break
				}
			}
		}
		if n != 2 {
			t.Errorf("%v: %d command labels on the chart, want 2", v, n)
		}
	}
}

// TestPodUsageBars: at 100 s of hpa-cpu the 4 pods metrics-server has sampled twice show
// their use against their requests (200m, 128Mi) as two bars at the bottom of their chips:
// 175m (the scenario's "at 90 s 4 pods averaged 175m") and 64Mi, the image's memory.
func TestPodUsageBars(t *testing.T) {
	s := hpaCPU(t, 100)
	p := s.P
	st := p.Cluster().Store()
	f := Build(&Input{Store: st, Now: p.Now(), Past: p.Past(), End: s.End(), W: 1440, H: 820, Theme: Light})
	sampled := 0
	for _, pod := range store.ListAs[*api.Pod](st, "Pod", "") {
		ref := pod.Namespace + "/" + pod.Name
		cpu, mem, ok := PodUsage(st, ref)
		it := f.Items["Pod/"+ref]
		if it == nil {
			t.Fatalf("pod %s not drawn", ref)
		}
		var bg, bars []Rect
		for _, i := range it.Rects {
			switch r := f.Rects[i]; r.Fill {
			case chartCPU.Fade(0.85), usageMem.Fade(0.85):
				bars = append(bars, r)
			case RGB(0xffffff).Fade(0.7):
				bg = append(bg, r)
			}
		}
		if !ok {
			if len(bars)+len(bg) != 0 {
				t.Errorf("%s has no sample but usage bars %+v", ref, bars)
			}
			continue
		}
		sampled++
		if cpu != 0.875 || mem != 0.5 {
			t.Errorf("%s: cpu %v, memory %v of request, want 0.875 and 0.5", ref, cpu, mem)
		}
		if len(bars) != 2 || len(bg) != 2 || bars[0].W != bg[0].W*cpu || bars[1].W != bg[1].W*mem {
			t.Errorf("%s: bars %+v over %+v, want %v and %v of their width", ref, bars, bg, cpu, mem)
		}
	}
	if sampled != 4 {
		t.Errorf("%d pods with a sample at 100 s, want 4 (the first 2 and the 2 from 60 s, sampled twice by 90 s; the 3 newer not yet)", sampled)
	}
}

// TestHPANarrowCanvas: hpa-cpu at 100 s in a phone's, a small laptop's and a wide canvas, in
// every chart view: every rect and text stays on the canvas, no two texts overlap, and the
// chart's tabs and the HPA card are whole.
func TestHPANarrowCanvas(t *testing.T) {
	s := hpaCPU(t, 100)
	p := s.P
	for _, sz := range [][2]float32{{390, 600}, {312, 560}, {800, 440}, {1280, 800}} {
		for _, v := range []ChartView{ChartReplicas, ChartKSM, ChartHPA} {
			name := fmt.Sprintf("%vx%v %v", sz[0], sz[1], v)
			f := Build(&Input{Store: p.Cluster().Store(), Now: p.Now(), Past: p.Past(), End: s.End(), W: sz[0], H: sz[1], Theme: Light, Chart: v})
			for i, r := range f.Rects {
				if r.X < -0.5 || r.Y < -0.5 || r.X+r.W > f.W+0.5 || r.Y+r.H > f.H+0.5 {
					t.Errorf("%s: rect %d %+v leaves the canvas", name, i, r)
				}
			}
			for i, x := range f.Texts {
				x0, y0, x1, y1 := box(x)
				if x0 < -0.5 || x1 > f.W+0.5 || y1 > f.H+0.5 {
					t.Errorf("%s: text %q spans (%v,%v)..(%v,%v), off the canvas", name, x.S, x0, y0, x1, y1)
				}
				for _, o := range f.Texts[i+1:] {
					a0, b0, a1, b1 := box(o)
					if x.S != "" && o.S != "" && x0 < a1-1 && a0 < x1-1 && y0 < b1-1 && b0 < y1-1 {
						t.Errorf("%s: texts %q and %q overlap", name, x.S, o.S)
					}
				}
			}
			tabs := 0
			for _, h := range f.Hits {
				if _, ok := ChartViewOfRef(h.Ref); ok || h.Ref == "HorizontalPodAutoscaler/default/web" {
					tabs++
					if h.X < 0 || h.X+h.W > f.W+0.5 {
						t.Errorf("%s: %s at x %v..%v, off the canvas", name, h.Ref, h.X, h.X+h.W)
					}
				}
			}
			if tabs != 4 {
				t.Errorf("%s: %d of the 3 tabs and the HPA card drawn", name, tabs)
			}
		}
	}
}
