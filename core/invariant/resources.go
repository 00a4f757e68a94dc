package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("node-not-overcommitted", nodesNotOvercommitted)
}

// nodesNotOvercommitted: the pods bound to a node fit its allocatable resources. For cpu and
// memory the sum of the pods' effective requests as the kubelet allocated them (pods bound to a
// stopped kubelet that never admitted them hold nothing) (after an
// in-place resize the spec is only the desired value: api.AllocatedRequestsMilli) (api.PodRequestsMilli, the scheduler's
// NodeResourcesFit rule, pods.md §10.4) is at most allocatable; the number of pods is at most
// allocatable pods. Pods that reached Succeeded or Failed release their resources; terminating
// pods still hold them until they are removed, as in the scheduler's cache
// (pkg/scheduler/framework/plugins/noderesources/fit.go, v1.37.2).
func nodesNotOvercommitted(s *store.Store, _ api.Time) error {
	for _, n := range store.ListAs[*api.Node](s, "Node", "") {
		alloc := n.Status.Allocatable
		if alloc == nil {
			continue
		}
		var cpu, mem, pods int64
		stopped := n.Annotations["kubesim.dev/failed"] == "true"
		for _, p := range store.ByIndexAs[*api.Pod](s, "node", "Pod", n.Name) {
			if p.IsTerminal() {
				continue
			}
			pods++
			if stopped && len(p.Status.ContainerStatuses) == 0 && len(p.Status.InitContainerStatuses) == 0 {
				// Bound to a node whose kubelet has stopped and never admitted: nothing is
				// allocated to it, and a resize meanwhile only changes what the kubelet's
				// admission will check if it comes back (kubesim check seed 83).
				continue
			}
			cpu += api.AllocatedRequestsMilli(p, api.ResourceCPU)
			mem += api.AllocatedRequestsMilli(p, api.ResourceMemory)
		}
		if q, ok := alloc[api.ResourceCPU]; ok && cpu > q.Milli {
			return objErr("Node", n.Key(), "node %s: pods request %dm cpu, more than its allocatable %dm", n.Name, cpu, q.Milli)
		}
		if q, ok := alloc[api.ResourceMemory]; ok && mem > q.Milli {
			return objErr("Node", n.Key(), "node %s: pods request %d bytes of memory, more than its allocatable %d", n.Name, mem/1000, q.Milli/1000)
		}
		if q, ok := alloc[api.ResourcePods]; ok && pods*1000 > q.Milli {
			return objErr("Node", n.Key(), "node %s: %d pods bound, more than its allocatable %d pods", n.Name, pods, q.Value())
		}
	}
	return nil
}
