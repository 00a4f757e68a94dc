package player

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
)

func TestShareRoundTrip(t *testing.T) {
	for _, s := range []Share{
		{Scenario: "rolling-update.yaml", Seed: 0, T: 0, Speed: 1},
		{Scenario: "statefulset.yaml", Seed: 18446744073709551615, T: 3_600_000, Speed: 0.1},
		{Scenario: "long.yaml", Seed: 1, T: 86_400_000, Speed: 100, Actions: []UserAction{{At: 86_400_000, Command: "fail node/n"}}}, // 24 h: the limit
		{Scenario: "rolling-update.yaml", Seed: 42, T: 12_400, Speed: 2.5, Actions: []UserAction{
			{At: 10_000, Command: "kubectl delete pod web-7b99d-x2k4p"},
			{At: 10_000, Command: "fail node/node-2"},
			{At: 11_250, Command: `kubectl set image deployment/web web=web:2.0 # ünïcode & "quotes" ?=/+`},
		}},
	} {
		enc := s.Encode()
		if strings.ContainsAny(enc, "+/=?&# ") {
			t.Errorf("Encode(%v) = %q: not URL-safe", s, enc)
		}
		got, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode(Encode(%v)): %v", s, err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("Decode(Encode(x)) = %+v, want %+v", got, s)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	enc := func(text string) string { return shareVersion + "." + b64(text) }
	for _, c := range []struct{ in, want string }{
		{"", "unknown format"},
		{"k1.!!!", "illegal base64"},
		{enc("scenario a\nseed 1\nt 0\nspeed 1"), "truncated"},
		{enc("scenario a\nseed 1\nt 0\n"), `missing "speed"`},
		{enc("scenario ../etc\nseed 1\nt 0\nspeed 1\n"), "bad scenario name"},
		{enc("scenario a\nseed -1\nt 0\nspeed 1\n"), "bad seed"},
		{enc("scenario a\nseed 1\nt 01\nspeed 1\n"), "bad time"},
		{enc("scenario a\nseed 1\nt 0\nspeed 1000\n"), "bad speed"},
		{enc("scenario a\nseed 1\nt 0\nspeed 1\ndo 5 x\ndo 4 y\n"), "out of time order"},
		{enc("scenario a\nseed 1\nt 0\nspeed 1\ndo 5 \n"), "bad command"},
		{enc("scenario a\nscenario b\nseed 1\nt 0\nspeed 1\n"), "duplicate"},
		{enc("scenario a\nseed 1\nt 0\nspeed 1\ncolour red\n"), "unknown field"},
		// Times are bounded by the longest scenario (24 h), so a link cannot ask for endless
		// replay; Replay bounds them by the shared scenario's own end.
		{enc("scenario a\nseed 1\nt 9223372036854775807\nspeed 1\n"), "line 3: bad time: 9223372036854775807 ms is out of range: must be between 0 and 86400000 ms (24h0m0s, the longest a scenario runs)"},
		{enc("scenario a\nseed 1\nt 99999999999999999999\nspeed 1\n"), "line 3: bad time: 99999999999999999999 ms is out of range"},
		{enc("scenario a\nseed 1\nt 86400001\nspeed 1\n"), "line 3: bad time: 86400001 ms is out of range"},
		{enc("scenario a\nseed 1\nt -1\nspeed 1\n"), "line 3: bad time: -1 ms is out of range"},
		{enc("scenario a\nseed 1\nt -0\nspeed 1\n"), `line 3: bad time: "-0" is not a whole number`},
		{enc("scenario a\nseed 1\nt 1e3\nspeed 1\n"), `line 3: bad time: "1e3" is not a whole number`},
		{enc("scenario a\nseed 1\nt 0\nspeed 1\ndo 9223372036854775807 fail node/n\n"), "line 5: bad command time: 9223372036854775807 ms is out of range"},
		{enc("scenario a\nseed 1\nt 0\nspeed 1\ndo 86400001 fail node/n\n"), "line 5: bad command time: 86400001 ms is out of range"},
		{enc("scenario a\nseed 1\nt 0\nspeed 1\ndo -5 fail node/n\n"), "line 5: bad command time: -5 ms is out of range"},
	} {
		_, err := Decode(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%q) error = %v, want it to mention %q", c.in, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Share{Scenario: "rolling-update.yaml", Seed: 1, T: 1234, Speed: 1,
		Actions: []UserAction{{At: 1000, Command: "fail node/node-1"}}}.Encode())
	f.Add("k1.")
	f.Add("k1." + b64("scenario a\nseed 1\nt 0\nspeed 1\ndo 0 x\n"))
	// At and past the time limits (24 h, int64, negative), so mutations probe the bounds.
	f.Add("k1." + b64("scenario a\nseed 1\nt 86400000\nspeed 1\ndo 86400000 x\n"))
	f.Add("k1." + b64("scenario a\nseed 1\nt 86400001\nspeed 1\n"))
	f.Add("k1." + b64("scenario a\nseed 1\nt 9223372036854775807\nspeed 1\n"))
	f.Add("k1." + b64("scenario a\nseed 1\nt 0\nspeed 1\ndo 9223372036854775807 x\n"))
	f.Add("k1." + b64("scenario a\nseed 1\nt -1\nspeed 1\ndo -1 x\n"))
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := Decode(s)
		if err != nil {
			return
		}
		if sh.T < 0 || sh.T > api.Time(scenario.MaxUntil) {
			t.Fatalf("Decode(%q) accepted t=%d ms, outside 0..%d", s, sh.T, int64(scenario.MaxUntil))
		}
		for _, a := range sh.Actions {
			if a.At < 0 || a.At > api.Time(scenario.MaxUntil) {
				t.Fatalf("Decode(%q) accepted a command at %d ms, outside 0..%d", s, a.At, int64(scenario.MaxUntil))
			}
		}
		again, err := Decode(sh.Encode())
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(%q))): %v", s, err)
		}
		if !reflect.DeepEqual(again, sh) {
			t.Fatalf("round trip changed %+v into %+v", sh, again)
		}
	})
}
