//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The StatefulSet story (issue #16, item 2): sts-scale at its moments, for a look at the
// ordinals, their claims (phase and volume) and every DNS record, new ones highlighted and
// removed ones struck through. The claims are clickable at each moment.
func TestStatefulSetStory(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+"/index.html?scenario=sts-scale.yaml&autoplay=0")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	for _, sec := range []int{12, 22, 60, 104, 120} {
		K(t, ctx, fmt.Sprintf("seek(%d)", sec), nil)
		shot(t, ctx, results, fmt.Sprintf("sts-scale-%03ds", sec))
		var box map[string]any
		K(t, ctx, `where("PersistentVolumeClaim/default/www-web-0")`, &box)
		if box["error"] != nil {
			t.Errorf("at %d s the claim www-web-0 is not on the canvas", sec)
		}
	}
	if len(*errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(*errs, "\n"))
	}
}
