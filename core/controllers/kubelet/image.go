package kubelet

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
)

// A pod's container images are the one part of its spec that an update may change
// (ValidatePodUpdate). The kubelet notices that the running container's spec hash no longer
// matches and restarts it with the new image (kuberuntime_manager.go computePodActions:
// "Container %s definition changed", restarted whatever the pod's restartPolicy): it is
// stopped like any kill (preStop hook, grace period), then pulled as the pull policy says
// and started, restartCount + 1. Only the first restart is modelled without the crash
// back-off check (the container has no back-off entry yet in the common case).

// imageChanges kills every running container whose image is no longer the spec's.
func (s *syncer) imageChanges() {
	if s.pod.DeletionTimestamp != nil || s.pod.IsTerminal() || s.rt.EvictMessage != "" {
		return
	}
	for i := range s.rt.Containers {
		cr := &s.rt.Containers[i]
		c, _ := s.spec(i)
		if cr.Phase != "Running" || cr.KillAt != nil || cr.Image == "" || cr.Image == c.Image {
			continue
		}
		s.event(i, "Normal", "Killing", fmt.Sprintf("Container %s definition changed, will be restarted", c.Name))
		s.stopWithHook(i, api.Seconds(api.Deref(s.pod.Spec.TerminationGracePeriodSeconds, 30)))
		cr.RestartApproved = true
	}
}

func imagesChanged(o, n *api.PodSpec) bool {
	for _, l := range [][2][]api.Container{{o.Containers, n.Containers}, {o.InitContainers, n.InitContainers}} {
		if len(l[0]) != len(l[1]) {
			return true
		}
		for i := range l[0] {
			if l[0][i].Image != l[1][i].Image {
				return true
			}
		}
	}
	return false
}
