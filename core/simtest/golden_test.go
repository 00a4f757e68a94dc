package simtest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kubesim/kubesim/core/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden runs every testdata/*.yaml and compares its text timeline and its JSONL trace
// with the .trace and .jsonl files beside it. The same goldens are checked natively and
// under GOOS=js GOARCH=wasm (./build.sh test), which is how the test proves the browser
// build gives the same trace byte for byte.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.yaml: %v", err)
	}
	for _, file := range files {
		base := strings.TrimSuffix(file, ".yaml")
		t.Run(filepath.Base(base), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := scenario.Parse(filepath.Base(file), data)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(sc, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, base+".trace", res.Text, textDiff)
			compareGolden(t, base+".jsonl", res.JSONL, jsonlDiff)
		})
	}
}

// TestGoldenFilesHaveScenarios: every .trace and .jsonl in testdata belongs to a .yaml, so a
// renamed or deleted scenario leaves no golden that nothing checks.
func TestGoldenFilesHaveScenarios(t *testing.T) {
	for _, ext := range []string{".trace", ".jsonl"} {
		goldens, err := filepath.Glob("testdata/*" + ext)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range goldens {
			if _, err := os.Stat(strings.TrimSuffix(g, ext) + ".yaml"); err != nil {
				t.Errorf("%s has no scenario beside it: delete it or restore the .yaml", g)
			}
		}
	}
}

// compareGolden writes got to path under -update, else fails with diff(want, got) when the
// file differs.
func compareGolden(t *testing.T, path, got string, diff func(want, got string) string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (- golden, + this run); if the change is meant, run with -update, read `git diff core/simtest/testdata` and commit only changes you understand.\n%s",
			path, diff(string(want), got))
	}
}

// contextLines is how many equal lines a diff shows before the first differing one.
const contextLines = 2

// firstDiffLine returns the index of the first line where want and got differ, or -1.
func firstDiffLine(w, g []string) int {
	for i := 0; i < len(w) || i < len(g); i++ {
		if i >= len(w) || i >= len(g) || w[i] != g[i] {
			return i
		}
	}
	return -1
}

// lines splits s into lines without the empty string after a final newline.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// showDiff renders the first differing line of w and g (index i) with its line number and
// the equal lines before it, each passed through clip.
func showDiff(w, g []string, i int, clip func(string) string) string {
	var b strings.Builder
	for j := max(0, i-contextLines); j < i; j++ {
		fmt.Fprintf(&b, "  %5d  %s\n", j+1, clip(w[j]))
	}
	side := func(sign string, ls []string) {
		if i < len(ls) {
			fmt.Fprintf(&b, "%s %5d  %s\n", sign, i+1, clip(ls[i]))
		} else {
			fmt.Fprintf(&b, "%s %5d  (end of file after %d lines)\n", sign, i+1, len(ls))
		}
	}
	side("-", w)
	side("+", g)
	return b.String()
}

// textDiff shows the first differing line of two text timelines.
func textDiff(want, got string) string {
	w, g := lines(want), lines(got)
	i := firstDiffLine(w, g)
	if i < 0 {
		return "(the files differ only in a trailing newline)"
	}
	return showDiff(w, g, i, func(s string) string { return s })
}

// jsonlDiff shows the first differing record of two JSONL traces, its lines shortened, and
// then the JSON fields that differ in it, since a state record is one very long line.
func jsonlDiff(want, got string) string {
	w, g := lines(want), lines(got)
	i := firstDiffLine(w, g)
	if i < 0 {
		return "(the files differ only in a trailing newline)"
	}
	out := showDiff(w, g, i, func(s string) string { return clip(s, 160) })
	if i >= len(w) || i >= len(g) {
		return out
	}
	fields, err := jsonFieldDiff(w[i], g[i])
	if err != nil {
		return out + "(line " + fmt.Sprint(i+1) + " is not JSON: " + err.Error() + ")\n"
	}
	const maxFields = 12
	out += "fields that differ on line " + fmt.Sprint(i+1) + " (golden -> this run):\n"
	for k, f := range fields {
		if k == maxFields {
			out += fmt.Sprintf("  ... and %d more\n", len(fields)-maxFields)
			break
		}
		out += "  " + f + "\n"
	}
	return out
}

// jsonFieldDiff decodes two JSON values and lists "path: want -> got" for every leaf that
// differs, paths like pods[2].ready, in a stable order.
func jsonFieldDiff(want, got string) ([]string, error) {
	w, err := decodeJSON(want)
	if err != nil {
		return nil, err
	}
	g, err := decodeJSON(got)
	if err != nil {
		return nil, err
	}
	var out []string
	walkDiff("", w, g, &out)
	return out, nil
}

func decodeJSON(s string) (any, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber() // print numbers exactly as the trace wrote them
	var v any
	err := d.Decode(&v)
	return v, err
}

func walkDiff(path string, w, g any, out *[]string) {
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			break
		}
		keys := map[string]bool{}
		for k := range wv {
			keys[k] = true
		}
		for k := range gv {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			p := k
			if path != "" {
				p = path + "." + k
			}
			a, inW := wv[k]
			b, inG := gv[k]
			switch {
			case !inW:
				*out = append(*out, p+": (absent) -> "+jsonText(b))
			case !inG:
				*out = append(*out, p+": "+jsonText(a)+" -> (absent)")
			default:
				walkDiff(p, a, b, out)
			}
		}
		return
	case []any:
		gv, ok := g.([]any)
		if !ok {
			break
		}
		if len(wv) != len(gv) {
			*out = append(*out, fmt.Sprintf("%s: %d items -> %d items", path, len(wv), len(gv)))
		}
		for k := 0; k < len(wv) && k < len(gv); k++ {
			walkDiff(elemPath(path, k, wv[k]), wv[k], gv[k], out)
		}
		return
	}
	if a, b := jsonText(w), jsonText(g); a != b {
		*out = append(*out, path+": "+a+" -> "+b)
	}
}

// elemPath names item k of an array, with the item's name when it has one (pods[3 "web-0"]),
// since state records list objects by name.
func elemPath(path string, k int, item any) string {
	if m, ok := item.(map[string]any); ok {
		if name, ok := m["name"].(string); ok {
			return fmt.Sprintf("%s[%d %q]", path, k, name)
		}
	}
	return fmt.Sprintf("%s[%d]", path, k)
}

// jsonText renders a decoded JSON value compactly, shortened for a one-line report.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return clip(strings.TrimSuffix(b.String(), "\n"), 120)
}

// clip shortens s to n bytes (at a rune boundary) with a marker saying how much was cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d more bytes)", s[:cut], len(s)-cut)
}

// TestGoldenDiffs: a failing golden names the first differing line with its number and the
// lines before it, and for JSONL the fields that differ, so the failure shows what broke.
func TestGoldenDiffs(t *testing.T) {
	want := `{"t":0,"type":"caption","text":"start"}
{"t":1,"type":"caption","text":"go"}
{"t":2,"type":"state","pods":[{"name":"web-0","ready":false,"restarts":0},{"name":"web-1","ready":true,"restarts":0}],"dns":[]}
{"t":3,"type":"caption","text":"end"}
`
	got := strings.Replace(want, `"name":"web-1","ready":true,"restarts":0`, `"name":"web-1","ready":false,"restarts":2,"node":"n1"`, 1)
	wantDiff := `      1  {"t":0,"type":"caption","text":"start"}
      2  {"t":1,"type":"caption","text":"go"}
-     3  {"t":2,"type":"state","pods":[{"name":"web-0","ready":false,"restarts":0},{"name":"web-1","ready":true,"restarts":0}],"dns":[]}
+     3  {"t":2,"type":"state","pods":[{"name":"web-0","ready":false,"restarts":0},{"name":"web-1","ready":false,"restarts":2,"node":"n1"}],"dns":[]}
fields that differ on line 3 (golden -> this run):
  pods[1 "web-1"].node: (absent) -> "n1"
  pods[1 "web-1"].ready: true -> false
  pods[1 "web-1"].restarts: 0 -> 2
`
	if d := jsonlDiff(want, got); d != wantDiff {
		t.Errorf("jsonlDiff =\n%s\nwant\n%s", d, wantDiff)
	}
	// A trace cut short shows where it ends.
	short := "a\nb\nc\n"
	if d, w := textDiff(short, "a\nb\n"), "      1  a\n      2  b\n-     3  c\n+     3  (end of file after 2 lines)\n"; d != w {
		t.Errorf("textDiff =\n%s\nwant\n%s", d, w)
	}
	if d := jsonlDiff(`{"t":0}`+"\n", `{"t":0,"pods":[1,2]}`+"\n"); !strings.Contains(d, "pods: (absent) -> [1,2]") {
		t.Errorf("jsonlDiff of an added field:\n%s", d)
	}
}
