package main

import (
	"fmt"
	"sort"
	"strings"
)

func table() ([]*Result, error) {
	var rows []*Result
	for _, name := range catalogueScenarios() {
		sc, err := load(name)
		if err != nil {
			return nil, err
		}
		r, err := compareScenario(sc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func markdown(rows []*Result) string {
	var b strings.Builder
	used := map[string]bool{}
	b.WriteString("| scenario | result | replayed from kubesim (not run upstream) | known divergences and why |\n|---|---|---|---|\n")
	for _, r := range rows {
		res := "pass"
		switch {
		case !r.Pass:
			res = fmt.Sprintf("**fail** (%d unexplained)", len(r.Unexplained))
		case len(r.Diffs) > 0:
			res = fmt.Sprintf("pass (%d known)", len(r.Diffs))
		}
		why := "—"
		if len(r.Reasons) > 0 {
			why = strings.Join(r.Reasons, ", ")
			for _, s := range r.Reasons {
				used[s] = true
			}
		}
		replayed := "—"
		if len(r.Unsupported) > 0 {
			replayed = strings.Join(r.Unsupported, "; ")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.Name, res, oneLine(replayed), oneLine(why))
	}
	if len(used) > 0 {
		b.WriteString("\nKnown divergences:\n\n")
		reasons := knownReasons()
		var names []string
		for s := range used {
			names = append(names, s)
		}
		sort.Strings(names)
		for _, s := range names {
			fmt.Fprintf(&b, "- **%s**: %s\n", s, reasons[s])
		}
	}
	return b.String()
}
