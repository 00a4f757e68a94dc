package scenario_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
)

// lessonHeader is a scenario (lines 1-7) before the Lesson document, which starts at line 8.
const lessonHeader = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
until: 60s
timeline:
  - {at: 0s, caption: hi}
---
apiVersion: kubesim.dev/v1alpha1
kind: Lesson
metadata: {name: l}
`

func TestParseLesson(t *testing.T) {
	sc, err := scenario.Parse("t.yaml", []byte(lessonHeader+`title: Counting
steps:
  - {at: 5s, caption: first}
  - at: 10s
    caption: second
    why: because
    predict:
      question: How many?
      choices: [1, 2]
      check: "count pods -l app=web,tier=a image=web:1.0 ready=true terminating=false revision=2"
      expect: 2
  - at: 20s
    caption: third
    predict: {question: "Which?", check: "max-ordinal pods status=Running"}
`))
	if err != nil {
		t.Fatal(err)
	}
	l := sc.Lesson
	if l == nil || l.Title != "Counting" || len(l.Steps) != 3 || l.Line != 8 {
		t.Fatalf("lesson = %+v", l)
	}
	s := l.Steps[1]
	if s.At != api.Time(10*api.Second) || s.Caption != "second" || s.Why != "because" || s.Line != 14 || s.Predict == nil {
		t.Fatalf("step 1 = %+v", s)
	}
	c := s.Predict.Check
	if c.Measure != "count" || c.Kind != "Pod" || c.Labels["app"] != "web" || c.Labels["tier"] != "a" || c.Image != "web:1.0" ||
		!*c.Ready || *c.Terminating || *c.Revision != 2 || *s.Predict.Expect != 2 || s.Predict.ExpectLine != 21 {
		t.Fatalf("predict = %+v, check = %+v", s.Predict, c)
	}
	if p := l.Steps[2].Predict; p.Choices != nil || p.Expect != nil || p.Check.Measure != "max-ordinal" || p.Check.Status != "Running" {
		t.Fatalf("step 2 predict = %+v", p)
	}
	plain, err := scenario.Parse("p.yaml", []byte(header))
	if err != nil || plain.Lesson != nil {
		t.Fatalf("a scenario without a Lesson document: lesson %v, err %v", plain.Lesson, err)
	}
}

// The Simplified Chinese fields (README "Languages") are read beside their English.
func TestParseLessonChinese(t *testing.T) {
	sc, err := scenario.Parse("t.yaml", []byte(lessonHeader+`title: Counting
titleZh: 数一数
steps:
  - at: 10s
    caption: second
    captionZh: 第二步
    why: because
    whyZh: 因为
    predict: {question: "How many?", questionZh: "多少个？", check: count pods}
