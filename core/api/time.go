package api

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
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
	// The magnitude as uint64, so the most negative value does not wrap around.
	u := uint64(d)
	if d < 0 {
		u = -u
	}
	const sec, min, hour = uint64(Second), uint64(Minute), uint64(Hour)
	var s string
	switch {
	case u < sec:
		s = fmt.Sprintf("%dms", u)
	default:
		h, m := u/hour, (u%hour)/min
		secStr := strconv.FormatFloat(float64(u%min)/1000, 'f', -1, 64) + "s"
		switch {
		case h > 0:
			s = fmt.Sprintf("%dh%dm%s", h, m, secStr)
		case m > 0:
			s = fmt.Sprintf("%dm%s", m, secStr)
		default:
			s = secStr
		}
	}
	if d < 0 {
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

// MaxDuration is the longest span the virtual clock holds (int64 milliseconds).
const MaxDuration Duration = math.MaxInt64

// ErrDurationRange is what ParseDuration's error wraps when the value does not fit in the
// virtual clock: callers that bound durations report their own range instead.
var ErrDurationRange = errors.New("out of range (at most 2562047788015h12m55.807s)")

// durationUnits are the units ParseDuration accepts, in milliseconds.
var durationUnits = map[string]uint64{"ms": 1, "s": 1000, "m": 60000, "h": 3600000}

// ParseDuration parses a Go-style duration ("2s", "1m30s", "250ms", "1.5h", "-5s") into
// virtual time; a bare number ("90", "1.5", "1e+3", as YAML writes numbers) is seconds.
// Fractions of a millisecond are dropped. The arithmetic is exact: a value that does not fit
// in int64 milliseconds is an error wrapping ErrDurationRange, never a wrapped-around number.
func ParseDuration(s string) (Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	rest := s
	neg := false
	if rest[0] == '-' || rest[0] == '+' {
		neg, rest = rest[0] == '-', rest[1:]
	}
	var total uint64
	if num, ok := scanNumber(rest, true); ok && num.end == len(rest) {
		ms, ok := num.millis(1000)
		if !ok {
			return 0, fmt.Errorf("invalid duration %q: %w", s, ErrDurationRange)
		}
		total = ms
	} else {
		if rest == "" {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		for rest != "" {
			num, ok := scanNumber(rest, false)
			if !ok {
				return 0, fmt.Errorf("invalid duration %q: want a number followed by a unit (ms, s, m, h), e.g. \"2s\" or \"1m30s\"", s)
			}
			rest = rest[num.end:]
			j := 0
			for j < len(rest) && (rest[j] < '0' || rest[j] > '9') && rest[j] != '.' {
				j++
			}
			unit := rest[:j]
			rest = rest[j:]
			mult, ok := durationUnits[unit]
			if !ok {
				return 0, fmt.Errorf("invalid duration %q: unknown unit %q (use ms, s, m or h)", s, unit)
			}
			ms, ok := num.millis(mult)
			if !ok || ms > uint64(MaxDuration)-total {
				return 0, fmt.Errorf("invalid duration %q: %w", s, ErrDurationRange)
			}
			total += ms
		}
	}
	if neg {
		return -Duration(total), nil
	}
	return Duration(total), nil
}

// decimal is a scanned unsigned decimal number: digits int.frac, times 10^exp.
type decimal struct {
	int, frac string
	exp       int
	end       int // bytes scanned
}

// scanNumber reads digits, an optional fraction and, when exponent is set, an optional
// exponent (e+3) from the start of s. It needs at least one digit before the exponent.
func scanNumber(s string, exponent bool) (decimal, bool) {
	digits := func(i int) int {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	var d decimal
	i := digits(0)
	d.int = s[:i]
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		d.frac, i = s[i+1:j], j
	}
	if d.int == "" && d.frac == "" {
		return d, false
	}
	if exponent && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		neg := false
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			neg, j = s[j] == '-', j+1
		}
		k := digits(j)
		if k == j {
			return d, false
		}
		for _, c := range s[j:k] {
			// Saturate: beyond 10^±1e9 the number is far outside any range anyway.
			if d.exp < 1e9 {
				d.exp = d.exp*10 + int(c-'0')
			}
		}
		if neg {
			d.exp = -d.exp
		}
		i = k
	}
	d.end = i
	return d, true
}

// millis returns the number times mult, dropping the fraction, or false when it exceeds
// MaxDuration. Exact for any number of digits and any exponent.
func (d decimal) millis(mult uint64) (uint64, bool) {
	// The value is 0.m * 10^point, with m's leading zeros stripped.
	m := strings.TrimLeft(d.int+d.frac, "0")
	point := len(d.int) - (len(d.int+d.frac) - len(m)) + d.exp
	m = strings.TrimRight(m, "0")
	switch {
	case m == "" || point < -20: // below 10^-20 * 3.6e6 ms: less than a millisecond
		return 0, true
	case point > 20: // at least 10^20 > MaxInt64
		return 0, false
	}
	var whole, frac string
	if point >= 0 {
		if point > len(m) {
			whole = m + strings.Repeat("0", point-len(m))
		} else {
			whole, frac = m[:point], m[point:]
		}
	} else {
		frac = strings.Repeat("0", -point) + m
	}
	max := uint64(MaxDuration)
	var w uint64
	for _, c := range whole {
		if w > (max-uint64(c-'0'))/10 {
			return 0, false
		}
		w = w*10 + uint64(c-'0')
	}
	if w > max/mult {
		return 0, false
	}
	w *= mult
	// floor(0.f1f2...fn * mult), exactly, from the last digit back:
	// floor((f_i*mult + floor(0.f_{i+1}...*mult)) / 10) = floor(0.f_i f_{i+1}... * mult).
	var q uint64
	for i := len(frac) - 1; i >= 0; i-- {
		q = (uint64(frac[i]-'0')*mult + q) / 10
	}
	if q > max-w {
		return 0, false
	}
	return w + q, true
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
