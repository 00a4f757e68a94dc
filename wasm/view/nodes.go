package view

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// Unscheduled is the pseudo-node that holds pods without a node.
const Unscheduled = "(not scheduled)"

type nodeBox struct {
	name string
	node *api.Node
	pods []trace.PodState
}

// podsByNode groups pods by node name, each group in the pods' order. The groups share one
// array sized by a first count: appending 10,000 pods to growing per-node slices was half
// of view.Build on 1,000 nodes.
func podsByNode(pods []trace.PodState) map[string][]trace.PodState {
	counts := map[string]int{}
	for _, p := range pods {
		counts[p.Node]++
	}
	byNode := make(map[string][]trace.PodState, len(counts))
	buf := make([]trace.PodState, len(pods))
	for _, p := range pods {
		g, ok := byNode[p.Node]
		if !ok {
			n := counts[p.Node]
			g, buf = buf[:0:n], buf[n:]
		}
		byNode[p.Node] = append(g, p)
	}
	return byNode
}

// nodes lays out node cards in a grid between y0 and y1, pods as chips inside them.
func (b *builder) nodes(y0, y1 float32) {
	var boxes []nodeBox
	byNode := podsByNode(b.st.Pods)
	if ps := byNode[""]; len(ps) > 0 {
		boxes = append(boxes, nodeBox{name: Unscheduled, pods: ps})
	}
	for _, n := range store.ListAs[*api.Node](b.in.Store, "Node", "") {
		boxes = append(boxes, nodeBox{name: n.Name, node: n, pods: byNode[n.Name]})
	}
	if len(boxes) == 0 {
		b.f.text(Text{X: b.in.W / 2, Y: (y0 + y1) / 2, S: "No nodes yet", Size: SizeTitle, C: b.th.Muted, Align: Center})
		return
	}
	aw, ah := b.in.W-2*pad, y1-y0
	if needsOverview(len(boxes), aw, ah) {
		b.fits = false
		b.overview(boxes, y0, y1)
		return
	}
	maxPods := 1
	for _, bx := range boxes {
		maxPods = max(maxPods, len(bx.pods))
	}
	// Choose the grid (columns) and chip size that show the most detail: full chips when
	// they fit, else compact squares.
	bestCols, bestFull, bestSq := len(boxes), false, float32(0)
	// Full chips: the most columns (cards side by side) whose cards still hold the
	// fullest node, with chips narrowed from chipW down to minChipW if need be.
	b.rowH = chipH + chipGap
	if len(b.st.PVCs) > 0 {
		b.rowH += pvcH
	}
	for cols := len(boxes); cols >= 1 && !bestFull; cols-- {
		rows := (len(boxes) + cols - 1) / cols
		cw := (aw-float32(cols-1)*pad)/float32(cols) - 2*pad
		ch := (ah-float32(rows-1)*pad)/float32(rows) - 36 - pad
		fitRows := int(ch / b.rowH)
		if cw <= 0 || fitRows < 1 {
			continue
		}
		per := (maxPods + fitRows - 1) / fitRows
		w := min(chipW, (cw-float32(per-1)*chipGap)/float32(per))
		if w >= minChipW {
			bestCols, bestFull, b.chipW = cols, true, w
		}
	}
	// Else compact squares: the grid that gives the largest squares.
	for cols := 1; cols <= len(boxes) && !bestFull; cols++ {
		rows := (len(boxes) + cols - 1) / cols
		cw := (aw-float32(cols-1)*pad)/float32(cols) - 2*pad
		ch := (ah-float32(rows-1)*pad)/float32(rows) - 36 - pad
		if cw <= 0 || ch < 8 {
			continue
		}
		// squares of side s, n per row, so that ceil(maxPods/n)*s <= ch
		s := float32(math.Sqrt(float64(cw*ch) / float64(maxPods)))
		for s > 4 {
			n := int((cw + 3) / (s + 3))
			if n > 0 && float32((maxPods+n-1)/n)*(s+3) <= ch {
				break
			}
			s -= 1
		}
		s = min(s, 40)
		if s > bestSq {
			bestCols, bestSq = cols, s
		}
	}
	// A magnified layout must keep chips at full width: narrowed ones cut pod names.
	b.fits = b.fits && bestFull && b.chipW >= chipW
	cols := bestCols
	rows := (len(boxes) + cols - 1) / cols
	cw := (aw - float32(cols-1)*pad) / float32(cols)
	chh := (ah - float32(rows-1)*pad) / float32(rows)
	for i, bx := range boxes {
		x := pad + float32(i%cols)*(cw+pad)
		y := y0 + float32(i/cols)*(chh+pad)
		b.nodeCard(bx, x, y, cw, chh, bestFull, bestSq)
	}
}

