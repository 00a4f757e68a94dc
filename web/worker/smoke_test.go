//go:build workersmoke

// The Worker smoke test: run by ./build.sh test (test_worker) against `wrangler dev`
// (workerd, offline) serving web/worker/build; KUBESIM_WORKER_URL is its base URL and
// KUBESIM_WORKER_DIST the directory its assets were copied from. It checks that the edge
// answers like `kubesim serve`: same status, Content-Type and table headers for every file,
// the same /healthz and /api/scenarios, 404 and 405 for bad requests, and the wasm
// compressed with brotli when asked.
package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/kubesim/kubesim/web/site"
)

var client = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func fetch(t *testing.T, method, url, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Set explicitly, so Go's transport neither adds gzip nor decodes for us.
	req.Header.Set("Accept-Encoding", acceptEncoding)
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	var r io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "br" {
		r = brotli.NewReader(res.Body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s %s: body: %v", method, url, err)
	}
	return res, b
}

// compared are the headers that must be equal at the edge and locally.
var compared = []string{"Content-Type", "Cache-Control", "Content-Security-Policy",
	"X-Content-Type-Options", "Referrer-Policy"}

func TestWorkerSmoke(t *testing.T) {
	base, dist := os.Getenv("KUBESIM_WORKER_URL"), os.Getenv("KUBESIM_WORKER_DIST")
	if base == "" || dist == "" {
		t.Fatal("set KUBESIM_WORKER_URL and KUBESIM_WORKER_DIST (./build.sh test does)")
	}
	local := site.New(site.Options{Static: os.DirFS(dist)})
	localGet := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		local.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}

	type file struct{ url, name string }
	var files []file
	fs.WalkDir(os.DirFS(dist), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") ||
			strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return err
		}
		u := "/" + p
		switch {
		case p == "index.html":
			u = "/"
		case strings.HasSuffix(p, "/index.html"):
			u = "/" + strings.TrimSuffix(p, "index.html")
		case strings.HasSuffix(p, ".html"):
			u = "/" + strings.TrimSuffix(p, ".html")
		}
		files = append(files, file{u, p})
		return nil
	})
	var sawRoot, sawWasm bool
	// Warnings go to $KUBESIM_WORKER_WARNINGS, which build.sh prints: go test hides the
	// output of a passing test.
	var warnings []string
	defer func() {
		if path := os.Getenv("KUBESIM_WORKER_WARNINGS"); path != "" && len(warnings) > 0 {
			os.WriteFile(path, []byte(strings.Join(warnings, "\n")+"\n"), 0o644)
		}
		for _, w := range warnings {
			t.Log(w)
		}
	}()
	for _, f := range files {
		res, body := fetch(t, "GET", base+f.url, "br")
		want, _ := os.ReadFile(dist + "/" + f.name)
		if res.StatusCode != 200 || !bytes.Equal(body, want) {
			t.Errorf("GET %s: status %d, %d bytes; want 200 and the %d bytes of %s", f.url, res.StatusCode, len(body), len(want), f.name)
			continue
		}
		rec := localGet(f.url)
		for _, name := range compared {
			if g, w := res.Header.Values(name), rec.Header().Values(name); strings.Join(g, "|") != strings.Join(w, "|") {
				t.Errorf("GET %s: %s at the edge %q; kubesim serve %q", f.url, name, g, w)
			}
		}
		sawRoot = sawRoot || f.url == "/"
		if strings.HasSuffix(f.name, ".html") {
			for _, w := range inlineCode(body) {
				// A warning, not a failure: the page is another team's, and a browser
				// test is what proves it runs. But the edge will block this.
				warnings = append(warnings, fmt.Sprintf("CSP WARNING: %s has %s, which the Content-Security-Policy blocks; move it to a same-origin file", f.name, w))
			}
		}
		if strings.HasSuffix(f.name, ".wasm") {
			sawWasm = true
			if ce := res.Header.Get("Content-Encoding"); ce != "br" {
				t.Errorf("GET %s with Accept-Encoding br: Content-Encoding %q; want br", f.url, ce)
			}
			if !bytes.HasPrefix(body, []byte("\x00asm")) {
				t.Errorf("GET %s: decoded body is not wasm: % x", f.url, body[:min(8, len(body))])
			}
			t.Logf("%s: %s, %d bytes decoded", f.url, res.Header.Get("Content-Type"), len(body))
		}
	}
	if !sawRoot || !sawWasm {
		t.Errorf("dist %s lacks index.html or a .wasm (files %v)", dist, files)
	}

	// Dynamic paths: the Go handler in the Worker.
	res, body := fetch(t, "GET", base+"/healthz", "")
	if res.StatusCode != 200 || string(body) != "ok\n" || res.Header.Get("Cache-Control") != site.CacheNever {
		t.Errorf("/healthz: %d %q Cache-Control %q", res.StatusCode, body, res.Header.Get("Cache-Control"))
	}
	res, body = fetch(t, "GET", base+"/api/scenarios", "br")
	rec := localGet("/api/scenarios")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" || !bytes.Equal(body, rec.Body.Bytes()) {
		t.Errorf("/api/scenarios: %d %q\n%s\nwant kubesim serve's\n%s", res.StatusCode, res.Header.Get("Content-Type"), body, rec.Body.Bytes())
	}
	for _, path := range []string{"/healthz", "/api/scenarios"} {
		res, _ := fetch(t, "GET", base+path, "")
		for _, name := range compared {
			if g, w := res.Header.Values(name), localGet(path).Header().Values(name); strings.Join(g, "|") != strings.Join(w, "|") {
				t.Errorf("GET %s: %s at the edge %q; kubesim serve %q", path, name, g, w)
			}
		}
	}

	// Bad requests.
	if res, body := fetch(t, "GET", base+"/no-such-file.js", ""); res.StatusCode != 404 || string(body) != "404 page not found\n" {
		t.Errorf("unknown path: %d %q; want the Go handler's 404", res.StatusCode, body)
	}
	if res, _ := fetch(t, "POST", base+"/healthz", ""); res.StatusCode != 405 || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /healthz: %d Allow %q; want 405 with Allow", res.StatusCode, res.Header.Get("Allow"))
	}
	if res, _ := fetch(t, "POST", base+"/", ""); res.StatusCode != 405 {
		t.Errorf("POST /: %d; want 405", res.StatusCode)
	}
	if res, _ := fetch(t, "GET", base+"/index.html", ""); res.StatusCode != 307 || res.Header.Get("Location") != "/" {
		t.Errorf("/index.html: %d Location %q; want 307 to /", res.StatusCode, res.Header.Get("Location"))
	}
}

var (
	inlineScript  = regexp.MustCompile(`(?i)<script\b([^>]*)>`)
	inlineStyle   = regexp.MustCompile(`(?i)<style\b`)
	styleAttr     = regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle\s*=`)
	handlerAttr   = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	javascriptURL = regexp.MustCompile(`(?i)href\s*=\s*["']?javascript:`)
)

// inlineCode lists what in an HTML page site.CSP refuses: inline <script> and <style>
// elements, style="" and on*="" attributes, javascript: URLs.
func inlineCode(html []byte) []string {
	var out []string
	for _, m := range inlineScript.FindAllSubmatch(html, -1) {
		if !regexp.MustCompile(`(?i)\ssrc\s*=`).Match(m[1]) {
			out = append(out, "an inline <script>")
		}
	}
	if inlineStyle.Match(html) {
		out = append(out, "an inline <style>")
	}
	if styleAttr.Match(html) {
		out = append(out, "a style= attribute")
	}
	if handlerAttr.Match(html) {
		out = append(out, "an on*= event handler attribute")
	}
	if javascriptURL.Match(html) {
		out = append(out, "a javascript: URL")
	}
	return out
}
