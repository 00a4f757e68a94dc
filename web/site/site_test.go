package site_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/scenarios"
	"github.com/kubesim/kubesim/web/site"
)

// fixture is a small dist/: index.html, canvas.html, docs/index.html, style.css,
// wasm_exec.js, game.wasm (the 8-byte empty module) with .gz and .br siblings, a
// content-addressed assets/logo.3f2a9c1e.svg and a dot-file that must never be served.
func fixture() *site.Handler {
	return site.New(site.Options{Static: os.DirFS("testdata/dist")})
}

func do(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/dist/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStaticFiles(t *testing.T) {
	h := fixture()
	tests := []struct {
		name, target, acceptEncoding string
		wantStatus                   int
		wantType, wantEncoding       string
		wantVary, wantLocation       string
		wantBodyFile                 string // fixture file whose bytes are the body
	}{
		{name: "root is index.html", target: "/", wantStatus: 200,
			wantType: "text/html; charset=utf-8", wantBodyFile: "index.html"},
		{name: "extensionless html", target: "/canvas", wantStatus: 200,
			wantType: "text/html; charset=utf-8", wantBodyFile: "canvas.html"},
		{name: "directory index", target: "/docs/", wantStatus: 200,
			wantType: "text/html; charset=utf-8", wantBodyFile: "docs/index.html"},
		{name: "index.html redirects to /", target: "/index.html?embed=1", wantStatus: 307,
			wantLocation: "/?embed=1"},
		{name: "page.html redirects to page", target: "/canvas.html", wantStatus: 307,
			wantLocation: "/canvas"},
		{name: "dir/index.html redirects to dir/", target: "/docs/index.html", wantStatus: 307,
			wantLocation: "/docs/"},
		{name: "dir without slash redirects", target: "/docs", wantStatus: 307,
			wantLocation: "/docs/"},
		{name: "page/ redirects to page", target: "/canvas/", wantStatus: 307,
			wantLocation: "/canvas"},
		{name: "javascript", target: "/wasm_exec.js", wantStatus: 200,
			wantType: "text/javascript; charset=utf-8", wantBodyFile: "wasm_exec.js"},
		{name: "css", target: "/style.css", wantStatus: 200,
			wantType: "text/css; charset=utf-8", wantBodyFile: "style.css"},
		{name: "svg", target: "/assets/logo.3f2a9c1e.svg", wantStatus: 200,
			wantType: "image/svg+xml", wantBodyFile: "assets/logo.3f2a9c1e.svg"},
		{name: "wasm identity", target: "/game.wasm", wantStatus: 200,
			wantType: "application/wasm", wantVary: "Accept-Encoding", wantBodyFile: "game.wasm"},
		{name: "wasm brotli", target: "/game.wasm", acceptEncoding: "gzip, deflate, br, zstd",
			wantStatus: 200, wantType: "application/wasm", wantEncoding: "br",
			wantVary: "Accept-Encoding", wantBodyFile: "game.wasm.br"},
		{name: "wasm gzip", target: "/game.wasm", acceptEncoding: "gzip",
			wantStatus: 200, wantType: "application/wasm", wantEncoding: "gzip",
			wantVary: "Accept-Encoding", wantBodyFile: "game.wasm.gz"},
		{name: "wasm br refused by q=0", target: "/game.wasm", acceptEncoding: "br;q=0, gzip;q=0.5",
			wantStatus: 200, wantType: "application/wasm", wantEncoding: "gzip",
			wantVary: "Accept-Encoding", wantBodyFile: "game.wasm.gz"},
		{name: "wasm star", target: "/game.wasm", acceptEncoding: "*",
			wantStatus: 200, wantType: "application/wasm", wantEncoding: "br",
			wantVary: "Accept-Encoding", wantBodyFile: "game.wasm.br"},
		{name: "wasm identity only", target: "/game.wasm", acceptEncoding: "identity",
			wantStatus: 200, wantType: "application/wasm",
			wantVary: "Accept-Encoding", wantBodyFile: "game.wasm"},
		{name: "no sibling no encoding", target: "/wasm_exec.js", acceptEncoding: "br",
			wantStatus: 200, wantType: "text/javascript; charset=utf-8", wantBodyFile: "wasm_exec.js"},
		{name: "unknown path", target: "/nope.js", wantStatus: 404},
		{name: "unknown dir", target: "/nope/", wantStatus: 404},
		{name: "siblings not served directly", target: "/game.wasm.br", wantStatus: 404},
		{name: "gz sibling not served directly", target: "/game.wasm.gz", wantStatus: 404},
		{name: "dot-file", target: "/.hidden", wantStatus: 404},
		{name: "edge config file", target: "/_headers", wantStatus: 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tc.acceptEncoding != "" {
				hdr["Accept-Encoding"] = tc.acceptEncoding
			}
			res := do(t, h, "GET", tc.target, hdr)
			got := body(t, res)
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("status %d; want %d (body %q)", res.StatusCode, tc.wantStatus, got)
			}
			if tc.wantStatus == 404 {
				if got != "404 page not found\n" {
					t.Errorf("404 body %q", got)
				}
				return
			}
			if g := res.Header.Get("Location"); g != tc.wantLocation {
				t.Errorf("Location %q; want %q", g, tc.wantLocation)
			}
			if tc.wantStatus != 200 {
				return
			}
			if g := res.Header.Get("Content-Type"); g != tc.wantType {
				t.Errorf("Content-Type %q; want %q", g, tc.wantType)
			}
			if g := res.Header.Get("Content-Encoding"); g != tc.wantEncoding {
				t.Errorf("Content-Encoding %q; want %q", g, tc.wantEncoding)
			}
			if g := strings.Join(res.Header.Values("Vary"), ", "); g != tc.wantVary {
				t.Errorf("Vary %q; want %q", g, tc.wantVary)
			}
			if want := readFixture(t, tc.wantBodyFile); got != want {
				t.Errorf("body %q; want the bytes of %s", got, tc.wantBodyFile)
			}
			if g := res.Header.Get("Content-Length"); g != "" && g != strconv.Itoa(len(got)) {
				t.Errorf("Content-Length %s; body has %d bytes", g, len(got))
			}
			if res.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
}

// Every response, errors and redirects included, carries the security headers of the
// table, and exactly one value of each.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	h := fixture()
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
			"img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors *",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
	}
	for _, tc := range []struct {
		method, target string
		status         int
	}{
		{"GET", "/", 200}, {"HEAD", "/", 200}, {"GET", "/game.wasm", 200},
		{"GET", "/assets/logo.3f2a9c1e.svg", 200}, {"GET", "/healthz", 200},
		{"GET", "/api/scenarios", 200}, {"GET", "/index.html", 307}, {"GET", "/missing", 404},
		{"POST", "/", 405}, {"GET", "/%2e%2e/go.mod", 400},
	} {
		res := do(t, h, tc.method, tc.target, nil)
		if res.StatusCode != tc.status {
			t.Errorf("%s %s: status %d; want %d", tc.method, tc.target, res.StatusCode, tc.status)
		}
		for name, v := range want {
			if got := res.Header.Values(name); len(got) != 1 || got[0] != v {
				t.Errorf("%s %s: %s = %q; want [%q]", tc.method, tc.target, name, got, v)
			}
		}
		// No header that would forbid framing: embedding in any site is the point.
		if v := res.Header.Get("X-Frame-Options"); v != "" {
			t.Errorf("%s %s: X-Frame-Options %q forbids embedding", tc.method, tc.target, v)
		}
	}
}

