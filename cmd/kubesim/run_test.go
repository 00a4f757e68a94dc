package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
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

// A built-in scenario runs by name, and --until and --seed are honoured.
func TestRunByCatalogueName(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"run", "rolling-update", "--until", "10s", "--seed", "7"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if strings.Contains(out.String(), "  30.000s") {
		t.Error("--until 10s printed records after 10 s")
	}
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
