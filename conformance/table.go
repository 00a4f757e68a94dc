package main

import (
	"fmt"
	"strings"
)

func table() ([]*Result, error) {
	var rows []*Result
	for _, name := range deploymentScenarios {
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
	b.WriteString("| scenario | result | known divergences and why |\n|---|---|---|\n")
	for _, r := range rows {
		res := "pass"
		switch {
		case !r.Pass:
			res = fmt.Sprintf("**fail** (%d unexplained)", len(r.Unexplained))
		case len(r.Diffs) > 0:
			res = fmt.Sprintf("pass (%d known)", len(r.Diffs))
		}
		why := "none: same sizes, status and events within 1 s"
		if len(r.Reasons) > 0 {
			why = strings.Join(r.Reasons, "; ")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", r.Name, res, oneLine(why))
	}
	return b.String()
}
