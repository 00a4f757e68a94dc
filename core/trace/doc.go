// Package trace defines the simulator's trace records and their two encodings: JSONL, one
// object per line for tools, and a text timeline a Kubernetes user reads at a glance.
//
// Record types (design.md "The trace"): "event" (a Kubernetes Event as emitted), "action"
// (a scenario step or user command), "explain" (why a controller decided something, with its
// numbers), "caption" (scenario narration) and "state" (a compact view of the cluster written
// after every instant at which it changed).
package trace
