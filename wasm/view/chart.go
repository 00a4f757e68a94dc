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
	for _, r := range past {
		switch r.Type {
		case trace.TypeAction:
			// A failed command changed nothing: it is no mark.
			if (strings.HasPrefix(r.Action.Command, "kubectl ") || r.Action.Source == "user") && r.Action.Error == "" {
				cmd := strings.TrimPrefix(r.Action.Command, "kubectl ")
				if strings.HasPrefix(cmd, "get ") || strings.HasPrefix(cmd, "describe ") || strings.HasPrefix(cmd, "rollout status") ||
					strings.HasPrefix(cmd, "exec ") || strings.HasPrefix(cmd, "logs ") || strings.HasPrefix(cmd, "rollout history") {
					continue
				}
				s.Marks = append(s.Marks, Mark{r.T, cmd, r.Action.Source == "user"})
			}
		case trace.TypeState:
			st := r.State
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
	x0, x1 := float32(pad)+30, b.in.W-pad-150
	f.rect(Rect{X: 0, Y: y, W: b.in.W, H: h, Fill: b.th.Card})
	f.line(Line{X1: 0, Y1: y, X2: b.in.W, Y2: y, W: 1, C: b.th.Faint})
	s := ChartSeries(b.in.Past)
	title := "replicas"
	if s.Title != "" {
		title = "replicas of " + s.Title
	}
	b.label(pad, y+4, title, SizeSmall, b.th.Muted, false)
	// Command labels get a band of two rows between the title and the plot, clear of the
	// series (the renderer draws lines over rects, so a backing would not hide them).
	top, bot := y+28, y+h-18
	if len(s.Marks) > 0 {
		top = min(y+50, bot-16)
	}
	end := max(b.in.End, b.now, api.Time(api.Second))
	tx := func(t api.Time) float32 { return x0 + (x1-x0)*float32(float64(t)/float64(end)) }
	mx := max(s.Max, 1)
	vy := func(v int32) float32 { return bot - (bot-top)*float32(v)/float32(mx) }
	f.line(Line{X1: x0, Y1: bot, X2: x1, Y2: bot, W: 1, C: b.th.Muted})
	f.text(Text{X: x0 - 6, Y: vy(mx) - 6, S: fmt.Sprint(mx), Size: SizeSmall, C: b.th.Muted, Align: Right})
	f.text(Text{X: x0 - 6, Y: bot - 8, S: "0", Size: SizeSmall, C: b.th.Muted, Align: Right})
	// Mark labels take the first of two rows where they clear the labels before them; a
	// label with no room is left out (its line stays), rather than drawn over another.
	var rowEnd [2]float32
	for i := range rowEnd {
		rowEnd[i] = -1e9
	}
	var labels []Text
	for _, m := range s.Marks {
		mxp := tx(m.T)
		c := b.th.Muted
		if m.User {
			c = RGB(0xb34700)
		}
		label := b.fit(m.Label, 12, min(220, x1-mxp-3), false)
		lw := b.in.Measure(label, 12, false)
		from := top - 4 // the line reaches up to its label, if it has one
		for row := range rowEnd {
			if label == "" || mxp+3 < rowEnd[row] {
				continue
			}
			ly := y + 20 + float32(row)*14
			labels = append(labels, Text{X: mxp + 3, Y: ly, S: label, Size: 12, C: c})
			rowEnd[row] = mxp + 3 + lw + 8
			from = ly
			break
		}
		f.line(Line{X1: mxp, Y1: from, X2: mxp, Y2: bot, W: 1, C: c.Fade(0.7)})
	}
	lx := x1 + 14
	rowH := min(20, (h-22)/3) // a short chart (a small canvas) packs its legend
	for i, sr := range []struct {
		ps   []Point
		c    Color
		name string
		off  float32
	}{{s.Available, chartAvail, s.Names[0], 0}, {s.Updated, chartUpdated, s.Names[1], 2}, {s.Old, chartOld, s.Names[2], -2}} {
		if sr.name == "" {
			continue
		}
		for j, p := range sr.ps {
			if p.T > b.now {
				break
			}
			next := b.now
			if j+1 < len(sr.ps) && sr.ps[j+1].T <= b.now {
				next = sr.ps[j+1].T
			}
			yy := vy(p.V) + sr.off
			f.line(Line{X1: tx(p.T), Y1: yy, X2: tx(next), Y2: yy, W: 3, C: sr.c})
			if j+1 < len(sr.ps) && sr.ps[j+1].T <= b.now {
				f.line(Line{X1: tx(next), Y1: yy, X2: tx(next), Y2: vy(sr.ps[j+1].V) + sr.off, W: 3, C: sr.c})
			}
		}
		ly := y + 6 + float32(i)*rowH
		f.line(Line{X1: lx, Y1: ly + 8, X2: lx + 22, Y2: ly + 8, W: 4, C: sr.c})
		v := int32(0)
		for _, p := range sr.ps {
			if p.T <= b.now {
				v = p.V
			}
		}
		b.label(lx+28, ly, fmt.Sprintf("%s %d", sr.name, v), SizeSmall, b.th.Ink, false)
	}
	for _, l := range labels {
		f.text(l)
	}
	nx := tx(b.now)
	f.line(Line{X1: nx, Y1: top - 6, X2: nx, Y2: bot + 4, W: 2, C: b.th.Ink})
	f.text(Text{X: nx, Y: bot + 2, S: fmt.Sprintf("%.1fs", float64(b.now)/1000), Size: 12, C: b.th.Ink, Align: Center})
}
