package kubectl_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/kubectl"
)

// Reference: pflag shorthand parsing (spf13/pflag flag.go parseSingleShortArg): a value may
// be attached to a shorthand (-owide); a flag word with no name is "bad flag syntax".
func TestFlagSyntax(t *testing.T) {
	fx := newFixture(t)
	for _, tc := range []struct{ line, wantErr string }{
		{"get --=", "error: bad flag syntax: --="},
		{"drain -=", "error: bad flag syntax: -="},
		{"get pods -owide", ""},
		{"get pods -zwide", "unknown shorthand flag: 'z' in -zwide"},
	} {
		_, err := kubectl.Run(fx.env, tc.line)
		switch {
		case tc.wantErr == "" && err != nil && !strings.Contains(err.Error(), "No resources"):
			t.Errorf("%q: unexpected error %v", tc.line, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%q: error %v; want %q", tc.line, err, tc.wantErr)
		}
	}
}

// A duration flag too large for the clock is refused like pflag's DurationVar refuses one
// that overflows time.Duration ("invalid argument ... for "--timeout" flag"), instead of
// wrapping around to a negative timeout.
func TestDurationFlagOverflow(t *testing.T) {
	fx := newFixture(t)
	_, err := kubectl.Run(fx.env, "drain node-1 --timeout=9999999999999999999h")
	want := `invalid argument "9999999999999999999h" for "--timeout" flag: invalid duration "9999999999999999999h": out of range`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v; want %q", err, want)
	}
}
