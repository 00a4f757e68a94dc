package main

import (
	"bytes"
	"strings"
	"testing"
)

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckCommand(t *testing.T) {
	code, out, _ := runCLI("check", "--seeds", "3", "-q")
	if code != 0 || !strings.HasPrefix(out, "kubesim check: 3 seeds (1..3), ") || !strings.Contains(out, " 0 failed") {
		t.Fatalf("exit %d, output %q", code, out)
	}
	code, out, _ = runCLI("check", "--seed", "2", "--duration", "30s", "-q")
	if code != 0 || !strings.Contains(out, "1 seeds (2..2), 30s simulated") {
		t.Fatalf("--seed 2 --duration 30s: exit %d, output %q", code, out)
	}
	code, out, _ = runCLI("check", "--seed", "2", "--print")
	if code != 0 || !strings.Contains(out, "kind: Scenario") || !strings.Contains(out, "name: check-2") {
		t.Fatalf("--print: exit %d, output %q", code, out)
	}
}

func TestCheckCommandErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--duration", "forever"}, `--duration "forever": want a duration between 1s and 24h0m0s, such as 90s or 10m`},
		{[]string{"--duration", "25h"}, `--duration "25h": want a duration between 1s and 24h0m0s`},
		{[]string{"--seeds", "0"}, "--seeds must be at least 1"},
		{[]string{"--print"}, "--print and --minimal need --seed S"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		code, _, errs := runCLI(append([]string{"check"}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("check %v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
