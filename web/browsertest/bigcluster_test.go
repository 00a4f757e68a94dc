//go:build browser

package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestThousandNodes (issue 14): 1,000 pods on 1,000 nodes in the page; KUBESIM_BIG_PODS=10000
// runs it with 10,000 (two Deployments of 5,000), as the README's numbers for that size were
// taken (too slow for this suite, which runs twice in CI). The
// nodes are drawn as the overview (zone cards of node tiles); a tile is clickable. The test
// records the load, seek and per-frame numbers the README's performance section quotes, and
// fails on a frozen page or a seek after the look-ahead over 4× its budget: this shared
// machine's timings vary too much for the budgets themselves.
func TestThousandNodes(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+"/index.html?scenario=rolling-update.yaml&autoplay=0")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	pods := 1000
	if v, err := strconv.Atoi(os.Getenv("KUBESIM_BIG_PODS")); err == nil && v >= 2 {
		pods = v
	}
	var y strings.Builder
	y.WriteString("apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: thousand-nodes}\n" +
		"title: " + strconv.Itoa(pods) + " pods on 1,000 nodes\nuntil: 120s\nclusterCIDR: 10.0.0.0/14\nnodes:\n")
	for i := 1; i <= 1000; i++ {
		fmt.Fprintf(&y, "  - {name: node-%d, cpu: \"16\", memory: 64Gi, labels: {topology.kubernetes.io/zone: zone-%c}}\n", i, 'a'+(i-1)%3)
	}
	y.WriteString("images:\n  web:1.0: {pull: 1s, start: 2s}\n  web:2.0: {pull: 1s, start: 2s}\ntimeline:\n  - {at: 0s, apply: all}\n" +
		"  - {at: 30s, kubectl: \"set image deployment/web web=web:2.0\"}\n  - {at: 40s, fail: node/node-7}\n---\n" +
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: " + strconv.Itoa(pods/2) + "\n  selector: {matchLabels: {app: web}}\n" +
		"  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: web:1.0, resources: {requests: {cpu: 100m}}}]\n---\n" +
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: " + strconv.Itoa(pods-pods/2) + "\n  selector: {matchLabels: {app: api}}\n" +
		"  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: web:1.0, resources: {requests: {cpu: 100m}}}]\n")
	text, _ := json.Marshal(y.String())
	var lr map[string]any
	t0 := time.Now()
	K(t, ctx, fmt.Sprintf(`load("thousand-nodes.yaml", %s, 0)`, text), &lr)
	if lr["error"] != nil {
		t.Fatalf("loading %d pods on 1,000 nodes: %v", pods, lr["error"])
	}
	load := time.Since(t0)
	seek := func(to float64) time.Duration {
		t0 := time.Now()
		K(t, ctx, fmt.Sprintf("seek(%v)", to), nil)
		d := time.Since(t0)
		if d > 60*time.Second {
			t.Errorf("seek to %v s took %v: the page froze", to, d)
		}
		return d
	}
	first := seek(20)
	shot(t, ctx, results, "thousand-nodes-20s")
	// Paused at 20 s, the page computes the rest of the timeline between frames; a seek
	// then restores a snapshot near its target.
	t0 = time.Now()
	for st := map[string]any{}; ; time.Sleep(250 * time.Millisecond) {
		K(t, ctx, "status()", &st)
		if st["knownTo"] == st["end"] {
			break
		}
		if time.Since(t0) > 3*time.Minute {
			t.Fatalf("the look-ahead reached only %v s of %v s in 3 min", st["knownTo"], st["end"])
		}
	}
	ahead := time.Since(t0)
	during := seek(45) // mid-rollout, node-7 failed
	shot(t, ctx, results, "thousand-nodes-45s")
	back := seek(10)
	again := seek(100)
	var stats map[string]any
	K(t, ctx, "seek(45)", nil) // play mid-rollout, as the stats were always taken
	K(t, ctx, "speed(1)", nil)
	K(t, ctx, "play(true)", nil)
	time.Sleep(3 * time.Second)
	K(t, ctx, "stats()", &stats)
	K(t, ctx, "play(false)", nil)
	t.Logf("%d pods on 1,000 nodes: load (t=0) %v, seek 0->20 s %v, look-ahead to the end %v while paused, then seek 20->45 s %v, 45->10 s %v, 10->100 s %v",
		pods, load.Round(time.Millisecond), first.Round(time.Millisecond), ahead.Round(time.Millisecond), during.Round(time.Millisecond), back.Round(time.Millisecond), again.Round(time.Millisecond))
	for what, d := range map[string]time.Duration{"20->45 s": during, "45->10 s": back, "10->100 s": again} {
		if d > 2*time.Second { // budget 500 ms; the shared machine's timings vary
			t.Errorf("seek %s after the look-ahead took %v", what, d)
		}
	}
	t.Logf("playing: fps %.1f draw %.2f ms avg (max %.2f), view.Build %.2f ms avg, %v rects %v texts, %v pods on %v nodes",
		stats["fps"], stats["drawMsAvg"], stats["drawMsMax"], stats["buildMsAvg"], stats["rects"], stats["texts"], stats["pods"], stats["nodes"])
	if stats["pods"].(float64) < float64(pods) || stats["nodes"] != float64(1000) {
		t.Errorf("stats: %v pods on %v nodes", stats["pods"], stats["nodes"])
	}
	if tx, _ := stats["texts"].(float64); tx > 200 {
		t.Errorf("%v texts drawn: 1,000 nodes should be the overview, not cards", tx)
	}
	// A tile is a node: clicking one selects it.
	var hit map[string]any
	K(t, ctx, "seek(45)", nil)
	for _, p := range [][2]int{{60, 260}, {80, 280}, {120, 300}, {200, 320}} {
		K(t, ctx, fmt.Sprintf("clickAt(%d, %d)", p[0], p[1]), &hit)
		if ref, _ := hit["ref"].(string); strings.HasPrefix(ref, "Node/") {
			break
		}
	}
	if ref, _ := hit["ref"].(string); !strings.HasPrefix(ref, "Node/") {
		t.Errorf("clicking into the zone cards selected %q, want a node tile", ref)
	}
	shot(t, ctx, results, "thousand-nodes-selected")
	if len(*errs) > 0 {
		t.Errorf("console errors: %v", *errs)
	}
}