func (b *builder) nodeCard(bx nodeBox, x, y, w, h float32, full bool, sq float32) {
	ref := "Node/" + bx.name
	if bx.node == nil {
		ref = ""
	}
	b.card(x, y, w, h, ref)
	title, sub, subC := bx.name, "", b.th.Muted
	if n := bx.node; n != nil {
		var milli int64
		for _, p := range bx.pods {
			if pod, ok := store.GetAs[*api.Pod](b.in.Store, "Pod", nsRef(p.Name)); ok && !pod.IsTerminal() {
				for _, c := range pod.Spec.Containers {
					milli += c.Resources.Requests[api.ResourceCPU].Milli
				}
			}
		}
		var parts []string
		if z := n.Labels[api.LabelZone]; z != "" {
			parts = append(parts, z)
		}
		if alloc, ok := n.Status.Allocatable["cpu"]; ok {
			parts = append(parts, fmt.Sprintf("cpu %s/%s", cpuString(milli), cpuString(alloc.Milli)))
		}
		sub = strings.Join(parts, " · ")
		// The title says what kubectl get nodes says (NotReady once the node controller has
		// noticed); a failed node's kubelet is down before that, which the sub-line says.
		if !n.IsReady() && len(n.Status.Conditions) > 0 {
			title += "  NotReady"
		}
		if n.Annotations["kubesim.dev/failed"] == "true" {
			b.f.rect(Rect{X: x, Y: y, W: w, H: h, Fill: Color{}, Pattern: Cross, PatternC: RGB(0xb34700).Fade(0.25)})
			sub, subC = "kubelet stopped", RGB(0xb34700)
		}
		if n.Spec.Unschedulable {
			title += "  (cordoned)"
		}
	} else {
		sub = fmt.Sprintf("%d pods waiting for a node", len(bx.pods))
	}
	b.label(x+pad, y+8, b.fit(title, SizeTitle, w-2*pad, true), SizeTitle, b.th.Ink, true)
	if sub != "" {
		b.f.text(Text{X: x + w - pad, Y: y + 11, S: sub, Size: SizeSmall, C: subC, Align: Right})
		if b.in.Measure(title, SizeTitle, true)+b.in.Measure(sub, SizeSmall, false)+3*pad > w {
			b.texts(-1) // sub overlaps the title: drop it
		}
	}
	pods := append([]trace.PodState(nil), bx.pods...)
	sort.SliceStable(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })
	cx, cy := x+pad, y+36
	if full {
		perRow := max(1, int((w-2*pad+chipGap)/(b.chipW+chipGap)+0.01))
		for i, p := range pods {
			px := cx + float32(i%perRow)*(b.chipW+chipGap)
			py := cy + float32(i/perRow)*b.rowH
			b.chip(p, px, py, b.chipW, chipH)
		}
		return
	}
	n := max(1, int((w-2*pad+3)/(sq+3)))
	if sq <= 0 || float32((len(pods)+n-1)/n)*(sq+3) > h-36-pad+3 {
		b.summary(pods, x, y, w, h)
		return
	}
	for i, p := range pods {
		b.square(p, cx+float32(i%n)*(sq+3), cy+float32(i/n)*(sq+3), sq)
	}
}

// summary draws a card's pods as counts when even the smallest squares do not fit (5,000
// replicas waiting for a node): a bar split by status, and one line per status.
func (b *builder) summary(pods []trace.PodState, x, y, w, h float32) {
	var count [numStatus]int
	for _, p := range pods {
		count[Classify(p.Status, p.Ready, p.Terminating)]++
	}
	bx, by, bw := x+pad, y+36, w-2*pad
	if h < 36+18+pad {
		return
	}
	b.f.rect(Rect{X: bx, Y: by, W: bw, H: 16, Fill: b.th.Faint})
	off := float32(0)
	for _, s := range drawOrder {
		if count[s] == 0 {
			continue
		}
		st := styles[s]
		sw := bw * float32(count[s]) / float32(len(pods))
		b.f.rect(Rect{X: bx + off, Y: by, W: sw, H: 16, Fill: st.Fill, Stroke: st.Stroke, StrokeW: 1.5, Pattern: st.Pattern, PatternC: st.Stroke.Fade(0.35)})
		off += sw
	}
	ly := by + 24
	b.label(bx, ly, fmt.Sprintf("%s pods", thousands(len(pods))), SizeBody, b.th.Ink, true)
	for _, s := range drawOrder {
		if count[s] == 0 || ly+2*20 > y+h-4 {
			continue
		}
		ly += 20
		b.label(bx, ly, fmt.Sprintf("%s %s", thousands(count[s]), styles[s].Label), SizeSmall, b.th.Ink, false)
	}
}

