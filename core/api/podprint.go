package api

import (
	"fmt"
	"strconv"
)

// IsSidecar reports whether an init container is a native sidecar (restartPolicy Always).
func IsSidecar(c *Container) bool { return c.RestartPolicy != nil && *c.RestartPolicy == RestartAlways }

// PodReadyColumn renders kubectl's READY column "ready/total": regular containers that are
// ready and running plus sidecars that are started and ready, over regular containers plus
// sidecars (pkg/printers/internalversion/printers.go printPod).
func PodReadyColumn(p *Pod) string {
	total, ready := len(p.Spec.Containers), 0
	for _, c := range p.Status.ContainerStatuses {
		if c.Ready && c.State.Running != nil {
			ready++
		}
	}
	for i := range p.Spec.InitContainers {
		if !IsSidecar(&p.Spec.InitContainers[i]) {
			continue
		}
		total++
		for _, s := range p.Status.InitContainerStatuses {
			if s.Name == p.Spec.InitContainers[i].Name && s.Started != nil && *s.Started && s.Ready {
				ready++
			}
		}
	}
	return fmt.Sprintf("%d/%d", ready, total)
}

// PodStatusColumn renders kubectl's STATUS column for a pod, following printPod in
// pkg/printers/internalversion/printers.go (v1.37.2; pods.md §4.2).
func PodStatusColumn(p *Pod) string {
	reason := p.Status.Phase
	if p.Status.Reason != "" {
		reason = p.Status.Reason
	}
	if c := p.GetCondition(PodScheduled); c != nil && c.Reason == "SchedulingGated" {
		reason = "SchedulingGated"
	}
	initializing := false
	nInit := len(p.Spec.InitContainers)
	for i, s := range p.Status.InitContainerStatuses {
		if t := s.State.Terminated; t != nil && t.ExitCode == 0 {
			continue
		}
		if i < nInit && IsSidecar(&p.Spec.InitContainers[i]) && s.Started != nil && *s.Started {
			continue
		}
		switch {
		case s.State.Terminated != nil:
			t := s.State.Terminated
			switch {
			case t.Reason != "":
				reason = "Init:" + t.Reason
			case t.Signal != 0:
				reason = "Init:Signal:" + strconv.Itoa(int(t.Signal))
			default:
				reason = "Init:ExitCode:" + strconv.Itoa(int(t.ExitCode))
			}
		case s.State.Waiting != nil && s.State.Waiting.Reason != "" && s.State.Waiting.Reason != "PodInitializing":
			reason = "Init:" + s.State.Waiting.Reason
		default:
			reason = fmt.Sprintf("Init:%d/%d", i, nInit)
		}
		initializing = true
		break
	}
	if c := p.GetCondition(PodInitialized); !initializing || (c != nil && c.Status == ConditionTrue) {
		hasRunning := false
		errorReason := ""
		for i := len(p.Status.ContainerStatuses) - 1; i >= 0; i-- {
			s := p.Status.ContainerStatuses[i]
			switch {
			case s.State.Waiting != nil && s.State.Waiting.Reason != "":
				reason = s.State.Waiting.Reason
			case s.State.Terminated != nil:
				t := s.State.Terminated
				switch {
				case t.Reason != "":
					reason = t.Reason
				case t.Signal != 0:
					reason = "Signal:" + strconv.Itoa(int(t.Signal))
				default:
					reason = "ExitCode:" + strconv.Itoa(int(t.ExitCode))
				}
				if t.ExitCode != 0 {
					errorReason = reason
				}
			case s.Ready && s.State.Running != nil:
				hasRunning = true
			}
		}
		if reason == "Completed" {
			switch {
			case hasRunning && p.IsReady():
				reason = "Running"
			case errorReason != "":
				reason = errorReason
			case hasRunning:
				reason = "NotReady"
			}
		}
	}
	if p.DeletionTimestamp != nil && p.Status.Reason == "NodeLost" {
		reason = PodUnknown
	} else if p.DeletionTimestamp != nil && !p.IsTerminal() {
		reason = "Terminating"
	}
	return reason
}

// PodRestartsColumn renders kubectl's RESTARTS column (pods.md §4.3): while the pod is
// initializing, the init containers' restarts; otherwise regular containers plus sidecars.
// When non-zero and a container has terminated before, " (AGE ago)" follows, AGE measured from
// the newest lastState.terminated.finishedAt.
func PodRestartsColumn(p *Pod, now Time) string {
	var n int32
	var last Time = -1
	add := func(s ContainerStatus) {
		n += s.RestartCount
		if t := s.LastTerminationState.Terminated; t != nil && t.FinishedAt > last {
			last = t.FinishedAt
		}
	}
	initDone := true
	if c := p.GetCondition(PodInitialized); c == nil || c.Status != ConditionTrue {
		initDone = len(p.Status.InitContainerStatuses) == 0
	}
	for i, s := range p.Status.InitContainerStatuses {
		sidecar := i < len(p.Spec.InitContainers) && IsSidecar(&p.Spec.InitContainers[i])
		if !initDone || sidecar {
			add(s)
		}
	}
	if initDone {
		for _, s := range p.Status.ContainerStatuses {
			add(s)
		}
	}
	if n != 0 && last >= 0 {
		return fmt.Sprintf("%d (%s ago)", n, HumanDuration(now.Sub(last)))
	}
	return strconv.Itoa(int(n))
}
