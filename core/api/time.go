package api

import (
	"fmt"
	"strconv"
)

// Time is a virtual instant: milliseconds since the scenario started.
type Time int64

// Duration is a span of virtual time in milliseconds.
type Duration int64

// Common durations.
const (
	Millisecond Duration = 1
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
	Hour                 = 60 * Minute
)

// Seconds converts a whole number of seconds (as in API fields like periodSeconds).
func Seconds(n int64) Duration { return Duration(n) * Second }

// Add returns t+d.
func (t Time) Add(d Duration) Time { return t + Time(d) }

// Sub returns t-u.
func (t Time) Sub(u Time) Duration { return Duration(t - u) }

// SecondsString renders t as seconds with millisecond precision, trimming zeros: "12.4", "30".
func (t Time) SecondsString() string {
	s := strconv.FormatFloat(float64(t)/1000, 'f', 3, 64)
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// String renders d like Go's time.Duration for whole units: "1m30s", "250ms".
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	neg := d < 0
	if neg {
		d = -d
	}
	var s string
	switch {
	case d < Second:
		s = fmt.Sprintf("%dms", int64(d))
	default:
		h, m := d/Hour, (d%Hour)/Minute
		sec := float64(d%Minute) / 1000
		secStr := strconv.FormatFloat(sec, 'f', -1, 64) + "s"
		switch {
		case h > 0:
			s = fmt.Sprintf("%dh%dm%s", h, m, secStr)
		case m > 0:
			s = fmt.Sprintf("%dm%s", m, secStr)
		default:
			s = secStr
		}
	}
	if neg {
		return "-" + s
	}
	return s
}

// HumanDuration renders d the way kubectl's AGE column does
// (k8s.io/apimachinery/pkg/util/duration.HumanDuration): "5s", "2m3s", "10m", "3h4m", "2d3h".
func HumanDuration(d Duration) string {
	secs := int64(d / Second)
	switch {
	case secs < -1:
		return "<invalid>"
	case secs < 0:
		return "0s"
	case secs < 60*2:
		return fmt.Sprintf("%ds", secs)
	}
	mins := secs / 60
	switch {
	case mins < 10:
		if s := secs % 60; s != 0 {
			return fmt.Sprintf("%dm%ds", mins, s)
		}
		return fmt.Sprintf("%dm", mins)
	case mins < 60*3:
		return fmt.Sprintf("%dm", mins)
	}
	hours := mins / 60
	switch {
	case hours < 8:
		if m := mins % 60; m != 0 {
			return fmt.Sprintf("%dh%dm", hours, m)
		}
		return fmt.Sprintf("%dh", hours)
	case hours < 48:
		return fmt.Sprintf("%dh", hours)
	case hours < 24*8:
		if h := hours % 24; h != 0 {
			return fmt.Sprintf("%dd%dh", hours/24, h)
		}
		return fmt.Sprintf("%dd", hours/24)
	case hours < 24*365*2:
		return fmt.Sprintf("%dd", hours/24)
	case hours < 24*365*8:
		dy := (hours / 24) % 365
		if dy != 0 {
			return fmt.Sprintf("%dy%dd", hours/24/365, dy)
		}
		return fmt.Sprintf("%dy", hours/24/365)
	}
	return fmt.Sprintf("%dy", hours/24/365)
}

// ParseDuration parses a Go-style duration ("2s", "1m30s", "250ms", "1h") into virtual time.
// A bare number is seconds.
func ParseDuration(s string) (Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return Duration(n * 1000), nil
	}
	var total float64
	rest := s
	neg := false
	if rest[0] == '-' {
		neg, rest = true, rest[1:]
	}
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] == '.' || (rest[i] >= '0' && rest[i] <= '9')) {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("invalid duration %q: want a number followed by a unit (ms, s, m, h), e.g. \"2s\" or \"1m30s\"", s)
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		rest = rest[i:]
		j := 0
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') && rest[j] != '.' {
			j++
		}
		unit := rest[:j]
		rest = rest[j:]
		mult := map[string]float64{"ms": 1, "s": 1000, "m": 60000, "h": 3600000}[unit]
		if mult == 0 {
			return 0, fmt.Errorf("invalid duration %q: unknown unit %q (use ms, s, m or h)", s, unit)
		}
		total += n * mult
	}
	if neg {
		total = -total
	}
	return Duration(total), nil
}

// MarshalJSON writes the duration as a string like "1m30s".
func (d Duration) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(d.String())), nil }

// UnmarshalJSON reads "1m30s" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		u, err := strconv.Unquote(s)
		if err != nil {
			return err
		}
		s = u
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
