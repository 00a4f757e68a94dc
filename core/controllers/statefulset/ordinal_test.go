package statefulset

import (
	"strconv"
	"strings"
	"testing"
)

// TestParentAndOrdinal: the hand-written parser accepts exactly the names the strconv
// round trip accepted (getParentNameAndOrdinal in stateful_set_utils.go matches
// `^(.*)-([0-9]+)$`; the canonical form keeps "web-01" from aliasing web-1).
func TestParentAndOrdinal(t *testing.T) {
	reference := func(name string) (string, int) {
		i := strings.LastIndexByte(name, '-')
		if i < 0 {
			return "", -1
		}
		n, err := strconv.Atoi(name[i+1:])
		if err != nil || n < 0 || strconv.Itoa(n) != name[i+1:] {
			return "", -1
		}
		return name[:i], n
	}
	for _, name := range []string{"web-0", "web-1", "web-10", "web-01", "web-", "web", "-3", "a-b-7", "web-+5",
		"web-1a", "web-999999999999999999", "web-123456789012345678", "web-00", "db-4294967296"} {
		gp, go_ := parentAndOrdinal(name)
		wp, wo := reference(name)
		if gp != wp || go_ != wo {
			t.Errorf("parentAndOrdinal(%q) = %q, %d; want %q, %d", name, gp, go_, wp, wo)
		}
	}
}
