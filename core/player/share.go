package player

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
)

// Share is what a share link carries: enough to rebuild the exact moment a viewer saw.
type Share struct {
	// Scenario names the scenario ("rolling-update.yaml", a catalogue file name).
	Scenario string
	// Seed overrides the scenario's seed when non-zero.
	Seed uint64
	// T is the displayed time, at most the scenario's end (see End).
	T api.Time
	// Speed is the playback speed (virtual seconds per wall second), 0.1 to 100.
	Speed float64
	// Actions are the viewer's own commands, in time order.
	Actions []UserAction
}

// shareVersion prefixes every encoding, so the format can change without breaking old links.
const shareVersion = "k1"

// Limits that keep a decoded link from asking for absurd work.
const (
	maxShareActions         = 1000
	maxShareCommand         = 1000
	MinSpeed        float64 = 0.1
	MaxSpeed        float64 = 100
)

// Encode renders s as a URL-safe string: "k1." followed by base64url (no padding) of lines
// "scenario NAME", "seed N", "t MS", "speed X" and one "do MS COMMAND" per user command.
func (s Share) Encode() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %s\nseed %d\nt %d\nspeed %s\n", s.Scenario, s.Seed, int64(s.T), strconv.FormatFloat(s.Speed, 'g', -1, 64))
	for _, a := range s.Actions {
		fmt.Fprintf(&b, "do %d %s\n", int64(a.At), a.Command)
	}
	return shareVersion + "." + base64.RawURLEncoding.EncodeToString([]byte(b.String()))
}

// Decode parses a string made by Encode. Malformed input is an error naming the problem.
func Decode(str string) (Share, error) {
	var s Share
	body, ok := strings.CutPrefix(str, shareVersion+".")
	if !ok {
		return s, fmt.Errorf("share: unknown format (want prefix %q)", shareVersion+".")
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return s, fmt.Errorf("share: %v", err)
	}
	text := string(raw)
	if !strings.HasSuffix(text, "\n") {
		return s, fmt.Errorf("share: truncated")
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		key, val, _ := strings.Cut(line, " ")
		if key != "do" {
			if seen[key] {
				return s, fmt.Errorf("share: line %d: duplicate %q", i+1, key)
			}
			seen[key] = true
		}
		switch key {
		case "scenario":
			if val == "" || strings.ContainsAny(val, "/\\") || strings.Contains(val, "..") || !validText(val) {
				return s, fmt.Errorf("share: line %d: bad scenario name %q", i+1, val)
			}
			s.Scenario = val
		case "seed":
			n, err := strconv.ParseUint(val, 10, 64)
			if err != nil || strconv.FormatUint(n, 10) != val {
				return s, fmt.Errorf("share: line %d: bad seed %q", i+1, val)
			}
			s.Seed = n
		case "t":
			t, err := parseMillis(val)
			if err != nil {
				return s, fmt.Errorf("share: line %d: bad time: %v", i+1, err)
			}
			s.T = t
		case "speed":
			f, err := strconv.ParseFloat(val, 64)
			if err != nil || f < MinSpeed || f > MaxSpeed || strconv.FormatFloat(f, 'g', -1, 64) != val {
				return s, fmt.Errorf("share: line %d: bad speed %q (want %g to %g)", i+1, val, MinSpeed, MaxSpeed)
			}
			s.Speed = f
		case "do":
			ms, cmd, _ := strings.Cut(val, " ")
			t, err := parseMillis(ms)
			if err != nil {
				return s, fmt.Errorf("share: line %d: bad command time: %v", i+1, err)
			}
			if cmd == "" || len(cmd) > maxShareCommand || !validText(cmd) {
				return s, fmt.Errorf("share: line %d: bad command", i+1)
			}
			if n := len(s.Actions); n > 0 && t < s.Actions[n-1].At {
				return s, fmt.Errorf("share: line %d: commands out of time order", i+1)
			}
			if len(s.Actions) == maxShareActions {
				return s, fmt.Errorf("share: more than %d commands", maxShareActions)
			}
			s.Actions = append(s.Actions, UserAction{At: t, Command: cmd})
		default:
			return s, fmt.Errorf("share: line %d: unknown field %q", i+1, key)
		}
	}
	for _, k := range []string{"scenario", "seed", "t", "speed"} {
		if !seen[k] {
			return s, fmt.Errorf("share: missing %q", k)
		}
	}
	return s, nil
}

// parseMillis parses a time of a share: a canonical decimal count of milliseconds, at most
// scenario.MaxUntil (no scenario runs longer), so a link never asks for more replay than
// the longest scenario. Replay checks the shared scenario's own end.
func parseMillis(v string) (api.Time, error) {
	digits := strings.TrimPrefix(v, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" || (digits[0] == '0' && v != "0") {
		return 0, fmt.Errorf("%q is not a whole number of milliseconds", shorten(v))
	}
	n, err := strconv.ParseInt(v, 10, 64) // fails only out of int64's range
	if err != nil || n < 0 || n > int64(scenario.MaxUntil) {
		return 0, fmt.Errorf("%s ms is out of range: must be between 0 and %d ms (%s, the longest a scenario runs)",
			shorten(v), int64(scenario.MaxUntil), scenario.MaxUntil)
	}
	return api.Time(n), nil
}

// shorten cuts a quoted value for an error message.
func shorten(v string) string {
	if len(v) > 40 {
		return v[:37] + "..."
	}
	return v
}

// validText accepts printable single-line text (valid UTF-8, no control characters), so
// commands and names survive the line format unchanged.
func validText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
