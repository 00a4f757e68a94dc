package view

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/trace"
)

// ChartView is the set of series the chart shows.
type ChartView uint8

// Chart views. ChartAuto is the HPA view in a scenario with an HPA, else the replicas view.
const (
	ChartAuto ChartView = iota
	ChartReplicas
	ChartKSM // kube-state-metrics' Deployment series
	ChartHPA
)

var chartViewNames = [...]string{"auto", "replicas", "kube-state-metrics", "HPA"}

func (v ChartView) String() string {
	if int(v) < len(chartViewNames) {
		return chartViewNames[v]
	}
	return "auto"
}

// ParseChartView reads a view name ("replicas", "kube-state-metrics", "hpa"; anything else is auto).
func ParseChartView(s string) ChartView {
	for i, n := range chartViewNames {
		if strings.EqualFold(s, n) {
			return ChartView(i)
		}
	}
	return ChartAuto
}

// chartRefPrefix names the chart's view tabs in hit regions ("Chart/HPA").
const chartRefPrefix = "Chart/"

// ChartViewOfRef tells whether a hit ref is a chart tab, and which view it selects.
func ChartViewOfRef(ref string) (ChartView, bool) {
	name, ok := strings.CutPrefix(ref, chartRefPrefix)
	if !ok {
		return ChartAuto, false
	}
	return ParseChartView(name), true
}

// Plot is one line of the chart. V < 0 is a gap (no value yet, e.g. no CPU sample).
type Plot struct {
	Name   string
	C      Color
	Points []Point
	Right  bool   // on the right-hand axis
	Unit   string // appended to the value in the legend ("%")
	Dashed bool
	off    float32 // vertical offset in pixels, so equal lines stay visible side by side
}

// Chart is what the chart draws: the resolved view, its plots and axes.
type Chart struct {
	View  ChartView
	Views []ChartView // the views this scenario offers (tabs), in order
	Title string
	Plots []Plot
	// Max is the top of the left axis; RightMax of the right axis (0: none).
	Max, RightMax int32
	LeftUnit      string
	RightName     string // what the right axis counts
	Marks         []Mark
}

// Chart colours beyond the replica ones (Okabe-Ito): CPU vermillion, target black/ink,
// desired reddish purple, unavailable vermillion.
var (
	chartCPU     = RGB(0xd55e00)
	chartDesired = RGB(0xcc79a7)
)

// ChartData reads the chart of view v from the past trace; hasHPA says the cluster has an
// HPA now (ChartAuto then picks the HPA view even before the trace shows one).
func ChartData(past []trace.Record, v ChartView, hasHPA bool) Chart {
	s := ChartSeries(past)
	var ksm [3][]Point
	var util, target, cur, desired []Point
	var hpaTitle string
	var ksmMax, utilMax, repMax int32
	var hasDeploy bool
	states := trace.Cursor{Workloads: true}
	for _, r := range past {
		st, _ := states.Next(r) // the engine's trace is well formed
		if st == nil {
			continue
		}
		if len(st.Deployments) > 0 {
			// kube-state-metrics (internal/store/deployment.go, deploymentMetricFamilies) exports these gauges straight
			// from the Deployment's status: availableReplicas, updatedReplicas, unavailableReplicas.
			d := st.Deployments[0]
			hasDeploy = true
			addPoint(&ksm[0], r.T, d.Available)
			addPoint(&ksm[1], r.T, d.Updated)
			addPoint(&ksm[2], r.T, d.Unavailable)
			ksmMax = max(ksmMax, d.Available, d.Updated, d.Unavailable, d.Replicas)
		}
		if len(st.HPAs) > 0 {
			h := st.HPAs[0]
			hasHPA = true
			hpaTitle = "HPA " + h.Name + " of " + h.Reference
			u := int32(-1)
			if h.CurrentUtilization != nil {
				u = *h.CurrentUtilization
				utilMax = max(utilMax, u)
			}
			addPoint(&util, r.T, u)
			tg := int32(-1)
			if h.TargetUtilization != nil {
				tg = *h.TargetUtilization
				utilMax = max(utilMax, tg)
			}
			addPoint(&target, r.T, tg)
			addPoint(&cur, r.T, h.CurrentReplicas)
			addPoint(&desired, r.T, h.DesiredReplicas)
			repMax = max(repMax, h.CurrentReplicas, h.DesiredReplicas, h.MaxReplicas)
		}
	}
	c := Chart{Marks: s.Marks, Views: []ChartView{ChartReplicas}}
	if hasDeploy {
		c.Views = append(c.Views, ChartKSM)
	}
	if hasHPA {
		c.Views = append(c.Views, ChartHPA)
	}
	if v == ChartAuto {
		v = ChartReplicas
		if hasHPA {
			v = ChartHPA
		}
	}
	if v == ChartKSM && !hasDeploy || v == ChartHPA && !hasHPA {
		v = ChartReplicas
	}
	c.View = v
	switch v {
	case ChartKSM:
		c.Title = s.Title // "Deployment web"; the selected tab beside it says kube-state-metrics
		c.Max = ksmMax
		c.Plots = []Plot{
			{Name: "kube_deployment_status_replicas_available", C: chartAvail, Points: ksm[0]},
			{Name: "kube_deployment_status_replicas_updated", C: chartUpdated, Points: ksm[1], off: 2},
			{Name: "kube_deployment_status_replicas_unavailable", C: chartCPU, Points: ksm[2], off: -2},
		}
	case ChartHPA:
		c.Title = hpaTitle
		// Room above the target and the highest sample, in whole tens of percent.
		c.Max = (max(utilMax+utilMax/5, 100) + 9) / 10 * 10
		c.LeftUnit = "%"
		c.RightMax, c.RightName = max(repMax, 1), "replicas"
		c.Plots = []Plot{
			{Name: "CPU utilisation", C: chartCPU, Points: util, Unit: "%"},
			{Name: "target", C: RGB(0x5a6577), Points: target, Unit: "%", Dashed: true},
			{Name: "current replicas", C: chartUpdated, Points: cur, Right: true, off: 2},
			{Name: "desired replicas", C: chartDesired, Points: desired, Right: true, off: -2},
		}
	default:
		c.Title = "replicas"
		if s.Title != "" {
			c.Title = "replicas of " + s.Title
		}
		c.Max = s.Max
		if s.Names[0] != "" {
			c.Plots = []Plot{
				{Name: s.Names[0], C: chartAvail, Points: s.Available},
				{Name: s.Names[1], C: chartUpdated, Points: s.Updated, off: 2},
				{Name: s.Names[2], C: chartOld, Points: s.Old, off: -2},
			}
		}
	}
	c.Max = max(c.Max, 1)
	return c
}

