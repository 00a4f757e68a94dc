package view

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// Input is what one frame is built from.
type Input struct {
	Store *store.Store
	Now   api.Time
	// Past is the trace up to Now (the replica chart and the action marks read it).
	Past []trace.Record
	// End is the right edge of the chart's time axis (the computed horizon or the
	// scenario's length); the chart extends to Now when End is earlier.
	End api.Time
	// W and H are the canvas size in logical (CSS) pixels.
	W, H     float32
	Theme    Theme
	Selected string // ref of the selected object, outlined
	// Chart is the chart's view (ChartAuto: the HPA view when there is an HPA).
	Chart ChartView
	// Cache, when set, keeps the state part of the frame between calls with equal Key.
	Cache *Cache
	Key   any
	// Measure returns the width of s at a font size; nil uses an estimate.
	Measure func(s string, size float32, bold bool) float32
}

// Font sizes in logical pixels: large enough to read from the back of a classroom.
const (
	SizeTitle = 18
	SizeBody  = 15
	SizeSmall = 13
)

const (
	pad      = 10
	chipW    = 190
	minChipW = 150 // narrower chips still show a pod's name end and its STATUS
	chipH    = 50
	chipGap  = 8
	pvcH     = 18
	minChart = 90
	// smallChart is the least the chart shrinks to so that the nodes keep minNodes.
	smallChart = 64
	minNodes   = 96
)

type builder struct {
	// fits is cleared when the layout had to fall back to compact squares or the
	// workloads take too much height: a magnified layout is then rejected.
	fits bool
	in   *Input
	f    *Frame
	th   Theme
	st   *trace.State
	now  api.Time
	// chartH is the replica chart's height: 17% of the canvas, less when the workload
	// cards leave the nodes too little room (a short, narrow canvas).
	chartH float32
	// chipW and rowH are the pod chips' width and row pitch in the node cards.
	chipW, rowH float32
	// validUntil, when set, is when the state part stops being right for later moments
	// (a DNS highlight ends): the cache does not reuse it from then on.
	validUntil api.Time
	// ordinalsShown is the most ordinals a StatefulSet card shows (the DNS panel's height).
	ordinalsShown int
}

// zooms are the magnifications Build tries for small clusters, largest first: a classroom
// projector should show four pods big, not lost in empty cards.
var zooms = []float32{1.6, 1.4, 1.2}

// maxZoomPods is the pod count above which Build does not try to magnify.
const maxZoomPods = 60

// Cache keeps the state-dependent part of the last frame, so frames between two instants
// (playing: only the time moves) rebuild just the chart. Key must change whenever the
// state may differ (the app uses the store's resource version and a fork counter).
type Cache struct {
	key    any
	base   *Frame
	z      float32
	st     *trace.State
	chartH float32
	// from and until bound the moments the base is right for (see builder.validUntil).
	from, until api.Time
}

// Build lays out one frame. Small clusters are magnified as far as full pod chips still fit.
func Build(in *Input) *Frame {
	if in.Measure == nil {
		in.Measure = estimate
	}
	c := in.Cache
	if c != nil && c.base != nil && in.Key != nil && c.key == in.Key && in.Now >= c.from && (c.until == 0 || in.Now < c.until) {
		// Items are shared with the cached base: nothing changes them in a frame built from
		// the cache (the chart is appended after them and the animator only reads them), and
		// copying a thousand of them every frame was most of a cached build.
		f := c.base.clone(false)
		b := &builder{in: in, th: in.Theme, now: in.Now, st: c.st, f: f}
		zin := *in
		zin.W, zin.H = in.W/c.z, in.H/c.z
		b.in = &zin
		r0, l0, t0, h0 := len(f.Rects), len(f.Lines), len(f.Texts), len(f.Hits)
		b.chart(zin.H-c.chartH, c.chartH)
		f.scaleFrom(c.z, r0, l0, t0)
		f.scaleHitsFrom(c.z, h0) // the chart's view tabs
		return f
	}
	st := trace.BuildState(in.Store)
	z, b := float32(1), (*builder)(nil)
	if len(st.Pods) <= maxZoomPods {
		for _, zz := range zooms {
			zin := *in
			zin.W, zin.H = in.W/zz, in.H/zz
			if bb := buildBase(&zin, st); bb.fits {
				z, b = zz, bb
				break
			}
		}
	}
	if b == nil {
		b = buildBase(in, st)
	}
	if c != nil {
		base := b.f.clone(true)
		base.scaleFrom(z, 0, 0, 0)
		base.W, base.H = in.W, in.H
		c.key, c.base, c.z, c.st, c.chartH = in.Key, base, z, st, b.chartH
		c.from, c.until = in.Now, b.validUntil
	}
	b.chart(b.in.H-b.chartH, b.chartH)
	b.f.scaleFrom(z, 0, 0, 0)
	b.f.W, b.f.H = in.W, in.H
	return b.f
}

