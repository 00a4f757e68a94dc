package scenario

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/tidwall/gjson"
)

// Limits on a lesson, so a pasted lesson stays readable and cheap.
const (
	MaxLessonSteps = 100
	MaxChoices     = 8
)

// Lesson is the optional `kind: Lesson` document of a scenario file: the scenario's story cut
// into steps a class goes through one at a time, some asking for a prediction first.
type Lesson struct {
	Title string
	// TitleZh, and the steps' CaptionZh, WhyZh and QuestionZh, are the optional Simplified
	// Chinese texts the page shows with lang=zh (README "Languages").
	TitleZh string
	Steps   []LessonStep
	// Line is the 1-based line of the Lesson document.
	Line int
}

// LessonStep is one step: the scenario plays up to At, then shows Caption (and Why).
type LessonStep struct {
	At        api.Time
	Caption   string
	CaptionZh string
	// Why explains what the step showed, after it played.
	Why     string
	WhyZh   string
	Predict *Predict
	Line    int
}

// Predict is a question asked before a step plays. Its answer is Check evaluated on the
// simulated cluster at the step's time, never a value written in the file.
type Predict struct {
	Question   string
	QuestionZh string
	// Choices are the values offered; empty means a number input.
	Choices []int64
	Check   Check
	// Expect is the answer the author claims (nil: none). It is only an assertion: `kubesim
	// validate` and the tests fail when the simulation gives another value.
	Expect *int64
	// ExpectLine is the line of `expect`, for that failure.
	ExpectLine int
}

// Check is a compiled answer expression (see README "Lessons"):
//
//	count pods|replicasets [FILTER...]     how many objects match
//	min-ordinal pods [FILTER...]           the lowest StatefulSet ordinal among matching pods
//	max-ordinal pods [FILTER...]           the highest
//	revision deployment/NAME               the Deployment's deployment.kubernetes.io/revision
//	revision statefulset/NAME              the number of the StatefulSet's update revision
//
// Filters: -l KEY=VALUE[,KEY=VALUE] (labels), image=REF, ready=true|false,
// terminating=true|false, status=STATUS (kubectl's STATUS column), revision=N (the pod's
// ReplicaSet or ControllerRevision number; for replicasets their own).
type Check struct {
	Text        string
	Measure     string // count, min-ordinal, max-ordinal, revision
	Kind        string // Pod, ReplicaSet, Deployment, StatefulSet
	Name        string // for revision
	Labels      map[string]string
	Image       string
	Ready       *bool
	Terminating *bool
	Status      string
	Revision    *int64
}

