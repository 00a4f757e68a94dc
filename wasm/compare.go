//go:build js

package main

import (
	"math"
	"strings"
	"syscall/js"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
	"github.com/kubesim/kubesim/wasm/session"
)

// installCompare adds what the side-by-side page (compare.html, compare.js) needs to the
// bridge: the comparison to show, a clock the shell drives, and each side's counts.
func installCompare(a *app, set func(name string, f func(args []js.Value) any)) {
	// comparisons(): the catalogue's comparisons, for the page's picker.
	set("comparisons", func([]js.Value) any {
		out := []result{}
		for _, n := range scenarios.ComparisonNames() {
			r := result{"name": strings.TrimSuffix(n, ".yaml"), "title": n}
			if data, err := scenarios.ReadComparison(n); err == nil {
				if c, err := scenario.ParseComparison(n, data); err == nil && c.Title != "" {
					r["title"], r["titleZh"] = c.Title, c.TitleZh
				}
			}
			out = append(out, r)
		}
		return out
	})
	// comparison(name, query): a catalogue comparison by name, or, with name "", the URL's
	// options {scenario, b, seta: [], setb: [], labela, labelb, seed}.
	set("comparison", func(args []js.Value) any {
		q := arg(args, 1)
		var cq scenario.ComparisonQuery
		if q.Type() == js.TypeObject {
			get := func(k string) string {
				if v := q.Get(k); v.Type() == js.TypeString {
					return v.String()
				}
				return ""
			}
			list := func(k string) []string {
				var out []string
				if v := q.Get(k); v.Type() == js.TypeObject {
					for i := range min(v.Length(), scenario.MaxSets+1) {
						out = append(out, v.Index(i).String())
					}
				}
				return out
			}
			cq = scenario.ComparisonQuery{Scenario: get("scenario"), B: get("b"), SetA: list("seta"), SetB: list("setb"),
				LabelA: get("labela"), LabelB: get("labelb")}
			if v := q.Get("seed"); v.Type() == js.TypeNumber && v.Float() >= 0 {
				cq.Seed = uint64(v.Float())
			}
		}
		r, err := session.Comparison(str(args, 0), cq)
		if err != nil {
			return result{"error": err.Error()}
		}
		return r
	})
	// follow(t, jump): show the moment t seconds, rounded to the millisecond (the engine's
	// clock), so the shell's clock and both sides agree exactly. The shell's clock calls it
	// on both sides every frame while playing (no jump: pods fade in and out as when a
	// page plays), and with jump true when the slider, Step or Reset moved it.
	set("follow", func(args []js.Value) any {
		if a.s != nil {
			a.s.Playing = false
			ms := min(max(math.Round(num(args, 0, 0)*1000), 0), float64(a.s.End()))
			if math.IsNaN(ms) {
				return result{"error": "follow: the time is not a number"}
			}
			if err := a.s.P.Seek(api.Time(ms)); err != nil {
				return result{"error": err.Error()}
			}
			a.jumped = a.jumped || arg(args, 1).Truthy()
		}
		return a.status()
	})
	set("counts", func([]js.Value) any {
		if a.s == nil {
			return result{"error": "no scenario loaded"}
		}
		c, err := a.s.Counts()
		if err != nil {
			return result{"error": err.Error()}
		}
		return c
	})
}
