//go:build js

package main

import (
	"image"
	"image/color"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"github.com/kubesim/kubesim/wasm/view"
)

// renderer draws view Frames: every rect, outline, pattern and line of a frame goes into one
// vertex buffer and one DrawTriangles call; texts follow through text/v2, whose glyphs come
// from one atlas so Ebiten batches them too.
type renderer struct {
	white    *ebiten.Image
	verts    []ebiten.Vertex
	idx      []uint16
	calls    int // draw calls issued for the last frame
	flushTo  bool
	textMs   float64 // time spent drawing the last frame's texts
	regular  *opentype.Font
	bold     *opentype.Font
	faces    map[faceKey]*text.GoXFace
	measureC map[measureKey]float32
	layouts  map[layoutKey][]text.Glyph
}

type measureKey struct {
	s    string
	size float32
	bold bool
}

func newRenderer() *renderer {
	src := ebiten.NewImage(3, 3)
	src.Fill(image.White.C)
	load := func(b []byte) *opentype.Font {
		f, err := opentype.Parse(b)
		if err != nil {
			panic(err)
		}
		return f
	}
	return &renderer{white: src.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image),
		regular: load(goregular.TTF), bold: load(gobold.TTF), faces: map[faceKey]*text.GoXFace{}, measureC: map[measureKey]float32{}, layouts: map[layoutKey][]text.Glyph{}}
}

type faceKey struct {
	size float32
	bold bool
}

// face returns a cached face. Go Regular and Go Bold (BSD-3, assets/NOTICE.md) through
// x/image's OpenType rasteriser: text/v2's GoXFace keeps the wasm smaller than its
// HarfBuzz-based GoTextFace, and our labels are plain Latin text.
func (r *renderer) face(size float32, bold, mono bool) *text.GoXFace {
	size = float32(math.Round(float64(size)*2) / 2)
	k := faceKey{size, bold}
	if f, ok := r.faces[k]; ok {
		return f
	}
	src := r.regular
	if bold {
		src = r.bold
	}
	ff, err := opentype.NewFace(src, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err)
	}
	f := text.NewGoXFace(ff)
	r.faces[k] = f
	return f
}

// measure returns the advance of s in logical pixels (cached: layout asks often).
func (r *renderer) measure(s string, size float32, bold bool) float32 {
	k := measureKey{s, size, bold}
	if w, ok := r.measureC[k]; ok {
		return w
	}
	if len(r.measureC) > 20000 {
		clear(r.measureC)
	}
	w := float32(text.Advance(s, r.face(size, bold, false)))
	r.measureC[k] = w
	return w
}

type layoutKey struct {
	s     string
	face  *text.GoXFace
	align view.Align
}

// layout returns the glyphs of s laid out at the origin with the given alignment, cached.
// Holding the glyph images keeps them alive even after text/v2's own cache forgets them.
func (r *renderer) layout(s string, face *text.GoXFace, align view.Align) []text.Glyph {
	k := layoutKey{s, face, align}
	if gs, ok := r.layouts[k]; ok {
		return gs
	}
	if len(r.layouts) > 4000 {
		clear(r.layouts) // labels come and go (pod names, times): keep the cache bounded
	}
	opts := &text.LayoutOptions{}
	switch align {
	case view.Center:
		opts.PrimaryAlign = text.AlignCenter
	case view.Right:
		opts.PrimaryAlign = text.AlignEnd
	}
	gs := text.AppendGlyphs(nil, s, face, opts)
	r.layouts[k] = gs
	return gs
}

// maxBatch keeps indexes within uint16.
const maxBatch = 65000

func (r *renderer) quad(x0, y0, x1, y1, x2, y2, x3, y3 float32, c view.Color) {
	if c.A == 0 {
		return
	}
	if len(r.verts)+4 > maxBatch {
		r.flushTo = true
	}
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	n := uint16(len(r.verts))
	for _, p := range [4][2]float32{{x0, y0}, {x1, y1}, {x2, y2}, {x3, y3}} {
		r.verts = append(r.verts, ebiten.Vertex{DstX: p[0], DstY: p[1], SrcX: 1, SrcY: 1,
			ColorR: cr * ca, ColorG: cg * ca, ColorB: cb * ca, ColorA: ca})
	}
	r.idx = append(r.idx, n, n+1, n+2, n, n+2, n+3)
}

func (r *renderer) box(x, y, w, h float32, c view.Color) {
	r.quad(x, y, x+w, y, x+w, y+h, x, y+h, c)
}

func (r *renderer) seg(x1, y1, x2, y2, w float32, c view.Color) {
	dx, dy := x2-x1, y2-y1
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	r.quad(x1+nx, y1+ny, x2+nx, y2+ny, x2-nx, y2-ny, x1-nx, y1-ny, c)
}

// dashed draws a dashed straight segment.
func (r *renderer) dashed(x1, y1, x2, y2, w float32, c view.Color, s float32) {
	l := float32(math.Hypot(float64(x2-x1), float64(y2-y1)))
	dash := 7 * s
	for a := float32(0); a < l; a += 2 * dash {
		b := min(a+dash, l)
		r.seg(x1+(x2-x1)*a/l, y1+(y2-y1)*a/l, x1+(x2-x1)*b/l, y1+(y2-y1)*b/l, w, c)
	}
}