// addPoint appends a step to a series, merging equal values and equal times.
func addPoint(ps *[]Point, t api.Time, v int32) {
	n := len(*ps)
	if n > 0 && (*ps)[n-1].V == v {
		return
	}
	if n > 0 && (*ps)[n-1].T == t {
		(*ps)[n-1].V = v
		return
	}
	*ps = append(*ps, Point{t, v})
}

// ValueAt is the series' value at time t (-1 before its first point or in a gap).
func (p Plot) ValueAt(t api.Time) int32 {
	v := int32(-1)
	for _, pt := range p.Points {
		if pt.T > t {
			break
		}
		v = pt.V
	}
	return v
}

const (
	hpaW = 330
	hpaH = 92
)

// hpaCards draws a card for each HPA that scales kind/name (name as the state has it,
// "ns/name" outside default), placed right after its workload.
func (b *builder) hpaCards(kind, name string, place func(w, h float32) (float32, float32)) {
	for _, h := range b.st.HPAs {
		if h.Reference != kind+"/"+bare(name) || ns(nsRef(h.Name)) != ns(nsRef(name)) {
			continue
		}
		w := b.cardW(hpaW)
		x, y := place(w, hpaH)
		b.hpaCard(h, x, y, w)
	}
}

// ns is the namespace of a "ns/name" ref.
func ns(ref string) string {
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return ref[:i]
	}
	return "default"
}

// HPACardLines are the texts of an HPA's card: title, replicas line, CPU line.
func HPACardLines(h trace.HPAState) (title, replicas, cpu string) {
	title = "HPA " + bare(h.Name)
	replicas = fmt.Sprintf("%d current · %d desired  (min %d, max %d)", h.CurrentReplicas, h.DesiredReplicas, h.MinReplicas, h.MaxReplicas)
	switch {
	case h.TargetUtilization == nil:
		cpu = h.Targets
	case h.CurrentUtilization == nil:
		cpu = fmt.Sprintf("CPU <unknown>, target %d%%", *h.TargetUtilization)
	default:
		cpu = fmt.Sprintf("CPU %d%%, target %d%%", *h.CurrentUtilization, *h.TargetUtilization)
	}
	return title, replicas, cpu
}

func (b *builder) hpaCard(h trace.HPAState, x, y, w float32) {
	b.card(x, y, w, hpaH, "HorizontalPodAutoscaler/"+nsRef(h.Name))
	// A short link from the workload card on its left (they share a row when it fits).
	if x > pad {
		b.f.line(Line{X1: x - pad, Y1: y + 18, X2: x, Y2: y + 18, W: 3, C: b.th.Muted})
	}
	title, replicas, cpu := HPACardLines(h)
	// A narrow card (a phone) shares its top row out in proportion: title 150, reference 160.
	inner := w - 2*pad
	titleW, refW := min(150, inner*0.45), min(160, inner*0.5)
	b.label(x+pad, y+8, b.fit(title, SizeTitle, titleW, true), SizeTitle, b.th.Ink, true)
	b.f.text(Text{X: x + w - pad, Y: y + 11, S: b.fit("scales "+h.Reference, SizeSmall, refW, false), Size: SizeSmall, C: b.th.Muted, Align: Right})
	b.label(x+pad, y+36, b.fit(replicas, SizeSmall, inner, false), SizeSmall, b.th.Ink, false)
	bw := min(float32(100), inner*0.3)
	b.label(x+pad, y+62, b.fit(cpu, SizeSmall, min(200, inner-bw-10), false), SizeSmall, b.th.Ink, false)
	if h.TargetUtilization == nil {
		return
	}
	// Usage against the target: the bar spans up to twice the target (or the usage).
	bx, by, bh := x+w-pad-bw, y+63, float32(14)
	tg := *h.TargetUtilization
	span := max(2*tg, 1)
	if h.CurrentUtilization != nil {
		span = max(span, *h.CurrentUtilization)
	}
	b.f.rect(Rect{X: bx, Y: by, W: bw, H: bh, Fill: b.th.Faint})
	if h.CurrentUtilization != nil {
		b.f.rect(Rect{X: bx, Y: by, W: bw * float32(*h.CurrentUtilization) / float32(span), H: bh, Fill: chartCPU})
	}
	tx := bx + bw*float32(tg)/float32(span)
	b.f.line(Line{X1: tx, Y1: by - 4, X2: tx, Y2: by + bh + 4, W: 2, C: b.th.Ink})
}

// scaleHitsFrom multiplies the hit regions from index h0 on by z.
func (f *Frame) scaleHitsFrom(z float32, h0 int) {
	for i := h0; i < len(f.Hits) && z != 1; i++ {
		h := &f.Hits[i]
		h.X, h.Y, h.W, h.H = h.X*z, h.Y*z, h.W*z, h.H*z
	}
}
