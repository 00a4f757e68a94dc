package site

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestPatternRegexp(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		match         bool
	}{
		{"/*", "/", true},
		{"/*", "/a/b/c.wasm", true},
		{"/assets/*", "/assets/x.svg", true},
		{"/assets/*", "/assets/deep/x.svg", true},
		{"/assets/*", "/assets", false},
		{"/assets/*", "/x/assets/y", false},
		{"/*.wasm", "/game.wasm", true},
		{"/*.wasm", "/game.wasm.br", false},
		{"/a.b", "/axb", false}, // the dot is literal
		{"/healthz", "/healthz", true},
		{"/healthz", "/healthz/", false},
	} {
		re, err := PatternRegexp(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := re.MatchString(tc.path); got != tc.match {
			t.Errorf("%s ~ %s = %v; want %v", tc.pattern, tc.path, got, tc.match)
		}
	}
	for _, bad := range []string{"assets/*", "/*/x/*", "/:name/x"} {
		if _, err := PatternRegexp(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// The merge rules of the edge (workers-shared asset-worker attachCustomHeaders): the first
// rule to attach a name replaces the platform's value, later ones append, "! Name"
// detaches first.
func TestApplyMergeRules(t *testing.T) {
	rules := []Rule{
		{Pattern: "/*", Set: []Header{{"Cache-Control", "no-cache"}, {"X-A", "1"}}},
		{Pattern: "/a/*", Set: []Header{{"X-A", "2"}}},
		{Pattern: "/a/b/*", Unset: []string{"Cache-Control", "X-Platform"}, Set: []Header{{"cache-control", "immutable"}}},
	}
	res := compileRules(rules)
	for _, tc := range []struct {
		path string
		want http.Header
	}{
		{"/x", http.Header{"Cache-Control": {"no-cache"}, "X-A": {"1"}, "X-Platform": {"p"}}},
		{"/a/x", http.Header{"Cache-Control": {"no-cache"}, "X-A": {"1", "2"}, "X-Platform": {"p"}}},
		{"/a/b/x", http.Header{"Cache-Control": {"immutable"}, "X-A": {"1", "2"}}},
	} {
		h := http.Header{"Cache-Control": {"public, max-age=0, must-revalidate"}, "X-Platform": {"p"}}
		applyRules(h, tc.path, rules, res)
		if !reflect.DeepEqual(h, tc.want) {
			t.Errorf("%s: %v; want %v", tc.path, h, tc.want)
		}
	}
}

// Our table attaches each header once per path: values joined by the edge would differ
// from what a browser expects ("no-cache, public, ..."), so the table must not rely on it.
func TestRulesAttachEachHeaderOnce(t *testing.T) {
	for _, p := range []string{"/", "/index.html", "/game.wasm", "/assets/a.1234abcd.js", "/api/scenarios"} {
		for name, v := range HeadersFor(p) {
			if len(v) != 1 {
				t.Errorf("%s: %s has %d values %q", p, name, len(v), v)
			}
		}
	}
}

func TestWriteHeadersFile(t *testing.T) {
	var b strings.Builder
	if err := WriteHeadersFile(&b); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"\n/*\n  Cache-Control: no-cache\n  Content-Security-Policy: " + CSP + "\n",
		"\n/assets/*\n  ! Cache-Control\n  Cache-Control: public, max-age=31536000, immutable\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("_headers lacks %q:\n%s", want, got)
		}
	}
}

func TestContentType(t *testing.T) {
	for name, want := range map[string]string{
		"index.html":   "text/html; charset=utf-8",
		"GAME.WASM":    "application/wasm",
		"wasm_exec.js": "text/javascript; charset=utf-8",
		"a.json":       "application/json",
		"a.woff2":      "font/woff2",
		"favicon.ico":  "image/vnd.microsoft.icon",
		"README":       "application/octet-stream",
		"x.unknown":    "application/octet-stream",
	} {
		if got := ContentType(name); got != want {
			t.Errorf("ContentType(%q) = %q; want %q", name, got, want)
		}
	}
}
