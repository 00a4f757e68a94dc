// Package replicaset is the ReplicaSet controller (pkg/controller/replicaset, v1.37.2;
// workloads.md §7): it keeps spec.replicas active pods per ReplicaSet, creating them from the
// template in slow-start batches (1, 2, 4, ...) and deleting surplus pods in the upstream
// victim order (ActivePodsWithRanks with LogarithmicScaleDown), adopts matching orphans,
// and reports replicas / fullyLabeled / ready / available / terminating counts in status.
//
// Expectations (§7.4) are not modelled: store notifications are synchronous, so every
// sync sees the effect of the previous one. Status is computed from the pods as they are
// after this sync's creations and deletions (the idealised model of workloads.md §0.3).
package replicaset