func TestCacheHeaders(t *testing.T) {
	h := fixture()
	for _, tc := range []struct{ target, want string }{
		{"/", "no-cache"},
		{"/canvas", "no-cache"},
		{"/game.wasm", "no-cache"},
		{"/wasm_exec.js", "no-cache"},
		{"/assets/logo.3f2a9c1e.svg", "public, max-age=31536000, immutable"},
		{"/api/scenarios", "no-cache"},
		{"/healthz", "no-store"},
		{"/missing", "no-cache"},
	} {
		res := do(t, h, "GET", tc.target, nil)
		if got := res.Header.Values("Cache-Control"); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s: Cache-Control %q; want [%q]", tc.target, got, tc.want)
		}
	}
}

func TestETagRevalidation(t *testing.T) {
	h := fixture()
	for _, tc := range []struct{ target, acceptEncoding string }{
		{"/", ""}, {"/game.wasm", ""}, {"/game.wasm", "br"}, {"/game.wasm", "gzip"},
		{"/api/scenarios", ""},
	} {
		hdr := map[string]string{"Accept-Encoding": tc.acceptEncoding}
		first := do(t, h, "GET", tc.target, hdr)
		etag := first.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || len(etag) != 34 {
			t.Fatalf("%s (%s): ETag %q; want a strong quoted 32-hex tag", tc.target, tc.acceptEncoding, etag)
		}
		if again := do(t, h, "GET", tc.target, hdr).Header.Get("ETag"); again != etag {
			t.Errorf("%s: ETag changed between requests: %s, %s", tc.target, etag, again)
		}
		hdr["If-None-Match"] = etag
		res := do(t, h, "GET", tc.target, hdr)
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("%s (%s): If-None-Match own ETag: status %d; want 304", tc.target, tc.acceptEncoding, res.StatusCode)
		}
		if b := body(t, res); b != "" {
			t.Errorf("%s: 304 with body %q", tc.target, b)
		}
		hdr["If-None-Match"] = `"stale"`
		if res := do(t, h, "GET", tc.target, hdr); res.StatusCode != 200 {
			t.Errorf("%s: If-None-Match stale ETag: status %d; want 200", tc.target, res.StatusCode)
		}
	}
	// Each encoding is a different representation, so a different ETag.
	tags := map[string]string{}
	for _, enc := range []string{"", "br", "gzip"} {
		tag := do(t, h, "GET", "/game.wasm", map[string]string{"Accept-Encoding": enc}).Header.Get("ETag")
		if prev, dup := tags[tag]; dup {
			t.Errorf("encodings %q and %q share ETag %s", prev, enc, tag)
		}
		tags[tag] = enc
	}
}

