//go:build browser

package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The keyboard shortcuts of the help dialog, and the node menu: a presenter drives the page
// with keys and a clicker (PageUp/PageDown), and a class breaks a node from its card.
func TestKeyboardAndNodeMenu(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+"/index.html?autoplay=0&t=20")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	key := func(k string) {
		t.Helper()
		js(t, ctx, `document.activeElement && document.activeElement.blur()`, nil)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatalf("key %q: %v", k, err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	var st status
	speed := func() string {
		var v string
		js(t, ctx, `document.getElementById('speed').value`, &v)
		return v
	}

	key(" ")
	if K(t, ctx, "status()", &st); !st.Playing {
		t.Errorf("Space did not start playing")
	}
	key(" ")
	if K(t, ctx, "status()", &st); st.Playing {
		t.Errorf("Space did not pause")
	}
	key("+")
	if v := speed(); v != "2" {
		t.Errorf("+ from 1x gave speed %q, want 2", v)
	}
	key("-")
	key("-")
	if v := speed(); v != "0.5" {
		t.Errorf("- - from 2x gave speed %q, want 0.5", v)
	}
	key(kb.Home)
	if K(t, ctx, "status()", &st); st.T != 0 {
		t.Errorf("Home: t = %v, want 0", st.T)
	}
	key(kb.PageDown) // a presenter clicker's "next"
	if K(t, ctx, "status()", &st); st.T <= 0 {
		t.Errorf("PageDown did not step to the next change: t = %v", st.T)
	}
	stepped := st.T
	key(kb.PageUp)
	if K(t, ctx, "status()", &st); st.T >= stepped && stepped >= 1 {
		t.Errorf("PageUp did not go back: t = %v (was %v)", st.T, stepped)
	}
	key("?")
	var open bool
	js(t, ctx, `document.getElementById('helpdlg').open`, &open)
	if !open {
		t.Errorf("? did not open the help dialog")
	}
	shot(t, ctx, results, "13-help")
	key(kb.Escape)

	// The node menu: click node-2's card (its title, above the pods) and fail the node.
	K(t, ctx, "seek(20)", nil)
	var box struct{ X, Y, W, H float64 }
	K(t, ctx, `where("Node/node-2")`, &box)
	var fr struct{ X, Y float64 }
	js(t, ctx, `(() => { const b = document.getElementById('canvas').getBoundingClientRect(); return {X: b.x, Y: b.y} })()`, &fr)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(fr.X+box.X+12, fr.Y+box.Y+12)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById('menu').hidden`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("clicking node-2 at (%v,%v) showed no menu: %v", box.X, box.Y, err)
	}
	var labels []string
	js(t, ctx, `[...document.querySelectorAll('#menu button')].map(b => b.textContent)`, &labels)
	if got := strings.Join(labels, ","); got != "Cordon,Uncordon,Drain,Fail node,Recover node" {
		t.Errorf("node menu offers %s", got)
	}
	shot(t, ctx, results, "14-node-menu")
	js(t, ctx, `[...document.querySelectorAll('#menu button')].find(b => b.textContent == 'Fail node').click()`, nil)
	if K(t, ctx, "status()", &st); st.UserActions != 1 {
		t.Fatalf("Fail node: %d user actions, want 1", st.UserActions)
	}
	// The node controller marks it NotReady once the 50 s grace period has passed.
	K(t, ctx, fmt.Sprintf("seek(%v)", st.T+70), nil)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("cmd")), chromedp.SendKeys(chromedp.ID("cmd"), "get nodes\r")); err != nil {
		t.Fatal(err)
	}
	var out string
	js(t, ctx, `document.getElementById('out').textContent`, &out)
	if !strings.Contains(out, "node-2   NotReady") {
		t.Errorf("70 s after Fail node, get nodes printed:\n%s\nwant node-2 NotReady", out)
	}
	shot(t, ctx, results, "15-node-failed")
	if len(*errs) > 0 {
		t.Errorf("console errors: %v", *errs)
	}
}