// buildBase lays out everything but the chart.
func buildBase(in *Input, st *trace.State) *builder {
	b := &builder{in: in, th: in.Theme, now: in.Now, st: st, fits: true,
		f: &Frame{W: in.W, H: in.H, Bg: in.Theme.Bg, Items: map[string]*Item{}}}
	b.chartH = float32(math.Max(minChart, float64(in.H)*0.17))
	y := b.workloads(pad)
	legH := b.legendH()
	if room := in.H - b.chartH - legH - pad - (y + pad); room < minNodes {
		// The HPA view's legend has four rows (14 px each, under the 22 px of axis).
		floor := float32(smallChart)
		if len(st.HPAs) > 0 {
			floor = 22 + 4*14
		}
		b.chartH = max(floor, b.chartH-(minNodes-room))
	}
	nodesBottom := in.H - b.chartH - legH - pad
	b.fits = b.fits && y < in.H*0.4
	b.nodes(y+pad, nodesBottom)
	b.legendRows(nodesBottom + 4)
	return b
}

// clone copies a frame's primitives (items are shared: they are only read).
func (f *Frame) clone(copyItems bool) *Frame {
	g := *f
	g.Rects = append(make([]Rect, 0, len(f.Rects)+64), f.Rects...)
	g.Lines = append(make([]Line, 0, len(f.Lines)+64), f.Lines...)
	g.Texts = append(make([]Text, 0, len(f.Texts)+32), f.Texts...)
	g.Hits = append([]Hit(nil), f.Hits...)
	if copyItems { // otherwise shared, read-only
		items := make(map[string]*Item, len(f.Items))
		for k, v := range f.Items {
			it := *v
			items[k] = &it
		}
		g.Items = items
	}
	return &g
}

// scaleFrom multiplies coordinates and sizes by z (a magnified layout onto the real
// canvas), for the primitives from the given indexes on; hits and items are scaled when
// scaling from the start.
func (f *Frame) scaleFrom(z float32, r0, l0, t0 int) {
	if z == 1 {
		return
	}
	for i := r0; i < len(f.Rects); i++ {
		r := &f.Rects[i]
		r.X, r.Y, r.W, r.H, r.StrokeW = r.X*z, r.Y*z, r.W*z, r.H*z, r.StrokeW*z
	}
	for i := l0; i < len(f.Lines); i++ {
		l := &f.Lines[i]
		l.X1, l.Y1, l.X2, l.Y2, l.W = l.X1*z, l.Y1*z, l.X2*z, l.Y2*z, l.W*z
	}
	for i := t0; i < len(f.Texts); i++ {
		t := &f.Texts[i]
		t.X, t.Y, t.Size = t.X*z, t.Y*z, t.Size*z
	}
	if r0 != 0 {
		return
	}
	for i := range f.Hits {
		h := &f.Hits[i]
		h.X, h.Y, h.W, h.H = h.X*z, h.Y*z, h.W*z, h.H*z
	}
	for _, it := range f.Items {
		it.X, it.Y = it.X*z, it.Y*z
	}
}

// estimate approximates Go Regular/Bold advance widths.
func estimate(s string, size float32, bold bool) float32 {
	w := float32(0.56)
	if bold {
		w = 0.6
	}
	return float32(len([]rune(s))) * size * w
}

// fit shortens s with an ellipsis until it fits in w.
func (b *builder) fit(s string, size, w float32, bold bool) string {
	if b.in.Measure(s, size, bold) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; b.in.Measure(t, size, bold) <= w {
			return t
		}
	}
	return ""
}

