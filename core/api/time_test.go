package api

import (
	"errors"
	"strings"
	"testing"
)

// TestParseDuration pins the exact arithmetic: boundary values of the int64 millisecond
// clock, overflow in every form (huge numbers, exponents, sums of components), and inputs
// that are not durations at all.
func TestParseDuration(t *testing.T) {
	const rangeErr = "out of range"
	for _, c := range []struct {
		in   string
		want Duration
		err  string // "" for success; rangeErr for ErrDurationRange
	}{
		{in: "250ms", want: 250},
		{in: "2s", want: 2000},
		{in: "1m30s", want: 90_000},
		{in: "1.5h", want: 5_400_000},
		{in: ".5s", want: 500},
		{in: "5.s", want: 5000},
		{in: "+3s", want: 3000},
		{in: "-5s", want: -5000},
		{in: "0", want: 0},
		{in: "90", want: 90_000},      // a bare number is seconds
		{in: "1.5", want: 1500},       // YAML writes 1.5 as a JSON number
		{in: "1e+3", want: 1_000_000}, // and large floats with an exponent
		{in: "1e-400", want: 0},
		{in: "0.29s", want: 290}, // float64 arithmetic made this 289
		{in: "1.5ms", want: 1},   // fractions of a millisecond are dropped
		{in: "0.9999ms", want: 0},
		{in: "0.99999999999999999999999h", want: 3_599_999},
		{in: "1.0000000000000000000000000001s", want: 1000},
		{in: "0." + strings.Repeat("0", 100_000) + "1s", want: 0},
		{in: "24h", want: 24 * Hour},
		{in: "24h0m0.001s", want: 24*Hour + 1},
		{in: "86400.001", want: 24*Hour + 1},
		{in: "9223372036854775807ms", want: MaxDuration},
		{in: "9223372036854775.807", want: MaxDuration},
		{in: "2562047788015h12m55.807s", want: MaxDuration},
		{in: "-9223372036854775807ms", want: -MaxDuration},
		{in: "1e15", want: 1e18},
		{in: "9223372036854775808ms", err: rangeErr},
		{in: "-9223372036854775808ms", err: rangeErr},
		{in: "9223372036854775.808", err: rangeErr},
		{in: "2562047788015h12m55.808s", err: rangeErr},
		{in: "9223372036854775807ms1ms", err: rangeErr},
		{in: "9999999999999999999h", err: rangeErr},
		{in: "-9999999999999999999h", err: rangeErr},
		{in: "9223372036854775807", err: rangeErr}, // seconds
		{in: "99999999999999999999999999999999999999s", err: rangeErr},
		{in: "1" + strings.Repeat("0", 100_000) + "ms", err: rangeErr},
		{in: "1e400", err: rangeErr},
		{in: "1e+23", err: rangeErr},
		{in: "1e18", err: rangeErr},
		{in: "1e99999999999999999999999", err: rangeErr},
		{in: "1e400s", err: `unknown unit "e"`}, // exponents only in bare numbers, as YAML writes them
		{in: "", err: "empty duration"},
		{in: "-", err: "invalid duration"},
		{in: ".", err: "want a number followed by a unit"},
		{in: "5x", err: `unknown unit "x"`},
		{in: "1h30", err: `unknown unit ""`},
		{in: "1h-5m", err: `unknown unit "h-"`},
		{in: "inf", err: "want a number followed by a unit"},
		{in: "NaN", err: "want a number followed by a unit"},
		{in: "0x10", err: `unknown unit "x"`},
		{in: "1e", err: `unknown unit "e"`},
	} {
		got, err := ParseDuration(c.in)
		name := c.in
		if len(name) > 40 {
			name = name[:37] + "..."
		}
		switch {
		case c.err == "" && err != nil:
			t.Errorf("ParseDuration(%q): %v, want %d", name, err, c.want)
		case c.err == "" && got != c.want:
			t.Errorf("ParseDuration(%q) = %d, want %d", name, got, c.want)
		case c.err == rangeErr && !errors.Is(err, ErrDurationRange):
			t.Errorf("ParseDuration(%q) = %d, %v; want an ErrDurationRange error", name, got, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseDuration(%q) = %d, %v; want an error mentioning %q", name, got, err, c.err)
		case c.err != rangeErr && errors.Is(err, ErrDurationRange):
			t.Errorf("ParseDuration(%q): %v is a syntax error, not a range error", name, err)
		}
		if c.err == rangeErr && err != nil && !strings.Contains(err.Error(), name[:min(len(name), 20)]) {
			t.Errorf("ParseDuration(%q): error %q does not quote the input", name, err)
		}
	}
}

// TestDurationString: the extremes render without wrapping around ("--9223372036854775808ms").
func TestDurationString(t *testing.T) {
	for d, want := range map[Duration]string{
		0: "0s", 250: "250ms", -250: "-250ms", 90_000: "1m30s", 24 * Hour: "24h0m0s",
		MaxDuration: "2562047788015h12m55.807s", -MaxDuration - 1: "-2562047788015h12m55.808s",
	} {
		if got := d.String(); got != want {
			t.Errorf("Duration(%d).String() = %q, want %q", int64(d), got, want)
		}
	}
	if !strings.Contains(ErrDurationRange.Error(), MaxDuration.String()) {
		t.Errorf("ErrDurationRange %q does not name the maximum %s", ErrDurationRange, MaxDuration)
	}
	for _, d := range []Duration{1, 999, 1000, 1001, 59_999, 3_599_999, 24 * Hour, MaxDuration, -MaxDuration} {
		if back, err := ParseDuration(d.String()); err != nil || back != d {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d", d.String(), back, err, int64(d))
		}
	}
}
