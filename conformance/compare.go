package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// tolerance is how far apart in virtual time the two sides may do the same thing.
const tolerance = 1000 // ms

// Diff is one difference between kubesim and upstream.
type Diff struct {
	T    int64
	What string
}

func (d Diff) String() string { return fmt.Sprintf("%9s  %s", ms(d.T), d.What) }

// compare lists the differences: per series, the first point where the sequences of
// values differ or their times are more than the tolerance apart; per event, one that the
// other side did not emit within the tolerance.
func compare(ks, up *Run) []Diff {
	var diffs []Diff
	names := map[string]bool{}
	for n := range ks.Series {
		names[n] = true
	}
	for n := range up.Series {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		k, u := ks.Series[n], up.Series[n]
		for i := 0; i < len(k) || i < len(u); i++ {
			switch {
			case i >= len(u):
				diffs = append(diffs, Diff{k[i].T, fmt.Sprintf("%s: kubesim %q, upstream stays %s", n, k[i].V, last(u))})
			case i >= len(k):
				diffs = append(diffs, Diff{u[i].T, fmt.Sprintf("%s: upstream %q, kubesim stays %s", n, u[i].V, last(k))})
			case k[i].V != u[i].V:
				diffs = append(diffs, Diff{min(k[i].T, u[i].T), fmt.Sprintf("%s: kubesim %q at %s, upstream %q at %s", n, k[i].V, ms(k[i].T), u[i].V, ms(u[i].T))})
			case abs(k[i].T-u[i].T) > tolerance:
				diffs = append(diffs, Diff{min(k[i].T, u[i].T), fmt.Sprintf("%s: %q at %s in kubesim, at %s upstream", n, k[i].V, ms(k[i].T), ms(u[i].T))})
			default:
				continue
			}
			break
		}
	}
	used := make([]bool, len(up.Events))
	for _, e := range ks.Events {
		found := false
		for j, f := range up.Events {
			if !used[j] && f.Text == e.Text && abs(f.T-e.T) <= tolerance {
				used[j], found = true, true
				break
			}
		}
		if !found {
			diffs = append(diffs, Diff{e.T, "event only in kubesim: " + e.Text})
		}
	}
	for j, f := range up.Events {
		if !used[j] {
			diffs = append(diffs, Diff{f.T, "event only upstream: " + f.Text})
		}
	}
	sort.SliceStable(diffs, func(i, j int) bool { return diffs[i].T < diffs[j].T })
	return diffs
}

func last(ps []Point) string {
	if len(ps) == 0 {
		return "absent"
	}
	return fmt.Sprintf("%q", ps[len(ps)-1].V)
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Known is a difference understood and accepted, with the reason.
type Known struct {
	Match *regexp.Regexp
	// Short names the divergence in the table; Reason explains it below the table.
	Short, Reason string
	// From: only differences from this instant on (ms).
	From int64
}

// explain splits diffs into those a known divergence covers (with the reasons used) and
// the rest.
func explain(diffs []Diff, known []Known) (unexplained []Diff, reasons []string) {
	used := map[string]bool{}
	for _, d := range diffs {
		ok := false
		for _, k := range known {
			if d.T >= k.From && k.Match.MatchString(d.What) {
				ok = true
				if !used[k.Short] {
					used[k.Short] = true
					reasons = append(reasons, k.Short)
				}
				break
			}
		}
		if !ok {
			unexplained = append(unexplained, d)
		}
	}
	return unexplained, reasons
}

func oneLine(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
