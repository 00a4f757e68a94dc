package kubelet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// generateStatus rewrites the pod status from the runtime: container statuses, phase and the
// kubelet's conditions (pkg/kubelet/kubelet_pods.go generateAPIPodStatus, getPhase;
// pkg/kubelet/status/generate.go; pods.md §3).
func (s *syncer) generateStatus() {
	st := &s.pod.Status
	nInit := len(s.pod.Spec.InitContainers)
	hasInit := nInit > 0
	st.InitContainerStatuses = nil
	st.ContainerStatuses = nil
	for i := range s.rt.Containers {
		cs := s.containerStatus(i, hasInit)
		if i < nInit {
			st.InitContainerStatuses = append(st.InitContainerStatuses, cs)
		} else {
			st.ContainerStatuses = append(st.ContainerStatuses, cs)
		}
	}
	// SortedContainerStatuses: regular container statuses are ordered by name.
	if !slices.IsSortedFunc(st.ContainerStatuses, compareStatusNames) {
		slices.SortStableFunc(st.ContainerStatuses, compareStatusNames)
	}
	if !s.pod.IsTerminal() {
		st.Phase = s.phase()
	}
	// generateAPIPodStatus: v1qos.GetPodQOS keeps the class the API server set at creation.
	st.QOSClass = api.GetPodQOS(s.pod)
	s.conditions()
}

