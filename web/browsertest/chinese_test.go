//go:build browser

package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The page in Simplified Chinese (issue #13): lang=zh translates the shell, the scenario's
// own texts and a lesson; kubectl output stays as kubectl prints it; the header switch goes
// back to English at the same scenario and moment; the compare page is in Chinese too.
// Screenshots: testresults/zh-*.png (CJK must render: fonts-noto-cjk, .ci/run).
func TestChinese(t *testing.T) {
	dist, results := dirs(t)
	base := serve(t, dist)
	ctx, errs := browser(t)
	open := func(url string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+url)); err != nil {
			t.Fatal(err)
		}
		waitFrame(t, ctx)
	}
	text := func(expr string) string {
		t.Helper()
		var s string
		js(t, ctx, expr, &s)
		return s
	}
	waitFor := func(expr, want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(text(expr), want) {
			if time.Now().After(deadline) {
				t.Fatalf("%s never showed %q; it reads %q", expr, want, text(expr))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	// The rolling update in Chinese, paused at 40 s.
	open("/index.html?scenario=rolling-update.yaml&t=40&autoplay=0&lang=zh")
	if l := text(`document.documentElement.lang`); l != "zh-CN" {
		t.Errorf("<html lang> %q, want zh-CN", l)
	}
	for _, c := range []struct{ expr, want string }{
		{`document.getElementById('play').textContent`, "播放"},
		{`document.getElementById('reset').textContent`, "重置"},
		{`document.getElementById('share').title`, "复制指向此刻的链接"},
		{`document.querySelector('[data-tab=events]').textContent`, "事件"},
		{`document.getElementById('captext').textContent`, "新的 ReplicaSet"},
		{`document.title`, "kubesim：模拟的 Kubernetes"},
		{`document.querySelector('#scenario option[value="rolling-update.yaml"]').textContent`, "滚动更新"},
		{`document.querySelector('#scenario optgroup').label`, "课程"},
		{`document.querySelector('#langswitch [aria-pressed=true]').textContent`, "中文"},
		{`document.getElementById('out').textContent`, "# 试试这些命令"},
	} {
		if got := text(c.expr); !strings.Contains(got, c.want) {
			t.Errorf("%s = %q, want it to contain %q", c.expr, got, c.want)
		}
	}
	// kubectl prints as kubectl does, whatever the page's language.
	js(t, ctx, `(() => { const c = document.getElementById('cmd'); c.value = 'kubectl get deploy';
		c.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); })()`, nil)
	if out := text(`document.getElementById('out').textContent`); !strings.Contains(out, "NAME   READY   UP-TO-DATE   AVAILABLE   AGE") {
		t.Errorf("kubectl get deploy in zh: %q", out)
	}
	// Share links carry the language.
	js(t, ctx, `document.getElementById('share').click()`, nil)
	if out := text(`document.getElementById('out').textContent`); !strings.Contains(out, "&lang=zh") {
		t.Errorf("share link without lang=zh: %q", out)
	}
	shot(t, ctx, results, "zh-1-rolling-update")
	// The help dialog, and its embed example with the language.
	js(t, ctx, `document.getElementById('help').click()`, nil)
	if s := text(`document.getElementById('helpdlg').innerText`); !strings.Contains(s, "播放 / 暂停") || !strings.Contains(s, "&lang=zh") ||
		!strings.Contains(s, "点击 Pod 可以删除它") {
		t.Errorf("help dialog in zh: %q", s)
	}
	shotPage(t, ctx, results, "zh-1b-help")
	js(t, ctx, `document.getElementById('helpdlg').close()`, nil)

	// The switch: English at the same scenario and moment, saved for the next visit.
	var before, after status
	K(t, ctx, "status()", &before)
	js(t, ctx, `document.querySelector('#langswitch [data-lang=en]').click()`, nil)
	K(t, ctx, "status()", &after)
	if after.T != before.T || after.Title != before.Title || after.Playing {
		t.Errorf("switching to English moved the page: before %+v, after %+v", before, after)
	}
	for _, c := range []struct{ expr, want string }{
		{`document.documentElement.lang`, "en"},
		{`document.getElementById('play').textContent`, "Play"},
		{`document.getElementById('captext').textContent`, "A new ReplicaSet appears"},
		{`document.querySelector('[data-tab=events]').textContent`, "Events"},
		{`document.querySelector('#scenario option[value="rolling-update.yaml"]').textContent`, "Rolling update"},
		{`location.search`, "scenario=rolling-update.yaml"},
	} {
		if got := text(c.expr); !strings.Contains(got, c.want) {
			t.Errorf("after switching to English: %s = %q, want it to contain %q", c.expr, got, c.want)
		}
	}
	if s := text(`location.search`); strings.Contains(s, "lang=zh") {
		t.Errorf("the URL still says lang=zh: %q", s)
	}
	shot(t, ctx, results, "zh-2-back-to-english")
	// And back to Chinese, then a reload without lang: the saved choice.
	js(t, ctx, `document.querySelector('#langswitch [data-lang=zh]').click()`, nil)
	open("/index.html?scenario=rolling-update.yaml&autoplay=0")
	if got := text(`document.getElementById('reset').textContent`); got != "重置" {
		t.Errorf("the saved choice: reset reads %q, want 重置", got)
	}

	// A lesson in Chinese: the question, a wrong answer's feedback with the why.
	open("/index.html?scenario=lesson-rolling-update.yaml&speed=10&lang=zh")
	// Step 1 asks nothing: it plays to 10 s and shows its why; Continue asks step 2.
	waitFor(`document.getElementById('lessoncontinue') ? document.getElementById('lessoncontinue').textContent : ''`, "继续")
	if s := text(`document.getElementById('lessonstep').textContent`); s != "课程 · 第 1 步，共 5 步 · t = 10.0 s" {
		t.Errorf("lesson head %q", s)
	}
	js(t, ctx, `document.getElementById('lessoncontinue').click()`, nil)
	waitFor(`document.getElementById('lessonbody').innerText`, "web 有多少个未在终止中的 Pod（新旧合计）？")
	if s := text(`document.getElementById('lessonstate').textContent`); !strings.Contains(s, "先预测") {
		t.Errorf("lesson state %q", s)
	}
	shot(t, ctx, results, "zh-3-lesson-question")
	js(t, ctx, `[...document.querySelectorAll('#lesson .choice')].find(b => b.textContent === '4').click()`, nil)
	waitFor(`document.getElementById('lessonbody').innerText`, "✗ 不太对：你的答案是 4；模拟结果是 5。")
	body := text(`document.getElementById('lessonbody').innerText`)
	if !strings.Contains(body, "原因：") || !strings.Contains(body, "count pods -l app=web terminating=false") {
		t.Errorf("zh feedback lacks the why or the check as written: %q", body)
	}
	shot(t, ctx, results, "zh-4-lesson-feedback")
	// Switching mid-lesson redraws the card where it is (same step, same verdict).
	js(t, ctx, `document.querySelector('#langswitch [data-lang=en]').click()`, nil)
	if body := text(`document.getElementById('lessonbody').innerText`); !strings.Contains(body, "✗ Not quite: you said 4; the simulation has 5.") {
		t.Errorf("the lesson card after switching to English: %q", body)
	}
	js(t, ctx, `document.querySelector('#langswitch [data-lang=zh]').click()`, nil)

	// A phone: the header wraps with the switch, nothing scrolls sideways; the embed keeps lang.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/embed.html?scenario=rolling-update.yaml&t=40&autoplay=0&lang=zh")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	if s := text(`location.search`); !strings.Contains(s, "lang=zh") || !strings.Contains(s, "embed=1") {
		t.Errorf("embed.html lost the language: %q", s)
	}
	if s := text(`document.getElementById('captext').textContent`); !strings.Contains(s, "新的 ReplicaSet") {
		t.Errorf("embedded caption %q", s)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/index.html?scenario=lesson-rolling-update.yaml&lang=zh")); err != nil {
		t.Fatal(err)
	}
	waitFrame(t, ctx)
	var wide bool
	js(t, ctx, `document.documentElement.scrollWidth > innerWidth`, &wide)
	if wide {
		t.Errorf("the Chinese page scrolls sideways at 390 px")
	}
	shotPage(t, ctx, results, "zh-1c-phone-lesson")

	// The side-by-side page in Chinese.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(base+"/compare.html?c=max-surge&t=35&autoplay=0&lang=zh")); err != nil {
		t.Fatal(err)
	}
	waitCompare(t, ctx)
	for _, c := range []struct{ expr, want string }{
		{`document.getElementById('ctitle').textContent`, "滚动更新"},
		{`document.getElementById('cdesc').textContent`, "maxSurge"},
		{`document.getElementById('play').textContent`, "播放"},
		{`document.querySelector('#sideA .counts').textContent`, "就绪"},
		{`document.documentElement.lang`, "zh-CN"},
	} {
		if got := text(c.expr); !strings.Contains(got, c.want) {
			t.Errorf("compare page: %s = %q, want it to contain %q", c.expr, got, c.want)
		}
	}
	cmpShot(t, ctx, results, "zh-5-compare")
	if len(*errs) > 0 {
		t.Errorf("console errors: %q", *errs)
	}
}

// shotPage saves a screenshot of the whole window (dialogs and the header included).
func shotPage(t *testing.T, ctx context.Context, results, name string) {
	t.Helper()
	time.Sleep(400 * time.Millisecond)
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(results, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
