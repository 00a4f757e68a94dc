//go:build browser

package browsertest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/kubesim/kubesim/web/site"
)

// gzipBudget is design.md's budget for game.wasm, gzip -9.
const gzipBudget = 4.5e6

func dirs(t *testing.T) (dist, results string) {
	dist = os.Getenv("KUBESIM_DIST")
	if dist == "" {
		dist = "../../dist"
	}
	if _, err := os.Stat(filepath.Join(dist, "game.wasm")); err != nil {
		t.Fatalf("no %s/game.wasm: run ./build.sh build first (%v)", dist, err)
	}
	results = os.Getenv("KUBESIM_RESULTS")
	if results == "" {
		results = "../../testresults"
	}
	os.MkdirAll(results, 0o755)
	return dist, results
}

// serve starts the page's own handler (the one `kubesim serve` runs) over dist, unless
// KUBESIM_URL names a server to test instead (./build.sh test points it at `wrangler dev`,
// so the page is checked as the Worker serves it too).
func serve(t *testing.T, dist string) string {
	if u := os.Getenv("KUBESIM_URL"); u != "" {
		return strings.TrimSuffix(u, "/")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: site.New(site.Options{Static: os.DirFS(dist)})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func browser(t *testing.T) (context.Context, *[]string) {
	exe := "/usr/bin/chromium"
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("chromium is missing: apt-get update && apt-get install -y chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.Flag("use-angle", "swiftshader"), chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1440, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil { // start the browser and its tab
		t.Fatalf("starting chromium: %v", err)
	}
	var errs []string
	var mu sync.Mutex
	chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				errs = append(errs, "console.error: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			errs = append(errs, "exception: "+msg)
		}
	})
	ctx, cancel3 := context.WithTimeout(ctx, 240*time.Second)
	t.Cleanup(cancel3)
	return ctx, &errs
}

// js evaluates an expression in the shell page and decodes its JSON-able result.
func js(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("evaluating %s: decoding %s: %v", expr, raw, err)
		}
	}
}

// K calls window.kubesim.NAME(args...) in the canvas iframe and decodes its JSON answer.
func K(t *testing.T, ctx context.Context, call string, out any) {
	t.Helper()
	var s string
	js(t, ctx, "document.getElementById('canvas').contentWindow.kubesim."+call, &s)
	if out != nil {
		if err := json.Unmarshal([]byte(s), out); err != nil {
			t.Fatalf("%s returned %q: %v", call, s, err)
		}
	}
}

type status struct {
	Loaded      bool
	T           float64
	End         float64
	Playing     bool
	Title       string
	UserActions int
	Error       string
}