func (b *builder) card(x, y, w, h float32, ref string) {
	stroke, sw := b.th.CardStroke, float32(1.5)
	if ref != "" && ref == b.in.Selected {
		stroke, sw = b.th.Selected, 3
	}
	b.f.rect(Rect{X: x, Y: y, W: w, H: h, Fill: b.th.Card, Stroke: stroke, StrokeW: sw})
	if ref != "" {
		b.f.hit(x, y, w, h, ref)
	}
}

func (b *builder) label(x, y float32, s string, size float32, c Color, bold bool) int {
	return b.f.text(Text{X: x, Y: y, S: s, Size: size, C: c, Bold: bold})
}

// fitMiddle shortens s by replacing its middle with an ellipsis, keeping the end (a pod
// name's random suffix tells pods apart).
func (b *builder) fitMiddle(s string, size, w float32, bold bool) string {
	if b.in.Measure(s, size, bold) <= w {
		return s
	}
	r := []rune(s)
	keep := min(6, len(r)/2)
	head, tail := r[:len(r)-keep], r[len(r)-keep:]
	for len(head) > 1 {
		head = head[:len(head)-1]
		if t := string(head) + "…" + string(tail); b.in.Measure(t, size, bold) <= w {
			return t
		}
	}
	return b.fit(s, size, w, bold)
}

