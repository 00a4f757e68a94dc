// Package statefulset is the StatefulSet controller of Kubernetes v1.37.2
// (pkg/controller/statefulset): stable pod identities <set>-<ordinal>, one PVC per
// volumeClaimTemplate and ordinal, OrderedReady and Parallel pod management, ControllerRevision
// history, RollingUpdate (reverse ordinal order, partition, maxUnavailable with the
// MaxUnavailableStatefulSet gate on as in 1.37) and OnDelete updates, and the PVC retention
// policy. workloads.md §8 is the spec; every pass performs the same decisions as upstream's
// updateStatefulSet, so an OrderedReady set makes at most one create or delete per pass.
//
// The controller keeps no Go state: revisions live in ControllerRevision objects, the
// current revision in the set's status.
package statefulset
