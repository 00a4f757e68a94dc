package dns

// SetFast turns the fast path on or off and returns the fast reconciles so far.
func SetFast(on bool) int {
	disableFast = !on
	return fastReconciles
}
