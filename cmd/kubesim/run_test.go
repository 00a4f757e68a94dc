package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/trace"
)

// Every scenario in the catalogue runs with exit status 0, in both output formats, and
// every JSONL line carries t and type.
func TestRunEveryScenario(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run([]string{"run", f}, &out, &errOut); code != 0 {
				t.Fatalf("kubesim run %s: exit %d: %s", f, code, errOut.String())
			}
			out.Reset()
			if code := run([]string{"run", f, "-o", "jsonl"}, &out, &errOut); code != 0 {
				t.Fatalf("kubesim run %s -o jsonl: exit %d: %s", f, code, errOut.String())
			}
			for i, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("line %d is not JSON: %v", i+1, err)
				}
				if _, ok := rec["t"]; !ok || rec["type"] == nil {
					t.Fatalf("line %d lacks t or type: %s", i+1, line)
				}
			}
		})
	}
}

// `-o jsonl` writes state records as deltas (the first full), `--full-states` writes each
// whole, and the two are the same trace: trace.ExpandJSONL turns one into the other byte for
// byte. `-o text` is the same either way.
func TestRunFullStates(t *testing.T) {
	runTrace := func(args ...string) []byte {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{"run", "sts-scale", "--until", "2m"}, args...)
		if code := run(args, &out, &errOut); code != 0 {
			t.Fatalf("kubesim %v: exit %d: %s", args, code, errOut.String())
		}
		return out.Bytes()
	}
	deltas, full := runTrace("-o", "jsonl"), runTrace("-o", "jsonl", "--full-states")
	if !bytes.Contains(deltas, []byte(`"type":"delta"`)) || bytes.Contains(full, []byte(`"type":"delta"`)) {
		t.Fatal("want delta records with -o jsonl and none with --full-states")
	}
	expanded, err := trace.ExpandJSONL(deltas)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(expanded, full) {
		t.Error("ExpandJSONL(-o jsonl) differs from -o jsonl --full-states")
	}
	if len(deltas) >= len(full) {
		t.Errorf("delta trace %d bytes, full-state trace %d: want smaller", len(deltas), len(full))
	}
	if !bytes.Equal(runTrace(), runTrace("--full-states")) {
		t.Error("--full-states changed the text timeline")
	}
}

// A built-in scenario runs by name, and --until and --seed are honoured. The seed feeds the
// random name suffixes (rolling-update's pods are web-<hash>-<5 random characters>), so a
// different seed prints different pod names, the same seed the same trace byte for byte, and
// --seed equal to the scenario's own seed (1) the same trace as no --seed at all.
func TestRunByCatalogueName(t *testing.T) {
	runTrace := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{"run", "rolling-update", "--until", "10s"}, args...)
		if code := run(args, &out, &errOut); code != 0 {
			t.Fatalf("kubesim %v: exit %d: %s", args, code, errOut.String())
		}
		return out.String()
	}
	seed7 := runTrace("--seed", "7")
	if !strings.Contains(seed7, "Created pod: web-") {
		t.Fatalf("no pod was created in the first 10 s:\n%s", seed7)
	}
	if strings.Contains(seed7, "  30.000s") {
		t.Error("--until 10s printed records after 10 s")
	}
	if again := runTrace("--seed", "7"); again != seed7 {
		t.Errorf("two runs with --seed 7 differ:\n%s", textDiff(seed7, again))
	}
	scenarioSeed := runTrace()
	if scenarioSeed == seed7 {
		t.Error("--seed 7 gave the same trace as the scenario's seed 1: the flag was ignored")
	}
	if seed1 := runTrace("--seed", "1"); seed1 != scenarioSeed {
		t.Errorf("--seed 1 (the scenario's seed) differs from no --seed:\n%s", textDiff(scenarioSeed, seed1))
	}
}

// textDiff names the first line where two traces differ.
func textDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("one trace has %d lines, the other %d", len(al), len(bl))
}

// validate exits 1 and names the file, line, object and field path of each error.
func TestValidateReportsFieldPaths(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"validate", "testdata/bad.yaml"}, &out, &errOut); code != 1 {
		t.Fatalf("exit %d; want 1", code)
	}
	for _, want := range []string{
		`testdata/bad.yaml:15: Pod "p": spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy": did you mean "imagePullPolicy"?`,
		"testdata/bad.yaml:24: Deployment \"web\": spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), "goroutine") || strings.Contains(errOut.String(), "panic") {
		t.Error("validate printed a Go stack trace")
	}
	out.Reset()
	errOut.Reset()
	if code := run([]string{"validate", "../../scenarios/rolling-update.yaml"}, &out, &errOut); code != 0 {
		t.Fatalf("valid file: exit %d: %s", code, errOut.String())
	}
}

// Bad command lines exit 1 with a message, never a stack trace.
func TestRunErrors(t *testing.T) {
	for _, args := range [][]string{{"run"}, {"run", "nope.yaml"}, {"run", "rolling-update", "-o", "xml"}, {"run", "rolling-update", "--until", "soon"}, {"frobnicate"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 1 || errOut.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q; want 1 and a message", args, code, errOut.String())
		}
	}
}

// Durations on the command line are refused, quoting what was written and the allowed range,
// also when they are too large for the clock (they used to wrap around to a negative number,
// or to a huge positive one that ran for ever).
func TestDurationFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", "rolling-update", "--until", "24h0m0.001s"}, 1, `--until "24h0m0.001s": want a duration between 0s and 24h0m0s`},
		{[]string{"run", "rolling-update", "--until", "9999999999999999999h"}, 1, `--until "9999999999999999999h": want a duration between 0s and 24h0m0s`},
		{[]string{"run", "rolling-update", "--until", "2562047788015h12m55.807s"}, 1, `--until "2562047788015h12m55.807s": want a duration between 0s and 24h0m0s`},
		{[]string{"run", "rolling-update", "--until", "-1s"}, 1, `--until "-1s": want a duration between 0s and 24h0m0s`},
		{[]string{"check", "--duration", "9999999999999999999h"}, 2, `--duration "9999999999999999999h": want a duration between 1s and 24h0m0s`},
		{[]string{"check", "--duration", "1e400"}, 2, `--duration "1e400": want a duration between 1s and 24h0m0s`},
	} {
		var out, errOut bytes.Buffer
		if code := run(c.args, &out, &errOut); code != c.code || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut.String(), c.code, c.want)
		}
	}
}

// An oversized scenario file is refused without being read whole: validating a 256 MiB
// (sparse) file allocates about the 1 MiB limit, not the file.
func TestValidateOversizedFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(256 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var out, errOut bytes.Buffer
	code := run([]string{"validate", name}, &out, &errOut)
	runtime.ReadMemStats(&after)
	want := name + ": the file is more than 1048576 bytes; a scenario may be at most 1048576 bytes (1 MiB)"
	if code != 1 || !strings.Contains(errOut.String(), want) {
		t.Errorf("validate: exit %d, stderr %q; want 1 and %q", code, errOut.String(), want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("validating a 256 MiB file allocated %d MiB: it was read whole", alloc>>20)
	}
}
