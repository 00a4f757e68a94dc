//go:build browser

package browsertest

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// shareCode encodes a share link's lines by hand (core/player.Share.Encode refuses nothing,
// but a link can be written by anyone).
func shareCode(lines string) string {
	return "k1." + base64.RawURLEncoding.EncodeToString([]byte(lines))
}

// Hand-made links and URL options that ask for absurd times are refused with a message at
// once, and the page stays usable: a share with t = MaxInt64 ms used to replay for ever and
// freeze the tab.
func TestShareLinkLimits(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900)); err != nil {
		t.Fatal(err)
	}
	// open navigates and waits (at most 30 s, so a frozen tab fails instead of hanging) for
	// the console to print want; it returns how long that took.
	open := func(url, want string) time.Duration {
		t.Helper()
		start := time.Now()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		err := chromedp.Do(c, chromedp.Navigate(base+url))
		if err == nil {
			_, err = chromedp.Run(c, chromedp.Poll[bool](`(() => { const w = document.getElementById('canvas').contentWindow;
				return !!(w && w.kubesimFirstFrame && w.kubesim) &&
					document.getElementById('out').textContent.includes(`+jsString(want)+`) })()`,
				chromedp.WithPollingTimeout(25*time.Second)))
		}
		if err != nil {
			// A frozen tab answers nothing: read the console with a deadline too.
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			out, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.getElementById('out').textContent`))
			t.Fatalf("%s: no message %q within 30 s (%v); console: %q", url, want, err, out)
		}
		return time.Since(start)
	}
	responsive := func(what string) {
		t.Helper()
		var st status
		K(t, ctx, "status()", &st)
		if !st.Loaded || st.Title == "" || st.T != 0 {
			t.Errorf("%s: status %+v, want the default scenario loaded at t=0", what, st)
		}
		K(t, ctx, "seek(20)", nil)
		K(t, ctx, "status()", &st)
		if st.T != 20 {
			t.Errorf("%s: seek(20) went to t=%v", what, st.T)
		}
		K(t, ctx, "seek(0)", nil)
	}

	// t = MaxInt64 ms: Decode refuses it (no scenario runs longer than 24 h).
	huge := shareCode("scenario rolling-update.yaml\nseed 0\nt 9223372036854775807\nspeed 1\n")
	took := open("/index.html?autoplay=0&s="+huge,
		"share link refused: line 3: bad time: 9223372036854775807 ms is out of range: must be between 0 and 86400000 ms")
	t.Logf("share link with t = 9223372036854775807 ms refused after %d ms", took.Milliseconds())
	if took > 10*time.Second {
		t.Errorf("the refusal took %v", took)
	}
	responsive("after a share with t = MaxInt64")
	shot(t, ctx, results, "13-share-refused")

	// Within 24 h but past the shared scenario's end (90 s): refused before any replay.
	past := shareCode("scenario rolling-update.yaml\nseed 0\nt 0\nspeed 1\ndo 86400000 fail node/node-1\n")
	took = open("/index.html?autoplay=0&s="+past, `share link refused: user command 1 ("fail node/node-1") at 86400s is after the end of scenario "rolling-update" (90s)`)
	t.Logf("share link with a command at 24 h refused after %d ms", took.Milliseconds())
	if took > 10*time.Second {
		t.Errorf("the refusal took %v", took)
	}
	responsive("after a share past the scenario's end")

	// The t URL option: a time outside the scenario is refused, not clamped silently.
	for _, v := range []string{"1e300", "-5", "abc", "91"} {
		open("/index.html?autoplay=0&t="+v, "t="+v+" refused: want a time in seconds from 0 to 90, the end of this scenario")
		responsive("after t=" + v)
	}

	// The YAML editor refuses text over the size limit before copying it into Go.
	js(t, ctx, `(() => { document.querySelector('[data-tab=yaml]').click();
		document.getElementById('editor').value = '#'.repeat(4 << 20);
		document.getElementById('apply').click(); return true })()`, nil)
	var errText string
	js(t, ctx, `document.getElementById('yamlerrors').textContent`, &errText)
	if want := "edited.yaml: the file is more than 1048576 bytes; a scenario may be at most 1048576 bytes (1 MiB)"; !strings.Contains(errText, want) {
		t.Errorf("a 4 MiB editor text showed %q, want %q", errText, want)
	}
	js(t, ctx, `(() => { document.getElementById('editor').value = ''; return true })()`, nil) // a lighter screenshot
	responsive("after an oversized scenario")
	if len(*errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(*errs, "\n"))
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
