// Package nodelifecycle is the node lifecycle controller and the taint-eviction controller of
// kube-controller-manager (pods.md §8-9, §19 T7; v1.37.2
// pkg/controller/nodelifecycle/node_lifecycle_controller.go,
// pkg/controller/tainteviction/taint_eviction.go, pkg/controller/util/node/controller_utils.go).
//
// Controller ("node-controller") watches node heartbeats (api.Lease) and marks a node whose
// kubelet went silent: after node-monitor-grace-period (50 s) its Ready, MemoryPressure,
// DiskPressure and PIDPressure conditions become Unknown, it gets the
// node.kubernetes.io/unreachable NoSchedule taint and (rate limited per zone, none at all in a
// full disruption) the NoExecute one, and its pods get Ready=False. When the node is Ready
// again the taints go.
//
// Monitor instants: the controller's monitor loop runs every 5 s (node-monitor-period) at
// t = 0, 5, 10, ...; kubesim does not run an empty tick every 5 s but computes the tick at
// which a silent node is found out: the renewal is observed at the first tick at or after it,
// and the node is marked at the first tick strictly more than 50 s after that (T7: last
// renewal t=0, NotReady at t=55). NoSchedule taints follow node updates at once; the NoExecute
// taint of a node that is Ready again is removed at the next tick.
//
// TaintEviction ("taint-eviction-controller") deletes the pods of a node with NoExecute taints
// once their tolerationSeconds run out (at once without a toleration, never with one that has
// no tolerationSeconds): DisruptionTarget condition, graceful DELETE, event
// TaintManagerEviction. A pending eviction is cancelled if the taint goes first.
//
// Both keep their bookkeeping in hidden store objects (NodeLifecycleState,
// TaintEvictionQueue), never in Go memory.
package nodelifecycle