// workloads draws one card per Deployment (with its ReplicaSets) and StatefulSet (with its
// ordinals and their claims), and the DNS panel; it returns the bottom edge.
func (b *builder) workloads(y float32) float32 {
	x := float32(pad)
	bottom := y
	place := func(w, h float32) (float32, float32) {
		if x+w > b.in.W-pad && x > pad {
			x, y = pad, bottom+pad
		}
		cx, cy := x, y
		x += w + pad
		bottom = max(bottom, cy+h)
		return cx, cy
	}
	for _, d := range b.st.Deployments {
		var rss []trace.ReplicaSetState
		for _, rs := range b.st.ReplicaSets {
			if rs.Owner == "Deployment/"+bare(d.Name) && (rs.SpecReplicas > 0 || rs.Replicas > 0) {
				rss = append(rss, rs)
			}
		}
		sort.Slice(rss, func(i, j int) bool { return rss[i].Revision > rss[j].Revision })
		w := b.cardW(430)
		title := "Deployment " + d.Name
		status := fmt.Sprintf("%d desired · %d updated · %d available", d.Replicas, d.Updated, d.Available)
		top := b.headH(w, title, status)
		h := top + float32(26*max(1, len(rss)))
		cx, cy := place(w, h)
		ref := "Deployment/" + nsRef(d.Name)
		b.card(cx, cy, w, h, ref)
		b.head(cx, cy, w, title, status)
		// Columns: badge, ReplicaSet name, bar, "n/m ready"; name and bar share what a narrow
		// card has left (430 px: name 150, bar 120).
		inner := w - 2*pad
		nameW := min(150, max(60, (inner-132)/2))
		barX := 42 + nameW + 8
		barW := inner - 90 - barX
		for i, rs := range rss {
			ry := cy + top + float32(i)*26
			b.revBadge(cx+pad, ry, rs.Revision)
			name := b.fit(bare(rs.Name), SizeSmall, nameW, false)
			b.label(cx+pad+42, ry+2, name, SizeSmall, b.th.Ink, false)
			b.bar(cx+pad+barX, ry+3, barW, 14, rs.Ready, rs.Replicas, rs.SpecReplicas)
			b.label(cx+pad+barX+barW+10, ry+2, fmt.Sprintf("%d/%d ready", rs.Ready, rs.SpecReplicas), SizeSmall, b.th.Ink, false)
			b.f.hit(cx, ry, w, 24, "ReplicaSet/"+nsRef(rs.Name))
		}
		b.hpaCards("Deployment", d.Name, place)
	}
	for _, s := range b.st.StatefulSets {
		pods, pvcs := b.ordinals(bare(s.Name))
		// Ordinals up to the highest of: desired, a live pod, a claim left behind (claims
		// outlive their pods: whenScaled/whenDeleted Retain).
		n := int(s.Replicas)
		for i := range pods {
			n = max(n, i+1)
		}
		for i := range pvcs {
			n = max(n, i+1)
		}
		// Room for at least four ordinals, so scaling 1 -> 4 does not resize the card and
		// move its neighbours.
		b.ordinalsShown = max(b.ordinalsShown, n)
		w := b.cardW(float32(max(330, 2*pad+max(n, 4)*slotW-8)))
		claims := 1
		for _, cs := range pvcs {
			claims = max(claims, len(cs))
		}
		rowH := float32(30 + claims*(claimH+4) + 8)
		// Ordinals wrap onto more rows in a narrow card: every one stays visible.
		perRow := max(1, int((w-2*pad+8)/slotW))
		title := "StatefulSet " + s.Name
		status := fmt.Sprintf("%d desired · %d current · %d ready", s.Replicas, s.Current, s.Ready)
		top := b.headH(w, title, status)
		h := top + rowH*float32(max(1, (n+perRow-1)/perRow))
		cx, cy := place(w, h)
		b.card(cx, cy, w, h, "StatefulSet/"+nsRef(s.Name))
		b.head(cx, cy, w, title, status)
		cw := float32(slotW - 8)
		for i := 0; i < n; i++ {
			ox := cx + pad + float32(i%perRow)*slotW
			oy := cy + top + float32(i/perRow)*rowH
			name := fmt.Sprintf("%s-%d", bare(s.Name), i)
			if p, ok := pods[i]; ok {
				st := styles[Classify(p.Status, p.Ready, p.Terminating)]
				b.f.rect(Rect{X: ox, Y: oy, W: cw, H: 24, Fill: st.Fill, Stroke: st.Stroke, StrokeW: 2, Dashed: st.Dashed, Pattern: st.Pattern, PatternC: st.Stroke.Fade(0.5)})
				b.f.text(Text{X: ox + cw/2, Y: oy + 4, S: b.fit(name, SizeSmall, cw-6, true), Size: SizeSmall, C: b.th.Chip, Bold: true, Align: Center})
				b.f.hit(ox, oy, cw, 24, "Pod/"+nsRef(name))
			} else {
				b.f.rect(Rect{X: ox, Y: oy, W: cw, H: 24, Fill: b.th.Card, Stroke: b.th.Faint, StrokeW: 2, Dashed: true})
				b.f.text(Text{X: ox + cw/2, Y: oy + 4, S: b.fit(name, SizeSmall, cw-6, false), Size: SizeSmall, C: b.th.Muted, Align: Center})
			}
			if i%perRow > 0 {
				b.f.line(Line{X1: ox - 8, Y1: oy + 12, X2: ox - 1, Y2: oy + 12, W: 2, C: b.th.Muted})
			}
			for k, c := range pvcs[i] {
				b.claim(ox, oy+30+float32(k)*(claimH+4), cw, c)
			}
		}
		b.hpaCards("StatefulSet", s.Name, place)
	}
	if len(b.st.DNS) > 0 {
		b.dns(place)
	}
	return bottom
}

// dnsRowH is the pitch of the DNS panel's rows; dnsRecent how long a record that appeared
// or went away stays highlighted (simulated time).
const (
	dnsRowH   = 19
	dnsRecent = 5 * api.Second
)

// dnsRow is one line of the DNS panel.
type dnsRow struct {
	text string
	// gone: the record went away within dnsRecent (drawn struck through); fresh: it appeared.
	gone, fresh bool
}