// thousands writes n with thousands separators: 5,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// texts removes the last n texts (n < 0: one).
func (b *builder) texts(n int) {
	if n < 0 {
		n = 1
	}
	b.f.Texts = b.f.Texts[:len(b.f.Texts)-n]
}

// chip draws a full pod chip: name, STATUS column, restarts, QoS class, revision badge,
// status icon, and the pod's claims below it.
func (b *builder) chip(p trace.PodState, x, y, w, h float32) {
	ref := "Pod/" + nsRef(p.Name)
	it := &Item{X: x, Y: y}
	st := styles[Classify(p.Status, p.Ready, p.Terminating)]
	stroke, sw := st.Stroke, float32(2.5)
	if ref == b.in.Selected {
		stroke, sw = b.th.Selected, 4
	}
	it.Rects = append(it.Rects, b.f.rect(Rect{X: x, Y: y, W: w, H: h, Fill: st.Fill, Stroke: stroke, StrokeW: sw, Dashed: st.Dashed,
		Pattern: st.Pattern, PatternC: st.Stroke.Fade(0.35)}))
	name := bare(p.Name)
	it.Texts = append(it.Texts, b.f.text(Text{X: x + 8, Y: y + 6, S: b.fitMiddle(name, SizeBody, w-16-(36+4)*boolf(p.Revision > 0), true), Size: SizeBody, C: b.th.Chip, Bold: true}))
	status := p.Status
	if p.Restarts > 0 {
		status += fmt.Sprintf(" (%d)", p.Restarts)
	}
	it.Texts = append(it.Texts, b.f.text(Text{X: x + 30, Y: y + 27, S: b.fit(status, SizeSmall, w-38, false), Size: SizeSmall, C: b.th.Chip}))
	b.qosBadge(it, p, status, x+30, x+w-8, y+27)
	b.icon(it, st.Icon, x+8, y+28, 15, st.Stroke)
	if p.Revision > 0 {
		r0 := len(b.f.Rects)
		t0 := len(b.f.Texts)
		b.revBadge(x+w-40, y+5, p.Revision)
		it.Rects = append(it.Rects, r0)
		it.Texts = append(it.Texts, t0)
	}
	b.usageBars(it, p, x, y, w, h)
	b.f.hit(x, y, w, h, ref)
	b.f.Items[ref] = it
	for i, c := range b.claimsOf(p) {
		r0, t0 := len(b.f.Rects), len(b.f.Texts)
		b.pvc(x+float32(i)*(w/2+2), y+h+2, w-float32(len(b.claimsOf(p))-1)*(w/2+2), c)
		it.Rects = append(it.Rects, r0)
		it.Texts = append(it.Texts, t0)
	}
}

// claimsOf returns the claims a pod mounts.
func (b *builder) claimsOf(p trace.PodState) []trace.PVCState {
	pod, ok := store.GetAs[*api.Pod](b.in.Store, "Pod", nsRef(p.Name))
	if !ok {
		return nil
	}
	var out []trace.PVCState
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim == nil {
			continue
		}
		name := v.PersistentVolumeClaim.ClaimName
		c := trace.PVCState{Name: name, Phase: "Pending"}
		for _, s := range b.st.PVCs {
			if bare(s.Name) == name {
				c = s
			}
		}
		out = append(out, c)
		if len(out) == 2 {
			break
		}
	}
	return out
}

// square draws a compact pod: a coloured square with its pattern and outline, no text.
func (b *builder) square(p trace.PodState, x, y, s float32) {
	ref := "Pod/" + nsRef(p.Name)
	st := styles[Classify(p.Status, p.Ready, p.Terminating)]
	it := &Item{X: x, Y: y}
	stroke := st.Stroke
	if ref == b.in.Selected {
		stroke = b.th.Selected
	}
	it.Rects = append(it.Rects, b.f.rect(Rect{X: x, Y: y, W: s, H: s, Fill: st.Fill, Stroke: stroke, StrokeW: max(1, s/10), Dashed: st.Dashed && s >= 12,
		Pattern: st.Pattern, PatternC: st.Stroke.Fade(0.5)}))
	if s >= 16 {
		b.icon(it, st.Icon, x+s*0.2, y+s*0.2, s*0.6, st.Stroke)
	}
	b.f.hit(x, y, s, s, ref)
	b.f.Items[ref] = it
}

