package view

import (
	"fmt"
	"math"
	"sort"

	"github.com/kubesim/kubesim/core/api"
)

// The overview is the zoomed-out drawing of a big cluster (issue 14: 1,000 nodes): when
// node cards would be too small to hold a title and a row of pods, nodes are drawn as tiles
// grouped by zone, each tile a bar of its pods' status mix, and every zone card says its
// counts. A tile is a node's hit region, so a click still selects it for Why? and describe.

// Card sizes below which a node card cannot show its title and one row of pods.
const (
	minCardW = 64
	minCardH = 40
	tileGap  = 2
	maxTile  = 28
	// zoneHeader is a zone card's title line and two lines of counts.
	zoneHeader = 70
)

// drawOrder is the order of statuses in summary bars and tiles: the legend's, then the rest.
var drawOrder = append(append([]Status(nil), legendOrder...), Failed, Unknown)

// needsOverview reports whether n node cards are too many for the area aw×ah.
func needsOverview(n int, aw, ah float32) bool {
	if n <= 24 { // a few nodes on a small canvas read better as compact cards
		return false
	}
	cols := int((aw + pad) / (minCardW + pad))
	rows := int((ah + pad) / (minCardH + pad))
	return n > cols*rows
}

// zoneGroup is one zone's nodes in the overview.
type zoneGroup struct {
	name  string
	nodes []nodeBox
}

// zoneOf names a node's zone in the overview ("(no zone)" without the label).
func zoneOf(n *api.Node) string {
	if z := n.Labels[api.LabelZone]; z != "" {
		return z
	}
	return "(no zone)"
}

// overview draws boxes (the unscheduled pseudo-node first, if any) between y0 and y1.
func (b *builder) overview(boxes []nodeBox, y0, y1 float32) {
	aw := b.in.W - 2*pad
	if len(boxes) > 0 && boxes[0].node == nil {
		// Pods waiting for a node: one summary card across the width.
		const h = 84
		b.nodeCard(boxes[0], pad, y0, aw, h, false, 0)
		boxes, y0 = boxes[1:], y0+h+pad
	}
	byZone := map[string]*zoneGroup{}
	var zones []*zoneGroup
	for _, bx := range boxes {
		z := zoneOf(bx.node)
		g := byZone[z]
		if g == nil {
			g = &zoneGroup{name: z}
			byZone[z] = g
			zones = append(zones, g)
		}
		g.nodes = append(g.nodes, bx)
	}
	sort.SliceStable(zones, func(i, j int) bool {
		if (zones[i].name == "(no zone)") != (zones[j].name == "(no zone)") {
			return zones[j].name == "(no zone)"
		}
		return zones[i].name < zones[j].name
	})
	if len(zones) == 0 {
		return
	}
	most, fullest := 1, 1
	for _, z := range zones {
		most = max(most, len(z.nodes))
		for _, bx := range z.nodes {
			fullest = max(fullest, len(bx.pods))
		}
	}
	// The grid of zone cards that gives the largest tiles for the fullest zone.
	ah := y1 - y0
	bestCols, bestS := 1, float32(0)
	for cols := 1; cols <= len(zones); cols++ {
		rows := (len(zones) + cols - 1) / cols
		cw := (aw-float32(cols-1)*pad)/float32(cols) - 2*pad
		ch := (ah-float32(rows-1)*pad)/float32(rows) - zoneHeader - pad
		if s := tileSide(most, cw, ch); s > bestS {
			bestCols, bestS = cols, s
		}
	}
	cols := bestCols
	rows := (len(zones) + cols - 1) / cols
	cw := (aw - float32(cols-1)*pad) / float32(cols)
	chh := (ah - float32(rows-1)*pad) / float32(rows)
	for i, z := range zones {
		x := pad + float32(i%cols)*(cw+pad)
		y := y0 + float32(i/cols)*(chh+pad)
		b.zoneCard(z, x, y, cw, chh, bestS, fullest)
	}
}

// tileSide is the largest tile side (at most maxTile) for n tiles in a w×h area, or 0.
func tileSide(n int, w, h float32) float32 {
	if w <= 0 || h <= 0 {
		return 0
	}
	s := min(maxTile, float32(math.Sqrt(float64(w*h)/float64(n))))
	for ; s >= 3; s -= 0.5 {
		per := int((w + tileGap) / (s + tileGap))
		if per > 0 && float32((n+per-1)/per)*(s+tileGap) <= h+tileGap {
			return s
		}
	}
	return 0
}