// dns draws every record of the cluster's DNS, short names first (the per-pod A records a
// StatefulSet lesson is about, then the Service's A and SRV records), in as many columns
// as the canvas needs. Records that appeared in the last dnsRecent are highlighted, those
// that went away are kept, struck through, for as long.
func (b *builder) dns(place func(w, h float32) (float32, float32)) {
	now := map[string]bool{}
	var rows []dnsRow
	for _, r := range b.st.DNS {
		now[dnsLine(r)] = true
	}
	before, _ := b.dnsBefore()
	for _, r := range b.st.DNS {
		l := dnsLine(r)
		rows = append(rows, dnsRow{text: l, fresh: before != nil && !before[l]})
	}
	for l := range before {
		if !now[l] {
			rows = append(rows, dnsRow{text: l, gone: true})
		}
	}
	// A records of single names (web-0.nginx) first, then the Service's, then SRV.
	rank := func(r dnsRow) int {
		switch {
		case strings.HasPrefix(r.text, "A ") && strings.Count(strings.Fields(r.text)[1], ".") >= 1:
			return 0
		case strings.HasPrefix(r.text, "SRV"):
			return 2
		}
		return 1
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if a, c := rank(rows[i]), rank(rows[j]); a != c {
			return a < c
		}
		return rows[i].text < rows[j].text
	})
	colW := float32(0)
	for _, r := range rows {
		colW = max(colW, b.in.Measure(r.text, SizeSmall, false)+2*pad)
	}
	maxW := b.in.W - 2*pad
	colW = min(colW, maxW)
	// Up to a third of the canvas tall; more columns for more records.
	perCol := max(4, int((b.in.H*0.33-36)/dnsRowH))
	cols := min((len(rows)+perCol-1)/perCol, max(1, int(maxW/colW)))
	// Room for the records of every ordinal (A, the Service's A, SRV), so the panel does
	// not grow and push the nodes down as pods become ready.
	perCol = max((len(rows)+cols-1)/cols, min(perCol, 3*b.ordinalsShown))
	w := max(colW*float32(cols), 200)
	h := float32(36 + dnsRowH*perCol)
	cx, cy := place(w, h)
	b.card(cx, cy, w, h, "")
	b.label(cx+pad, cy+8, "Cluster DNS", SizeBody, b.th.Ink, true)
	if before != nil { // a key to the two marks, drawn as they are
		gw, nw := b.in.Measure("gone", SizeSmall, false), b.in.Measure("new", SizeSmall, false)
		gx := cx + w - pad - gw
		nx := gx - 12 - nw
		if nx > cx+pad+b.in.Measure("Cluster DNS", SizeBody, true)+pad {
			b.f.rect(Rect{X: nx - 4, Y: cy + 8, W: nw + 8, H: dnsRowH - 2, Fill: styles[Ready].Fill})
			b.f.text(Text{X: nx, Y: cy + 10, S: "new", Size: SizeSmall, C: RGB(0x111418)})
			b.f.text(Text{X: gx, Y: cy + 10, S: "gone", Size: SizeSmall, C: b.th.Muted})
			b.f.line(Line{X1: gx, Y1: cy + 10 + SizeSmall/2 + 1, X2: gx + gw, Y2: cy + 10 + SizeSmall/2 + 1, W: 1.5, C: RGB(0xb34700)})
		}
	}
	for i, r := range rows {
		x, y := cx+float32(i/perCol)*colW+pad, cy+32+float32(i%perCol)*dnsRowH
		s := b.fit(r.text, SizeSmall, colW-2*pad, false)
		c := b.th.Ink
		switch {
		case r.fresh:
			b.f.rect(Rect{X: x - 4, Y: y - 2, W: b.in.Measure(s, SizeSmall, false) + 8, H: dnsRowH - 2, Fill: styles[Ready].Fill})
			c = RGB(0x111418)
		case r.gone:
			c = b.th.Muted
			b.f.line(Line{X1: x, Y1: y + SizeSmall/2 + 1, X2: x + b.in.Measure(s, SizeSmall, false), Y2: y + SizeSmall/2 + 1, W: 1.5, C: RGB(0xb34700)})
		}
		b.f.text(Text{X: x, Y: y, S: s, Size: SizeSmall, C: c, Mono: true})
	}
}

// dnsShort drops the cluster domain and the default namespace: web-0.nginx.
func dnsShort(n string) string {
	n = strings.TrimSuffix(strings.TrimSuffix(n, "."), ".svc.cluster.local")
	return strings.TrimSuffix(n, ".default")
}

// dnsLine is a record as the panel prints it: "A     web-0.nginx 10.244.1.2".
func dnsLine(r trace.DNSState) string {
	data := r.Data
	if r.Type == "SRV" { // "priority weight port target": shorten the target
		if f := strings.Fields(data); len(f) == 4 {
			data = strings.Join(append(f[:3], dnsShort(f[3])), " ")
		}
	}
	return fmt.Sprintf("%-3s %s %s", r.Type, dnsShort(r.Name), data)
}