`))
	if err != nil {
		t.Fatal(err)
	}
	l := sc.Lesson
	if s := l.Steps[0]; l.TitleZh != "数一数" || s.CaptionZh != "第二步" || s.WhyZh != "因为" || s.Predict.QuestionZh != "多少个？" {
		t.Fatalf("lesson = %+v, step = %+v", l, s)
	}
}

func TestParseLessonErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"no steps", "title: x\n", `t.yaml:8: Lesson: steps: Required value: a lesson needs at least one step`},
		{"unknown field", "steps:\n  - {at: 1s, caption: a, captoin: b}\n", `t.yaml:12: Lesson: steps[0].captoin: unknown field "captoin": did you mean "caption"?`},
		{"no time", "steps:\n  - {caption: a}\n", `t.yaml:12: Lesson: steps[0].at: Required value: every step needs a time`},
		{"out of order", "steps:\n  - {at: 10s, caption: a}\n  - {at: 10s, caption: b}\n", `t.yaml:13: Lesson: steps[1].at: Invalid value: "10s": steps must be in time order`},
		{"no caption", "steps:\n  - {at: 1s}\n", `t.yaml:12: Lesson: steps[0].caption: Required value`},
		{"after until", "steps:\n  - {at: 61s, caption: a}\n", `t.yaml:12: Lesson: steps[0].at: Invalid value: "1m1s": after the scenario's until (1m0s)`},
		{"no question", "steps:\n  - at: 1s\n    caption: a\n    predict: {check: count pods}\n", `t.yaml:14: Lesson: steps[0].predict.question: Required value`},
		{"no check", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q}\n", `t.yaml:14: Lesson: steps[0].predict.check: Required value`},
		{"bad measure", "steps:\n  - at: 1s\n    caption: a\n    predict:\n      question: q\n      check: sum pods\n", `t.yaml:16: Lesson: steps[0].predict.check: Invalid value: "sum pods": unknown measure "sum": supported: count, min-ordinal, max-ordinal, revision`},
		{"bad filter", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q, check: count pods colour=red}\n", `steps[0].predict.check: Invalid value: "count pods colour=red": unknown filter "colour"`},
		{"bad bool", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q, check: count pods ready=yes}\n", `filter "ready=yes": want ready=true or ready=false`},
		{"rs filter", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q, check: count rs image=a}\n", `filter "image=a": replicasets take only -l and revision=`},
		{"revision target", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q, check: revision pod/x}\n", `revision: want revision deployment/NAME or revision statefulset/NAME`},
		{"one choice", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q, check: count pods, choices: [1]}\n", `steps[0].predict.choices: Invalid value: one choice is no choice`},
		{"duplicate choice", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q, check: count pods, choices: [1, 1]}\n", `steps[0].predict.choices[1]: Duplicate value: 1`},
		{"expect not a choice", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q, check: count pods, choices: [1, 2], expect: 3}\n", `t.yaml:14: Lesson: steps[0].predict.expect: Invalid value: 3: not one of the choices`},
		{"choices not numbers", "steps:\n  - at: 1s\n    caption: a\n    predict: {question: q, check: count pods, choices: [one, two]}\n", `steps[0].predict.choices[0]: Invalid value: "one": expected an integer`},
		{"whyZh without why", "steps:\n  - {at: 1s, caption: a, whyZh: 因为}\n", `t.yaml:12: Lesson: steps[0].whyZh: Invalid value: whyZh translates why: give why too`},
		{"misspelt zh field", "steps:\n  - {at: 1s, caption: a, captionZH: 一}\n", `steps[0].captionZH: unknown field "captionZH": did you mean "captionZh"? (allowed: at, caption, captionZh, predict, why, whyZh)`},
		{"wrong apiVersion", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := lessonHeader + tt.body
			want := tt.want
			if tt.name == "wrong apiVersion" {
				text = strings.Replace(lessonHeader, "kind: Lesson", "kind: Lesson\nsteps: [{at: 1s, caption: a}]", 1)
				text = strings.Replace(text, "kubesim.dev/v1alpha1\nkind: Lesson", "kubesim.dev/v2\nkind: Lesson", 1)
				want = `t.yaml:8: Lesson: apiVersion: Unsupported value: "kubesim.dev/v2"`
			}
			_, err := scenario.Parse("t.yaml", []byte(text))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, want)
			}
		})
	}
	_, err := scenario.Parse("t.yaml", []byte(lessonHeader+"steps: [{at: 1s, caption: a}]\n---\n"+lessonHeader[strings.Index(lessonHeader, "apiVersion: kubesim.dev/v1alpha1\nkind: Lesson"):]+"steps: [{at: 2s, caption: b}]\n"))
	if err == nil || !strings.Contains(err.Error(), "a second Lesson document") {
		t.Fatalf("two Lesson documents: %v", err)
	}
}

// FuzzParseCheck: no answer expression makes the check parser panic, and one it accepts
// has a measure and a kind.
func FuzzParseCheck(f *testing.F) {
	for _, s := range []string{"count pods", "count pods -l app=web image=web:1.0 ready=true terminating=false status=Running revision=1",
		"count replicasets -l app=web revision=3", "min-ordinal pods -l app=nginx", "max-ordinal po", "revision deployment/web",
		"revision sts/web", "count pods -l", "count pods -l =", "revision deployment/", "count"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := scenario.ParseCheck(s)
		if err == nil && (c.Measure == "" || c.Kind == "") {
			t.Fatalf("%q accepted as %+v", s, c)
		}
	})
}