func (s *syncer) containerStatus(i int, hasInit bool) api.ContainerStatus {
	c, _ := s.spec(i)
	cr := &s.rt.Containers[i]
	cs := api.ContainerStatus{Name: c.Name, Image: c.Image, RestartCount: cr.RestartCount}
	started := cr.Phase == "Running" && cr.Started // one pointer, not a false one replaced
	cs.Started = &started
	defReason := "ContainerCreating"
	if hasInit {
		defReason = "PodInitializing"
	}
	switch cr.Phase {
	case "Running":
		cs.State.Running = &api.ContainerStateRunning{StartedAt: cr.StartedAt}
		cs.ContainerID = s.containerID(i)
		cs.Ready = started && (c.ReadinessProbe == nil || cr.Probes[readiness].Result == resultSuccess)
		if cr.Last != nil {
			cs.LastTerminationState.Terminated = api.Ptr(*cr.Last)
		}
	case "Exited":
		cs.ContainerID = s.containerID(i)
		if cr.RetryAt > s.now && s.pod.DeletionTimestamp == nil {
			cs.State.Waiting = &api.ContainerStateWaiting{Reason: "CrashLoopBackOff",
				Message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s", cr.Backoff, c.Name, s.podRef())}
			cs.LastTerminationState.Terminated = api.Ptr(*cr.Last)
		} else {
			cs.State.Terminated = api.Ptr(*cr.Last)
		}
	default:
		reason, msg := defReason, ""
		if cr.PullErr != "" {
			reason, msg = cr.PullErr, cr.PullMsg
		}
		cs.State.Waiting = &api.ContainerStateWaiting{Reason: reason, Message: msg}
		if cr.Last != nil {
			cs.LastTerminationState.Terminated = api.Ptr(*cr.Last)
		}
	}
	s.resizeStatus(i, &cs)
	return cs
}

// phase is getPhase (pods.md §3.1).
func (s *syncer) phase() string {
	nInit := len(s.pod.Spec.InitContainers)
	pendingInit, failedInit := false, false
	sidecarPending := false
	for i := 0; i < nInit; i++ {
		c := &s.pod.Spec.InitContainers[i]
		cr := &s.rt.Containers[i]
		if api.IsSidecar(c) {
			if (cr.Phase == "Running" && !cr.Started) || (cr.Phase != "Running" && cr.Phase != "Exited" && cr.Last == nil) {
				sidecarPending = true
			}
			continue
		}
		switch {
		case cr.Phase == "Exited" && cr.Last != nil && cr.Last.ExitCode == 0:
		case cr.Phase == "Exited" || (cr.Last != nil && cr.Last.ExitCode != 0):
			if !s.wantsRestart(i, cr.Last.ExitCode) {
				failedInit = true
			} else if !s.rt.InitDone {
				pendingInit = true
			}
		default:
			if !s.rt.InitDone {
				pendingInit = true
			}
		}
	}
	if failedInit {
		return api.PodFailed
	}
	running, stopped, waiting, succeeded := 0, 0, 0, 0
	restartable := false
	for i := nInit; i < len(s.rt.Containers); i++ {
		cr := &s.rt.Containers[i]
		switch {
		case cr.Phase == "Running":
			running++
		case cr.Phase == "Exited":
			stopped++
			if cr.Last.ExitCode == 0 {
				succeeded++
			}
			if s.wantsRestart(i, cr.Last.ExitCode) {
				restartable = true
			}
		case cr.Last != nil:
			stopped++
			if s.wantsRestart(i, cr.Last.ExitCode) {
				restartable = true
			}
		default:
			waiting++
		}
	}
	if pendingInit || (sidecarPending && !s.rt.InitDone) {
		return api.PodPending
	}
	switch {
	case waiting > 0:
		return api.PodPending
	case running > 0:
		return api.PodRunning
	case stopped > 0:
		if s.pod.DeletionTimestamp != nil {
			if succeeded == stopped {
				return api.PodSucceeded
			}
			return api.PodFailed
		}
		if restartable {
			return api.PodRunning
		}
		if succeeded == stopped {
			return api.PodSucceeded
		}
		return api.PodFailed
	}
	return api.PodPending
}

// conditions writes PodReadyToStartContainers, Initialized, Ready, ContainersReady and
// PodScheduled in that order, keeping others (pods.md §3.2, status/generate.go).
func (s *syncer) conditions() {
	st := &s.pod.Status
	nInit := len(s.pod.Spec.InitContainers)
	var ib, ub [4]string // on the stack: the names only go into the messages
	incomplete, unready := ib[:0], ub[:0]
	for i := 0; i < nInit; i++ {
		c := &s.pod.Spec.InitContainers[i]
		cr := &s.rt.Containers[i]
		if api.IsSidecar(c) {
			if !(cr.Phase == "Running" && cr.Started) && !s.rt.InitDone {
				incomplete = append(incomplete, c.Name)
			}
			if !(cr.Phase == "Running" && cr.Started && (c.ReadinessProbe == nil || cr.Probes[readiness].Result == resultSuccess)) {
				unready = append(unready, c.Name)
			}
			continue
		}
		if !(cr.Phase == "Exited" && cr.Last != nil && cr.Last.ExitCode == 0) && !s.rt.InitDone {
			incomplete = append(incomplete, c.Name)
		}
	}
	for i := range st.ContainerStatuses {
		if cs := &st.ContainerStatuses[i]; !cs.Ready { // not a copy of each status
			unready = append(unready, cs.Name)
		}
	}
	// generate.go lists unready containers in spec order (init sidecars first).
	unready = s.specOrder(unready)
	sandbox := api.PodCondition{Type: api.PodReadyToStartContainers, Status: api.ConditionTrue}
	if s.rt.SandboxPending {
		sandbox.Status = api.ConditionFalse
	}
	init := api.PodCondition{Type: api.PodInitialized, Status: api.ConditionTrue}
	if len(incomplete) > 0 {
		init = api.PodCondition{Type: api.PodInitialized, Status: api.ConditionFalse, Reason: "ContainersNotInitialized",
			Message: "containers with incomplete status: [" + strings.Join(incomplete, " ") + "]"}
	}
	if st.Phase == api.PodSucceeded {
		init = api.PodCondition{Type: api.PodInitialized, Status: api.ConditionTrue, Reason: "PodCompleted"}
	}
	ready := api.PodCondition{Type: api.ContainersReady, Status: api.ConditionTrue}
	switch {
	case st.Phase == api.PodFailed:
		ready = api.PodCondition{Type: api.ContainersReady, Status: api.ConditionFalse, Reason: "PodFailed"}
	case st.Phase == api.PodSucceeded:
		ready = api.PodCondition{Type: api.ContainersReady, Status: api.ConditionFalse, Reason: "PodCompleted"}
	case len(unready) > 0:
		ready = api.PodCondition{Type: api.ContainersReady, Status: api.ConditionFalse, Reason: "ContainersNotReady",
			Message: "containers with unready status: [" + strings.Join(unready, " ") + "]"}
	}
	podReady := ready
	podReady.Type = api.PodReady
	// The node lifecycle controller's Ready=False (NodeNotReady) stays until the kubelet
	// reports again; a live kubelet always reports, so it is simply overwritten.
	for _, c := range [...]api.PodCondition{sandbox, init, podReady, ready} {
		s.setCondition(c)
	}
	sched := api.PodCondition{Type: api.PodScheduled, Status: api.ConditionTrue}
	s.setCondition(sched)
	s.orderConditions()
}

func (s *syncer) specOrder(names []string) []string {
	if len(names) < 2 {
		return names
	}
	set := map[string]bool{}
	for _, n := range names {
		set[n] = true
	}
	var out []string
	for _, cs := range [][]api.Container{s.pod.Spec.InitContainers, s.pod.Spec.Containers} {
		for _, c := range cs {
			if set[c.Name] {
				out = append(out, c.Name)
			}
		}
	}
	return out
}

// setCondition sets a condition, keeping lastTransitionTime while the status is unchanged.
// An unchanged condition is not written, so a sync that changes none copies no list.
func (s *syncer) setCondition(c api.PodCondition) {
	for i := range s.pod.Status.Conditions {
		old := &s.pod.Status.Conditions[i]
		if old.Type != c.Type {
			continue
		}
		c.LastTransitionTime = old.LastTransitionTime
		if old.Status != c.Status {
			c.LastTransitionTime = s.now
		}
		if *old != c {
			s.ownConditions()
			s.pod.Status.Conditions[i] = c
		}
		return
	}
	c.LastTransitionTime = s.now
	s.ownConditions()
	s.pod.Status.Conditions = append(s.pod.Status.Conditions, c)
}

// ownConditions makes the pod's condition list the sync's own before a write: a copy of a
// shared one, with room for the kubelet's five (a first status appends them all).
func (s *syncer) ownConditions() {
	if c := s.pod.Status.Conditions; s.condsShared || c == nil {
		s.pod.Status.Conditions = append(make([]api.PodCondition, 0, max(len(c), 5)), c...)
		s.condsShared = false
	}
}

// conditionOrder is where the kubelet lists a condition type (others last).
func conditionOrder(t string) int {
	switch t {
	case api.PodReadyToStartContainers:
		return 0
	case api.PodInitialized:
		return 1
	case api.PodReady:
		return 2
	case api.ContainersReady:
		return 3
	case api.PodScheduled:
		return 4
	}
	return 5
}

// orderConditions is a stable sort by conditionOrder; a stored status is already in order,
// so the usual call only checks.
func (s *syncer) orderConditions() {
	if !slices.IsSortedFunc(s.pod.Status.Conditions, compareConditionOrder) {
		s.ownConditions()
		slices.SortStableFunc(s.pod.Status.Conditions, compareConditionOrder)
	}
}

func compareConditionOrder(a, b api.PodCondition) int {
	return cmp.Compare(conditionOrder(a.Type), conditionOrder(b.Type))
}

func compareStatusNames(a, b api.ContainerStatus) int { return strings.Compare(a.Name, b.Name) }
