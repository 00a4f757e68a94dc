//go:build browser

package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The page's texts a class reads (issue #16, item 5): the editor's errors, the console
// hint, kubectl logs, Why? without repeats; at a phone's width, where wrapping shows first.
func TestTexts(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/index.html?scenario=sts-scale.yaml&autoplay=0&t=30")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	js(t, ctx, `document.getElementById('panelbtn').click()`, nil)
	time.Sleep(600 * time.Millisecond)

	// The hint names StatefulSet commands, one per line that fits the console.
	var hint string
	var wraps bool
	js(t, ctx, `document.querySelector('#out .hint').textContent`, &hint)
	js(t, ctx, `(() => { const o = document.getElementById('out'), h = o.querySelector('.hint');
		const c = h.cloneNode(true); c.style.whiteSpace = 'pre'; c.style.display = 'inline-block'; o.append(c);
		const w = c.getBoundingClientRect().width; c.remove();
		return w > o.clientWidth - parseFloat(getComputedStyle(o).paddingLeft) * 2 })()`, &wraps)
	if !strings.Contains(hint, "scale sts/web") || strings.Contains(hint, "deployment") {
		t.Errorf("console hint in a StatefulSet scenario:\n%s", hint)
	}
	if wraps {
		t.Errorf("the console hint is wider than the console at 390 px:\n%s", hint)
	}
	shot(t, ctx, results, "texts-hint-390")

	// kubectl logs prints the container's lifecycle.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("cmd")), chromedp.SendKeys(chromedp.ID("cmd"), "kubectl logs web-0\r")); err != nil {
		t.Fatal(err)
	}
	var out string
	js(t, ctx, `document.getElementById('out').textContent`, &out)
	if !strings.Contains(out, "starting ") || !strings.Contains(out, "in pod web-0 on node-") {
		t.Errorf("kubectl logs web-0 printed:\n%s", out)
	}
	shot(t, ctx, results, "texts-logs-390")

	// An empty editor says so; an error names its line once.
	var msg string
	js(t, ctx, `(() => { document.querySelector('[data-tab=yaml]').click();
		document.getElementById('editor').value = ''; document.getElementById('apply').click();
		return document.getElementById('yamlerrors').textContent })()`, &msg)
	if !strings.Contains(msg, "The editor is empty") || strings.Contains(msg, "catalogue") {
		t.Errorf("Apply with an empty editor says %q", msg)
	}
	js(t, ctx, `(() => { document.getElementById('revert').click(); const ed = document.getElementById('editor');
		ed.value = ed.value.replace(/replicas: \d+/, 'replicas: three'); document.getElementById('apply').click();
		return document.getElementById('yamlerrors').textContent })()`, &msg)
	if !strings.HasPrefix(msg, "line ") || strings.Count(msg, ".yaml:") > 0 {
		t.Errorf("YAML error reads %q, want \"line N: ...\" without the file and line again", msg)
	}
	var cut bool
	js(t, ctx, `(() => { const ed = document.getElementById('editor'); const r = ed.getBoundingClientRect(); return r.right > innerWidth })()`, &cut)
	if cut {
		t.Errorf("the editor is cut by the window's right edge")
	}
	shot(t, ctx, results, "texts-yaml-error-390")
	// A good scenario applies paused at t = 0 (issue #16: Apply started playback).
	js(t, ctx, `(() => { document.getElementById('revert').click(); document.getElementById('apply').click(); return true })()`, nil)
	var st status
	if K(t, ctx, "status()", &st); st.Playing || st.T != 0 {
		t.Errorf("after Apply: playing %v at t=%v, want paused at 0", st.Playing, st.T)
	}

	// Why? folds the StatefulSet controller's repeated "waiting for" line (mysql.yaml).
	var lr map[string]any
	K(t, ctx, `load("mysql.yaml", "", 0)`, &lr)
	K(t, ctx, "seek(28)", nil)
	var why []string
	js(t, ctx, `(() => { document.querySelector('[data-tab=why]').click(); return [...document.querySelectorAll('#whylist li')].map(l => l.textContent) })()`, &why)
	if !strings.Contains(strings.Join(why, "\n"), "(×") || strings.Contains(strings.Join(why, "\n"), "NaN") {
		t.Errorf("Why? at 28 s of mysql.yaml does not fold the repeated waiting line:\n%s", strings.Join(why, "\n"))
	}
	seen := map[string]bool{}
	for _, l := range why {
		if seen[l[strings.Index(l, "s")+1:]] {
			t.Errorf("Why? repeats %q", l)
		}
		seen[l[strings.Index(l, "s")+1:]] = true
	}
	shot(t, ctx, results, "texts-why-folded-390")
	if len(*errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(*errs, "\n"))
	}
}
