package simtest

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden runs every testdata/*.yaml and compares its text timeline with the .trace file
// beside it, and its JSONL trace with the hash in testdata/jsonl.sha256. The same goldens are
// checked natively and under GOOS=js GOARCH=wasm (./build.sh test), which is how the test
// proves the browser build gives the same trace byte for byte.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	hashes := readHashes(t)
	var mu = map[string]string{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
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
			golden := strings.TrimSuffix(file, ".yaml") + ".trace"
			mu[name] = res.Hash()
			if *update {
				if err := os.WriteFile(golden, []byte(res.Text), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if res.Text != string(want) {
				t.Errorf("trace differs from %s; if this fails, run with -update and inspect the diff; commit only changes you understand.\n%s", golden, firstDiff(string(want), res.Text))
			}
			if h, ok := hashes[name]; !ok {
				t.Errorf("no JSONL hash for %s in testdata/jsonl.sha256 (run with -update)", name)
			} else if h != res.Hash() {
				t.Errorf("JSONL trace hash %s; want %s", res.Hash(), h)
			}
		})
	}
	if *update {
		for k, v := range hashes {
			if _, ok := mu[k]; !ok {
				mu[k] = v // keep hashes of goldens not run this time (-run filter)
			}
		}
		writeHashes(t, mu)
	}
}

func readHashes(t *testing.T) map[string]string {
	m := map[string]string{}
	b, err := os.ReadFile("testdata/jsonl.sha256")
	if err != nil {
		return m
	}
	for _, l := range strings.Split(string(b), "\n") {
		if h, name, ok := strings.Cut(l, "  "); ok {
			m[name] = h
		}
	}
	return m
}

func writeHashes(t *testing.T, m map[string]string) {
	var names []string
	for n := range m {
		if _, err := os.Stat("testdata/" + n + ".yaml"); err == nil {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(m[n] + "  " + n + "\n")
	}
	if err := os.WriteFile("testdata/jsonl.sha256", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstDiff shows the first differing line with a little context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n- " + wl + "\n+ " + gl
		}
	}
	return ""
}
