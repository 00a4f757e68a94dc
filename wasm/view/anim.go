package view

// Animation durations in wall-clock milliseconds.
const (
	FadeIn = 350
	// Linger is how long a removed pod stays drawn as it last looked (hatched Terminating,
	// usually) before it fades: a deletion that takes a fraction of a simulated second
	// must not flash by.
	Linger  = 1200
	FadeOut = Linger + 450
	Move    = 400
)

type track struct {
	fromX, fromY float32 // where the item was drawn when its target last changed
	toX, toY     float32
	moved        float64 // wall ms of the last target change
	born         float64
}

type ghost struct {
	rects []Rect
	lines []Line
	texts []Text
	gone  float64
}

// Animator turns a sequence of Frames into smooth motion: items (pods) that appear fade in,
// items that move glide to their new place, items that disappear fade out where they were.
// It keys items by ref, so it works across frames built independently. The caller passes the
// wall-clock time; nothing here reads a clock.
type Animator struct {
	tracks map[string]*track
	ghosts map[string]*ghost
	last   *Frame
	// Off disables animation (a jump on the timeline, or prefers-reduced-motion).
	Off bool
}

// Reset forgets all motion, so the next frame is drawn as is (after a seek).
func (a *Animator) Reset() { a.tracks, a.ghosts, a.last = nil, nil, nil }

// Apply moves and fades f's items for wall time now (ms) and reports whether anything is
// still in motion.
func (a *Animator) Apply(f *Frame, now float64) bool {
	if a.tracks == nil {
		a.tracks, a.ghosts = map[string]*track{}, map[string]*ghost{}
		for ref, it := range f.Items {
			a.tracks[ref] = &track{fromX: it.X, fromY: it.Y, toX: it.X, toY: it.Y, born: now - FadeIn, moved: now - Move}
		}
		a.last = f
		return false
	}
	busy := false
	if a.last != nil && !a.Off {
		for ref, it := range a.last.Items {
			if _, ok := f.Items[ref]; !ok && a.ghosts[ref] == nil {
				g := &ghost{gone: now}
				for _, i := range it.Rects {
					g.rects = append(g.rects, a.last.Rects[i])
				}
				for _, i := range it.Lines {
					g.lines = append(g.lines, a.last.Lines[i])
				}
				for _, i := range it.Texts {
					g.texts = append(g.texts, a.last.Texts[i])
				}
				a.ghosts[ref] = g
			}
		}
	}
	for ref, it := range f.Items {
		tr := a.tracks[ref]
		if tr == nil || a.Off {
			tr = &track{fromX: it.X, fromY: it.Y, toX: it.X, toY: it.Y, born: now, moved: now - Move}
			if a.Off {
				tr.born = now - FadeIn
			}
			a.tracks[ref] = tr
			delete(a.ghosts, ref)
		}
		if tr.toX != it.X || tr.toY != it.Y {
			cx, cy := tr.pos(now)
			tr.fromX, tr.fromY, tr.toX, tr.toY, tr.moved = cx, cy, it.X, it.Y, now
		}
		x, y := tr.pos(now)
		alpha := float32(min(1, (now-tr.born)/FadeIn))
		if dx, dy := x-it.X, y-it.Y; dx != 0 || dy != 0 || alpha < 1 {
			busy = true
			for _, i := range it.Rects {
				r := &f.Rects[i]
				r.X, r.Y = r.X+dx, r.Y+dy
				r.Fill, r.Stroke, r.PatternC = r.Fill.Fade(alpha), r.Stroke.Fade(alpha), r.PatternC.Fade(alpha)
			}
			for _, i := range it.Lines {
				l := &f.Lines[i]
				l.X1, l.Y1, l.X2, l.Y2 = l.X1+dx, l.Y1+dy, l.X2+dx, l.Y2+dy
				l.C = l.C.Fade(alpha)
			}
			for _, i := range it.Texts {
				t := &f.Texts[i]
				t.X, t.Y = t.X+dx, t.Y+dy
				t.C = t.C.Fade(alpha)
			}
		}
	}
	for ref := range a.tracks {
		if _, ok := f.Items[ref]; !ok {
			delete(a.tracks, ref)
		}
	}
	for ref, g := range a.ghosts {
		alpha := float32(min(1, (FadeOut-(now-g.gone))/(FadeOut-Linger)))
		if alpha <= 0 || a.Off {
			delete(a.ghosts, ref)
			continue
		}
		busy = true
		for _, r := range g.rects {
			r.Fill, r.Stroke, r.PatternC = r.Fill.Fade(alpha), r.Stroke.Fade(alpha), r.PatternC.Fade(alpha)
			f.Rects = append(f.Rects, r)
		}
		for _, l := range g.lines {
			l.C = l.C.Fade(alpha)
			f.Lines = append(f.Lines, l)
		}
		for _, t := range g.texts {
			t.C = t.C.Fade(alpha)
			f.Texts = append(f.Texts, t)
		}
	}
	a.last = f
	return busy
}

// pos eases from the old place to the new one.
func (t *track) pos(now float64) (float32, float32) {
	p := (now - t.moved) / Move
	if p >= 1 {
		return t.toX, t.toY
	}
	p = 1 - (1-p)*(1-p)*(1-p) // ease-out cubic
	return t.fromX + (t.toX-t.fromX)*float32(p), t.fromY + (t.toY-t.fromY)*float32(p)
}