// hatch draws 45° stripes clipped to the rectangle; dir -1 draws the other diagonal.
func (r *renderer) hatch(x, y, w, h float32, c view.Color, s float32, dir float32) {
	step := 9 * s
	lw := 2.2 * s
	for k := step / 2; k < w+h; k += step {
		if dir > 0 { // u + v = x + y + k
			cst := x + y + k
			u0, u1 := max(x, cst-y-h), min(x+w, cst-y)
			if u1 > u0 {
				r.seg(u0, cst-u0, u1, cst-u1, lw, c)
			}
		} else { // u - v = x - y - h + k
			cst := x - (y + h) + k
			u0, u1 := max(x, cst+y), min(x+w, cst+y+h)
			if u1 > u0 {
				r.seg(u0, u0-cst, u1, u1-cst, lw, c)
			}
		}
	}
}

func (r *renderer) flush(dst *ebiten.Image) {
	if len(r.idx) == 0 {
		return
	}
	op := &ebiten.DrawTrianglesOptions{AntiAlias: false}
	dst.DrawTriangles(r.verts, r.idx, r.white, op)
	r.calls++
	r.verts, r.idx = r.verts[:0], r.idx[:0]
	r.flushTo = false
}

// draw renders f scaled by s (device pixels per logical pixel).
func (r *renderer) draw(dst *ebiten.Image, f *view.Frame, s float32) {
	r.calls = 0
	dst.Fill(colorOf(f.Bg))
	for i := range f.Rects {
		rc := &f.Rects[i]
		x, y, w, h := rc.X*s, rc.Y*s, rc.W*s, rc.H*s
		solid := rc.StrokeW > 0 && rc.Stroke.A > 0 && !rc.Dashed && rc.Fill.A == 255 && rc.Stroke.A == 255
		if solid && rc.Pattern == view.Solid {
			// An opaque outlined box: the outline colour, then the fill inset (2 quads, not 5).
			sw := rc.StrokeW * s
			r.box(x, y, w, h, rc.Stroke)
			r.box(x+sw, y+sw, w-2*sw, h-2*sw, rc.Fill)
			if r.flushTo {
				r.flush(dst)
			}
			continue
		}
		r.box(x, y, w, h, rc.Fill)
		switch rc.Pattern {
		case view.Hatch:
			r.hatch(x, y, w, h, rc.PatternC, s, 1)
		case view.Cross:
			r.hatch(x, y, w, h, rc.PatternC, s, 1)
			r.hatch(x, y, w, h, rc.PatternC, s, -1)
		}
		if rc.StrokeW > 0 && rc.Stroke.A > 0 {
			sw := rc.StrokeW * s
			if rc.Dashed {
				r.dashed(x, y+sw/2, x+w, y+sw/2, sw, rc.Stroke, s)
				r.dashed(x, y+h-sw/2, x+w, y+h-sw/2, sw, rc.Stroke, s)
				r.dashed(x+sw/2, y, x+sw/2, y+h, sw, rc.Stroke, s)
				r.dashed(x+w-sw/2, y, x+w-sw/2, y+h, sw, rc.Stroke, s)
			} else {
				r.box(x, y, w, sw, rc.Stroke)
				r.box(x, y+h-sw, w, sw, rc.Stroke)
				r.box(x, y+sw, sw, h-2*sw, rc.Stroke)
				r.box(x+w-sw, y+sw, sw, h-2*sw, rc.Stroke)
			}
		}
		if r.flushTo {
			r.flush(dst)
		}
	}
	for _, l := range f.Lines {
		r.seg(l.X1*s, l.Y1*s, l.X2*s, l.Y2*s, l.W*s, l.C)
		if r.flushTo {
			r.flush(dst)
		}
	}
	r.flush(dst)
	t0 := time.Now()
	defer func() { r.textMs = float64(time.Since(t0).Microseconds()) / 1000 }()
	op := &ebiten.DrawImageOptions{}
	for _, t := range f.Texts {
		if t.C.A == 0 || t.S == "" {
			continue
		}
		// Labels are laid out once (glyph images and offsets, cached) and drawn at whole device
		// pixels, where a glyph renders exactly as text.Draw would render it there; per frame
		// only the glyph images are drawn, and Ebiten batches them from one atlas.
		x, y := math.Round(float64(t.X*s)), math.Round(float64(t.Y*s))
		var cs ebiten.ColorScale
		cs.ScaleWithColor(colorOf(t.C))
		for _, g := range r.layout(t.S, r.face(t.Size*s, t.Bold, t.Mono), t.Align) {
			if g.Image == nil {
				continue
			}
			op.GeoM.Reset()
			op.GeoM.Translate(x+g.X, y+g.Y)
			op.ColorScale = cs
			dst.DrawImage(g.Image, op)
		}
	}
	if len(f.Texts) > 0 {
		r.calls++ // glyphs from one atlas batch into (about) one call
	}
}

func colorOf(c view.Color) color.NRGBA { return color.NRGBA{c.R, c.G, c.B, c.A} }