// zoneCard draws one zone: its name, counts, and a tile per node.
func (b *builder) zoneCard(z *zoneGroup, x, y, w, h, s float32, fullest int) {
	b.card(x, y, w, h, "")
	var count [numStatus]int
	pods, notReady := 0, 0
	for _, bx := range z.nodes {
		for _, p := range bx.pods {
			count[Classify(p.Status, p.Ready, p.Terminating)]++
		}
		pods += len(bx.pods)
		if !bx.node.IsReady() && len(bx.node.Status.Conditions) > 0 || bx.node.Annotations["kubesim.dev/failed"] == "true" {
			notReady++
		}
	}
	title := fmt.Sprintf("%s · %s nodes", z.name, thousands(len(z.nodes)))
	b.label(x+pad, y+8, b.fit(title, SizeTitle, w-2*pad, true), SizeTitle, b.th.Ink, true)
	if notReady > 0 {
		if tw := b.in.Measure(title+"  ", SizeTitle, true); tw < w-3*pad {
			b.label(x+pad+tw, y+8, b.fit(thousands(notReady)+" NotReady", SizeTitle, w-2*pad-tw, true), SizeTitle, RGB(0xb34700), true)
		}
	}
	parts := []string{thousands(pods) + " pods"}
	for _, st := range drawOrder {
		if count[st] > 0 {
			parts = append(parts, thousands(count[st])+" "+shortLabels[st])
		}
	}
	for i, line := range wrapParts(parts, " · ", 2, func(s string) bool { return b.in.Measure(s, SizeSmall, false) <= w-2*pad }) {
		b.label(x+pad, y+30+float32(i)*17, b.fit(line, SizeSmall, w-2*pad, false), SizeSmall, b.th.Muted, false)
	}
	if s <= 0 {
		return
	}
	per := max(1, int((w-2*pad+tileGap)/(s+tileGap)))
	for i, bx := range z.nodes {
		b.tile(bx, x+pad+float32(i%per)*(s+tileGap), y+zoneHeader+float32(i/per)*(s+tileGap), s, fullest)
	}
}

// tile draws a node as an s×s square filled from the bottom with its pods, one band per
// status in legend order; a full tile is the most pods any node has, so the tiles compare
// load at a glance (an empty node is an empty square). A NotReady or failed node is
// crossed out, a cordoned one dashed.
func (b *builder) tile(bx nodeBox, x, y, s float32, fullest int) {
	ref := "Node/" + bx.name
	n := bx.node
	stroke, sw, dashed := b.th.CardStroke, float32(1), n.Spec.Unschedulable
	failed := n.Annotations["kubesim.dev/failed"] == "true" || !n.IsReady() && len(n.Status.Conditions) > 0
	if failed {
		stroke, sw = RGB(0xb34700), 2
	}
	if ref == b.in.Selected {
		stroke, sw = b.th.Selected, 3
	}
	b.f.rect(Rect{X: x, Y: y, W: s, H: s, Fill: b.th.Bg, Stroke: stroke, StrokeW: sw, Dashed: dashed && s >= 8})
	if len(bx.pods) > 0 {
		var count [numStatus]int
		for _, p := range bx.pods {
			count[Classify(p.Status, p.Ready, p.Terminating)]++
		}
		inner := s - 2
		top := y + 1 + inner
		for _, st := range drawOrder {
			if count[st] == 0 {
				continue
			}
			bh := inner * float32(count[st]) / float32(fullest)
			top -= bh
			b.f.rect(Rect{X: x + 1, Y: top, W: inner, H: bh, Fill: styles[st].Stroke})
		}
	}
	if failed {
		b.f.rect(Rect{X: x, Y: y, W: s, H: s, Fill: Color{}, Pattern: Cross, PatternC: RGB(0xb34700).Fade(0.6)})
	}
	b.f.hit(x, y, s, s, ref)
}

// shortLabels name the statuses in a zone's counts, short enough for two lines.
var shortLabels = [numStatus]string{Ready: "Ready", NotReady: "not ready", Creating: "creating", Pending: "Pending",
	Terminating: "Terminating", CrashLoop: "crashing", ImagePull: "image errors", Completed: "Completed",
	Failed: "Failed", Unknown: "Unknown"}

// wrapParts joins parts with sep into at most n lines that fit (the last takes the rest).
func wrapParts(parts []string, sep string, n int, fits func(string) bool) []string {
	var lines []string
	cur := ""
	for _, p := range parts {
		switch {
		case cur == "":
			cur = p
		case fits(cur+sep+p) || len(lines) == n-1:
			cur += sep + p
		default:
			lines, cur = append(lines, cur), p
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