func TestHead(t *testing.T) {
	h := fixture()
	for _, target := range []string{"/", "/game.wasm", "/api/scenarios", "/healthz"} {
		get := do(t, h, "GET", target, nil)
		head := do(t, h, "HEAD", target, nil)
		if head.StatusCode != 200 {
			t.Errorf("HEAD %s: status %d", target, head.StatusCode)
		}
		if b := body(t, head); b != "" {
			t.Errorf("HEAD %s: body %q", target, b)
		}
		for _, name := range []string{"Content-Type", "ETag", "Cache-Control", "Content-Security-Policy"} {
			if g, w := head.Header.Get(name), get.Header.Get(name); g != w {
				t.Errorf("HEAD %s: %s %q; GET has %q", target, name, g, w)
			}
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := fixture()
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"} {
		for _, target := range []string{"/", "/game.wasm", "/healthz", "/api/scenarios", "/missing"} {
			res := do(t, h, method, target, nil)
			if res.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: status %d; want 405", method, target, res.StatusCode)
			}
			if a := res.Header.Get("Allow"); a != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q; want %q", method, target, a, "GET, HEAD")
			}
		}
	}
}

func TestBodyTooLarge(t *testing.T) {
	h := fixture()
	big := strings.Repeat("x", site.MaxBodyBytes+1)
	small := strings.Repeat("x", 10)
	for _, tc := range []struct {
		name    string
		body    string
		chunked bool
		want    int
	}{
		{"declared length over the limit", big, false, 413},
		{"chunked over the limit", big, true, 413},
		{"small body is ignored", small, false, 200},
		{"small chunked body is ignored", small, true, 200},
		{"exactly the limit", strings.Repeat("x", site.MaxBodyBytes), false, 200},
	} {
		req := httptest.NewRequest("GET", "/healthz", strings.NewReader(tc.body))
		if tc.chunked {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s: status %d; want %d", tc.name, rec.Code, tc.want)
		}
	}
}

