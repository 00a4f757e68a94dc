//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The preemption scenario at its moments: the full cluster, the victim terminating while the
// critical pod is Pending and nominated, the critical pod running on node-3, the patient pod
// waiting. Every pod the scenario names is on the canvas.
func TestPreemptionPage(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+"/index.html?scenario=preemption.yaml&autoplay=0")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	for _, sec := range []int{20, 31, 40, 65} {
		K(t, ctx, fmt.Sprintf("seek(%d)", sec), nil)
		shot(t, ctx, results, fmt.Sprintf("preemption-%03ds", sec))
		var box map[string]any
		K(t, ctx, `where("Pod/default/critical")`, &box)
		if sec >= 31 && box["error"] != nil {
			t.Errorf("at %d s the critical pod is not on the canvas: %v", sec, box["error"])
		}
	}
	if len(*errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(*errs, "\n"))
	}
}
