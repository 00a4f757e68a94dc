package statefulset

import "github.com/kubesim/kubesim/core/api"

// ResolveMaxUnavailableForTest exposes resolveMaxUnavailable to the external tests.
func ResolveMaxUnavailableForTest(v api.IntOrString, replicas int) int {
	return resolveMaxUnavailable(&v, replicas)
}
