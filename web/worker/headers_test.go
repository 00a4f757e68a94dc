package main

import (
	"bufio"
	"bytes"
	"flag"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/web/site"
)

var update = flag.Bool("update", false, "rewrite _headers from site.Rules")

// _headers is site.Rules rendered; it is committed so a reviewer sees what the edge gets,
// and this test keeps it from going stale. Regenerate with -update.
func TestHeadersFile(t *testing.T) {
	var want bytes.Buffer
	if err := site.WriteHeadersFile(&want); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("_headers", want.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("_headers")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("_headers is stale; run go test ./web/worker -run TestHeadersFile -update\n got:\n%s\nwant:\n%s", got, want.Bytes())
	}
}

// edgeRule is one block of a parsed _headers file.
type edgeRule struct {
	re    *regexp.Regexp
	unset []string
	set   [][2]string
}

// parseHeadersFile reads a _headers file the way the edge does (workers-shared
// utils/configuration parseHeaders: a line at column 0 opens a rule, indented
// "Name: value" attaches, indented "! Name" detaches, "#" comments), written here
// independently of site.WriteHeadersFile so the test is not the renderer checking itself.
func parseHeadersFile(t *testing.T, data []byte) []edgeRule {
	t.Helper()
	var rules []edgeRule
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case line == trimmed:
			quoted := strings.ReplaceAll(regexp.QuoteMeta(trimmed), `\*`, ".*")
			rules = append(rules, edgeRule{re: regexp.MustCompile("^" + quoted + "$")})
		case len(rules) == 0:
			t.Fatalf("_headers:%d: header before any path", n)
		case strings.HasPrefix(trimmed, "!"):
			r := &rules[len(rules)-1]
			r.unset = append(r.unset, strings.TrimSpace(trimmed[1:]))
		default:
			name, value, ok := strings.Cut(trimmed, ":")
			if !ok {
				t.Fatalf("_headers:%d: %q is not Name: value", n, trimmed)
			}
			r := &rules[len(rules)-1]
			r.set = append(r.set, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
		}
	}
	return rules
}

// edgeHeaders is what the edge sends for an asset: its defaults (workers-shared
// asset-worker getAssetHeaders: Cache-Control "public, max-age=0, must-revalidate"), then
// the matching rules, first attach replacing and later ones appending.
func edgeHeaders(rules []edgeRule, path string) http.Header {
	h := http.Header{"Cache-Control": {"public, max-age=0, must-revalidate"}}
	attached := map[string]bool{}
	for _, r := range rules {
		if !r.re.MatchString(path) {
			continue
		}
		for _, name := range r.unset {
			h.Del(name)
		}
		for _, kv := range r.set {
			key := http.CanonicalHeaderKey(kv[0])
			if attached[key] {
				h.Add(key, kv[1])
			} else {
				h.Set(key, kv[1])
				attached[key] = true
			}
		}
	}
	return h
}

// For every file of the fixture dist/, at every URL the edge serves it under, the headers
// the committed _headers file gives at the edge equal those `kubesim serve` sends.
func TestHeadersFileMatchesHandler(t *testing.T) {
	data, err := os.ReadFile("_headers")
	if err != nil {
		t.Fatal(err)
	}
	rules := parseHeadersFile(t, data)
	const dist = "../site/testdata/dist"
	h := site.New(site.Options{Static: os.DirFS(dist)})
	var urls []string
	fs.WalkDir(os.DirFS(dist), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") ||
			strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return err
		}
		switch {
		case p == "index.html":
			urls = append(urls, "/")
		case strings.HasSuffix(p, "/index.html"):
			urls = append(urls, "/"+strings.TrimSuffix(p, "index.html"))
		case strings.HasSuffix(p, ".html"):
			urls = append(urls, "/"+strings.TrimSuffix(p, ".html"))
		default:
			urls = append(urls, "/"+p)
		}
		return nil
	})
	sort.Strings(urls)
	if len(urls) < 6 {
		t.Fatalf("fixture too small: %v", urls)
	}
	names := map[string]bool{}
	for _, r := range rules {
		for _, kv := range r.set {
			names[http.CanonicalHeaderKey(kv[0])] = true
		}
	}
	for _, u := range urls {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		if rec.Code != 200 {
			t.Errorf("%s: status %d", u, rec.Code)
			continue
		}
		edge := edgeHeaders(rules, u)
		for name := range names {
			if g, w := rec.Header().Values(name), edge.Values(name); strings.Join(g, "\n") != strings.Join(w, "\n") {
				t.Errorf("%s: %s: kubesim serve sends %q; the edge %q", u, name, g, w)
			}
		}
	}
}
