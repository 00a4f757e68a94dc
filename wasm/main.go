//go:build js

// Command wasm is the page's canvas: an Ebiten game drawing the simulated cluster, and a JS
// bridge (window.kubesim) the HTML shell calls from the parent frame: load a scenario,
// play/pause, step, seek, speed, run a console command, read events, why-records, objects,
// YAML and frame statistics. Every bridge function returns JSON (or a plain value) and turns
// a Go panic into an error result, so the page never goes dead.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime/debug"
	"strings"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/kubesim/kubesim/core/player"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
	"github.com/kubesim/kubesim/wasm/session"
	"github.com/kubesim/kubesim/wasm/view"
)

func main() {
	mark("kubesim:go-main")
	a := newApp()
	if mm := js.Global().Get("matchMedia"); mm.Type() == js.TypeFunction {
		a.anim.Off = mm.Invoke("(prefers-reduced-motion: reduce)").Get("matches").Bool()
	}
	install(a)
	ebiten.SetWindowTitle("kubesim")
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetScreenClearedEveryFrame(false) // Draw skips unchanged frames
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ready := js.Global().Get("kubesimReady")
	if ready.Type() == js.TypeFunction {
		ready.Invoke() // the shell's init: loads the scenario and seeks to its t option
	}
	mark("kubesim:ready")
	if err := ebiten.RunGame(a); err != nil {
		reportFatal("kubesim stopped: " + err.Error())
	}
}

// mark records a moment of the page's start in the browser's performance timeline, so the
// browser test can say where the time to the first frame goes.
func mark(name string) {
	if p := js.Global().Get("performance"); p.Get("mark").Type() == js.TypeFunction {
		p.Call("mark", name)
	}
}

// reportFatal shows a Go failure in the page (canvas.html's overlay and the shell).
func reportFatal(msg string) {
	if f := js.Global().Get("kubesimFatal"); f.Type() == js.TypeFunction {
		f.Invoke(msg)
	}
}

// notify tells the shell about something that happened in the canvas (parent.kubesimEvent).
func notify(kind string, payload any) {
	b, _ := json.Marshal(map[string]any{"type": kind, "data": payload})
	if f := js.Global().Get("kubesimEvent"); f.Type() == js.TypeFunction {
		f.Invoke(string(b))
	}
}

func notifySelect(ref string, x, y float32) {
	notify("select", map[string]any{"ref": ref, "x": x, "y": y})
}

type result map[string]any

// fn wraps a bridge function: arguments in, JSON out, panics as {"error": ...}.
func fn(f func(args []js.Value) any) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				b, _ := json.Marshal(result{"error": fmt.Sprintf("internal error: %v", r), "stack": string(debug.Stack())})
				out = string(b)
			}
		}()
		v := f(args)
		if s, ok := v.(string); ok {
			return s
		}
		b, err := json.Marshal(v)
		if err != nil {
			return `{"error":"encoding: ` + strings.ReplaceAll(err.Error(), `"`, `'`) + `"}`
		}
		return string(b)
	})
}

func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

