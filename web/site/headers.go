package site

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
)

// CSP is the Content-Security-Policy of every response. It lets the page run its own
// scripts and its Go wasm ('wasm-unsafe-eval' allows WebAssembly compilation and nothing
// like eval), load its own styles, images, fonts and same-origin iframe (the Ebiten
// canvas page), and be embedded in any site's iframe (frame-ancestors *, the point of the
// embed mode). Everything else is refused: no inline scripts or styles, no plugins, no
// other origins, no <base> or form targets elsewhere.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors *"

// Cache policies.
const (
	// CacheRevalidate: a browser may keep the response but must revalidate it (ETag,
	// If-None-Match -> 304) before each use. For HTML, wasm_exec.js, game.wasm and the API:
	// their names do not change when their contents do.
	CacheRevalidate = "no-cache"
	// CacheImmutable: content-addressed files (their name carries a hash or version), under
	// /assets/. A new build gives them a new name, so they are cached for a year.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheNever is for /healthz: a health answer must never come from a cache.
	CacheNever = "no-store"
)

// Header is one header line of a Rule.
type Header struct{ Name, Value string }

// Rule is one block of the headers table, in the `_headers` format of Cloudflare Workers
// static assets: a path pattern, the headers it detaches ("! Name") and those it attaches.
type Rule struct {
	// Pattern is matched against the whole URL path. "*" (at most one) matches any
	// characters, slashes included, as the edge's rules engine does.
	Pattern string
	// Unset detaches headers attached earlier (by an earlier rule or by the platform).
	Unset []string
	// Set attaches headers.
	Set []Header
}

// Rules is the single source of truth for cache and security headers, in order. A path
// gets the headers of every rule it matches, merged as the edge merges them (Apply).
// web/worker/_headers is this table rendered by WriteHeadersFile.
var Rules = []Rule{
	{Pattern: "/*", Set: []Header{
		{"Cache-Control", CacheRevalidate},
		{"Content-Security-Policy", CSP},
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "strict-origin-when-cross-origin"},
	}},
	{Pattern: "/assets/*", Unset: []string{"Cache-Control"}, Set: []Header{
		{"Cache-Control", CacheImmutable},
	}},
}

var ruleRegexps = compileRules(Rules)

func compileRules(rules []Rule) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(rules))
	for i, r := range rules {
		re, err := PatternRegexp(r.Pattern)
		if err != nil {
			panic("site: headers table: " + err.Error())
		}
		out[i] = re
	}
	return out
}

// PatternRegexp compiles a `_headers` path pattern: literal text, with each "*" matching
// any run of characters (slashes included); anchored at both ends. Placeholders
// (":name") are not used by our table and are refused, as are patterns that do not start
// with "/" or hold more than one "*" (the edge allows one splat per rule).
func PatternRegexp(pattern string) (*regexp.Regexp, error) {
	if !strings.HasPrefix(pattern, "/") {
		return nil, fmt.Errorf("pattern %q: must start with /", pattern)
	}
	if strings.Count(pattern, "*") > 1 {
		return nil, fmt.Errorf("pattern %q: more than one *", pattern)
	}
	if strings.Contains(pattern, ":") {
		return nil, fmt.Errorf("pattern %q: placeholders are not supported", pattern)
	}
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.Compile("^" + strings.Join(parts, ".*") + "$")
}

// Apply adds the table's headers for the URL path (as sent, still escaped) to h, with the
// edge's merge rules (workers-shared asset-worker attachCustomHeaders): rules are taken in
// order; each first detaches its Unset names, then attaches its headers; the first rule
// to attach a name replaces what the platform had, later rules append to it.
func Apply(h http.Header, urlPath string) { applyRules(h, urlPath, Rules, ruleRegexps) }

func applyRules(h http.Header, urlPath string, rules []Rule, res []*regexp.Regexp) {
	attached := map[string]bool{}
	for i, r := range rules {
		if !res[i].MatchString(urlPath) {
			continue
		}
		for _, name := range r.Unset {
			h.Del(name)
		}
		for _, hd := range r.Set {
			key := http.CanonicalHeaderKey(hd.Name)
			if attached[key] {
				h.Add(key, hd.Value)
			} else {
				h.Set(key, hd.Value)
				attached[key] = true
			}
		}
	}
}

// HeadersFor returns the table's headers for a URL path.
func HeadersFor(urlPath string) http.Header {
	h := http.Header{}
	Apply(h, urlPath)
	return h
}

// WriteHeadersFile renders Rules as a Cloudflare `_headers` file.
func WriteHeadersFile(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Generated from web/site/headers.go (site.Rules) by\n")
	b.WriteString("#   go test ./web/worker -run TestHeadersFile -update\n")
	b.WriteString("# Do not edit: change the Go table and regenerate.\n")
	for _, r := range Rules {
		b.WriteString(r.Pattern + "\n")
		for _, name := range r.Unset {
			b.WriteString("  ! " + name + "\n")
		}
		for _, hd := range r.Set {
			b.WriteString("  " + hd.Name + ": " + hd.Value + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
