package view

// Color is 8-bit RGBA, not premultiplied.
type Color struct{ R, G, B, A uint8 }

// RGB returns an opaque colour from 0xRRGGBB.
func RGB(hex uint32) Color { return Color{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 255} }

// Fade returns c with its alpha multiplied by a (0..1).
func (c Color) Fade(a float32) Color {
	if a >= 1 {
		return c
	}
	if a < 0 {
		a = 0
	}
	c.A = uint8(float32(c.A) * a)
	return c
}

// Pattern is a fill decoration drawn over a rectangle's fill.
type Pattern uint8

// Patterns.
const (
	Solid Pattern = iota
	Hatch         // diagonal stripes (Terminating)
	Cross         // crossed stripes (image pull errors)
)

// Rect is a filled rectangle with an optional outline.
type Rect struct {
	X, Y, W, H float32
	Fill       Color
	Stroke     Color
	StrokeW    float32
	Dashed     bool
	Pattern    Pattern
	PatternC   Color
}

// Line is a thick straight line.
type Line struct {
	X1, Y1, X2, Y2 float32
	W              float32
	C              Color
}

// Align is a text alignment.
type Align uint8

// Alignments.
const (
	Left Align = iota
	Center
	Right
)

// Text is one line of text; (X, Y) is the top of the line at the alignment point.
type Text struct {
	X, Y  float32
	S     string
	Size  float32
	C     Color
	Bold  bool
	Mono  bool
	Align Align
}

// Hit is a clickable region naming an object ("Pod/default/web-0", "Node/node-1").
type Hit struct {
	X, Y, W, H float32
	Ref        string
}

// Frame is everything drawn for one moment, back to front: rects, then lines, then texts.
type Frame struct {
	W, H  float32
	Bg    Color
	Rects []Rect
	Lines []Line
	Texts []Text
	Hits  []Hit
	// Items maps an animated object ("Pod/default/web-0") to the indexes of its primitives,
	// so the animator can move and fade them together.
	Items map[string]*Item
}

// Item lists the primitives that belong to one animated object and its laid-out box.
type Item struct {
	X, Y         float32
	Rects, Lines []int
	Texts        []int
}

// HitTest returns the ref of the topmost region containing (x, y), or "".
func (f *Frame) HitTest(x, y float32) string {
	for i := len(f.Hits) - 1; i >= 0; i-- {
		h := f.Hits[i]
		if x >= h.X && x < h.X+h.W && y >= h.Y && y < h.Y+h.H {
			return h.Ref
		}
	}
	return ""
}

func (f *Frame) rect(r Rect) int { f.Rects = append(f.Rects, r); return len(f.Rects) - 1 }
func (f *Frame) line(l Line) int { f.Lines = append(f.Lines, l); return len(f.Lines) - 1 }
func (f *Frame) text(t Text) int { f.Texts = append(f.Texts, t); return len(f.Texts) - 1 }
func (f *Frame) hit(x, y, w, h float32, ref string) {
	f.Hits = append(f.Hits, Hit{x, y, w, h, ref})
}
