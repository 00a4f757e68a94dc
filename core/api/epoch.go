package api

import "fmt"

// Virtual time is rendered as wall-clock time from a fixed epoch wherever kubectl shows a
// timestamp (-o yaml/json, describe's "Start Time", "Started", conditions): virtual t=0 is
// 2026-01-01T00:00:00Z. Nothing in core reads the real clock; the calendar arithmetic below
// (days to civil date, weekday) keeps the `time` package out of core.

// EpochUnix is the Unix time of virtual t=0: 2026-01-01T00:00:00Z.
const EpochUnix int64 = 1767225600

// EpochRFC3339 is virtual t=0 in RFC 3339.
const EpochRFC3339 = "2026-01-01T00:00:00Z"

// Unix returns the Unix time (whole seconds) of t, truncating milliseconds toward minus
// infinity like metav1.Time's second precision.
func (t Time) Unix() int64 {
	ms := int64(t)
	s := ms / 1000
	if ms%1000 < 0 {
		s--
	}
	return EpochUnix + s
}

// civil splits a Unix time into UTC calendar fields.
func civil(unix int64) (year int64, month, day, hour, min, sec, weekday int) {
	days := unix / 86400
	rem := unix % 86400
	if rem < 0 {
		rem += 86400
		days--
	}
	hour, min, sec = int(rem/3600), int(rem%3600/60), int(rem%60)
	// 1970-01-01 was a Thursday (weekday 4 with Sunday = 0).
	weekday = int((days%7 + 11) % 7)
	// Days-to-civil conversion for the proleptic Gregorian calendar (eras of 400 years).
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, int(m), int(d), hour, min, sec, weekday
}

// RFC3339 renders t as metav1.Time does in YAML and JSON: "2026-01-01T00:00:05Z".
func (t Time) RFC3339() string {
	y, mo, d, h, mi, s, _ := civil(t.Unix())
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s)
}

var (
	weekdayNames = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	monthNames   = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// RFC1123Z renders t the way kubectl describe prints times (Go's time.RFC1123Z in UTC):
// "Thu, 01 Jan 2026 00:00:05 +0000".
func (t Time) RFC1123Z() string {
	y, mo, d, h, mi, s, wd := civil(t.Unix())
	return fmt.Sprintf("%s, %02d %s %04d %02d:%02d:%02d +0000", weekdayNames[wd], d, monthNames[mo-1], y, h, mi, s)
}
