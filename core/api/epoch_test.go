package api

import "testing"

// The expected strings were produced by Go's time package (time.Unix(EpochUnix+s, 0).UTC()
// formatted with time.RFC3339 and time.RFC1123Z); core itself may not import time.
func TestEpochFormats(t *testing.T) {
	tests := []struct {
		t        Time
		rfc3339  string
		rfc1123z string
	}{
		{0, "2026-01-01T00:00:00Z", "Thu, 01 Jan 2026 00:00:00 +0000"},
		{5999, "2026-01-01T00:00:05Z", "Thu, 01 Jan 2026 00:00:05 +0000"},
		{Time(Hour*25 + Minute*3), "2026-01-02T01:03:00Z", "Fri, 02 Jan 2026 01:03:00 +0000"},
		{Time(59 * 24 * Hour), "2026-03-01T00:00:00Z", "Sun, 01 Mar 2026 00:00:00 +0000"},
		{Time(365 * 24 * Hour), "2027-01-01T00:00:00Z", "Fri, 01 Jan 2027 00:00:00 +0000"},
		{Time(-1), "2025-12-31T23:59:59Z", "Wed, 31 Dec 2025 23:59:59 +0000"},
		{Time(790 * 24 * Hour), "2028-03-01T00:00:00Z", "Wed, 01 Mar 2028 00:00:00 +0000"},
	}
	for _, tt := range tests {
		if got := tt.t.RFC3339(); got != tt.rfc3339 {
			t.Errorf("Time(%d).RFC3339() = %q, want %q", tt.t, got, tt.rfc3339)
		}
		if got := tt.t.RFC1123Z(); got != tt.rfc1123z {
			t.Errorf("Time(%d).RFC1123Z() = %q, want %q", tt.t, got, tt.rfc1123z)
		}
	}
}
