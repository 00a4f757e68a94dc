package api

import (
	"encoding/json"
	"testing"
)

func TestUsage(t *testing.T) {
	var ramp, leak, constant Usage
	for _, c := range []struct {
		src string
		u   *Usage
	}{{`{"from":"100m","to":"300m","over":"60s"}`, &ramp}, {`{"from":"64Mi","leakPerMinute":"2Mi"}`, &leak}, {`"250m"`, &constant}} {
		if err := json.Unmarshal([]byte(c.src), c.u); err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
	}
	for _, c := range []struct {
		name string
		got  int64
		want int64
	}{
		{"ramp at start", ramp.At(0), 100},
		{"ramp half way", ramp.At(30 * Second), 200},
		{"ramp after", ramp.At(2 * Minute), 300},
		{"leak after 90 s (milli-bytes)", leak.At(90 * Second), (64<<20)*1000 + 3*(1<<20)*1000},
		{"constant", constant.At(Hour), 250},
		// Areas, in millicore-milliseconds: average times length.
		{"ramp 15..30 s", ramp.Integral(15*Second, 30*Second), 175 * 15000},
		{"ramp across its end 45..75 s", ramp.Integral(45*Second, 75*Second), (250+300)*15000/2 + 300*15000},
		{"constant 0..15 s", constant.Integral(0, 15*Second), 250 * 15000},
		{"empty interval", ramp.Integral(10*Second, 10*Second), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d; want %d", c.name, c.got, c.want)
		}
	}
	b, _ := json.Marshal(constant)
	if string(b) != `"250m"` {
		t.Errorf("constant marshals as %s", b)
	}
	for _, bad := range []string{`{"from":"1","to":"2"}`, `{"from":"1","over":"5s"}`, `{"from":"-1"}`, `"x"`, `{"form":"1"}`} {
		var u Usage
		if err := json.Unmarshal([]byte(bad), &u); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// Noise is a pure function of seed, container and window, within ±noise%.
func TestUsageNoise(t *testing.T) {
	u := &Usage{Noise: 10}
	seen := map[int64]bool{}
	for w := int64(0); w < 200; w++ {
		v := u.NoiseFactor(1_000_000, 7, "uid-1/web", w)
		if v < 900_000 || v > 1_100_000 {
			t.Fatalf("window %d: %d outside ±10%%", w, v)
		}
		if v != u.NoiseFactor(1_000_000, 7, "uid-1/web", w) {
			t.Fatal("not a pure function")
		}
		seen[v] = true
	}
	if len(seen) < 100 {
		t.Errorf("only %d distinct values in 200 windows", len(seen))
	}
	if u.NoiseFactor(1_000_000, 7, "uid-1/web", 3) == u.NoiseFactor(1_000_000, 8, "uid-1/web", 3) &&
		u.NoiseFactor(1_000_000, 7, "uid-1/web", 4) == u.NoiseFactor(1_000_000, 8, "uid-1/web", 4) {
		t.Error("the seed does not matter")
	}
	if (&Usage{}).NoiseFactor(123, 7, "k", 1) != 123 {
		t.Error("no noise changed the amount")
	}
}
