package view

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/trace"
)

// Point is one step of a chart series.
type Point struct {
	T api.Time
	V int32
}

// Series is the replica chart: for the first Deployment, its available and updated replicas
// and the pods of older ReplicaSets over time; for a StatefulSet, ready / updated / current
// pods of older revisions.
type Series struct {
	Title                   string
	Names                   [3]string // labels of Available, Updated, Old
	Available, Updated, Old []Point
	Max                     int32
	Marks                   []Mark
}

// Mark is a command on the timeline (a vertical line on the chart).
type Mark struct {
	T     api.Time
	Label string
	User  bool
}

// ChartSeries reads the replica chart from the past trace.
func ChartSeries(past []trace.Record) Series {
	var s Series
	add := func(ps *[]Point, t api.Time, v int32) {
		if n := len(*ps); n > 0 && (*ps)[n-1].V == v {
			return
		}
		if n := len(*ps); n > 0 && (*ps)[n-1].T == t {
			(*ps)[n-1].V = v
			return
		}
		*ps = append(*ps, Point{t, v})
	}
	states := trace.Cursor{Workloads: true}
	for _, r := range past {
		st, _ := states.Next(r) // the engine's trace is well formed
		switch {
		case r.Type == trace.TypeAction:
			// A failed command changed nothing: it is no mark.
			if (strings.HasPrefix(r.Action.Command, "kubectl ") || r.Action.Source == "user") && r.Action.Error == "" {
				cmd := strings.TrimPrefix(r.Action.Command, "kubectl ")
				if strings.HasPrefix(cmd, "get ") || strings.HasPrefix(cmd, "describe ") || strings.HasPrefix(cmd, "rollout status") ||
					strings.HasPrefix(cmd, "exec ") || strings.HasPrefix(cmd, "logs ") || strings.HasPrefix(cmd, "rollout history") {
					continue
				}
				s.Marks = append(s.Marks, Mark{r.T, cmd, r.Action.Source == "user"})
			}
		case st != nil:
			if len(st.Deployments) > 0 {
				d := st.Deployments[0]
				s.Title = "Deployment " + d.Name
				s.Names = [3]string{"available", "updated", "old"}
				var old, newest int32
				var rev int64
				for _, rs := range st.ReplicaSets {
					if rs.Owner == "Deployment/"+bare(d.Name) && rs.Revision > rev {
						rev = rs.Revision
					}
				}
				for _, rs := range st.ReplicaSets {
					if rs.Owner == "Deployment/"+bare(d.Name) {
						if rs.Revision == rev {
							newest += rs.Replicas
						} else {
							old += rs.Replicas
						}
					}
				}
				_ = newest
				add(&s.Available, r.T, d.Available)
				add(&s.Updated, r.T, d.Updated)
				add(&s.Old, r.T, old)
				s.Max = max(s.Max, d.Replicas, d.Available, d.Updated, old)
			} else if len(st.StatefulSets) > 0 {
				ss := st.StatefulSets[0]
				s.Title = "StatefulSet " + ss.Name
				s.Names = [3]string{"ready", "updated", "old revision"}
				add(&s.Available, r.T, ss.Ready)
				add(&s.Updated, r.T, ss.Updated)
				add(&s.Old, r.T, max(0, ss.Current-ss.Updated))
				s.Max = max(s.Max, ss.Replicas, ss.Ready, ss.Current)
			}
		}
	}
	return s
}

// Chart colours (Okabe-Ito): available bluish green, updated blue, old orange.
var (
	chartAvail   = RGB(0x009e73)
	chartUpdated = RGB(0x0072b2)
	chartOld     = RGB(0xe69f00)
)

