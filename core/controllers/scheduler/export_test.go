package scheduler

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// Usage is nodeUsage for the external tests.
type Usage = nodeUsage

// NodeUsageOf is the controller's memoized per-node total.
func NodeUsageOf(st *store.Store, node string) Usage { return nodeUsageOf(st, node) }

// UsageOf re-sums pods from scratch.
func UsageOf(pods []*api.Pod) Usage { return usageOf(pods) }
