package scenarios_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
)

// literalRE finds what a translation must copy as written: object names, images, commands
// and quantities (web-2, nginx:1.25, deployment/web, 128Mi, kubernetes/kubernetes#67250).
var literalRE = regexp.MustCompile(`[A-Za-z0-9][\w.]*(?:[-/:#][\w.]+)+|\b\d+(?:Mi|Gi|m)\b`)

// prose are the English compounds literalRE takes for names; they are translated.
var prose = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`back-off in-place scale-down forced-rollback re-create re-created re-creates
		5-minute 3-replica three-replica requests/s taint-eviction oom-kills not-ready one-second pod-name
		anti-affinity probe-protected slow-start high-priority lower-priority dry-runs budget-violating`) {
		prose[w] = true
	}
}

// checkZh reports a missing or English-only translation, and literals of the English that
// the Chinese lost.
func checkZh(t *testing.T, where, en, zh string) {
	t.Helper()
	if en == "" {
		return
	}
	if zh == "" {
		t.Errorf("%s: no Chinese for %q", where, en)
		return
	}
	if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("%s: the Chinese %q has no Chinese characters", where, zh)
	}
	for _, lit := range literalRE.FindAllString(en, -1) {
		lit = strings.TrimRight(lit, ".")
		if !strings.Contains(zh, lit) && !prose[strings.ToLower(lit)] {
			t.Errorf("%s: the Chinese lost %q (names, images and commands stay as written)\n  en: %s\n  zh: %s", where, lit, en, zh)
		}
	}
}

// Every catalogue scenario, lesson and comparison can be shown in Simplified Chinese
// (lang=zh): titles, descriptions, captions, and the lessons' captions, questions and whys.
func TestCatalogueIsTranslated(t *testing.T) {
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Parse(name)
		if err != nil {
			t.Fatal(err)
		}
		checkZh(t, name+" title", sc.Title, sc.TitleZh)
		checkZh(t, name+" description", sc.Description, sc.DescriptionZh)
		for _, st := range sc.Timeline {
			if c, ok := strings.CutPrefix(st.Command, "caption "); ok {
				checkZh(t, fmt.Sprintf("%s: caption at %ss", name, st.At.SecondsString()), c, st.CaptionZh)
			}
		}
		if l := sc.Lesson; l != nil {
			checkZh(t, name+" lesson title", l.Title, l.TitleZh)
			for i, st := range l.Steps {
				where := fmt.Sprintf("%s: lesson step %d", name, i+1)
				checkZh(t, where+" caption", st.Caption, st.CaptionZh)
				checkZh(t, where+" why", st.Why, st.WhyZh)
				if st.Predict != nil {
					checkZh(t, where+" question", st.Predict.Question, st.Predict.QuestionZh)
				}
			}
		}
	}
	for _, name := range scenarios.ComparisonNames() {
		data, err := scenarios.ReadComparison(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := scenario.ParseComparison(name, data)
		if err != nil {
			t.Fatal(err)
		}
		checkZh(t, "comparisons/"+name+" title", c.Title, c.TitleZh)
		checkZh(t, "comparisons/"+name+" description", c.Description, c.DescriptionZh)
	}
}