func waitFrame(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const w = document.getElementById('canvas').contentWindow;
		return !!(w && w.kubesimFirstFrame && w.kubesim) })()`, chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		t.Fatalf("no first frame: %v", err)
	}
}

// shot captures the page and returns the canvas iframe's region.
func shot(t *testing.T, ctx context.Context, results, name string) image.Image {
	t.Helper()
	time.Sleep(400 * time.Millisecond) // a few frames
	// Past any fade: on a loaded machine a few frames can take longer than the animation's
	// wall-clock length (while playing, motion may never stop: then take the picture anyway).
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var moving bool
		js(t, ctx, `JSON.parse(document.getElementById('canvas').contentWindow.kubesim.status()).animating === true`, &moving)
		if !moving {
			break
		}
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(results, name+".png"), buf, 0o644)
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ X, Y, W, H float64 }
	js(t, ctx, `(() => { const b = document.getElementById('canvas').getBoundingClientRect(); return {X: b.x, Y: b.y, W: b.width, H: b.height} })()`, &r)
	sub := img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(image.Rect(int(r.X), int(r.Y), int(r.X+r.W), int(r.Y+r.H)))
	return sub
}

// histogram counts pixels by colour (RGB).
func histogram(img image.Image) map[[3]uint8]int {
	h := map[[3]uint8]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			h[[3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}]++
		}
	}
	return h
}

// near counts pixels within 6 per channel of colour c (0xRRGGBB).
func near(h map[[3]uint8]int, c uint32) int {
	n := 0
	for k, v := range h {
		d := func(a uint8, b uint32) bool { x := int(a) - int(b&0xff); return x > -7 && x < 7 }
		if d(k[0], c>>16) && d(k[1], c>>8) && d(k[2], c) {
			n += v
		}
	}
	return n
}

func diff(a, b image.Image) int {
	if a.Bounds().Size() != b.Bounds().Size() {
		return -1
	}
	n := 0
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				n++
			}
		}
	}
	return n
}

// Status fills (wasm/view/style.go): Ready, Creating, Terminating.
const (
	readyFill       = 0x9fe0c9
	creatingFill    = 0xb6dcf5
	terminatingFill = 0xf5d595
)

func TestPage(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)

	// Wasm size budget.
	raw, _ := os.ReadFile(filepath.Join(dist, "game.wasm"))
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	br, _ := os.Stat(filepath.Join(dist, "game.wasm.br"))
	brSize := int64(0)
	if br != nil {
		brSize = br.Size()
	}
	t.Logf("game.wasm: %.2f MB raw, %.2f MB gzip -9, %.2f MB brotli", float64(len(raw))/1e6, float64(gz.Len())/1e6, float64(brSize)/1e6)
	if gz.Len() > gzipBudget {
		t.Errorf("game.wasm is %.2f MB gzipped, over the %.1f MB budget", float64(gz.Len())/1e6, gzipBudget/1e6)
	}

	// First load, paused at t = 20 s: four Ready pods of the default scenario.
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+"/index.html?autoplay=0&t=20")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	var firstFrame float64
	js(t, ctx, `(() => { const w = document.getElementById('canvas').contentWindow;
		return w.performance.timeOrigin + w.kubesimFirstFrame - performance.timeOrigin })()`, &firstFrame)
	t.Logf("navigation to first frame: %.0f ms (wall %.0f ms incl. browser start)", firstFrame, float64(time.Since(start).Milliseconds()))
	// Where that time goes, in the shell's clock: the canvas page's marks (canvas.js, the Go
	// program's main) and game.wasm's download.
	var phases string
	js(t, ctx, `(() => { const w = document.getElementById('canvas').contentWindow, off = w.performance.timeOrigin - performance.timeOrigin;
		const at = (n) => { const e = w.performance.getEntriesByName(n)[0]; return e ? Math.round(off + (e.startTime || 0)) : -1; };
		const r = w.performance.getEntriesByName(new URL('game.wasm', w.location.href).href)[0] || {}; // canvas.js fetches it
		return 'canvas page ' + Math.round(off) + ' ms, game.wasm requested ' + Math.round(off + (r.requestStart || 0)) +
			', downloaded ' + Math.round(off + (r.responseEnd || 0)) + ' (' + Math.round((r.transferSize || 0) / 1e3) + ' kB over the wire), compiled ' +
			at('kubesim:wasm-compiled') + ', Go main ' + at('kubesim:go-main') + ', scenario loaded and seeked ' + at('kubesim:ready') +
			', first frame ' + Math.round(off + w.kubesimFirstFrame) })()`, &phases)
	t.Logf("first frame: %s", phases)
	var st status
	K(t, ctx, "status()", &st)
	if !st.Loaded || st.T != 20 {
		t.Fatalf("status after load = %+v, want the default scenario at t=20", st)
	}
	at20 := shot(t, ctx, results, "01-t20")
	h := histogram(at20)
	if len(h) < 20 {
		t.Fatalf("the canvas has %d colours: blank?", len(h))
	}
	if n := near(h, readyFill); n < 4*2000 {
		t.Errorf("at t=20 s expected four Ready pod chips (%#06x), found %d such pixels", readyFill, n)
	}

	// Seeking back to a moment gives the same pixels as the first visit.
	K(t, ctx, "seek(34)", nil)
	first := shot(t, ctx, results, "02-t34-first")
	K(t, ctx, "seek(5)", nil)
	shot(t, ctx, results, "03-t5")
	K(t, ctx, "seek(34)", nil)
	again := shot(t, ctx, results, "04-t34-again")
	if d := diff(first, again); d != 0 {
		t.Errorf("t=34 s after seeking back and forth differs from the first visit in %d pixels", d)
	}
	hf := histogram(first)
	if near(hf, creatingFill)+near(hf, terminatingFill) == 0 {
		t.Errorf("at t=34 s (rolling update) expected creating or terminating pods")
	}

	// Play advances time and the pod colours change.
	K(t, ctx, "seek(28)", nil)
	before := histogram(shot(t, ctx, results, "05-t28"))
	K(t, ctx, "speed(5)", nil)
	K(t, ctx, "play(true)", nil)
	time.Sleep(1500 * time.Millisecond)
	K(t, ctx, "play(false)", nil)
	K(t, ctx, "status()", &st)
	if st.T <= 30 {
		t.Errorf("after playing 1.5 s at 5x from 28 s, t = %v", st.T)
	}
	after := histogram(shot(t, ctx, results, "06-played"))
	if near(before, creatingFill) == near(after, creatingFill) && near(before, terminatingFill) == near(after, terminatingFill) &&
		near(before, readyFill) == near(after, readyFill) {
		t.Errorf("playing across the image change did not change any pod colour")
	}

	// The kubectl console changes the cluster and prints kubectl output.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("cmd")),
		chromedp.SendKeys(chromedp.ID("cmd"), "kubectl scale deployment/web --replicas=6\r")); err != nil {
		t.Fatal(err)
	}
	var out string
	js(t, ctx, `document.getElementById('out').textContent`, &out)
	if !strings.Contains(out, "deployment.apps/web scaled") {
		t.Errorf("console printed %q, want kubectl's \"deployment.apps/web scaled\"", out)
	}
	K(t, ctx, "status()", &st)
	if st.UserActions != 1 {
		t.Errorf("the console command is not on the timeline (userActions %d)", st.UserActions)
	}
	chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("cmd"), "get deploy web\r"))
	js(t, ctx, `document.getElementById('out').textContent`, &out)
	if !strings.Contains(out, "NAME") || !strings.Contains(out, "/6") {
		t.Errorf("`get deploy web` after scaling printed %q, want a table with x/6", out)
	}
	shot(t, ctx, results, "07-console")

	// Clicking a pod offers to delete it; the deletion is a kubectl command on the timeline.
	var pods []string
	js(t, ctx, `JSON.parse(document.getElementById('canvas').contentWindow.kubesim.objects()).filter(o => o.kind == 'Pod').map(o => o.ref)`, &pods)
	if len(pods) == 0 {
		t.Fatal("no pods listed by objects()")
	}
	var box struct{ X, Y, W, H float64 }
	K(t, ctx, fmt.Sprintf("where(%q)", pods[0]), &box)
	var fr struct{ X, Y float64 }
	js(t, ctx, `(() => { const b = document.getElementById('canvas').getBoundingClientRect(); return {X: b.x, Y: b.y} })()`, &fr)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(fr.X+box.X+box.W/2, fr.Y+box.Y+box.H/2)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById('menu').hidden`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("clicking %s at (%v,%v) showed no menu: %v", pods[0], box.X, box.Y, err)
	}
	shot(t, ctx, results, "07b-pod-menu")
	js(t, ctx, `(() => { const b = [...document.querySelectorAll('#menu button')].find(b => b.textContent == 'Delete pod'); b.click(); return !!b })()`, nil)
	js(t, ctx, `document.getElementById('out').textContent`, &out)
	name := pods[0][strings.LastIndex(pods[0], "/")+1:]
	if !strings.Contains(out, fmt.Sprintf("pod %q deleted", name)) {
		t.Errorf("Delete pod printed %q, want kubectl's pod %q deleted", out, name)
	}

	// A YAML error shows its line; the previous scenario keeps running.
	var beforeYAML status
	K(t, ctx, "status()", &beforeYAML)
	js(t, ctx, `(() => { document.querySelector('[data-tab=yaml]').click();
		const ed = document.getElementById('editor'); ed.value = ed.value.replace('replicas: 4', 'replicas: four');
		document.getElementById('apply').click(); return true })()`, nil)
	var errText string
	var badLine int
	js(t, ctx, `document.getElementById('yamlerrors').textContent`, &errText)
	js(t, ctx, `(() => { const b = document.querySelector('#gutter .bad'); return b ? Number(b.textContent) : 0 })()`, &badLine)
	var wantLine int
	js(t, ctx, `document.getElementById('editor').value.split('\n').findIndex(l => l.includes('replicas: four')) + 1`, &wantLine)
	if wantLine == 0 || badLine != wantLine || !strings.Contains(errText, fmt.Sprintf("line %d", wantLine)) {
		t.Errorf("YAML error shown at gutter line %d with text %q, want line %d", badLine, errText, wantLine)
	}
	K(t, ctx, "status()", &st)
	if st.UserActions != beforeYAML.UserActions || st.T != beforeYAML.T || st.Title != beforeYAML.Title {
		t.Errorf("a bad scenario replaced the running one: %+v, before %+v", st, beforeYAML)
	}
	shot(t, ctx, results, "08-yaml-error")

	// A share link reproduces the moment, including the user's own commands.
	var shared struct {
		T           float64
		UserActions int
		Share       string
	}
	K(t, ctx, "status()", &shared)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/index.html?s="+shared.Share)); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	K(t, ctx, "status()", &st)
	if st.T != shared.T || st.UserActions != shared.UserActions || st.Playing {
		t.Errorf("share link opened at t=%v with %d user commands (playing %v), want t=%v with %d, paused",
			st.T, st.UserActions, st.Playing, shared.T, shared.UserActions)
	}
	shot(t, ctx, results, "08b-shared-link")

	// Frame statistics.
	K(t, ctx, "play(true)", nil)
	time.Sleep(2 * time.Second)
	var stats map[string]any
	K(t, ctx, "stats()", &stats)
	t.Logf("frame stats: fps %.1f tps %.1f draw %.2f ms avg (max %.2f) build %.2f ms avg, %v draw calls, %v rects %v texts, %v pods",
		stats["fps"], stats["tps"], stats["drawMsAvg"], stats["drawMsMax"], stats["buildMsAvg"], stats["drawCalls"], stats["rects"], stats["texts"], stats["pods"])

	// An ordered StatefulSet scale-up: web-1 exists, web-2 not yet; claims beside the pods.
	var lr map[string]any
	K(t, ctx, `load("sts-scale.yaml", "", 0)`, &lr)
	if lr["error"] != nil {
		t.Fatalf("loading sts-scale.yaml: %v", lr["error"])
	}
	K(t, ctx, "play(false)", nil)
	K(t, ctx, "seek(16)", nil)
	shot(t, ctx, results, "10-sts-scale-16s")
	K(t, ctx, "seek(120)", nil)
	shot(t, ctx, results, "11-sts-scaled-down-120s")

	// 1,000 pods on 100 nodes: Go time per Draw while playing (every frame rebuilds).
	var big strings.Builder
	big.WriteString("apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: big}\ntitle: 1000 pods on 100 nodes\nuntil: 120s\nnodes:\n")
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&big, "  - {name: node-%d, cpu: \"16\", memory: 64Gi}\n", i)
	}
	big.WriteString("images:\n  web:1.0: {pull: 1s, start: 2s}\ntimeline:\n  - {at: 0s, apply: all}\n---\n" +
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1000\n  selector: {matchLabels: {app: web}}\n" +
		"  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: web:1.0, resources: {requests: {cpu: 100m}}}]\n")
	bigText, _ := json.Marshal(big.String())
	K(t, ctx, fmt.Sprintf(`load("big.yaml", %s, 0)`, bigText), &lr)
	if lr["error"] != nil {
		t.Fatalf("loading the 1,000-pod scenario: %v", lr["error"])
	}
	t0 := time.Now()
	K(t, ctx, "seek(20)", nil)
	t.Logf("1,000 pods: seek 0 -> 20 s took %d ms (wall, including the bridge call)", time.Since(t0).Milliseconds())
	K(t, ctx, "speed(1)", nil)
	K(t, ctx, "play(true)", nil)
	time.Sleep(3 * time.Second)
	K(t, ctx, "stats()", &stats)
	t.Logf("1,000 pods playing: fps %.1f tps %.1f draw %.2f ms avg (max %.2f) of which view.Build %.2f ms avg, texts %.2f ms (last frame), %v draw calls, %v rects %v lines %v texts, %v pods on %v nodes",
		stats["fps"], stats["tps"], stats["drawMsAvg"], stats["drawMsMax"], stats["buildMsAvg"], stats["textMsLast"], stats["drawCalls"], stats["rects"], stats["lines"], stats["texts"], stats["pods"], stats["nodes"])
	K(t, ctx, "play(false)", nil)
	shot(t, ctx, results, "12-1000-pods")
	t0 = time.Now()
	K(t, ctx, "seek(3)", nil)
	t.Logf("1,000 pods: seek back 20 -> 3 s took %d ms", time.Since(t0).Milliseconds())

	// Embed mode without controls.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/embed.html?autoplay=1&controls=none&theme=dark")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	var visible []string
	js(t, ctx, `['bar','side','timeline','caption'].filter(id => document.getElementById(id).offsetParent !== null)`, &visible)
	if len(visible) != 0 {
		t.Errorf("embed with controls=none shows %v", visible)
	}
	time.Sleep(1200 * time.Millisecond)
	K(t, ctx, "status()", &st)
	if !st.Playing && st.T == 0 {
		t.Errorf("embed autoplay=1 did not play: %+v", st)
	}
	emb := shot(t, ctx, results, "09-embed-dark")
	if emb.Bounds().Dx() < 1400 {
		t.Errorf("embedded canvas is %d px wide, want the whole page", emb.Bounds().Dx())
	}
	// A Go panic shows a readable message instead of a dead page.
	K(t, ctx, "debugCrash()", nil)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById('fatal').hidden &&
		document.getElementById('fatal').textContent.includes('The simulator stopped')`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("a Go panic did not show a message: %v", err)
	}
	shot(t, ctx, results, "10-panic-message")
	if len(*errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(*errs, "\n"))
	}
}