// ParseCheck compiles an answer expression; the error says what is allowed.
func ParseCheck(s string) (Check, error) {
	c := Check{Text: strings.TrimSpace(s)}
	f := strings.Fields(s)
	if len(f) < 2 {
		return c, fmt.Errorf("want MEASURE TARGET [FILTER...], e.g. \"count pods image=web:1.0 ready=true\" (measures: count, min-ordinal, max-ordinal, revision)")
	}
	c.Measure = f[0]
	switch c.Measure {
	case "revision":
		kind, name, ok := strings.Cut(f[1], "/")
		switch strings.ToLower(kind) {
		case "deployment", "deploy":
			c.Kind = "Deployment"
		case "statefulset", "sts":
			c.Kind = "StatefulSet"
		default:
			ok = false
		}
		if !ok || name == "" || len(f) != 2 {
			return c, fmt.Errorf("revision: want revision deployment/NAME or revision statefulset/NAME")
		}
		c.Name = name
		return c, nil
	case "count", "min-ordinal", "max-ordinal":
	default:
		return c, fmt.Errorf("unknown measure %q: supported: count, min-ordinal, max-ordinal, revision", c.Measure)
	}
	switch f[1] {
	case "pods", "pod", "po":
		c.Kind = "Pod"
	case "replicasets", "replicaset", "rs":
		c.Kind = "ReplicaSet"
	default:
		return c, fmt.Errorf("%s %q: want pods or replicasets", c.Measure, f[1])
	}
	if c.Kind != "Pod" && c.Measure != "count" {
		return c, fmt.Errorf("%s: only pods have ordinals", c.Measure)
	}
	for i := 2; i < len(f); i++ {
		tok := f[i]
		if tok == "-l" {
			if i+1 == len(f) {
				return c, fmt.Errorf("-l needs KEY=VALUE[,KEY=VALUE]")
			}
			i++
			c.Labels = map[string]string{}
			for _, kv := range strings.Split(f[i], ",") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return c, fmt.Errorf("-l %q: want KEY=VALUE[,KEY=VALUE] (equality only)", f[i])
				}
				c.Labels[k] = v
			}
			continue
		}
		key, val, ok := strings.Cut(tok, "=")
		if !ok || val == "" {
			return c, fmt.Errorf("filter %q: want KEY=VALUE (image, ready, terminating, status, revision) or -l LABELS", tok)
		}
		podOnly := func() error {
			if c.Kind != "Pod" {
				return fmt.Errorf("filter %q: replicasets take only -l and revision=", tok)
			}
			return nil
		}
		switch key {
		case "image", "ready", "terminating", "status":
			if err := podOnly(); err != nil {
				return c, err
			}
		}
		switch key {
		case "image":
			c.Image = val
		case "status":
			c.Status = val
		case "ready", "terminating":
			b, err := strconv.ParseBool(val)
			if err != nil || (val != "true" && val != "false") {
				return c, fmt.Errorf("filter %q: want %s=true or %s=false", tok, key, key)
			}
			if key == "ready" {
				c.Ready = &b
			} else {
				c.Terminating = &b
			}
		case "revision":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n < 1 {
				return c, fmt.Errorf("filter %q: want a revision number of 1 or more", tok)
			}
			c.Revision = &n
		default:
			return c, fmt.Errorf("unknown filter %q: supported: -l, image, ready, terminating, status, revision", key)
		}
	}
	return c, nil
}

// lessonDoc is the shape of the `kind: Lesson` document.
type lessonDoc struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Title   string          `json:"title"`
	TitleZh string          `json:"titleZh"`
	Steps   []lessonStepDoc `json:"steps"`
}

type lessonStepDoc struct {
	At        *api.Duration `json:"at"`
	Caption   string        `json:"caption"`
	CaptionZh string        `json:"captionZh"`
	Why       string        `json:"why"`
	WhyZh     string        `json:"whyZh"`
	Predict   *predictDoc   `json:"predict"`
}

type predictDoc struct {
	Question   string  `json:"question"`
	QuestionZh string  `json:"questionZh"`
	Choices    []int64 `json:"choices"`
	Check      string  `json:"check"`
	Expect     *int64  `json:"expect"`
}

