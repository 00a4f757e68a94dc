//go:build browser

package browsertest

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The story a class follows (issue #16, item 3): marks on the time slider, the t=0
// caption, captions marked once their moment has passed, and a header clock that agrees
// with the simulation while playing.
func TestNarrative(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+"/index.html?autoplay=0")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	time.Sleep(300 * time.Millisecond)
	var capt string
	js(t, ctx, `document.getElementById('captext').textContent`, &capt)
	if capt != "Four replicas of web:1.0 start up." {
		t.Errorf("at t=0 the caption bar reads %q, want the t=0 caption", capt)
	}
	var marks []string
	js(t, ctx, `[...document.querySelectorAll('#marks b')].map(b => b.className + ' ' + b.title)`, &marks)
	if len(marks) < 3 || !strings.Contains(strings.Join(marks, "\n"), "caption 30.0 s: A new ReplicaSet") {
		t.Errorf("slider marks: %q, want the captions and set image of the rolling update", marks)
	}
	// A mark seeks to its moment.
	js(t, ctx, `[...document.querySelectorAll('#marks b')].find(b => b.title.startsWith('30.0 s: kubectl set image')).click()`, nil)
	var st status
	if K(t, ctx, "status()", &st); st.T != 30 {
		t.Errorf("clicking the set image mark went to t=%v, want 30", st.T)
	}
	shot(t, ctx, results, "narrative-marks-30s")
	K(t, ctx, "seek(60)", nil)
	time.Sleep(300 * time.Millisecond)
	var old bool
	js(t, ctx, `document.getElementById('caption').classList.contains('old')`, &old)
	js(t, ctx, `document.getElementById('captext').textContent`, &capt)
	if !old || !strings.HasPrefix(capt, "(at 30.0 s)") {
		t.Errorf("at t=60 the 30 s caption reads %q (old %v), want it marked as earlier", capt, old)
	}
	shot(t, ctx, results, "narrative-old-caption-60s")

	// While playing, the header clock shows the time of the frame on the screen (the chart's
	// cursor). At 10x, a clock refreshed ten times a second would be 0.5 s off on average.
	K(t, ctx, "seek(5)", nil)
	K(t, ctx, "speed(10)", nil)
	K(t, ctx, "play(true)", nil)
	worst, sum := 0.0, 0.0
	for range 10 {
		time.Sleep(170 * time.Millisecond)
		var pair [2]string
		js(t, ctx, `[document.getElementById('clock').textContent,
			String(JSON.parse(document.getElementById('canvas').contentWindow.kubesim.status()).drawnT)]`, &pair)
		c, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(pair[0], "t = "), " s"), 64)
		s, _ := strconv.ParseFloat(pair[1], 64)
		worst = math.Max(worst, math.Abs(c-s))
		sum += math.Abs(c - s)
	}
	K(t, ctx, "play(false)", nil)
	t.Logf("header clock vs the drawn frame while playing at 10x: %.2f s apart on average, %.2f s at worst", sum/10, worst)
	if sum/10 > 0.06 { // the clock rounds to 0.1 s
		t.Errorf("the header clock is %.2f s away from the drawn frame's time on average while playing at 10x", sum/10)
	}
	shot(t, ctx, results, "narrative-playing")
	if len(*errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(*errs, "\n"))
	}
}