func TestBadPaths(t *testing.T) {
	h := fixture()
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/../site.go", 400},
		{"/docs/../../site.go", 400},
		{"/./index.html", 400},
		{"/docs/./index.html", 400},
		{"/..", 400},
		{`/docs\..\site.go`, 400},
		{"/a\x00b", 400},
		{"/.hidden", 404},
		{"/docs/.hidden", 404},
		{"/.git/config", 404},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path = tc.path // as decoded from e.g. /%2e%2e/site.go
		req.URL.RawPath = ""
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%q: status %d; want %d", tc.path, rec.Code, tc.want)
		}
		if strings.Contains(rec.Body.String(), "package site") || strings.Contains(rec.Body.String(), "secret") {
			t.Errorf("%q leaked a file outside the site: %q", tc.path, rec.Body.String())
		}
	}
	// Escaped traversal, as a client sends it.
	if res := do(t, h, "GET", "/%2e%2e/site.go", nil); res.StatusCode != 400 {
		t.Errorf("/%%2e%%2e/site.go: status %d; want 400", res.StatusCode)
	}
}

func TestHealthz(t *testing.T) {
	for _, h := range []http.Handler{fixture(), site.New(site.Options{})} {
		res := do(t, h, "GET", "/healthz", nil)
		if res.StatusCode != 200 || body(t, res) != "ok\n" {
			t.Errorf("/healthz: %d", res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("/healthz Content-Type %q", ct)
		}
		if res := do(t, h, "GET", "/healthz/", nil); res.StatusCode != 404 {
			t.Errorf("/healthz/: status %d; want 404", res.StatusCode)
		}
	}
}

// The embedded catalogue: one entry per scenarios/*.yaml, sorted, with the title and
// description of the file.
func TestCatalogueEndpoint(t *testing.T) {
	res := do(t, site.New(site.Options{}), "GET", "/api/scenarios", nil)
	raw := body(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, raw)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var got []map[string]string
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	names := scenarios.Names()
	if len(got) != len(names) {
		t.Fatalf("%d entries; want %d (one per %v)", len(got), len(names), names)
	}
	for i, e := range got {
		if len(e) != 3 || e["name"]+".yaml" != names[i] || e["title"] == "" || e["description"] == "" {
			t.Errorf("entry %d = %v; want {name, title, description} of %s", i, e, names[i])
		}
	}
	var rolling map[string]string
	for _, e := range got {
		if e["name"] == "rolling-update" {
			rolling = e
		}
	}
	if rolling == nil {
		t.Fatal("rolling-update missing from the catalogue")
	}
	if want := "Rolling update: maxSurge 1, maxUnavailable 1"; rolling["title"] != want {
		t.Errorf("rolling-update title %q; want %q", rolling["title"], want)
	}
	if !strings.HasPrefix(rolling["description"], "Four replicas of web move from v1 to v2.") ||
		strings.HasSuffix(rolling["description"], "\n") {
		t.Errorf("rolling-update description %q", rolling["description"])
	}
}

func TestCatalogueError(t *testing.T) {
	h := site.New(site.Options{Catalogue: func() ([]site.Scenario, error) {
		return nil, errors.New("catalogue: broken.yaml:3: title: expected a string")
	}})
	res := do(t, h, "GET", "/api/scenarios", nil)
	if res.StatusCode != 500 {
		t.Fatalf("status %d; want 500", res.StatusCode)
	}
	if b := body(t, res); !strings.Contains(b, "broken.yaml:3") {
		t.Errorf("body %q does not name the file", b)
	}
}

// The Worker's handler has no static files: every other path is the Worker's 404.
func TestDynamicOnly(t *testing.T) {
	h := site.New(site.Options{})
	for _, target := range []string{"/", "/index.html", "/game.wasm", "/api", "/api/scenarios/x"} {
		if res := do(t, h, "GET", target, nil); res.StatusCode != 404 {
			t.Errorf("%s: status %d; want 404", target, res.StatusCode)
		}
	}
}

// Through a real server and client: Go's transport asks for gzip by itself and
// decompresses, so this proves the .gz sibling is a valid stream of the same bytes.
func TestRealServerGzip(t *testing.T) {
	srv := httptest.NewServer(fixture())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/game.wasm")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got := body(t, res)
	if got != readFixture(t, "game.wasm") || !res.Uncompressed {
		t.Errorf("body %q uncompressed=%v; want the wasm via gzip", got, res.Uncompressed)
	}
}
