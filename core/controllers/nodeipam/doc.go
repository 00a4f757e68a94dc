// Package nodeipam is kube-controller-manager's node IPAM controller with the RangeAllocator
// (--allocate-node-cidrs, --cidr-allocator-type=RangeAllocator): it gives every Node a podCIDR,
// a /24 (--node-cidr-mask-size) of the cluster CIDR 10.244.0.0/16 (api.ClusterCIDR), and
// writes it to spec.podCIDR and spec.podCIDRs. The kubelet's CNI IPAM hands out pod IPs from it.
//
// Allocation order is the cidrset's (v1.37.2 pkg/controller/nodeipam/ipam/cidrset/cidr_set.go
// AllocateNext): the first free /24 at or after a cursor that starts at index 0 and moves to
// just past each allocation, wrapping around, so the first node gets 10.244.0.0/24, the next
// 10.244.1.0/24, and a /24 released by a deleted node (Release) is handed out again only after
// the cursor has come round to it. Nodes that already carry a podCIDR keep it: the controller
// marks it used (Occupy) — for the scenario's nodes before it allocates anything, as at
// controller start (ipam/range_allocator.go NewCIDRRangeAllocator). When every /24 is used the
// node gets no podCIDR: event CIDRNotAvailable ("Node N status is now: CIDRNotAvailable") and
// the sync fails, retried with the work queue's per-item back-off (5 ms doubling to 1000 s)
// and at every update of the node (range_allocator.go AllocateOrOccupyCIDR, syncNode).
//
// The cidrset lives in the hidden store object NodeCIDRSet "cluster", never in Go memory.
//
// # Usage
//
//	engine.Register(nodeipam.Controller{})
package nodeipam
