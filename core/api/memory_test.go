package api

import (
	"encoding/json"
	"testing"
)

func TestUsageReaches(t *testing.T) {
	mi := int64(1<<20) * 1000 // one Mi in milli-bytes
	parse := func(src string) *Usage {
		var u Usage
		if err := json.Unmarshal([]byte(src), &u); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return &u
	}
	for _, c := range []struct {
		usage string
		limit int64
		want  Duration
		ok    bool
	}{
		{`"64Mi"`, 128 * mi, 0, false},
		{`"128Mi"`, 128 * mi, 0, true},
		// 64Mi + 8Mi/min reaches 128Mi after 8 minutes exactly.
		{`{"from":"64Mi","leakPerMinute":"8Mi"}`, 128 * mi, 8 * Minute, true},
		// A ramp 0 -> 200Mi over 100 s crosses 100Mi half way.
		{`{"from":"0","to":"200Mi","over":"100s"}`, 100 * mi, 50 * Second, true},
		// A falling ramp that then leaks: 100Mi -> 10Mi over 60 s, +1Mi/min: 101Mi at 60 s + 90 min.
		{`{"from":"100Mi","to":"10Mi","over":"60s","leakPerMinute":"1Mi"}`, 101 * mi, 60*Second + 90*Minute, true},
		{`{"from":"100Mi","to":"10Mi","over":"60s"}`, 101 * mi, 0, false},
	} {
		got, ok := parse(c.usage).Reaches(c.limit)
		if got != c.want || ok != c.ok {
			t.Errorf("%s reaches %d: got %v %v, want %v %v", c.usage, c.limit, got, ok, c.want, c.ok)
		}
	}
}

func TestBinaryBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 1500: "1500", 1024: "1Ki", 81920 << 10: "80Mi", 83886080 + 1024: "81921Ki", 512 << 20: "512Mi", 3 << 30: "3Gi"} {
		if got := BinaryBytes(n); got != want {
			t.Errorf("BinaryBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestUsageReachesFastLeak(t *testing.T) {
	// 1Gi a minute times 48 h overflows int64 milli-bytes: the search must still find 1 minute.
	u := Usage{From: MustQuantity("0"), LeakPerMinute: Ptr(MustQuantity("1Gi"))}
	if d, ok := u.Reaches(MustQuantity("1Gi").Milli); !ok || d != Minute {
		t.Fatalf("got %v %v, want 1m0s true", d, ok)
	}
}
