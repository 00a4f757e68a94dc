package kubelet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// waitForVolumes is the volume manager's WaitForAttachAndMount at the start of a pod sync,
// before the sandbox, image pulls and any container (init containers included): it reports
// whether the pod must keep waiting for its persistentVolumeClaims (api.UnreadyClaims:
// missing, being deleted or not Bound; pods.md §11).
//
// v1.37.2 pkg/kubelet/volumemanager/volume_manager.go: the desired-state populator records an
// error for a claim it cannot use (populator/desired_state_of_world_populator.go
// getPVCExtractPV: "PVC is not bound", "PVC is being deleted", or the failed GET), the wait
// returns it at its next poll, and SyncPod (pkg/kubelet/kubelet.go) emits Warning FailedMount
// "Unable to attach or mount volumes: unmounted volumes=[..], unattached volumes=[..], failed
// to process volumes=[..]: <errors>" and fails the sync; the pod worker retries after its 10 s
// back-off (no jitter here). The unused timeout path ("timed out waiting for the condition",
// 2 min 3 s) emits no event since 1.28 (wait.Interrupted). Meanwhile the pod stays Pending
// with its containers waiting in ContainerCreating (PodInitializing with init containers)
// and PodReadyToStartContainers=False.
func (s *syncer) waitForVolumes() bool {
	claim := func(name string) *api.PersistentVolumeClaim {
		if o := s.ctx.Store().Get("PersistentVolumeClaim", s.pod.Namespace+"/"+name); o != nil {
			return o.(*api.PersistentVolumeClaim)
		}
		return nil
	}
	unready := api.UnreadyClaims(s.pod, claim)
	if len(unready) == 0 {
		return false
	}
	if s.now < s.rt.ResyncAt {
		return true // a retry is already due
	}
	var names, errs []string
	for _, u := range unready {
		vol, _, _ := strings.Cut(u, ":")
		names = append(names, vol)
		var claimName string
		for _, v := range s.pod.Spec.Volumes {
			if v.Name == vol && v.PersistentVolumeClaim != nil {
				claimName = v.PersistentVolumeClaim.ClaimName
			}
		}
		var why string
		switch c := claim(claimName); {
		case c == nil:
			why = fmt.Sprintf("failed to fetch PVC from API server: persistentvolumeclaims %q not found", claimName)
		case c.DeletionTimestamp != nil:
			why = "PVC is being deleted"
		default:
			why = "PVC is not bound"
		}
		errs = append(errs, fmt.Sprintf("error processing PVC %s/%s: %s", s.pod.Namespace, claimName, why))
	}
	// getUnmountedVolumes and getVolumesNotInDSW return sorted names; a volume the populator
	// could not process is never attached-pending, so "unattached volumes" is empty.
	slices.Sort(names)
	list := "[" + strings.Join(names, " ") + "]"
	s.ctx.EventAt(s.pod, "", "Warning", "FailedMount", fmt.Sprintf(
		"Unable to attach or mount volumes: unmounted volumes=%s, unattached volumes=[], failed to process volumes=%s: %s",
		list, list, strings.Join(errs, "; ")))
	s.ctx.Explain(s.pod, "volume manager: waiting for %s; the pod worker retries in %s", strings.Join(unready, ", "), errorResync)
	s.rt.ResyncAt = s.now.Add(errorResync)
	return true
}
