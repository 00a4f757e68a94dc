//go:build browser

package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A lesson in the page (issue #13): the lesson is in the picker's Lessons group; a step
// with a prediction pauses playback and asks; a wrong answer plays the step and shows the
// simulated value and the why; Continue asks the next question; a right answer is marked
// right.
func TestLesson(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(base+"/index.html?scenario=lesson-rollback-renumbering.yaml&speed=10")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	var group []string
	js(t, ctx, `[...document.querySelectorAll('#scenario optgroup[label=Lessons] option')].map(o => o.value)`, &group)
	if strings.Join(group, " ") != "lesson-rolling-update.yaml lesson-rollback-renumbering.yaml lesson-statefulset-ordering.yaml" &&
		len(group) != 3 {
		t.Errorf("Lessons group in the picker: %q", group)
	}
	text := func(id string) string {
		var s string
		js(t, ctx, `document.getElementById('`+id+`').innerText`, &s)
		return s
	}
	waitText := func(id, want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(text(id), want) {
			if time.Now().After(deadline) {
				t.Fatalf("#%s never showed %q; it reads %q", id, want, text(id))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// Step 1 asks before anything plays.
	waitText("lessonbody", "What is the Deployment's revision number now?")
	time.Sleep(500 * time.Millisecond)
	var st status
	if K(t, ctx, "status()", &st); st.Playing || st.T != 0 {
		t.Errorf("while the first question is asked: playing %v at t=%v; want paused at 0", st.Playing, st.T)
	}
	shot(t, ctx, results, "lesson-1-question")
	// A wrong answer: the step plays to 15 s, then the verdict with the simulated 1.
	js(t, ctx, `[...document.querySelectorAll('#lesson .choice')].find(b => b.textContent === '2').click()`, nil)
	waitText("lessonbody", "Not quite: you said 2; the simulation has 1.")
	if K(t, ctx, "status()", &st); st.Playing || st.T != 15 {
		t.Errorf("after step 1 played: playing %v at t=%v; want paused at 15", st.Playing, st.T)
	}
	if body := text("lessonbody"); !strings.Contains(body, "Why: The first ReplicaSet of a Deployment is revision 1") ||
		!strings.Contains(body, "measured: revision deployment/web") {
		t.Errorf("feedback lacks the why or the measure: %q", body)
	}
	shot(t, ctx, results, "lesson-2-wrong-feedback")
	// Continue: step 2's question, still paused at 15 s.
	js(t, ctx, `document.getElementById('lessoncontinue').click()`, nil)
	waitText("lessonbody", "How many web:2.1 pods did the rollout create before it stopped?")
	if K(t, ctx, "status()", &st); st.Playing || st.T != 15 {
		t.Errorf("at the second question: playing %v at t=%v; want paused at 15", st.Playing, st.T)
	}
	js(t, ctx, `[...document.querySelectorAll('#lesson .choice')].find(b => b.textContent === '2').click()`, nil)
	waitText("lessonbody", "✓ Right: 2.")
	if K(t, ctx, "status()", &st); st.T != 50 {
		t.Errorf("after step 2 played: t=%v; want 50", st.T)
	}
	shot(t, ctx, results, "lesson-3-right-feedback")
	js(t, ctx, `document.getElementById('lessoncontinue').click()`, nil)
	waitText("lessonbody", "What revision number does the Deployment have after the undo?")
	shot(t, ctx, results, "lesson-4-undo-question")

	// A number input (lesson-rolling-update step 4) and the picker: choosing a plain
	// scenario hides the card.
	js(t, ctx, `(() => { const s = document.getElementById('scenario'); s.value = 'lesson-rolling-update.yaml'; s.onchange(); })()`, nil)
	// Its first step has no question: it plays to 10 s and waits for Continue.
	waitText("lessonbody", "Four replicas of web:1.0 are Ready.")
	if K(t, ctx, "status()", &st); st.Playing || st.T != 10 {
		t.Errorf("after a step without a question: playing %v at t=%v; want paused at 10", st.Playing, st.T)
	}
	js(t, ctx, `document.getElementById('lessoncontinue').click()`, nil)
	waitText("lessonbody", "how many pods of web exist that are not terminating")
	for _, c := range []string{"5", "3"} {
		js(t, ctx, `[...document.querySelectorAll('#lesson .choice')].find(b => b.textContent === '`+c+`').click()`, nil)
		waitText("lessonbody", "✓ Right: "+c+".")
		js(t, ctx, `document.getElementById('lessoncontinue').click()`, nil)
	}
	waitText("lessonbody", "How many web:1.0 pods are left")
	js(t, ctx, `(() => { const i = document.getElementById('lessonnum'); i.value = '1'; document.getElementById('lessoncheck').click(); })()`, nil)
	waitText("lessonbody", "✓ Right: 1.")
	shot(t, ctx, results, "lesson-5-number-answer")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the canvas lays itself out again for the new width
	shot(t, ctx, results, "lesson-6-phone")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900)); err != nil {
		t.Fatal(err)
	}
	js(t, ctx, `(() => { const s = document.getElementById('scenario'); s.value = 'rolling-update.yaml'; s.onchange(); })()`, nil)
	time.Sleep(300 * time.Millisecond)
	var hidden bool
	js(t, ctx, `document.getElementById('lesson').hidden`, &hidden)
	if !hidden {
		t.Error("the lesson card stays on a scenario without a lesson")
	}
	if len(*errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(*errs, "\n"))
	}
}
