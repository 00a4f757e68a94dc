//go:build js

package main

import (
	"fmt"
	"runtime/debug"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/wasm/session"
	"github.com/kubesim/kubesim/wasm/view"
)

// app is the Ebiten game: Update advances the session by the wall time times the speed,
// Draw renders a view Frame of the displayed moment.
type app struct {
	s        *session.Session
	r        *renderer
	anim     view.Animator
	theme    view.Theme
	selected string
	chart    view.ChartView // the chart's view (tabs on the chart; auto by default)
	fatal    string

	w, h      float32 // logical size: CSS pixels divided by zoom
	scale     float32 // device pixels per logical pixel
	zoom      float32 // CSS pixels per logical pixel: 1.25 at the presenter size (size=large)
	last      time.Time
	frame     *view.Frame
	key       frameKey
	jumped    bool // the last time change was a seek: do not animate it
	cache     view.Cache
	gen       int      // bumped when the timeline forks or a scenario loads: a store version is then ambiguous
	busy      bool     // the animator is mid-motion
	drawn     bool     // the current frame is on the screen
	skipped   int      // frames not redrawn because nothing changed
	crashNext bool     // debugCrash: panic in the next Update
	shownT    api.Time // the time of the frame on the screen (kubesimFrame)
	shownOnce bool
	builtAt   time.Time // when the last frame was built
	computed  bool      // Update did its background work (a big apply, guarantees, look-ahead) since the last Draw

	// statistics for the page and the browser test
	draws      int
	drawMs     [60]float64
	buildMs    [60]float64
	firstFrame bool
}

// stateKey names the state part of a frame (view.Cache).
type stateKey struct {
	rv       int64
	gen      int
	w, h     float32
	selected string
	dark     bool
}

type frameKey struct {
	t        api.Time
	rv       int64
	past     int
	w, h     float32
	selected string
	dark     bool
	s        *session.Session
	chart    view.ChartView
}

func newApp() *app {
	return &app{r: newRenderer(), theme: view.Light, scale: 1, zoom: 1}
}

// guard turns a Go panic into a readable message on the page instead of a dead canvas.
func (a *app) guard(where string) {
	if r := recover(); r != nil {
		a.fatal = fmt.Sprintf("kubesim stopped (%s): %v\n\n%s", where, r, debug.Stack())
		reportFatal(a.fatal)
	}
}

func (a *app) Update() (err error) {
	defer a.guard("update")
	if a.fatal != "" || a.s == nil {
		a.last = time.Now()
		return nil
	}
	if a.crashNext {
		a.crashNext = false
		panic("debugCrash was called")
	}
	now := time.Now()
	// Background work, at most once per frame: Ebiten runs several Updates in a frame to
	// catch up after a slow one, and each would compute again (the page stopped answering
	// for 3 of a big apply's bursts at a time).
	if !a.computed {
		a.computed = true
		// A big apply's t=0 instant, one reconcile at a time until 8 ms are spent (the
		// longest is a ReplicaSet's burst of 500 creations).
		for a.s.Starting() && time.Since(now) < 8*time.Millisecond {
			if _, err := a.s.Compute(1); err != nil {
				notify("error", err.Error())
				break
			}
		}
		// The guarantee markers (kubesim.guarantees), once asked for: a second run of the
		// scenario, a few reconciles at a time until 6 ms of this frame are spent.
		for !a.s.Starting() && time.Since(now) < 6*time.Millisecond && a.s.ComputeGuarantees(8) {
		}
		// While paused, the timeline past its frontier, until 8 ms of this frame are spent:
		// seeking there later restores a snapshot near the target (1,000 pods on 1,000
		// nodes, 20 s to 45 s: 32 ms natively instead of 1 s).
		for time.Since(now) < 8*time.Millisecond && a.s.ComputeAhead(4) {
		}
	}
	if !a.last.IsZero() && a.s.Playing {
		if err := a.s.Tick(float64(now.Sub(a.last).Microseconds()) / 1000); err != nil {
			a.s.Playing = false
			notify("error", err.Error())
		}
	}
	a.last = now
	return nil
}