func str(args []js.Value, i int) string {
	if v := arg(args, i); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

// jsLength is the length of a JS string in UTF-16 units, read without copying the string.
func jsLength(v js.Value) int {
	if v.Type() != js.TypeString {
		return 0
	}
	return js.Global().Get("Object").Invoke(v).Get("length").Int()
}

func num(args []js.Value, i int, def float64) float64 {
	if v := arg(args, i); v.Type() == js.TypeNumber {
		return v.Float()
	}
	return def
}

func install(a *app) {
	k := js.Global().Get("Object").New()
	set := func(name string, f func(args []js.Value) any) { k.Set(name, fn(f)) }

	set("scenarios", func([]js.Value) any {
		var out []result
		for _, n := range scenarios.Names() {
			r := result{"name": n, "title": n}
			if i, ok := scenarios.Describe(n); ok && i.Title != "" {
				r["title"], r["titleZh"] = i.Title, i.TitleZh
			}
			out = append(out, r)
		}
		return out
	})
	// load(name, text?, seed?): a catalogue scenario by name, or text from the editor.
	set("load", func(args []js.Value) any {
		name := str(args, 0)
		if jsLength(arg(args, 1)) > scenario.MaxFileBytes {
			// More UTF-16 units than the limit means more UTF-8 bytes: refuse before copying.
			return result{"error": scenario.TooLarge(name).Error()}
		}
		text := str(args, 1)
		if text == "" {
			data, err := scenarios.Read(name)
			if err != nil {
				return result{"error": fmt.Sprintf("no scenario %q in the catalogue", name)}
			}
			text = string(data)
		}
		// The YAML editor's Apply (sliced) computes the t=0 instant between frames
		// (app.Update), with progress in status(): a 5,000-replica apply keeps the tab alive.
		load := session.Load
		if arg(args, 3).Truthy() {
			load = session.Begin
		}
		s, err := load(name, text, uint64(num(args, 2, 0)))
		if err != nil {
			if le, ok := err.(*session.LoadError); ok {
				return result{"error": le.Message, "lines": le.Lines}
			}
			return result{"error": err.Error()}
		}
		if a.s != nil {
			s.Speed = a.s.Speed
		}
		a.s, a.selected, a.fatal = s, "", ""
		a.gen++
		return result{"ok": true, "title": s.P.Scenario().Title}
	})
	// share(code): rebuild a shared moment (scenario, seed, time, speed, user commands).
	set("openShare", func(args []js.Value) any {
		sh, err := player.Decode(str(args, 0))
		if err != nil {
			return result{"error": err.Error()}
		}
		data, err := scenarios.Read(sh.Scenario)
		if err != nil {
			return result{"error": fmt.Sprintf("the shared scenario %q is not in the catalogue", sh.Scenario)}
		}
		s, err := session.OpenShare(sh, string(data))
		if err != nil {
			return result{"error": err.Error()}
		}
		a.s, a.selected, a.jumped = s, "", true
		a.gen++
		return result{"ok": true, "scenario": sh.Scenario}
	})
	set("play", func(args []js.Value) any {
		if a.s != nil {
			a.s.Playing = arg(args, 0).Truthy()
			if a.s.Playing && a.s.P.Now() >= a.s.End() {
				a.s.P.Seek(0)
				a.jumped = true
			}
		}
		return a.status()
	})
	set("step", func([]js.Value) any {
		if a.s != nil {
			a.s.Playing = false
			if _, err := a.s.P.Step(); err != nil {
				return result{"error": err.Error()}
			}
		}
		return a.status()
	})
	set("seek", func(args []js.Value) any {
		if a.s != nil {
			if err := a.s.Seek(num(args, 0, 0)); err != nil {
				return result{"error": err.Error()}
			}
			a.jumped = true
		}
		return a.status()
	})
	set("speed", func(args []js.Value) any {
		if a.s != nil {
			a.s.SetSpeed(num(args, 0, 1))
		}
		return a.status()
	})
	set("run", func(args []js.Value) any {
		if a.s == nil {
			return result{"error": "no scenario loaded"}
		}
		out, err := a.s.Run(str(args, 0))
		a.gen++
		r := result{"output": out}
		if err != nil {
			r["error"] = err.Error()
		}
		return r
	})
	set("status", func([]js.Value) any { return a.status() })
	// lesson(): the scenario's lesson steps and questions (null without one); playTo(t):
	// play and pause at t; lessonResult(i, given): step i's simulated answer and feedback.
	set("lesson", func([]js.Value) any {
		if a.s == nil {
			return nil
		}
		return a.s.Lesson()
	})
	set("playTo", func(args []js.Value) any {
		if a.s != nil {
			if err := a.s.PlayTo(num(args, 0, 0)); err != nil {
				return result{"error": err.Error()}
			}
			a.jumped = !a.s.Playing
		}
		return a.status()
	})
	set("lessonResult", func(args []js.Value) any {
		if a.s == nil {
			return result{"error": "no scenario loaded"}
		}
		before := a.s.P.Now()
		r, err := a.s.LessonResult(int(num(args, 0, -1)), num(args, 1, math.NaN()))
		if err != nil {
			return result{"error": err.Error()}
		}
		// Only a step evaluated away from the displayed moment seeks; a step that has
		// just played keeps its picture as it is (a jump would fade everything in again).
		a.jumped = a.jumped || a.s.P.Now() != before
		return r
	})
	// marks: the time slider's marks (captions, the timeline's actions, the user's commands).
	set("marks", func([]js.Value) any {
		if a.s == nil {
			return []session.Mark{}
		}
		return nonNil(a.s.Marks())
	})
	// guarantees: the moments a guarantee held or broke ({markers, done}); the first call
	// for a timeline starts computing them between frames, so poll until done.
	set("guarantees", func([]js.Value) any {
		if a.s == nil {
			return session.Guarantees{Markers: []session.GuaranteeMarker{}}
		}
		return a.s.Guarantees()
	})
	set("events", func(args []js.Value) any {
		if a.s == nil {
			return []session.Entry{}
		}
		return nonNil(a.s.Events(int(num(args, 0, 200))))
	})
	set("why", func(args []js.Value) any {
		if a.s == nil {
			return []session.Entry{}
		}
		return nonNil(a.s.Why(str(args, 0), int(num(args, 1, 50))))
	})
	set("objects", func([]js.Value) any {
		if a.s == nil {
			return []session.Object{}
		}
		return a.s.Objects()
	})
	set("yaml", func(args []js.Value) any {
		if a.s == nil {
			return result{"error": "no scenario loaded"}
		}
		y, err := a.s.YAML(str(args, 0))
		if err != nil {
			return result{"error": err.Error()}
		}
		return result{"yaml": y}
	})
	set("text", func([]js.Value) any {
		if a.s == nil {
			return result{"text": ""}
		}
		return result{"text": a.s.Text, "name": a.s.Name}
	})
	set("select", func(args []js.Value) any { a.selected = str(args, 0); return a.status() })
	set("theme", func(args []js.Value) any {
		a.theme = view.Light
		if str(args, 0) == "dark" {
			a.theme = view.Dark
		}
		return a.status()
	})
	// size("large"|"presenter"|""): the presenter size and presenter mode magnify the
	// canvas like the shell's text.
	set("size", func(args []js.Value) any {
		a.zoom = 1
		switch str(args, 0) {
		case "large":
			a.zoom = 1.25
		case "presenter":
			a.zoom = 1.6
		}
		return a.status()
	})
	set("stats", func([]js.Value) any { return a.stats() })
	// chart(view): what the chart shows: "replicas", "kube-state-metrics", "HPA" or "auto".
	set("chart", func(args []js.Value) any { a.chart = view.ParseChartView(str(args, 0)); return a.status() })
	set("clickAt", func(args []js.Value) any {
		return result{"ref": a.clickAt(float32(num(args, 0, -1)), float32(num(args, 1, -1)))}
	})
	// where(ref): the object's clickable box in the canvas (CSS pixels), for tests and tours.
	set("where", func(args []js.Value) any {
		if a.frame != nil {
			ref := str(args, 0)
			for _, h := range a.frame.Hits {
				if h.Ref == ref {
					z := a.zoom
					return result{"x": h.X * z, "y": h.Y * z, "w": h.W * z, "h": h.H * z}
				}
			}
		}
		return result{"error": "not on screen"}
	})
	// debugCrash makes the next Update panic: the browser test checks that a Go panic
	// leaves a readable message, not a dead page.
	set("debugCrash", func([]js.Value) any { a.crashNext = true; return result{"ok": true} })
	installCompare(a, set) // compare.go
	js.Global().Set("kubesim", k)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (a *app) status() result {
	if a.s == nil {
		return result{"loaded": false}
	}
	p := a.s.P
	caption, captionAt := a.s.CaptionAt()
	r := result{"loaded": true, "t": float64(p.Now()) / 1000, "end": float64(a.s.End()) / 1000,
		"playing": a.s.Playing, "speed": a.s.Speed, "caption": caption, "captionAt": float64(captionAt) / 1000, "name": a.s.Name,
		"title": p.Scenario().Title, "description": p.Scenario().Description, "selected": a.selected,
		"captionZh": a.s.CaptionZh(caption), "titleZh": p.Scenario().TitleZh, "descriptionZh": p.Scenario().DescriptionZh,
		"share": a.s.Share(), "userActions": len(p.Log()), "chart": a.chart.String(), "drawnT": float64(a.shownT) / 1000,
		"animating": a.animating(), "knownTo": float64(p.KnownTo()) / 1000}
	if err := p.Err(); err != nil {
		r["error"] = err.Error()
	}
	if a.s.Starting() {
		_, pending := p.Computing()
		r["computing"] = result{"pending": pending, "pods": p.Cluster().Store().Len("Pod")}
	}
	return r
}
