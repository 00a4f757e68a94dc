//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chart and card colours (wasm/view/hpa.go): CPU utilisation vermillion.
const cpuColour = 0xd55e00

// TestHPAPage opens hpa-cpu at 100 s: the HPA card beside Deployment web, the chart on its
// HPA view (CPU against the target, current and desired replicas); a click on the chart's
// kube-state-metrics tab switches to the Deployment's kube-state-metrics series.
func TestHPAPage(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+"/index.html?scenario=hpa-cpu.yaml&t=100")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	var st struct {
		status
		Chart    string
		Selected string
	}
	// The page autoplays from t: pause at 100 s for the pictures.
	K(t, ctx, "play(false)", nil)
	K(t, ctx, "status()", &st)
	if !st.Loaded || st.T < 100 || !strings.Contains(st.Title, "HorizontalPodAutoscaler") {
		t.Fatalf("status after load = %+v, want hpa-cpu from t=100", st)
	}
	K(t, ctx, "seek(100)", nil)
	var box struct{ X, Y, W, H float64 }
	where := func(ref string) {
		t.Helper()
		box.W = 0
		K(t, ctx, "where("+jsString(ref)+")", &box)
		if box.W <= 0 {
			t.Fatalf("%s is not drawn", ref)
		}
	}
	where("Deployment/default/web")
	dep := box
	where("HorizontalPodAutoscaler/default/web")
	if box.Y != dep.Y || box.X < dep.X+dep.W {
		t.Errorf("HPA card at %+v, not beside the Deployment's %+v", box, dep)
	}
	img := shot(t, ctx, results, "hpa-01-t100")
	if n := near(histogram(img), cpuColour); n < 1500 {
		t.Errorf("at 100 s expected the CPU bar and line (%#06x), found %d such pixels", cpuColour, n)
	}

	// The kube-state-metrics tab.
	where("Chart/kube-state-metrics")
	var fr struct{ X, Y float64 }
	js(t, ctx, `(() => { const b = document.getElementById('canvas').getBoundingClientRect(); return {X: b.x, Y: b.y} })()`, &fr)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(fr.X+box.X+box.W/2, fr.Y+box.Y+box.H/2)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	K(t, ctx, "status()", &st)
	if st.Chart != "kube-state-metrics" || st.Selected != "" {
		t.Errorf("after clicking the tab: chart %q, selected %q; want kube-state-metrics and no selection", st.Chart, st.Selected)
	}
	shot(t, ctx, results, "hpa-02-kube-state-metrics")
	K(t, ctx, `chart("HPA")`, nil)
	K(t, ctx, "seek(600)", nil)
	shot(t, ctx, results, "hpa-03-t600")
	K(t, ctx, `theme("dark")`, nil)
	time.Sleep(500 * time.Millisecond) // the switch fades the colours over
	shot(t, ctx, results, "hpa-04-t600-dark")
	K(t, ctx, "seek(100)", nil)
	time.Sleep(300 * time.Millisecond)
	shot(t, ctx, results, "hpa-05-t100-dark")
	K(t, ctx, `theme("light")`, nil)

	// A small laptop's window and a phone: the HPA card and the chart's tabs are whole on
	// the canvas (a narrow chart names its tabs rep, ksm, HPA).
	for _, sz := range []struct{ w, h int64 }{{800, 600}, {390, 844}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
		var cw float64
		js(t, ctx, `document.getElementById('canvas').getBoundingClientRect().width`, &cw)
		for _, ref := range []string{"HorizontalPodAutoscaler/default/web", "Chart/replicas", "Chart/kube-state-metrics", "Chart/HPA"} {
			where(ref)
			if box.X < 0 || box.X+box.W > cw+0.5 {
				t.Errorf("%dx%d: %s at x %.0f..%.0f, off the %.0f px canvas", sz.w, sz.h, ref, box.X, box.X+box.W, cw)
			}
		}
		shot(t, ctx, results, fmt.Sprintf("hpa-06-t100-%dx%d", sz.w, sz.h))
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900)); err != nil {
		t.Fatal(err)
	}

	// Frame statistics while playing (every frame rebuilds the chart), beside those of the
	// default scenario in the same browser.
	// 5 s at 10x: more draws than the 60 the statistics keep, so none of the other scenario.
	frameStats := func(name string, from int) float64 {
		K(t, ctx, fmt.Sprintf("seek(%d)", from), nil)
		K(t, ctx, "speed(10)", nil)
		K(t, ctx, "play(true)", nil)
		time.Sleep(5 * time.Second)
		K(t, ctx, "play(false)", nil)
		var stats map[string]any
		K(t, ctx, "stats()", &stats)
		t.Logf("%s frame stats: fps %.1f draw %.2f ms avg (max %.2f) build %.2f ms avg, %v draw calls, %v rects %v texts", name,
			stats["fps"], stats["drawMsAvg"], stats["drawMsMax"], stats["buildMsAvg"], stats["drawCalls"], stats["rects"], stats["texts"])
		avg, _ := stats["drawMsAvg"].(float64)
		return avg
	}
	hpa := frameStats("hpa-cpu", 150) // 9 pods, every chart series drawn
	var lr map[string]any
	K(t, ctx, `load("rolling-update.yaml", "", 0)`, &lr)
	if lr["error"] != nil {
		t.Fatalf("loading rolling-update.yaml: %v", lr["error"])
	}
	ru := frameStats("rolling-update", 0)
	// Logged, not asserted, like TestPage's: the 2 shared cores make wall times swing 5x.
	t.Logf("Go time per Draw: hpa-cpu %.2f ms, rolling-update %.2f ms (README budget 3 ms)", hpa, ru)
	if len(*errs) > 0 {
		t.Errorf("console errors: %v", *errs)
	}
}
