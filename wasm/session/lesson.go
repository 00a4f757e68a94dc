package session

import (
	"errors"
	"fmt"
	"math"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/lesson"
)

// LessonView is what the page shows of a lesson: its steps and questions, never the
// answers (they are computed when a step has played).
type LessonView struct {
	Title   string           `json:"title"`
	TitleZh string           `json:"titleZh,omitempty"`
	Steps   []LessonStepView `json:"steps"`
}

// LessonStepView is one step as the page shows it.
type LessonStepView struct {
	T         float64 `json:"t"` // seconds
	Caption   string  `json:"caption"`
	CaptionZh string  `json:"captionZh,omitempty"`
	// Question is empty for a step without a prediction; Choices empty for a number input.
	Question   string  `json:"question,omitempty"`
	QuestionZh string  `json:"questionZh,omitempty"`
	Choices    []int64 `json:"choices,omitempty"`
}

// Lesson returns the scenario's lesson, or nil when it has none.
func (s *Session) Lesson() *LessonView {
	l := s.P.Scenario().Lesson
	if l == nil {
		return nil
	}
	v := &LessonView{Title: l.Title, TitleZh: l.TitleZh, Steps: []LessonStepView{}}
	if v.Title == "" {
		v.Title, v.TitleZh = s.P.Scenario().Title, s.P.Scenario().TitleZh
	}
	for _, st := range l.Steps {
		sv := LessonStepView{T: float64(st.At) / 1000, Caption: st.Caption, CaptionZh: st.CaptionZh}
		if st.Predict != nil {
			sv.Question, sv.QuestionZh, sv.Choices = st.Predict.Question, st.Predict.QuestionZh, st.Predict.Choices
		}
		v.Steps = append(v.Steps, sv)
	}
	return v
}

// PlayTo plays from the displayed time up to t seconds and pauses there: a lesson step
// plays at the chosen speed and stops at its moment. A time already reached seeks to it.
func (s *Session) PlayTo(seconds float64) error {
	if math.IsNaN(seconds) {
		return errors.New("playTo: the time is not a number")
	}
	t := api.Time(min(max(seconds*1000, 0), float64(s.End())))
	if t <= s.P.Now() {
		s.Playing, s.stop = false, nil
		return s.P.Seek(t)
	}
	s.Playing, s.stop = true, &t
	return nil
}

// StepResult is the feedback after a step has played: the simulated answer, whether the
// given one was right, and the why.
type StepResult struct {
	Step      int     `json:"step"`
	T         float64 `json:"t"`
	Caption   string  `json:"caption"`
	CaptionZh string  `json:"captionZh,omitempty"`
	Why       string  `json:"why,omitempty"`
	WhyZh     string  `json:"whyZh,omitempty"`
	// Asked says the step had a prediction; then Value is the simulated answer (from
	// Check, shown so the class sees how it was measured) and Correct compares Given.
	Asked   bool     `json:"asked"`
	Value   int64    `json:"value"`
	Given   *float64 `json:"given,omitempty"` // nil: no answer given (NaN has no JSON)
	Correct bool     `json:"correct"`
	Check   string   `json:"check,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// LessonResult evaluates step i on the simulated cluster at the step's time (seeking
// there if the display is elsewhere) and compares the given answer.
func (s *Session) LessonResult(i int, given float64) (StepResult, error) {
	l := s.P.Scenario().Lesson
	if l == nil {
		return StepResult{}, errors.New("this scenario has no lesson")
	}
	if i < 0 || i >= len(l.Steps) {
		return StepResult{}, fmt.Errorf("the lesson has steps 0 to %d, not %d", len(l.Steps)-1, i)
	}
	st := l.Steps[i]
	if s.P.Now() != st.At {
		s.Playing, s.stop = false, nil
		if err := s.P.Seek(st.At); err != nil {
			return StepResult{}, err
		}
	}
	r := StepResult{Step: i, T: float64(st.At) / 1000, Caption: st.Caption, CaptionZh: st.CaptionZh, Why: st.Why, WhyZh: st.WhyZh}
	if !math.IsNaN(given) && !math.IsInf(given, 0) {
		r.Given = &given
	}
	if st.Predict == nil {
		return r, nil
	}
	r.Asked, r.Check = true, st.Predict.Check.Text
	v, err := lesson.Evaluate(s.P.Cluster().Store(), st.Predict.Check)
	if err != nil {
		r.Error = err.Error()
		return r, nil
	}
	r.Value, r.Correct = v, r.Given != nil && *r.Given == float64(v)
	return r, nil
}
