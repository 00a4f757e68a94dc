package api

import (
	"strconv"
	"strings"
	"testing"
)

// parseIPv4Split is ParseIPv4 as it was written with strings.Split, the reference.
func parseIPv4Split(s string) (IPv4, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, false
	}
	var ip uint32
	for _, p := range parts {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return 0, false
		}
		n, _ := strconv.Atoi(p)
		if n > 255 {
			return 0, false
		}
		ip = ip<<8 | uint32(n)
	}
	return IPv4(ip), true
}

func TestParseIPv4MatchesSplit(t *testing.T) {
	in := []string{"", ".", "...", "....", "1.2.3.4", "10.244.1.5", "0.0.0.0", "255.255.255.255", "256.1.1.1",
		"1.2.3", "1.2.3.4.", "1.2.3.4.5", ".1.2.3", "1..2.3", "01.002.003.004", "0001.2.3.4", "1.2.3.-4",
		"1.2.3.+4", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.4/24", "999.999.999.999", "1.2.3.٣", "10.0.0.255"}
	for a := 0; a < 300; a += 37 {
		in = append(in, strconv.Itoa(a)+".1."+strconv.Itoa(a/2)+".9")
	}
	for _, s := range in {
		got, gotOK := ParseIPv4(s)
		want, wantOK := parseIPv4Split(s)
		if got != want || gotOK != wantOK {
			t.Errorf("ParseIPv4(%q) = %v, %v; want %v, %v", s, got, gotOK, want, wantOK)
		}
	}
}

func FuzzParseIPv4MatchesSplit(f *testing.F) {
	f.Add("10.244.1.5")
	f.Fuzz(func(t *testing.T, s string) {
		got, gotOK := ParseIPv4(s)
		want, wantOK := parseIPv4Split(s)
		if got != want || gotOK != wantOK {
			t.Errorf("ParseIPv4(%q) = %v, %v; want %v, %v", s, got, gotOK, want, wantOK)
		}
	})
}
