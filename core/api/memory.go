package api

import (
	"math"
	"math/bits"
	"strconv"
)

// reachHorizon bounds the search for the moment a usage reaches a limit: a container that
// would reach it later than this (far past any scenario's 24 h) is treated as never reaching it.
const reachHorizon = 48 * Hour

// Reaches returns the first age (whole milliseconds) at which the usage is at least limit
// (milli-units), and whether it gets there within reachHorizon. At is linear on [0, Over)
// and non-decreasing from Over on (a leak only grows), so each piece is searched on its own.
// The kubelet uses it for memory: the kernel OOM-kills a container when its working set
// reaches its memory limit.
func (u *Usage) Reaches(limit int64) (Duration, bool) {
	if u == nil {
		return 0, false
	}
	if u.At(0) >= limit {
		return 0, true
	}
	// at is At, saturating instead of overflowing (a fast leak times 48 h exceeds int64).
	at := func(d Duration) int64 {
		if u.LeakPerMinute == nil || d < u.Over {
			return u.At(d)
		}
		hi, lo := bits.Mul64(uint64(u.LeakPerMinute.Milli), uint64(d))
		if hi >= uint64(Minute) {
			return math.MaxInt64
		}
		leak, _ := bits.Div64(hi, lo, uint64(Minute))
		base := u.From.Milli
		if u.To != nil {
			base = u.To.Milli
		}
		if leak > uint64(math.MaxInt64-max(base, 0)) {
			return math.MaxInt64
		}
		return max(base+int64(leak), 0)
	}
	// first finds the smallest d in [lo, hi] with At(d) >= limit, At being non-decreasing there.
	first := func(lo, hi Duration) (Duration, bool) {
		if hi < lo || at(hi) < limit {
			return 0, false
		}
		for lo < hi {
			mid := lo + (hi-lo)/2
			if at(mid) >= limit {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return lo, true
	}
	if u.To != nil && u.Over > 0 && u.At(u.Over-1) >= u.At(0) {
		if d, ok := first(0, u.Over-1); ok {
			return d, true
		}
	}
	// A falling ramp peaks at 0 (checked above); from Over on the usage never decreases.
	return first(u.Over, u.Over+reachHorizon)
}

// HasMemoryUsage reports whether any image describes memory usage. Only then do the kubelets
// run their eviction managers: without memory usage no node can come under memory pressure,
// and scenarios without it simulate exactly as before usage existed.
func (c *ClusterConfig) HasMemoryUsage() bool {
	if c == nil {
		return false
	}
	if c.DefaultImage.Memory != nil {
		return true
	}
	for _, b := range c.Images {
		if b.Memory != nil {
			return true
		}
	}
	return false
}

// BinaryBytes formats a byte count as resource.NewQuantity(n, resource.BinarySI).String()
// does: the largest binary suffix that divides it exactly ("512Mi", "81920Ki"), else the
// plain number ("1500").
func BinaryBytes(n int64) string {
	if n == 0 {
		return "0"
	}
	for _, s := range []struct {
		suffix string
		shift  uint
	}{{"Ei", 60}, {"Pi", 50}, {"Ti", 40}, {"Gi", 30}, {"Mi", 20}, {"Ki", 10}} {
		if d := int64(1) << s.shift; n%d == 0 {
			return strconv.FormatInt(n/d, 10) + s.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