func (b *builder) chart(y, h float32) {
	f := b.f
	c := ChartData(b.in.Past, b.in.Chart, len(b.st.HPAs) > 0)
	// The legend column is as wide as its longest label (kube-state-metrics' names are long),
	// within 45% of the canvas.
	legendW := float32(150)
	for _, p := range c.Plots {
		legendW = max(legendW, 28+b.in.Measure(p.Name+" 100"+p.Unit, SizeSmall, false)+20)
	}
	legendW = min(legendW, b.in.W*0.45)
	x0, x1 := float32(pad)+36, b.in.W-pad-legendW
	if c.RightMax > 0 {
		x1 -= 24 // the right axis' numbers
	}
	lx := x1 + 14
	if c.RightMax > 0 {
		lx += 24
	}
	f.rect(Rect{X: 0, Y: y, W: b.in.W, H: h, Fill: b.th.Card})
	f.line(Line{X1: 0, Y1: y, X2: b.in.W, Y2: y, W: 1, C: b.th.Faint})
	// The title and the view tabs share the top row left of the legend; a narrow chart gets
	// the tabs' short names.
	room := lx - 8 - pad
	short := len(c.Views) > 1 && b.tabsW(c, false)+16+100 > room
	title := c.Title
	if len(c.Views) > 1 {
		title = b.fit(title, SizeSmall, room-b.tabsW(c, short)-16, false)
	} else {
		title = b.fit(title, SizeSmall, room, false)
	}
	b.label(pad, y+4, title, SizeSmall, b.th.Muted, false)
	if len(c.Views) > 1 {
		b.chartTabs(c, pad+b.in.Measure(title, SizeSmall, false)+16, y+2, short)
	}
	// Command labels get a band of two rows between the title and the plot, clear of the
	// series (the renderer draws lines over rects, so a backing would not hide them).
	top, bot := y+28, y+h-18
	if len(c.Marks) > 0 {
		top = min(y+50, bot-16)
	}
	end := max(b.in.End, b.now, api.Time(api.Second))
	tx := func(t api.Time) float32 { return x0 + (x1-x0)*float32(float64(t)/float64(end)) }
	vy := func(v int32, right bool) float32 {
		m := c.Max
		if right {
			m = c.RightMax
		}
		return bot - (bot-top)*float32(v)/float32(m)
	}
	f.line(Line{X1: x0, Y1: bot, X2: x1, Y2: bot, W: 1, C: b.th.Muted})
	f.text(Text{X: x0 - 6, Y: vy(c.Max, false) - 6, S: fmt.Sprint(c.Max) + c.LeftUnit, Size: SizeSmall, C: b.th.Muted, Align: Right})
	f.text(Text{X: x0 - 6, Y: bot - 8, S: "0" + c.LeftUnit, Size: SizeSmall, C: b.th.Muted, Align: Right})
	if c.RightMax > 0 {
		f.text(Text{X: x1 + 6, Y: vy(c.RightMax, true) - 6, S: fmt.Sprint(c.RightMax), Size: SizeSmall, C: chartUpdated})
		f.text(Text{X: x1 + 6, Y: bot - 8, S: "0", Size: SizeSmall, C: chartUpdated})
		f.line(Line{X1: x1, Y1: top, X2: x1, Y2: bot, W: 1, C: b.th.Faint})
	}
	// Mark labels take the first of two rows where they clear the labels before them; a
	// label with no room is left out (its line stays), rather than drawn over another.
	var rowEnd [2]float32
	for i := range rowEnd {
		rowEnd[i] = -1e9
	}
	var labels []Text
	for _, m := range c.Marks {
		mxp := tx(m.T)
		col := b.th.Muted
		if m.User {
			col = RGB(0xb34700)
		}
		label := b.fit(m.Label, 12, min(220, x1-mxp-3), false)
		lw := b.in.Measure(label, 12, false)
		from := top - 4 // the line reaches up to its label, if it has one
		for row := range rowEnd {
			if label == "" || mxp+3 < rowEnd[row] {
				continue
			}
			ly := y + 20 + float32(row)*14
			labels = append(labels, Text{X: mxp + 3, Y: ly, S: label, Size: 12, C: col})
			rowEnd[row] = mxp + 3 + lw + 8
			from = ly
			break
		}
		f.line(Line{X1: mxp, Y1: from, X2: mxp, Y2: bot, W: 1, C: col.Fade(0.7)})
	}
	for i := range c.Plots {
		if p := &c.Plots[i]; p.Dashed && b.th.Dark {
			p.C = b.th.Muted // the target line, readable on the dark card
		}
	}
	// A short chart (a small canvas) packs its legend.
	rowH := min(20, (h-22)/float32(max(3, len(c.Plots))))
	for i, p := range c.Plots {
		b.plot(p, tx, func(v int32) float32 { return vy(v, p.Right) + p.off })
		ly := y + 6 + float32(i)*rowH
		if p.Dashed {
			f.line(Line{X1: lx, Y1: ly + 8, X2: lx + 8, Y2: ly + 8, W: 3, C: p.C})
			f.line(Line{X1: lx + 14, Y1: ly + 8, X2: lx + 22, Y2: ly + 8, W: 3, C: p.C})
		} else {
			f.line(Line{X1: lx, Y1: ly + 8, X2: lx + 22, Y2: ly + 8, W: 4, C: p.C})
		}
		v := "-"
		if n := p.ValueAt(b.now); n >= 0 {
			v = fmt.Sprint(n) + p.Unit
		}
		b.label(lx+28, ly, b.fit(p.Name+" "+v, SizeSmall, b.in.W-pad-lx-28, false), SizeSmall, b.th.Ink, false)
	}
	for _, l := range labels {
		f.text(l)
	}
	nx := tx(b.now)
	f.line(Line{X1: nx, Y1: top - 6, X2: nx, Y2: bot + 4, W: 2, C: b.th.Ink})
	// The time under the cursor stays right of the axis' "0" (a narrow chart, early on).
	now := fmt.Sprintf("%.1fs", float64(b.now)/1000)
	f.text(Text{X: max(nx, x0+b.in.Measure(now, 12, false)/2), Y: bot + 2, S: now, Size: 12, C: b.th.Ink, Align: Center})
}

