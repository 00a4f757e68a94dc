package session

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/kubesim/kubesim/scenarios"
)

func loadLesson(t *testing.T, name string) *Session {
	t.Helper()
	data, err := scenarios.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(name, string(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The page's lesson: the steps without their answers; a step plays to its moment and
// pauses; the answer given is judged against the simulated value at that moment.
func TestLessonSession(t *testing.T) {
	s := loadLesson(t, "lesson-rollback-renumbering.yaml")
	v := s.Lesson()
	if v == nil || v.Title != "Rollback renumbering: kubectl rollout undo" || len(v.Steps) != 5 {
		t.Fatalf("lesson view = %+v", v)
	}
	st := v.Steps[2]
	if st.T != 60 || st.Question != "What revision number does the Deployment have after the undo?" || len(st.Choices) != 3 {
		t.Fatalf("step 2 = %+v", st)
	}
	// Play to the step at 10x: ticks stop exactly at 60 s and pause there.
	s.SetSpeed(10)
	if err := s.PlayTo(60); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000 && s.Playing; i++ {
		if err := s.Tick(100); err != nil {
			t.Fatal(err)
		}
	}
	if s.Playing || s.P.Now() != 60000 {
		t.Fatalf("after playing to 60 s: playing %v at %v", s.Playing, s.P.Now())
	}
	r, err := s.LessonResult(2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Asked || r.Value != 3 || r.Correct || r.Check != "revision deployment/web" || r.Why == "" {
		t.Errorf("answer 1 at step 2: %+v; want wrong, simulated 3", r)
	}
	if r, _ := s.LessonResult(2, 3); !r.Correct {
		t.Errorf("answer 3 at step 2: %+v; want right", r)
	}
	if r, _ := s.LessonResult(2, math.NaN()); r.Correct || r.Given != nil {
		t.Errorf("no answer at step 2 judged right: %+v", r)
	}
	// The page gets the result as JSON, also for a step played without an answer.
	if r, _ := s.LessonResult(2, math.NaN()); true {
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("the result without an answer does not encode: %v", err)
		}
	}
	// A result asked for elsewhere is computed at the step's own moment.
	if r, _ := s.LessonResult(0, 1); !r.Correct || s.P.Now() != 15000 {
		t.Errorf("step 0 from 60 s: %+v at %v; want revision 1 at 15 s", r, s.P.Now())
	}
	if _, err := s.LessonResult(5, 0); err == nil {
		t.Error("step 5 of 5 accepted")
	}
	// Playing again after a seek past the stop goes on from there, not back to the stop.
	s.PlayTo(100)
	s.Seek(110)
	s.Playing = true
	s.Tick(100)
	if s.P.Now() < 110000 {
		t.Errorf("after seeking past the stop, playing went back to %v", s.P.Now())
	}
	// PlayTo a moment already passed seeks there, paused.
	if err := s.PlayTo(20); err != nil || s.Playing || s.P.Now() != 20000 {
		t.Errorf("PlayTo(20) from 111 s: %v, playing %v at %v", err, s.Playing, s.P.Now())
	}
	if loadLesson(t, "rolling-update.yaml").Lesson() != nil {
		t.Error("a scenario without a Lesson document has a lesson view")
	}
}

// The page's lang=zh: the session hands the scenario's Chinese texts beside the English
// (the trace keeps only the English, so the caption's Chinese is looked up by its text).
func TestChineseTexts(t *testing.T) {
	s := loadLesson(t, "lesson-rolling-update.yaml")
	v := s.Lesson()
	if v.TitleZh != "滚动更新的算术：maxSurge 1，maxUnavailable 1" || v.Steps[1].QuestionZh == "" || v.Steps[1].CaptionZh == "" {
		t.Fatalf("lesson view = %+v", v)
	}
	r, err := s.LessonResult(1, 5)
	if err != nil || r.CaptionZh != "上线开始：创建了一个新的 ReplicaSet（修订版本 2）。" || r.WhyZh == "" {
		t.Fatalf("step result = %+v, %v", r, err)
	}
	if c, _ := s.CaptionAt(); s.CaptionZh(c) != "出现了一个新的 ReplicaSet；maxSurge 1 让它扩容，同时 maxUnavailable 1 允许删除一个旧 Pod。" {
		t.Errorf("caption %q: Chinese %q", c, s.CaptionZh(c))
	}
	var captions int
	for _, e := range s.Events(100) {
		if e.Kind == "caption" {
			captions++
			if e.MessageZh == "" {
				t.Errorf("caption entry without Chinese: %+v", e)
			}
		}
	}
	for _, m := range s.Marks() {
		if m.Kind == "caption" && m.LabelZh == "" {
			t.Errorf("caption mark without Chinese: %+v", m)
		}
	}
	if captions != 2 || s.CaptionZh("not a caption") != "" {
		t.Errorf("%d caption entries; CaptionZh of an unknown text %q", captions, s.CaptionZh("not a caption"))
	}
}