// until notes that this frame's state part is only valid before t (a highlight ends).
func (b *builder) until(t api.Time) {
	if b.validUntil == 0 || t < b.validUntil {
		b.validUntil = t
	}
}

// dnsBefore returns the DNS lines of the last recorded state that differed from now within
// dnsRecent (nil if none), and when that change happened. It also bounds how long this frame's
// state part may be reused from the cache: the highlight ends dnsRecent after the change.
// The engine records most states as deltas: the state before the last delta that changed
// an answer is now's answers with that delta undone.
func (b *builder) dnsBefore() (map[string]bool, api.Time) {
	same := func(st *trace.State) bool {
		if len(st.DNS) != len(b.st.DNS) {
			return false
		}
		for i, r := range st.DNS {
			if r != b.st.DNS[i] {
				return false
			}
		}
		return true
	}
	past := b.in.Past
	next := b.now // the time of the state after the one looked at: when a change came
	for i := len(past) - 1; i >= 0; i-- {
		r := past[i]
		var before map[string]bool
		switch d := r.Delta; {
		case d != nil && (r.Type == trace.TypeDelta || r.Type == trace.TypeState):
			if len(d.DNS) == 0 && len(d.Removed.DNS) == 0 {
				next = r.T // the state before r answered as now
			} else {
				next, before = r.T, map[string]bool{}
				for _, a := range b.st.DNS {
					before[dnsLine(a)] = true
				}
				for _, a := range d.DNS {
					delete(before, dnsLine(a))
				}
				for _, key := range d.Removed.DNS { // "name type data"
					name, rest, _ := strings.Cut(key, " ")
					typ, data, _ := strings.Cut(rest, " ")
					before[dnsLine(trace.DNSState{Name: name, Type: typ, Data: data})] = true
				}
			}
		case r.Type == trace.TypeState && r.State != nil: // the first state, or a hand-made trace's
			if !same(r.State) {
				before = map[string]bool{}
				for _, d := range r.State.DNS {
					before[dnsLine(d)] = true
				}
				break
			}
			next = r.T
		default:
			continue
		}
		if next < b.now.Add(-dnsRecent) {
			return nil, 0
		}
		if before != nil {
			b.until(next.Add(dnsRecent))
			return before, next
		}
	}
	return nil, 0
}

// cardW is a card's width: its natural width w, or the canvas's when that is narrower.
func (b *builder) cardW(w float32) float32 {
	return min(w, b.in.W-2*pad)
}

// headH is the height of a card's heading: its title with the status beside it, or below
// it when the card is too narrow for both on one line.
func (b *builder) headH(w float32, title, status string) float32 {
	if b.in.Measure(title, SizeTitle, true)+b.in.Measure(status, SizeSmall, false)+3*pad > w {
		return 38 + 20
	}
	return 38
}

// head draws a card's title and status line (see headH).
func (b *builder) head(x, y, w float32, title, status string) {
	b.label(x+pad, y+8, b.fit(title, SizeTitle, w-2*pad, true), SizeTitle, b.th.Ink, true)
	if b.headH(w, title, status) > 38 {
		b.label(x+pad, y+32, b.fit(status, SizeSmall, w-2*pad, false), SizeSmall, b.th.Muted, false)
		return
	}
	b.f.text(Text{X: x + w - pad, Y: y + 11, S: status, Size: SizeSmall, C: b.th.Muted, Align: Right})
}

// ordinals returns a StatefulSet's pods by ordinal and the claims of each ordinal
// ("<template>-<set>-<ordinal>"), which stay when the pod is gone.
func (b *builder) ordinals(set string) (map[int]trace.PodState, map[int][]trace.PVCState) {
	pods := map[int]trace.PodState{}
	for _, p := range b.st.Pods {
		if p.Owner == "StatefulSet/"+set {
			if i, ok := ordinal(bare(p.Name), set); ok {
				pods[i] = p
			}
		}
	}
	pvcs := map[int][]trace.PVCState{}
	for _, c := range b.st.PVCs {
		name := bare(c.Name)
		k := strings.LastIndex(name, "-"+set+"-")
		if k < 0 {
			continue
		}
		if i, ok := ordinal(name[k+1:], set); ok {
			pvcs[i] = append(pvcs[i], c)
		}
	}
	return pods, pvcs
}

