//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// layoutProblems returns what is wrong with the shell's layout at the current viewport: a
// page wider than the window (it would scroll sideways), or a visible header control that
// is outside the window or covered by something else (it could not be clicked).
const layoutProblems = `((controls) => {
	const bad = [];
	const sw = document.scrollingElement.scrollWidth;
	if (sw > innerWidth) bad.push('page is ' + sw + ' px wide in a ' + innerWidth + ' px window');
	for (const el of document.querySelectorAll(controls)) {
		if (el.offsetParent === null) continue; // not shown in this mode
		const r = el.getBoundingClientRect();
		const id = el.id || el.textContent;
		if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) {
			bad.push(id + ' is outside the window: ' + JSON.stringify([r.left, r.top, r.right, r.bottom].map(Math.round)));
			continue;
		}
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (!hit || (hit !== el && !el.contains(hit))) bad.push(id + ' is covered by ' + (hit ? hit.tagName + '#' + hit.id : 'nothing'));
	}
	return bad;
})`

// The page as a class and a docs reader see it (issue #16): a projector, a small laptop
// window, a phone, and the embed a docs page puts in an article. At each size nothing
// scrolls sideways and every control is on the screen and clickable.
func TestLayout(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	const all = "#bar button, #bar select, #timeline button, #timeline input"
	// With the panel open (a drawer in a narrow window), the header stays usable.
	check := func(name string, controls string) {
		t.Helper()
		var bad []string
		js(t, ctx, layoutProblems+fmt.Sprintf("(%q)", controls), &bad)
		if len(bad) > 0 {
			t.Errorf("%s: %s", name, strings.Join(bad, "; "))
		}
	}
	// oneRow: on a wide screen the header's controls sit in one row.
	oneRow := func(name string) {
		t.Helper()
		var rows int
		js(t, ctx, `new Set([...document.querySelectorAll('#bar button, #bar select')].filter(e => e.offsetParent)
			.map(e => Math.round(e.getBoundingClientRect().top / 20))).size`, &rows)
		if rows != 1 {
			t.Errorf("%s: the header's controls take %d rows, want 1", name, rows)
		}
	}
	open := func(w, h int64, url string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h), chromedp.Navigate(base+url)); err != nil {
			t.Fatal(err)
		}
		waitFrame(t, ctx)
		time.Sleep(300 * time.Millisecond)
	}
	for _, sz := range []struct{ w, h int64 }{{1440, 900}, {800, 600}, {390, 844}} {
		name := fmt.Sprintf("index-%dx%d", sz.w, sz.h)
		open(sz.w, sz.h, "/index.html?autoplay=0&t=20")
		check(name, all)
		if sz.w > 1000 {
			oneRow(name)
		}
		shot(t, ctx, results, "layout-"+name)

		// The side panel (Why?, the console) opens at every width and is usable.
		var drawer bool
		js(t, ctx, `!!document.getElementById('panelbtn') && getComputedStyle(document.getElementById('panelbtn')).display !== 'none'`, &drawer)
		if drawer {
			js(t, ctx, `document.getElementById('panelbtn').click()`, nil)
			time.Sleep(600 * time.Millisecond) // past the slide-in
		}
		var side struct{ L, R, W float64 }
		js(t, ctx, `(() => { const b = document.getElementById('cmd').getBoundingClientRect(); return {L: b.left, R: b.right, W: b.width} })()`, &side)
		if side.L < 0 || side.R > float64(sz.w) || side.W < 150 {
			t.Errorf("%s: the console prompt is at %+v, not usable in a %d px window", name, side, sz.w)
		}
		check(name+" with the panel", "#bar button, #bar select")
		shot(t, ctx, results, "layout-"+name+"-panel")
	}
	// Projector legibility: the side panel and console text are at least 15 px, and the
	// presenter size (size=large) makes them 19 px and magnifies the canvas.
	fontPx := func(sel string) float64 {
		var px float64
		js(t, ctx, `parseFloat(getComputedStyle(document.querySelector('`+sel+`')).fontSize)`, &px)
		return px
	}
	open(1440, 900, "/index.html?autoplay=0&t=20")
	for _, sel := range []string{"#whylist", "#out", "#cmd", ".hint"} {
		if px := fontPx(sel); px < 15 {
			t.Errorf("%s text is %v px, too small for a room", sel, px)
		}
	}
	var chipW [2]float64
	var box struct{ W float64 }
	K(t, ctx, `where(JSON.parse(document.getElementById('canvas').contentWindow.kubesim.objects()).find(o => o.kind == 'Node').ref)`, &box)
	chipW[0] = box.W
	open(1440, 900, "/index.html?autoplay=0&t=20&size=large")
	check("index-1440x900 presenter size", all)
	oneRow("index-1440x900 presenter size")
	for _, sel := range []string{"#whylist", "#out", "#cmd"} {
		if px := fontPx(sel); px < 19 {
			t.Errorf("presenter size: %s text is %v px, want at least 19", sel, px)
		}
	}
	time.Sleep(300 * time.Millisecond)
	K(t, ctx, `where(JSON.parse(document.getElementById('canvas').contentWindow.kubesim.objects()).find(o => o.kind == 'Node').ref)`, &box)
	chipW[1] = box.W
	shot(t, ctx, results, "layout-index-1440x900-presenter")
	var checked bool
	js(t, ctx, `document.getElementById('large').checked`, &checked)
	if !checked {
		t.Errorf("size=large does not tick the help dialog's presenter size box")
	}
	t.Logf("a node card is %.0f px wide, %.0f px at the presenter size", chipW[0], chipW[1])

	for _, sz := range []struct{ w, h int64 }{{800, 450}, {390, 600}} {
		name := fmt.Sprintf("embed-%dx%d", sz.w, sz.h)
		open(sz.w, sz.h, "/embed.html?autoplay=0&t=20")
		check(name, all)
		shot(t, ctx, results, "layout-"+name)
	}
	if len(*errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(*errs, "\n"))
	}
}