func boolf(v bool) float32 {
	if v {
		return 1
	}
	return 0
}

// icon draws a status icon from lines in an s×s box at (x, y).
func (b *builder) icon(it *Item, ic Icon, x, y, s float32, c Color) {
	w := max(1.5, s/6)
	l := func(x1, y1, x2, y2 float32) {
		it.Lines = append(it.Lines, b.f.line(Line{X1: x + x1*s, Y1: y + y1*s, X2: x + x2*s, Y2: y + y2*s, W: w, C: c}))
	}
	switch ic {
	case IconCheck:
		l(0.05, 0.55, 0.4, 0.9)
		l(0.4, 0.9, 0.95, 0.1)
	case IconCross:
		l(0.1, 0.1, 0.9, 0.9)
		l(0.9, 0.1, 0.1, 0.9)
	case IconArrow:
		l(0.5, 0.05, 0.5, 0.9)
		l(0.15, 0.55, 0.5, 0.9)
		l(0.85, 0.55, 0.5, 0.9)
	case IconDots:
		for _, dx := range []float32{0.1, 0.45, 0.8} {
			l(dx, 0.5, dx+0.12, 0.5)
		}
	case IconClock:
		l(0.5, 0.1, 0.5, 0.55)
		l(0.5, 0.55, 0.85, 0.55)
		l(0.1, 0.1, 0.9, 0.1)
		l(0.1, 0.95, 0.9, 0.95)
	case IconBang:
		l(0.5, 0.0, 0.5, 0.6)
		l(0.5, 0.8, 0.5, 0.98)
	case IconSquare:
		it.Rects = append(it.Rects, b.f.rect(Rect{X: x + 0.15*s, Y: y + 0.15*s, W: 0.7 * s, H: 0.7 * s, Fill: c}))
	}
}

var legendOrder = []Status{Ready, NotReady, Creating, Pending, Terminating, CrashLoop, ImagePull, Completed}

// legendH is the height of the legend: as many rows of legendRowH as the canvas's width
// needs for every entry.
func (b *builder) legendH() float32 {
	return float32(b.legendRows(-1)) * legendRowH
}

const legendRowH = 24

// legendRows lays the legend out from y (y < 0: measure only) and returns its row count.
func (b *builder) legendRows(y float32) int {
	x0 := float32(pad) + 48
	x, rows := x0, 1
	if y >= 0 {
		b.label(pad, y+3, "Pods:", SizeSmall, b.th.Ink, true)
	}
	for _, s := range legendOrder {
		st := styles[s]
		w := b.in.Measure(st.Label, SizeSmall, false)
		if x+26+w > b.in.W-pad && x > x0 {
			x, rows = x0, rows+1
		}
		if y < 0 {
			x += 25 + w + 16
			continue
		}
		y := y + float32(rows-1)*legendRowH
		it := &Item{}
		b.f.rect(Rect{X: x, Y: y + 1, W: 20, H: 18, Fill: st.Fill, Stroke: st.Stroke, StrokeW: 2, Dashed: st.Dashed, Pattern: st.Pattern, PatternC: st.Stroke.Fade(0.35)})
		b.icon(it, st.Icon, x+4, y+4, 12, st.Stroke)
		b.label(x+25, y+3, st.Label, SizeSmall, b.th.Ink, false)
		x += 25 + w + 16
	}
	// The usage bars' key, an entry like the others when a pod has them.
	if w := b.usageLegendW(); w > 0 {
		if x+w > b.in.W-pad && x > x0 {
			x, rows = x0, rows+1
		}
		if y >= 0 {
			b.usageLegend(x, y+float32(rows-1)*legendRowH)
		}
	}
	return rows
}

// cpuString renders milli-CPU as kubectl would: "2", "1.5", "250m".
func cpuString(m int64) string {
	// Always in cores ("0.25/4", not "250m/4"), so two node cards read alike.
	return strconv.FormatFloat(float64(m)/1000, 'f', -1, 64)
}