func (p *parser) lessonDoc(r gjson.Result, loc *locator, line int) {
	const obj = "Lesson"
	if v := r.Get("apiVersion").String(); v != APIVersion {
		p.errorf(loc.line("apiVersion"), obj, "apiVersion", "Unsupported value: %q: supported values: %q", v, APIVersion)
		return
	}
	var doc lessonDoc
	var dec decoder
	dec.decode(reflect.ValueOf(&doc).Elem(), r, nil)
	for _, e := range dec.errs {
		p.errorf(loc.lineSegs(e.path), obj, renderPath(e.path), "%s", e.msg)
	}
	if len(dec.errs) > 0 {
		return
	}
	l := &Lesson{Title: strings.TrimSpace(doc.Title), TitleZh: strings.TrimSpace(doc.TitleZh), Line: line}
	switch {
	case len(doc.Steps) == 0:
		p.errorf(line, obj, "steps", "Required value: a lesson needs at least one step")
	case len(doc.Steps) > MaxLessonSteps:
		p.errorf(loc.line("steps"), obj, "steps", "Too many: %d: a lesson may have at most %d steps", len(doc.Steps), MaxLessonSteps)
		return
	}
	prev := api.Time(-1)
	for i, sd := range doc.Steps {
		path := fmt.Sprintf("steps[%d]", i)
		st := LessonStep{Caption: strings.TrimSpace(sd.Caption), CaptionZh: strings.TrimSpace(sd.CaptionZh),
			Why: strings.TrimSpace(sd.Why), WhyZh: strings.TrimSpace(sd.WhyZh), Line: loc.line(path)}
		if st.WhyZh != "" && st.Why == "" {
			p.errorf(loc.line(path+".whyZh"), obj, path+".whyZh", "Invalid value: whyZh translates why: give why too")
		}
		if sd.At == nil {
			p.errorf(st.Line, obj, path+".at", "Required value: every step needs a time, e.g. at: 30s")
			continue
		}
		st.At = api.Time(*sd.At)
		if st.At <= prev {
			p.errorf(loc.line(path+".at"), obj, path+".at", "Invalid value: %q: steps must be in time order, each after the one before (%s)",
				sd.At.String(), api.Duration(prev).String())
		}
		prev = st.At
		if st.Caption == "" {
			p.errorf(st.Line, obj, path+".caption", "Required value: every step needs a caption, the text shown when it plays")
		}
		if pd := sd.Predict; pd != nil {
			pp := path + ".predict"
			pr := &Predict{Question: strings.TrimSpace(pd.Question), QuestionZh: strings.TrimSpace(pd.QuestionZh), Choices: pd.Choices, Expect: pd.Expect, ExpectLine: loc.line(pp + ".expect")}
			if pr.Question == "" {
				p.errorf(loc.line(pp), obj, pp+".question", "Required value: a prediction needs a question")
			}
			if len(pr.Choices) > MaxChoices {
				p.errorf(loc.line(pp+".choices"), obj, pp+".choices", "Too many: %d: at most %d choices", len(pr.Choices), MaxChoices)
			}
			if len(pr.Choices) == 1 {
				p.errorf(loc.line(pp+".choices"), obj, pp+".choices", "Invalid value: one choice is no choice: give 2 to %d, or none for a number input", MaxChoices)
			}
			seen := map[int64]bool{}
			for j, c := range pr.Choices {
				if seen[c] {
					p.errorf(loc.line(fmt.Sprintf("%s.choices[%d]", pp, j)), obj, fmt.Sprintf("%s.choices[%d]", pp, j), "Duplicate value: %d", c)
				}
				seen[c] = true
			}
			if strings.TrimSpace(pd.Check) == "" {
				p.errorf(loc.line(pp), obj, pp+".check", "Required value: the answer is computed by a check, e.g. check: \"count pods image=web:1.0\"")
			} else if c, err := ParseCheck(pd.Check); err != nil {
				p.errorf(loc.line(pp+".check"), obj, pp+".check", "Invalid value: %q: %v", pd.Check, err)
			} else {
				pr.Check = c
			}
			if pr.Expect != nil && len(pr.Choices) > 0 && !seen[*pr.Expect] {
				p.errorf(pr.ExpectLine, obj, pp+".expect", "Invalid value: %d: not one of the choices", *pr.Expect)
			}
			st.Predict = pr
		}
		l.Steps = append(l.Steps, st)
	}
	p.sc.Lesson = l
}

// checkLesson runs after the Scenario document is read: steps lie within the scenario.
func (p *parser) checkLesson() {
	l := p.sc.Lesson
	if l == nil {
		return
	}
	for i, st := range l.Steps {
		if st.At > api.Time(p.sc.Until) {
			p.errorf(st.Line, "Lesson", fmt.Sprintf("steps[%d].at", i), "Invalid value: %q: after the scenario's until (%s)",
				api.Duration(st.At).String(), p.sc.Until.String())
		}
	}
}
