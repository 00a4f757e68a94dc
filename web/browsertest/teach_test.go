//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// waitJS polls a boolean expression in the shell page.
func waitJS(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Guarantee markers (issue 13): node-failure breaks "traffic only to Ready pods" at 60 s
// (node-2's pods stay ready endpoints until the node controller notices). The slider shows
// green and red diamonds; clicking the red one seeks to 60 s and explains it in the Why?
// panel.
func TestGuaranteeMarkers(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(base+"/index.html?scenario=node-failure.yaml&autoplay=0")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	waitJS(t, ctx, `!!(window.kubesimTeach && window.kubesimTeach.done() && document.querySelector('#gmarks i.broke'))`, "no red diamond on the slider")
	var d struct{ Held, Broke int }
	js(t, ctx, `({held: document.querySelectorAll('#gmarks i.held').length, broke: document.querySelectorAll('#gmarks i.broke').length})`, &d)
	if d.Held == 0 || d.Broke == 0 {
		t.Errorf("diamonds: %d held, %d broke; want both", d.Held, d.Broke)
	}
	// The red diamond at 60 s is under the slider, at 60/540 of its width, and distinct from the bars above it.
	var pos struct{ X, Track, Bottom, MarksBottom, Left, Width float64 }
	js(t, ctx, `(() => { const i = [...document.querySelectorAll('#gmarks i.broke')].find(e => e.dataset.t === '60');
		const r = i.getBoundingClientRect(), tr = document.getElementById('gmarks').getBoundingClientRect(),
		  m = document.getElementById('marks').getBoundingClientRect();
		return {x: r.left + r.width / 2, track: tr.top, bottom: r.bottom, marksBottom: m.bottom, left: tr.left, width: tr.width}; })()`, &pos)
	if want := pos.Left + pos.Width*60/540; pos.X < want-3 || pos.X > want+3 {
		t.Errorf("red diamond at x=%.0f, want %.0f (60 s of 540)", pos.X, want)
	}
	if pos.Bottom > 900 || pos.Track < pos.MarksBottom {
		t.Errorf("diamonds row at %v, event marks end at %v: want the diamonds below them, on the screen", pos.Track, pos.MarksBottom)
	}
	var title string
	js(t, ctx, `[...document.querySelectorAll('#gmarks i.broke')].find(e => e.dataset.t === '60').title`, &title)
	if !strings.Contains(title, "60.0 s · traffic only to Ready pods broke: db-2 still gets traffic from db, but node-2 failed") {
		t.Errorf("tooltip %q", title)
	}
	// Click it: paused at 60 s, the explanation at the top of Why?, db-2 focused.
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(pos.X, (pos.Track+pos.Bottom)/2)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!document.getElementById('gwhy').hidden`, "the Why panel did not open")
	var st status
	K(t, ctx, "status()", &st)
	if st.T != 60 || st.Playing {
		t.Errorf("after the click: t=%v playing=%v; want paused at 60", st.T, st.Playing)
	}
	var why, head string
	js(t, ctx, `document.getElementById('gwhy').innerText`, &why)
	js(t, ctx, `document.getElementById('whyhead').innerText`, &head)
	for _, want := range []string{"✗ Guarantee broke at t = 60.0 s", "traffic only to Ready pods · Pod/default/db-2",
		"Why: EndpointSlice", "lists db-2 as ready: its Ready condition is still True because nobody has noticed that node-2 failed at 60s"} {
		if !strings.Contains(why, want) {
			t.Errorf("Why panel lacks %q: %q", want, why)
		}
	}
	if !strings.Contains(head, "db-2") {
		t.Errorf("Why? is not about db-2: %q", head)
	}
	shot(t, ctx, results, "guarantee-why")
	// A held marker: the rollout-free scenario's green diamond at 115 s closes the stretch.
	js(t, ctx, `[...document.querySelectorAll('#gmarks i.held')].find(e => e.dataset.t === '115').click()`, nil)
	waitJS(t, ctx, `document.getElementById('gwhy').innerText.includes('Guarantee held at t = 115.0 s')`, "the held marker at 115 s")
	if K(t, ctx, "status()", &st); st.T != 115 {
		t.Errorf("after the held marker: t=%v, want 115", st.T)
	}
	if len(*errs) > 0 {
		t.Errorf("page errors: %v", *errs)
	}
}

// Presenter mode (issue 13) at a projector's sizes: large type, no side panel, the caption
// readable, nothing cut; the clicker's keys go from caption to caption; B blanks; Esc leaves.
func TestPresenterMode(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	for _, vp := range [][2]int64{{1440, 900}, {1280, 720}} {
		name := fmt.Sprintf("presenter-%dx%d", vp[0], vp[1])
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp[0], vp[1]),
			chromedp.Navigate(base+"/index.html?scenario=rolling-update.yaml&presenter=1&autoplay=0")); err != nil {
			t.Fatal(err)
		}
		waitFrame(t, ctx)
		waitJS(t, ctx, `document.body.classList.contains('presenter')`, name+": presenter=1 did not turn presenter mode on")
		waitJS(t, ctx, `!!(window.kubesimTeach.done() && document.querySelector('#gmarks i'))`, name+": no guarantee diamond")
		var diamond float64
		js(t, ctx, `document.querySelector('#gmarks i').getBoundingClientRect().bottom`, &diamond)
		if diamond > float64(vp[1]) {
			t.Errorf("%s: the diamonds end at %v, below the window", name, diamond)
		}
		var p struct {
			SideShown                 bool
			Font, Caption             float64
			CaptionCut, PageW, PageH  float64
			CanvasBottom, TimelineBot float64
		}
		js(t, ctx, `(() => { const c = document.getElementById('caption'), cs = getComputedStyle(c);
			return {sideShown: document.getElementById('side').offsetParent !== null,
			  font: parseFloat(getComputedStyle(document.documentElement).fontSize), caption: parseFloat(cs.fontSize),
			  captionCut: c.scrollHeight - c.clientHeight, pageW: document.scrollingElement.scrollWidth, pageH: document.scrollingElement.scrollHeight,
			  canvasBottom: document.getElementById('canvas').getBoundingClientRect().bottom,
			  timelineBot: document.getElementById('timeline').getBoundingClientRect().bottom}; })()`, &p)
		if p.SideShown {
			t.Errorf("%s: the side panel is shown", name)
		}
		if p.Font < 24 || p.Caption < 36 {
			t.Errorf("%s: root font %v px, caption %v px; want ≥ 24 and ≥ 36 (the size=large shell has 20 and 22)", name, p.Font, p.Caption)
		}
		if p.CaptionCut > 0 || p.PageW > float64(vp[0]) || p.PageH > float64(vp[1]) || p.TimelineBot > float64(vp[1]) {
			t.Errorf("%s: something is cut: caption overflows by %v, page %vx%v, timeline ends at %v", name, p.CaptionCut, p.PageW, p.PageH, p.TimelineBot)
		}
		var bad []string
		js(t, ctx, layoutProblems+`("#bar button, #bar select, #timeline button, #timeline input")`, &bad)
		if len(bad) > 0 {
			t.Errorf("%s: %s", name, strings.Join(bad, "; "))
		}
		shot(t, ctx, results, name)
	}
	// The clicker: PageDown plays to the next caption (30 s) and pauses there.
	key := func(k string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatal(err)
		}
	}
	js(t, ctx, `document.body.focus()`, nil)
	K(t, ctx, "speed(25)", nil)
	key(kb.PageDown)
	waitJS(t, ctx, `(() => { const s = JSON.parse(document.getElementById('canvas').contentWindow.kubesim.status()); return !s.playing && s.t === 30; })()`, "PageDown did not play to the caption at 30 s")
	// The shell shows the new caption on its next refresh (every 100 ms).
	var capt string
	for end := time.Now().Add(3 * time.Second); !strings.Contains(capt, "A new ReplicaSet appears") && time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		js(t, ctx, `document.getElementById('captext').innerText`, &capt)
	}
	if !strings.Contains(capt, "A new ReplicaSet appears") {
		t.Errorf("caption at 30 s: %q", capt)
	}
	key(kb.PageUp) // back to the caption at 0 s
	waitJS(t, ctx, `JSON.parse(document.getElementById('canvas').contentWindow.kubesim.status()).t === 0`, "PageUp did not go back to 0")
	key("b")
	var blank bool
	js(t, ctx, `!document.getElementById('blank').hidden`, &blank)
	if !blank {
		t.Error("B did not blank the screen")
	}
	shot(t, ctx, results, "presenter-blank")
	key("b")
	key(kb.Escape)
	var on bool
	js(t, ctx, `document.getElementById('blank').hidden && !document.body.classList.contains('presenter') && document.getElementById('side').offsetParent !== null`, &on)
	if !on {
		t.Error("B then Esc did not bring the picture back and leave presenter mode")
	}
	key("p")
	js(t, ctx, `document.body.classList.contains('presenter')`, &on)
	if !on {
		t.Error("P did not turn presenter mode on")
	}
	if len(*errs) > 0 {
		t.Errorf("page errors: %v", *errs)
	}
}

type clipInfo struct {
	Size  int
	Head  []int
	Out   string
	Label string
}

// Record (issue 13): two seconds of the playing picture give a WebM Blob (EBML header
// 1A 45 DF A3), downloaded as kubesim-<scenario>-<t>.webm.
func TestRecordClip(t *testing.T) {
	dist, _ := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(base+"/index.html?scenario=rolling-update.yaml&speed=5")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	var ok bool
	js(t, ctx, `window.kubesimRecord.supported()`, &ok)
	if !ok {
		t.Fatal("headless Chromium: MediaRecorder or captureStream missing")
	}
	js(t, ctx, `document.getElementById('record').click(), true`, nil)
	time.Sleep(1200 * time.Millisecond)
	var label string
	js(t, ctx, `document.getElementById('record').textContent`, &label)
	if !strings.HasPrefix(label, "■ Stop 0:0") {
		t.Errorf("while recording the button reads %q, want ■ Stop 0:0N", label)
	}
	time.Sleep(900 * time.Millisecond)
	clip, err := chromedp.Run(ctx, chromedp.Evaluate[clipInfo](`window.kubesimRecord.stop().then(async (b) => ({size: b.size,
		head: [...new Uint8Array(await b.slice(0, 4).arrayBuffer())],
		out: document.getElementById('out').innerText, label: document.getElementById('record').textContent}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if clip.Size == 0 || fmt.Sprint(clip.Head) != "[26 69 223 163]" {
		t.Errorf("clip: %d bytes starting %v; want > 0 bytes starting 1A 45 DF A3 (EBML)", clip.Size, clip.Head)
	}
	if !strings.Contains(clip.Out, "Recorded kubesim-rolling-update-") || !strings.Contains(clip.Out, "s.webm") || clip.Label != "● Rec" {
		t.Errorf("after Stop: console %q, button %q", clip.Out[max(0, len(clip.Out)-300):], clip.Label)
	}
	t.Logf("2 s clip: %d bytes", clip.Size)
	if len(*errs) > 0 {
		t.Errorf("page errors: %v", *errs)
	}
}
