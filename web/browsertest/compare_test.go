//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// cmpStatus is compare.js's kubesimCompare.status(): the shell's clock and each side's.
type cmpStatus struct {
	T       float64
	End     float64
	Playing bool
	Loaded  bool
	Sides   [2]struct {
		T, DrawnT float64
		Name      string
		Playing   bool
	}
}

type cmpCounts [2]struct {
	T                        float64
	Pods, Ready, Terminating int
	Workload                 string
}

func waitCompare(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const ws = ['canvasA', 'canvasB'].map((id) => document.getElementById(id).contentWindow);
		if (!window.kubesimCompare || !ws.every((w) => w && w.kubesim)) return false;
		return kubesimCompare.status().loaded ? ws.every((w) => w.kubesimFirstFrame) : !document.getElementById('cmperror').hidden })()`,
		chromedp.WithPollingTimeout(90*time.Second)))
	if err != nil {
		t.Fatalf("the comparison did not start: %v", err)
	}
}

// cmpShot takes a screenshot of the whole page once neither side is animating.
func cmpShot(t *testing.T, ctx context.Context, results, name string) {
	t.Helper()
	time.Sleep(400 * time.Millisecond)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var moving bool
		js(t, ctx, `['canvasA', 'canvasB'].some((id) => JSON.parse(document.getElementById(id).contentWindow.kubesim.status()).animating)`, &moving)
		if !moving {
			break
		}
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(results, name+".png"), buf, 0o644)
}

// The side-by-side page (issue 13): maxSurge 0 vs 25 % on one seed and one clock. Played,
// both sides show the same virtual time; just after the image change the 25 % side runs 13
// pods and the 0 side 10. Wide it is two columns, on a phone two rows, and it embeds.
func TestComparePage(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	open := func(w, h int64, url string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h), chromedp.Navigate(base+url)); err != nil {
			t.Fatal(err)
		}
		waitCompare(t, ctx)
	}
	open(1440, 900, "/compare.html?c=max-surge&speed=10")

	var labels []string
	js(t, ctx, `[...document.querySelectorAll('.sidehead')].map((h) => h.querySelector('.label').textContent + ' | ' + h.querySelector('.diff').textContent)`, &labels)
	if len(labels) != 2 || !strings.HasPrefix(labels[0], "maxSurge: 0 | Deployment/web spec.strategy.rollingUpdate.maxSurge: 0") ||
		!strings.HasPrefix(labels[1], "maxSurge: 25% | ") {
		t.Errorf("side headers %q", labels)
	}

	// It plays by itself (autoplay), at 10x: wait until the rollout is under way.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`kubesimCompare.status().t >= 31`, chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		t.Fatalf("the clock did not reach 31 s: %v", err)
	}
	// Playing, both engines are at the shell's time (each frame follows the one clock).
	var st cmpStatus
	js(t, ctx, `kubesimCompare.status()`, &st)
	if !st.Playing || st.Sides[0].T != st.Sides[1].T || st.Sides[0].Playing || st.Sides[1].Playing {
		t.Errorf("while playing: %+v", st)
	}
	js(t, ctx, `kubesimCompare.play(false), kubesimCompare.status()`, &st)
	time.Sleep(300 * time.Millisecond)
	js(t, ctx, `kubesimCompare.status()`, &st)
	if st.Playing || st.Sides[0].T != st.T || st.Sides[1].T != st.T || st.Sides[0].DrawnT != st.T || st.Sides[1].DrawnT != st.T {
		t.Errorf("paused: the sides are not at the shell's time %.3f: %+v", st.T, st)
	}
	var clock string
	js(t, ctx, `document.getElementById('clock').textContent`, &clock)
	if want := fmt.Sprintf("t = %.1f s", st.T); clock != want {
		t.Errorf("clock %q, want %q", clock, want)
	}

	// At 31 s the variants differ: maxSurge 0 runs 10 pods, 25 % (3 of 10, rounded up) 13.
	var c cmpCounts
	js(t, ctx, `kubesimCompare.seek(31), kubesimCompare.counts()`, &c)
	if c[0].T != 31 || c[1].T != 31 || c[0].Pods != 10 || c[1].Pods != 13 {
		t.Errorf("at 31 s: %+v, want 10 and 13 pods", c)
	}
	time.Sleep(300 * time.Millisecond)
	var shown []string
	js(t, ctx, `[...document.querySelectorAll('.sidehead .counts')].map((e) => e.textContent)`, &shown)
	if len(shown) != 2 || !strings.HasPrefix(shown[0], "10 pods") || !strings.HasPrefix(shown[1], "13 pods") {
		t.Errorf("side headers show %q", shown)
	}
	// Step goes to the next change on either side, and both follow.
	js(t, ctx, `kubesimCompare.step(), kubesimCompare.status()`, &st)
	if st.T <= 31 || st.Sides[0].T != st.T || st.Sides[1].T != st.T {
		t.Errorf("after Step: %+v", st)
	}
	js(t, ctx, `kubesimCompare.seek(33)`, nil)
	cmpShot(t, ctx, results, "compare-1440x900")
	var bad []string
	js(t, ctx, layoutProblems+`("#bar button, #bar select, #timeline input")`, &bad)
	if len(bad) > 0 {
		t.Errorf("1440x900: %s", strings.Join(bad, "; "))
	}
	var cols bool
	js(t, ctx, `(() => { const a = document.getElementById('sideA').getBoundingClientRect(), b = document.getElementById('sideB').getBoundingClientRect();
		return Math.abs(a.top - b.top) < 1 && b.left >= a.right - 1 && a.width > 600 })()`, &cols)
	if !cols {
		t.Error("1440x900: the sides are not side by side")
	}

	// A phone: stacked, A above B, nothing sideways.
	open(390, 844, "/compare.html?c=sts-pod-management&t=5&autoplay=0")
	js(t, ctx, `kubesimCompare.counts()`, &c)
	if c[0].Pods != 1 || c[1].Pods != 3 {
		t.Errorf("sts at 5 s: %+v, want 1 pod (OrderedReady) and 3 (Parallel)", c)
	}
	var stacked bool
	js(t, ctx, `(() => { const a = document.getElementById('sideA').getBoundingClientRect(), b = document.getElementById('sideB').getBoundingClientRect();
		return b.top >= a.bottom - 1 && a.height > 200 && b.height > 200 && Math.abs(a.width - b.width) < 1 })()`, &stacked)
	if !stacked {
		t.Error("390x844: the sides are not stacked")
	}
	js(t, ctx, layoutProblems+`("#bar button, #bar select, #timeline input")`, &bad)
	if len(bad) > 0 {
		t.Errorf("390x844: %s", strings.Join(bad, "; "))
	}
	var sum string
	js(t, ctx, `document.getElementById('summary').offsetParent ? document.getElementById('summary').textContent : ''`, &sum)
	if !strings.Contains(sum, "1 pod, 0 ready") || !strings.Contains(sum, "3 pods, 0 ready") {
		t.Errorf("390x844: the bottom bar's summary is %q", sum)
	}
	cmpShot(t, ctx, results, "compare-390x844")
	// Scrolled down to B, the slider and the summary stay at the bottom of the window.
	js(t, ctx, `document.getElementById('sideB').scrollIntoView(), window.scrollY`, nil)
	var barAtBottom bool
	js(t, ctx, `Math.abs(document.getElementById('timeline').getBoundingClientRect().bottom - innerHeight) < 1`, &barAtBottom)
	if !barAtBottom {
		t.Error("390x844 scrolled: the time slider left the bottom of the window")
	}
	cmpShot(t, ctx, results, "compare-390x844-b")

	// The embed: play and the slider only, the same clock.
	open(800, 500, "/compare.html?c=max-surge&embed=1&t=32&autoplay=0&theme=dark")
	js(t, ctx, `kubesimCompare.status()`, &st)
	if st.T != 32 || st.Sides[0].T != 32 || st.Sides[1].T != 32 {
		t.Errorf("embed t=32: %+v", st)
	}
	js(t, ctx, `(() => { const a = document.getElementById('sideA').getBoundingClientRect(), b = document.getElementById('sideB').getBoundingClientRect();
		return Math.abs(a.top - b.top) < 1 && b.left >= a.right - 1 })()`, &cols)
	if !cols {
		t.Error("embed 800x500: the sides are not side by side")
	}
	var hidden bool
	js(t, ctx, `document.getElementById('bar').offsetParent === null && document.getElementById('play2').offsetParent !== null`, &hidden)
	if !hidden {
		t.Error("embed: the header is shown or the play button is not")
	}
	cmpShot(t, ctx, results, "compare-embed-800x500")

	// A variant in the URL, with a typo in its field: the error names the option and field.
	open(1440, 900, "/compare.html?scenario=rolling-update&setb=Deployment/web:spec.strategy.rollingUpdate.maxSurgee=0")
	var msg string
	js(t, ctx, `document.getElementById('cmperror').hidden ? '' : document.getElementById('cmperror').textContent`, &msg)
	if !strings.Contains(msg, `setb[0]: Deployment "web": spec.strategy.rollingUpdate.maxSurgee: unknown field "maxSurgee": did you mean "maxSurge"?`) {
		t.Errorf("URL typo: message %q", msg)
	}
	// And the same, spelt right: two variants from the URL alone.
	open(1440, 900, "/compare.html?scenario=rolling-update&setb=Deployment/web:spec.strategy.rollingUpdate.maxSurge=0&autoplay=0&t=31")
	js(t, ctx, `[...document.querySelectorAll('.sidehead .label')].map((e) => e.textContent)`, &labels)
	if len(labels) != 2 || labels[0] != "Rolling update: maxSurge 1, maxUnavailable 1" || labels[1] != "maxSurge: 0" {
		t.Errorf("URL variant labels %q", labels)
	}
	if len(*errs) > 0 {
		t.Errorf("page errors: %s", strings.Join(*errs, "\n"))
	}
}