func (a *app) Draw(screen *ebiten.Image) {
	defer a.guard("draw")
	start := time.Now()
	a.computed = false
	if a.fatal != "" {
		screen.Fill(colorOf(view.RGB(0x7a1f1f)))
		return
	}
	if a.s == nil {
		screen.Fill(colorOf(a.theme.Bg))
		return
	}
	p := a.s.P
	k := frameKey{t: p.Now(), rv: p.Cluster().Store().ResourceVersion(), past: len(p.Past()), w: a.w, h: a.h,
		selected: a.selected, dark: a.theme.Dark, s: a.s, chart: a.chart}
	var buildMs float64
	if a.frame != nil && k == a.key && !a.animating() && a.drawn {
		// Nothing changed since the last frame, which is still on the screen (Ebiten does
		// not clear it: main sets SetScreenClearedEveryFrame(false)).
		a.skipped++
		return
	}
	if a.frame != nil && a.s.Starting() && time.Since(a.builtAt) < 500*time.Millisecond {
		return // computing a big apply: a picture of its progress twice a second is enough
	}
	if a.frame == nil || k != a.key || a.animating() {
		a.builtAt = time.Now()
		b0 := time.Now()
		f := view.Build(&view.Input{Store: p.Cluster().Store(), Now: p.Now(), Past: p.Past(), End: a.s.End(),
			W: a.w, H: a.h, Theme: a.theme, Selected: a.selected, Chart: a.chart, Measure: a.r.measure,
			Cache: &a.cache, Key: stateKey{k.rv, a.gen, k.w, k.h, k.selected, k.dark}})
		if a.jumped || k.s != a.key.s {
			a.anim.Reset()
			a.jumped = false
		}
		a.busy = a.anim.Apply(f, float64(time.Now().UnixMicro())/1000)
		a.frame, a.key = f, k
		buildMs = float64(time.Since(b0).Microseconds()) / 1000
	}
	a.r.draw(screen, a.frame, a.scale)
	a.drawn = true
	if k.t != a.shownT || !a.shownOnce {
		// The shell's clock shows the moment this frame draws (the chart's cursor), set
		// in the same animation frame, so the two never disagree.
		a.shownT, a.shownOnce = k.t, true
		if f := js.Global().Get("kubesimFrame"); f.Type() == js.TypeFunction {
			f.Invoke(float64(k.t) / 1000)
		}
	}
	a.record(start, buildMs)
	if !a.firstFrame {
		a.firstFrame = true
		js.Global().Set("kubesimFirstFrame", js.Global().Get("performance").Call("now"))
	}
}

// clickAt selects the object under a click (CSS pixels in the canvas page). Clicks come
// from a DOM listener in canvas.js rather than Ebiten's input polling, which can miss a
// press and release that both happen between two ticks.
func (a *app) clickAt(x, y float32) string {
	if a.frame == nil {
		return ""
	}
	ref := a.frame.HitTest(x/a.zoom, y/a.zoom)
	if v, ok := view.ChartViewOfRef(ref); ok { // a chart tab: switch the chart, keep the selection
		a.chart = v
		return ref
	}
	a.selected = ref
	notifySelect(ref, x, y)
	return ref
}

func (a *app) animating() bool { return a.busy }

func (a *app) record(start time.Time, buildMs float64) {
	a.drawMs[a.draws%len(a.drawMs)] = float64(time.Since(start).Microseconds()) / 1000
	a.buildMs[a.draws%len(a.buildMs)] = buildMs
	a.draws++
}

func (a *app) Layout(outsideW, outsideH int) (int, int) {
	dev := float32(ebiten.Monitor().DeviceScaleFactor())
	if dev <= 0 {
		dev = 1
	}
	// The presenter size lays the frame out for a smaller canvas and draws it magnified.
	w, h, s := float32(outsideW)/a.zoom, float32(outsideH)/a.zoom, dev*a.zoom
	if a.w != w || a.h != h || a.scale != s {
		a.drawn = false // the screen image is new
	}
	a.w, a.h, a.scale = w, h, s
	return int(float32(outsideW) * dev), int(float32(outsideH) * dev)
}

// stats are the frame statistics the page shows and the browser test logs.
func (a *app) stats() map[string]any {
	n := min(a.draws, len(a.drawMs))
	var sum, worst, bsum float64
	for i := range n {
		sum += a.drawMs[i]
		worst = max(worst, a.drawMs[i])
		bsum += a.buildMs[i]
	}
	avg, bavg := 0.0, 0.0
	if n > 0 {
		avg, bavg = sum/float64(n), bsum/float64(n)
	}
	st := map[string]any{"fps": ebiten.ActualFPS(), "tps": ebiten.ActualTPS(), "draws": a.draws,
		"drawMsAvg": avg, "drawMsMax": worst, "buildMsAvg": bavg, "drawCalls": a.r.calls, "skipped": a.skipped, "textMsLast": a.r.textMs}
	if a.frame != nil {
		st["rects"], st["lines"], st["texts"] = len(a.frame.Rects), len(a.frame.Lines), len(a.frame.Texts)
	}
	if a.s != nil {
		st["pods"] = a.s.P.Cluster().Store().Len("Pod")
		st["nodes"] = a.s.P.Cluster().Store().Len("Node")
	}
	return st
}