// plot draws a series as steps up to now; negative values are gaps.
func (b *builder) plot(p Plot, tx func(api.Time) float32, vy func(int32) float32) {
	seg := func(x1, y1, x2, y2 float32) {
		if !p.Dashed || y1 != y2 {
			b.f.line(Line{X1: x1, Y1: y1, X2: x2, Y2: y2, W: 3, C: p.C})
			return
		}
		for x := x1; x < x2; x += 12 {
			b.f.line(Line{X1: x, Y1: y1, X2: min(x+7, x2), Y2: y2, W: 2, C: p.C})
		}
	}
	for j, pt := range p.Points {
		if pt.T > b.now {
			break
		}
		more := j+1 < len(p.Points) && p.Points[j+1].T <= b.now
		next := b.now
		if more {
			next = p.Points[j+1].T
		}
		if pt.V < 0 {
			continue
		}
		yy := vy(pt.V)
		seg(tx(pt.T), yy, tx(next), yy)
		if more && p.Points[j+1].V >= 0 && !p.Dashed {
			seg(tx(next), yy, tx(next), vy(p.Points[j+1].V))
		}
	}
}

// tabName is a view's name on its tab; short ones for a narrow chart.
func tabName(v ChartView, short bool) string {
	if short && v == ChartKSM {
		return "ksm"
	}
	if short && v == ChartReplicas {
		return "rep"
	}
	return v.String()
}

// tabsW is the width of the chart's tabs (see chartTabs).
func (b *builder) tabsW(c Chart, short bool) float32 {
	w := float32(0)
	for _, v := range c.Views {
		w += b.in.Measure(tabName(v, short), SizeSmall, true) + 14 + 6
	}
	return w - 6
}

// chartTabs draws the chart's view choices; a click on one switches the chart (the app
// reads the "Chart/<view>" hit).
func (b *builder) chartTabs(c Chart, x, y float32, short bool) {
	for _, v := range c.Views {
		name := tabName(v, short)
		w := b.in.Measure(name, SizeSmall, true) + 14
		fill, ink := b.th.Bg, b.th.Accent
		if v == c.View {
			fill, ink = b.th.Accent, b.th.Bg
		}
		b.f.rect(Rect{X: x, Y: y, W: w, H: 17, Fill: fill, Stroke: b.th.Accent, StrokeW: 1})
		b.f.text(Text{X: x + w/2, Y: y + 1, S: name, Size: SizeSmall, C: ink, Bold: true, Align: Center})
		b.f.hit(x, y, w, 17, chartRefPrefix+v.String())
		x += w + 6
	}
}