func ordinal(name, set string) (int, bool) {
	rest, ok := strings.CutPrefix(name, set+"-")
	if !ok || rest == "" {
		return 0, false
	}
	n := 0
	for _, r := range rest {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

// slotW is the pitch of a StatefulSet's ordinals; claimH the height of a claim under one.
const (
	slotW  = 124
	claimH = 46
)

// claim draws a claim under its ordinal: its name, its phase and the volume it is bound
// to, dashed while Pending.
func (b *builder) claim(x, y, w float32, c trace.PVCState) {
	fill, ink := RGB(0xe7e2f7), RGB(0x3d2a7a)
	if c.Phase != "Bound" {
		fill = RGB(0xf4f1fb)
	}
	b.f.rect(Rect{X: x, Y: y, W: w, H: claimH, Fill: fill, Stroke: RGB(0x6a51b5), StrokeW: 1.5, Dashed: c.Phase != "Bound"})
	b.f.text(Text{X: x + w/2, Y: y + 2, S: b.fit(bare(c.Name), 12, w-6, false), Size: 12, C: ink, Align: Center})
	phase := c.Phase
	if phase == "" {
		phase = "Pending"
	}
	b.f.text(Text{X: x + w/2, Y: y + 16, S: phase, Size: 12, C: ink, Bold: true, Align: Center})
	if c.Volume != "" {
		b.f.text(Text{X: x + w/2, Y: y + 30, S: b.fitMiddle(c.Volume, 12, w-6, false), Size: 12, C: ink, Align: Center})
	}
	b.f.hit(x, y, w, claimH, "PersistentVolumeClaim/"+nsRef(c.Name))
}

func (b *builder) pvc(x, y, w float32, c trace.PVCState) {
	fill, ink := RGB(0xe7e2f7), RGB(0x3d2a7a)
	if c.Phase != "Bound" {
		fill = RGB(0xf4f1fb)
	}
	b.f.rect(Rect{X: x, Y: y, W: w, H: pvcH, Fill: fill, Stroke: RGB(0x6a51b5), StrokeW: 1.5, Dashed: c.Phase != "Bound"})
	s := b.fit(bare(c.Name), 12, w-6, false)
	b.f.text(Text{X: x + w/2, Y: y + 2, S: s, Size: 12, C: ink, Align: Center})
	b.f.hit(x, y, w, pvcH, "PersistentVolumeClaim/"+nsRef(c.Name))
}

// revBadge draws "rev N" in a pill whose shade alternates by revision.
func (b *builder) revBadge(x, y float32, rev int64) {
	fill := RGB(0x1f3a68)
	if rev%2 == 0 {
		fill = RGB(0x6a1b63)
	}
	b.f.rect(Rect{X: x, Y: y, W: 36, H: 20, Fill: fill})
	b.f.text(Text{X: x + 18, Y: y + 2, S: fmt.Sprintf("v%d", rev), Size: SizeSmall, C: RGB(0xffffff), Bold: true, Align: Center})
}

// bar draws ready (solid) and created-not-ready (light) against desired.
func (b *builder) bar(x, y, w, h float32, ready, current, desired int32) {
	b.f.rect(Rect{X: x, Y: y, W: w, H: h, Fill: b.th.Faint})
	total := max(desired, current, 1)
	cw := w * float32(current) / float32(total)
	rw := w * float32(ready) / float32(total)
	b.f.rect(Rect{X: x, Y: y, W: cw, H: h, Fill: styles[Creating].Fill})
	b.f.rect(Rect{X: x, Y: y, W: rw, H: h, Fill: styles[Ready].Stroke})
	if desired < total {
		mx := x + w*float32(desired)/float32(total)
		b.f.line(Line{X1: mx, Y1: y - 3, X2: mx, Y2: y + h + 3, W: 2, C: b.th.Ink})
	}
}

// bare drops a "namespace/" prefix; nsRef makes "default/name" from a bare name.
func bare(n string) string {
	if i := strings.LastIndex(n, "/"); i >= 0 {
		return n[i+1:]
	}
	return n
}

func nsRef(n string) string {
	if strings.Contains(n, "/") {
		return n
	}
	return "default/" + n
}
