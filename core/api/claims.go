package api

// UnreadyClaims returns, in volume order, the persistentVolumeClaim volumes of p whose claim
// stops the pod's containers from starting, each as "volume: reason": the claim does not
// exist, is being deleted, or is not Bound yet. claim looks a claim up by name in the pod's
// namespace (nil when it does not exist).
//
// Upstream, the scheduler's VolumeBinding plugin does not bind a pod to a node before its
// claims are Bound (PreBind: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go,
// BindPodVolumes waits for the PV controller), and the kubelet's volume manager does not start
// containers before every volume is mounted (pkg/kubelet/volumemanager WaitForAttachAndMount,
// called from SyncPod before the sandbox is created). pods.md §11. The kubelet and scheduler
// call this helper; the volume controller provisions and binds.
func UnreadyClaims(p *Pod, claim func(name string) *PersistentVolumeClaim) []string {
	var out []string
	for _, v := range p.Spec.Volumes {
		if v.PersistentVolumeClaim == nil {
			continue
		}
		name := v.PersistentVolumeClaim.ClaimName
		c := claim(name)
		switch {
		case c == nil:
			out = append(out, v.Name+`: persistentvolumeclaim "`+name+`" not found`)
		case c.DeletionTimestamp != nil:
			out = append(out, v.Name+`: persistentvolumeclaim "`+name+`" is being deleted`)
		case c.Status.Phase != ClaimBound:
			out = append(out, v.Name+`: persistentvolumeclaim "`+name+`" is `+phaseOrPending(c.Status.Phase))
		}
	}
	return out
}

func phaseOrPending(phase string) string {
	if phase == "" {
		return ClaimPending
	}
	return phase
}
