package kubelet

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// Timing constants (pods.md §2.2, §6; pkg/kubelet/kubelet.go, pod_workers.go,
// kuberuntime_container.go, client-go flowcontrol/backoff.go).
const (
	backoffInitial   = 10 * api.Second
	backoffMax       = 300 * api.Second
	backoffReset     = 600 * api.Second // a container that ran > 10 min restarts at once
	errorResync      = 10 * api.Second  // pod worker retry after a failed sync (no jitter)
	resyncInterval   = 60 * api.Second  // periodic resync: re-check during a long back-off
	minShutdownGrace = 2 * api.Second   // minimal shutdown window after preStop
)

type syncer struct {
	ctx       *sim.Context
	now       api.Time
	key       string
	pod       *api.Pod // cloneForSync of the stored pod: status is rewritten, the spec is shared (read only)
	node      *api.Node
	cfg       *api.ClusterConfig
	rt        *PodRuntime
	nr        *NodeRuntime // the stored node runtime until nrChanged, then the sync's own clone
	nrChanged bool
	hl        *HostLocal // the node's host-local IPAM store, loaded when needed
	hlChanged bool
	paths     [4]string // fieldPath of the first containers: a start emits up to 4 events
	// condsShared: pod.Status.Conditions is the stored pod's array (or the one a status
	// snapshot holds), copied by ownConditions before a write.
	condsShared bool
}

// spec returns container i of the runtime list (init containers first).
func (s *syncer) spec(i int) (*api.Container, bool) {
	n := len(s.pod.Spec.InitContainers)
	if i < n {
		return &s.pod.Spec.InitContainers[i], true
	}
	return &s.pod.Spec.Containers[i-n], false
}

func (s *syncer) fieldPath(i int) string {
	if i < len(s.paths) && s.paths[i] != "" {
		return s.paths[i]
	}
	var p string
	if c, init := s.spec(i); init {
		p = "spec.initContainers{" + c.Name + "}"
	} else {
		p = "spec.containers{" + c.Name + "}"
	}
	if i < len(s.paths) {
		s.paths[i] = p
	}
	return p
}

func (s *syncer) event(i int, typ, reason, msg string) {
	s.ctx.EventAt(s.pod, s.fieldPath(i), typ, reason, msg)
}

func (s *syncer) behavior(c *api.Container) api.ImageBehavior { return s.cfg.Behavior(c.Image) }

func (s *syncer) podRef() string {
	return fmt.Sprintf("%s_%s(%s)", s.pod.Name, s.pod.Namespace, s.pod.UID)
}

// sync runs the pod at s.now: completes pulls and exits that are due, runs due probes,
// (re)starts containers or terminates the pod, and rewrites the pod status. It reports
// whether the pod object was removed (graceful deletion finished).
func (s *syncer) sync() (removed bool, err error) {
	evicting := s.rt.EvictMessage != "" && s.pod.DeletionTimestamp == nil
	if evicting && !s.pod.IsTerminal() {
		s.evicted()
	}
	terminating := s.pod.DeletionTimestamp != nil || evicting
	if terminating && s.rt.TerminatingAt < 0 {
		s.rt.TerminatingAt = s.now
	}
	if !terminating {
		s.refreshConfigVolumes()
	}
	for round := 0; round < 16; round++ {
		changed := s.finishPulls()
		changed = s.exits() || changed
		if !terminating {
			changed = s.probes(false) || changed
			if !s.podTerminal() {
				changed = s.restarts() || changed
				changed = s.starts() || changed
			}
		} else {
			changed = s.probes(true) || changed
			changed = s.terminate() || changed
		}
		if !changed {
			break
		}
	}
	// The status before generateStatus. It shares everything: generateStatus replaces the
	// container status lists whole and copies the conditions before changing one.
	before := s.pod.Status
	s.condsShared = true
	s.generateStatus()
	// Readiness manual trigger: a status change pokes the readiness worker of every started,
	// running container that is not ready yet (pkg/kubelet/kubelet.go generateAPIPodStatus ->
	// prober_manager UpdatePodStatus), and resets its ticker.
	if !statusEqual(before, s.pod.Status) && s.manualReadiness() {
		s.generateStatus()
	}
	if terminating && s.nothingRunning() && !evicting {
		return true, s.finishTermination()
	}
	return false, nil
}

// evicted is TerminatePodAbnormallyAndWait's status function, applied when the pod worker
// starts terminating an evicted pod (pkg/kubelet/eviction/eviction_manager.go evictPod,
// kubelet.go syncTerminatingPod): phase Failed, reason Evicted, the eviction message and
// the DisruptionTarget condition (reason TerminationByKubelet). The pod object stays, so its
// ReplicaSet sees a failed pod and replaces it.
func (s *syncer) evicted() {
	st := &s.pod.Status
	st.Phase, st.Reason, st.Message = api.PodFailed, "Evicted", s.rt.EvictMessage
	s.setCondition(api.PodCondition{Type: "DisruptionTarget", Status: api.ConditionTrue,
		Reason: "TerminationByKubelet", Message: s.rt.EvictMessage})
}

func statusEqual(a, b api.PodStatus) bool { return a.Equal(&b) }

// ---- images ----

// ensureImage makes the image of container i available, reporting whether it can start now.
func (s *syncer) ensureImage(i int) bool {
	c, _ := s.spec(i)
	cr := &s.rt.Containers[i]
	if cr.Phase == "Pulling" {
		return false // finishPulls completes it
	}
	if cr.PullErr != "" && s.now < s.rt.ResyncAt {
		return false
	}
	b := s.behavior(c)
	present := s.nodeRT().Images[c.Image]
	switch {
	case c.ImagePullPolicy == "Never" && !present:
		msg := fmt.Sprintf("Container image %q is not present with pull policy of Never", c.Image)
		s.event(i, "Warning", "ErrImageNeverPull", msg)
		s.event(i, "Warning", "Failed", "Error: ErrImageNeverPull")
		cr.PullErr, cr.PullMsg = "ErrImageNeverPull", msg
		s.rt.ResyncAt = s.now.Add(errorResync)
		return false
	case present && c.ImagePullPolicy != "Always":
		s.event(i, "Normal", "Pulled", quoted("Container image ", c.Image, " already present on machine"))
		cr.PullErr, cr.PullMsg = "", ""
		return true
	}
	// pkg/kubelet/images/image_manager.go: inside the back-off window no pull is tried.
	if cr.PullWindow > 0 && s.now.Sub(cr.PullFailedAt) < cr.PullWindow {
		s.event(i, "Normal", "BackOff", fmt.Sprintf("Back-off pulling image %q", c.Image))
		s.event(i, "Warning", "Failed", "Error: ImagePullBackOff")
		cr.PullErr = "ImagePullBackOff"
		cr.PullMsg = fmt.Sprintf("Back-off pulling image %q: ErrImagePull: %s", c.Image, pullError(c.Image))
		s.rt.ResyncAt = s.now.Add(errorResync)
		return false
	}
	s.event(i, "Normal", "Pulling", quoted("Pulling image ", c.Image, ""))
	cr.Phase, cr.PullStart, cr.PullUntil = "Pulling", s.now, s.now.Add(b.Pull)
	s.finishPulls()
	return cr.Phase == "" && cr.PullErr == ""
}

// saveNode writes back the node-level objects the sync changed.
func (s *syncer) saveNode() error {
	if s.nrChanged {
		if err := s.ctx.Update(s.nr); err != nil {
			return err
		}
	}
	if s.hlChanged {
		return saveHostLocal(s.ctx, s.hl)
	}
	return nil
}

// nodeRT returns the node's runtime object, to read: most syncs only look up an image, so
// it is cloned only when changed (addImage).
func (s *syncer) nodeRT() *NodeRuntime {
	if s.nr == nil {
		nr, err := nodeRuntime(s.ctx, s.pod.Spec.NodeName)
		if err != nil {
			panic(fmt.Sprintf("kubelet: node runtime of %s: %v", s.pod.Spec.NodeName, err))
		}
		s.nr = nr
	}
	return s.nr
}

// addImage records image as present on the node, in the sync's clone of the node runtime
// (written back by saveNode).
func (s *syncer) addImage(image string) {
	if s.nodeRT().Images[image] {
		return
	}
	if !s.nrChanged {
		s.nr, s.nrChanged = s.nr.CloneSelf(), true
	}
	if s.nr.Images == nil {
		s.nr.Images = map[string]bool{}
	}
	s.nr.Images[image] = true
}

// pullError is the runtime's error for an image that does not exist (containerd wording).
func pullError(image string) string {
	ref := image
	first, _, hasSlash := strings.Cut(ref, "/")
	if !hasSlash {
		ref = "docker.io/library/" + ref
	} else if !strings.ContainsAny(first, ".:") && first != "localhost" {
		ref = "docker.io/" + ref
	}
	last := ref[strings.LastIndex(ref, "/")+1:]
	if !strings.Contains(last, ":") && !strings.Contains(ref, "@") {
		ref += ":latest"
	}
	return fmt.Sprintf("rpc error: code = NotFound desc = failed to pull and unpack image %q: failed to resolve reference %q: %s: not found", ref, ref, ref)
}

// quoted is fmt.Sprintf(prefix+"%q"+suffix, s) with one allocation: every pod start emits
// one of these (TestEventMessagesMatchFmt).
func quoted(prefix, s, suffix string) string {
	var buf [128]byte
	b := append(buf[:0], prefix...)
	b = strconv.AppendQuote(b, s)
	return string(append(b, suffix...))
}

// pulledMessage is fmt.Sprintf("Successfully pulled image %q in %s (%s including waiting).
// Image size: %d bytes.", image, d, d, size), rendering d once (fmt boxed four values and
// rendered d twice).
func pulledMessage(image string, d api.Duration, size int64) string {
	ds := d.String()
	var buf [192]byte
	b := append(buf[:0], "Successfully pulled image "...)
	b = strconv.AppendQuote(b, image)
	b = append(append(append(append(b, " in "...), ds...), " ("...), ds...)
	b = append(b, " including waiting). Image size: "...)
	b = strconv.AppendInt(b, size, 10)
	return string(append(b, " bytes."...))
}

// finishPulls completes the pulls that are due.
func (s *syncer) finishPulls() bool {
	changed := false
	for i := range s.rt.Containers {
		cr := &s.rt.Containers[i]
		if cr.Phase != "Pulling" || cr.PullUntil > s.now {
			continue
		}
		changed = true
		c, _ := s.spec(i)
		b := s.behavior(c)
		cr.Phase = ""
		if b.Missing {
			msg := pullError(c.Image)
			s.event(i, "Warning", "Failed", fmt.Sprintf("Failed to pull image %q: %s", c.Image, msg))
			s.event(i, "Warning", "Failed", "Error: ErrImagePull")
			cr.PullErr, cr.PullMsg = "ErrImagePull", msg
			// client-go Backoff.Next: initial 10 s, doubling to 300 s, reset after 600 s idle.
			if cr.PullWindow == 0 || s.now.Sub(cr.PullFailedAt) > 2*backoffMax {
				cr.PullWindow = backoffInitial
			} else {
				cr.PullWindow = min(2*cr.PullWindow, backoffMax)
			}
			cr.PullFailedAt = s.now
			s.rt.ResyncAt = s.now.Add(errorResync)
			continue
		}
		d := s.now.Sub(cr.PullStart)
		size := b.Size
		if size == 0 {
			size = api.DefaultImageSize
		}
		s.event(i, "Normal", "Pulled", pulledMessage(c.Image, d, size))
		cr.PullErr, cr.PullMsg, cr.PullWindow = "", "", 0
		s.addImage(c.Image)
		cr.Phase = "Pulled"
	}
	return changed
}

// ---- container start / exit ----

// startContainer pulls (if needed) and starts container i; it reports whether it runs now.
func (s *syncer) startContainer(i int) bool {
	cr := &s.rt.Containers[i]
	if cr.Phase != "Pulled" {
		if !s.ensureImage(i) && cr.Phase != "Pulled" {
			return false
		}
	}
	c, _ := s.spec(i)
	env, err := s.containerEnv(c)
	if err != nil {
		s.configFailed(i, err)
		return false
	}
	s.setEnv(c.Name, env)
	b := s.behavior(c)
	if cr.Instance > 0 {
		cr.RestartCount++
	}
	cr.Instance++
	cr.Phase, cr.StartedAt = "Running", s.now
	cr.Actual = cr.Allocated // a new instance runs with the allocated resources
	cr.Image = c.Image
	cr.ExitAt, cr.KillAt, cr.RestartApproved, cr.RetryAt, cr.RecheckAt = nil, nil, false, 0, 0
	cr.PullErr, cr.PullMsg = "", ""
	if b.ExitAfter != nil {
		t := s.now.Add(*b.ExitAfter)
		cr.ExitAt, cr.ExitCode = &t, b.ExitCode
		cr.ExitReason = "Completed"
		if b.ExitCode != 0 {
			cr.ExitReason = "Error"
		}
	}
	s.scheduleOOMKill(i, c, &b)
	// A new container ID: the probe workers drop their results and start over with the
	// initial values (readiness Failure, liveness Success, startup Unknown), ticker anchored at
	// the start (pods.md §1.2, §1.5).
	cr.Probes[liveness] = ProbeWorker{Result: resultSuccess, Anchor: s.now, LastAt: -1}
	cr.Probes[readiness] = ProbeWorker{Result: resultFailure, Anchor: s.now, LastAt: -1}
	cr.Probes[startup] = ProbeWorker{Result: resultUnknown, Anchor: s.now, LastAt: -1}
	cr.Started = c.StartupProbe == nil
	s.event(i, "Normal", "Created", "Container created")
	s.event(i, "Normal", "Started", "Container started")
	return true
}

// exits completes the container exits that are due.
func (s *syncer) exits() bool {
	changed := false
	for i := range s.rt.Containers {
		cr := &s.rt.Containers[i]
		if cr.Phase != "Running" || cr.ExitAt == nil || *cr.ExitAt > s.now {
			continue
		}
		changed = true
		if cr.ExitReason == "OOMKilled" {
			c, _ := s.spec(i)
			lim := s.runningResources(i).Limits[api.ResourceMemory]
			s.ctx.Explain(s.pod, "container %s used its whole memory limit of %s %s after it started: the kernel OOM-killed it (exit code 137)",
				c.Name, lim.String(), cr.ExitAt.Sub(cr.StartedAt))
		}
		cr.Phase = "Exited"
		cr.Last = &api.ContainerStateTerminated{ExitCode: cr.ExitCode, Reason: cr.ExitReason,
			StartedAt: cr.StartedAt, FinishedAt: *cr.ExitAt, ContainerID: s.containerID(i)}
		cr.Started = false
		cr.ExitAt, cr.KillAt = nil, nil
	}
	return changed
}

// scheduleOOMKill makes the running instance of container i exit when its memory working set
// (the image's usage, from zero at the start) reaches the container's memory limit: the
// kernel's cgroup OOM killer ends it with SIGKILL, which the runtime reports as exit code 137,
// reason OOMKilled (cri containerd; kuberuntime_container.go toKubeContainerStatus). The
// restart policy and CrashLoopBackOff then apply as to any other exit. No event: the
// kubelet's OOM watcher only reports system OOMs (pkg/kubelet/oom/oom_watcher_linux.go).
func (s *syncer) scheduleOOMKill(i int, c *api.Container, b *api.ImageBehavior) {
	limit, ok := s.allocatedResources(i).Limits[api.ResourceMemory] // a new instance gets the allocation
	if !ok || b.Memory == nil {
		return
	}
	d, ok := b.Memory.Reaches(limit.Milli)
	if !ok {
		return
	}
	cr := &s.rt.Containers[i]
	if t := s.now.Add(d); cr.ExitAt == nil || t < *cr.ExitAt {
		cr.ExitAt, cr.ExitCode, cr.ExitReason = &t, 137, "OOMKilled"
	}
}

func (s *syncer) containerID(i int) string {
	cr := &s.rt.Containers[i]
	return "containerd://" + s.pod.UID + "-" + cr.Name + "-" + strconv.Itoa(cr.Instance) // every status has one
}

// kill sends SIGTERM to container i at `at` with grace; the process exits after its
// StopAfter (code SigtermExitCode, default 143) or is SIGKILLed when the grace runs out (137).
func (s *syncer) kill(i int, at api.Time, grace api.Duration) {
	c, _ := s.spec(i)
	b := s.behavior(c)
	cr := &s.rt.Containers[i]
	cr.KillAt = &at
	exit, code := at.Add(b.StopAfter), api.Deref(b.SigtermExitCode, 143)
	if b.StopAfter > grace {
		exit, code = at.Add(grace), 137
	}
	if cr.ExitAt == nil || exit < *cr.ExitAt {
		reason := "Error"
		if code == 0 {
			reason = "Completed"
		}
		cr.ExitAt, cr.ExitCode, cr.ExitReason = &exit, code, reason
	}
}

// wantsRestart applies the restart policy to an exited container (pods.md §2.1, §3.1).
func (s *syncer) wantsRestart(i int, code int32) bool {
	c, init := s.spec(i)
	if init && api.IsSidecar(c) {
		return true
	}
	policy := s.pod.Spec.RestartPolicy
	if c.RestartPolicy != nil && !init {
		policy = *c.RestartPolicy
	}
	if init && code == 0 {
		return false
	}
	switch policy {
	case api.RestartNever:
		return false
	case api.RestartOnFailure:
		return code != 0
	}
	return true
}

// decide is the crash back-off decision of pods.md §2.3 (kuberuntime_manager.go doBackOff,
// client-go Backoff): f is the finish time of the newest exited instance in the snapshot the
// sync started from (nil: none). It reports whether the container may start now, else when.
func (s *syncer) decide(cr *ContainerRuntime, f *api.Time) (bool, api.Time) {
	if f == nil {
		return true, 0
	}
	stable := f.Sub(cr.LastRestart) > backoffReset
	if cr.HasEntry && !stable && s.now.Sub(*f) < cr.Backoff {
		return false, f.Add(cr.Backoff)
	}
	if !cr.HasEntry || stable {
		cr.Backoff, cr.HasEntry = backoffInitial, true
	} else {
		cr.Backoff = min(2*cr.Backoff, backoffMax)
	}
	cr.LastRestart = s.now
	return true, 0
}

func (s *syncer) backOffEvent(i int) {
	c, _ := s.spec(i)
	s.event(i, "Warning", "BackOff", fmt.Sprintf("Back-off restarting failed container %s in pod %s", c.Name, s.podRef()))
}

// restarts restarts exited containers whose policy wants it, subject to back-off.
func (s *syncer) restarts() bool {
	changed := false
	for i := range s.rt.Containers {
		cr := &s.rt.Containers[i]
		if cr.Phase == "Pulled" && cr.RestartApproved && cr.Instance > 0 {
			if s.startContainer(i) { // an approved restart that had to pull first
				changed = true
			}
			continue
		}
		if cr.Phase != "Exited" || cr.Last == nil || (!cr.RestartApproved && !s.wantsRestart(i, cr.Last.ExitCode)) {
			continue
		}
		if _, init := s.spec(i); init && s.rt.InitDone && !api.IsSidecar(&s.pod.Spec.InitContainers[i]) {
			continue
		}
		if cr.RestartApproved {
			cr.Phase = "" // the kill sync already decided: start at once, no new back-off check
			if s.startContainer(i) {
				changed = true
			}
			continue
		}
		if cr.RetryAt > s.now {
			if cr.RecheckAt == s.now {
				s.backOffEvent(i)
				cr.RecheckAt = min(s.now.Add(resyncInterval), cr.RetryAt)
				if cr.RecheckAt == cr.RetryAt {
					cr.RecheckAt = 0
				}
			}
			continue
		}
		f := cr.Last.FinishedAt
		ok, retry := s.decide(cr, &f)
		if !ok {
			if cr.RetryAt != retry {
				s.backOffEvent(i)
				cr.RetryAt = retry
				if r := s.now.Add(resyncInterval); r < retry {
					cr.RecheckAt = r
				}
				changed = true
			}
			continue
		}
		cr.Phase = ""
		if s.startContainer(i) {
			changed = true
		} else {
			changed = true
		}
	}
	return changed
}

// starts runs the init sequence and then starts the regular containers (pods.md §5).
func (s *syncer) starts() bool {
	changed := false
	nInit := len(s.pod.Spec.InitContainers)
	if !s.rt.InitDone {
		for i := 0; i < nInit; i++ {
			c := &s.pod.Spec.InitContainers[i]
			cr := &s.rt.Containers[i]
			if cr.Phase == "" || cr.Phase == "Pulled" {
				if cr.Instance > 0 {
					return changed // waiting for a restart (back-off)
				}
				if !s.startContainer(i) {
					return changed
				}
				changed = true
			}
			if api.IsSidecar(c) {
				if cr.Phase == "Running" && cr.Started {
					continue
				}
				return changed
			}
			if cr.Phase == "Exited" && cr.Last != nil && cr.Last.ExitCode == 0 {
				continue
			}
			return changed
		}
		s.rt.InitDone = true
		changed = true
	}
	for i := nInit; i < len(s.rt.Containers); i++ {
		cr := &s.rt.Containers[i]
		if cr.Instance > 0 || (cr.Phase != "" && cr.Phase != "Pulled") {
			continue
		}
		if s.startContainer(i) {
			changed = true
		} else if s.rt.Containers[i].Phase == "Pulling" {
			break // pulls are serialized: later containers wait for this one
		}
	}
	return changed
}

// ---- termination (pods.md §6) ----

// terminate stops the containers of a pod being deleted: regular containers at once (preStop,
// SIGTERM, SIGKILL at the end of the grace period), then sidecars in reverse order.
func (s *syncer) terminate() bool {
	changed := false
	grace := api.Seconds(api.Deref(s.pod.DeletionGracePeriodSeconds, api.Deref(s.pod.Spec.TerminationGracePeriodSeconds, 30)))
	evicting := s.rt.EvictMessage != "" && s.pod.DeletionTimestamp == nil
	nInit := len(s.pod.Spec.InitContainers)
	regularRunning := false
	for i := range s.rt.Containers {
		cr := &s.rt.Containers[i]
		if cr.Phase == "Pulling" || cr.Phase == "Pulled" {
			cr.Phase = ""
			changed = true
		}
		c, init := s.spec(i)
		if init && api.IsSidecar(c) {
			continue
		}
		if cr.Phase != "Running" {
			continue
		}
		regularRunning = true
		if cr.KillAt != nil {
			continue
		}
		changed = true
		s.event(i, "Normal", "Killing", "Stopping container "+c.Name)
		s.stop(i, grace, evicting)
	}
	if regularRunning {
		return changed
	}
	// Sidecars: the last running one first, with what is left of the grace (min 2 s).
	for i := nInit - 1; i >= 0; i-- {
		c := &s.pod.Spec.InitContainers[i]
		cr := &s.rt.Containers[i]
		if !api.IsSidecar(c) || cr.Phase != "Running" {
			continue
		}
		if cr.KillAt == nil {
			left := max(grace-s.now.Sub(s.rt.TerminatingAt), minShutdownGrace)
			s.event(i, "Normal", "Killing", "Stopping container "+c.Name)
			s.stop(i, left, evicting)
			changed = true
		}
		break
	}
	return changed
}

// stop stops container i: with the eviction's grace period override (1 s) when evicting, else
// with grace and the 2 s minimal shutdown window.
func (s *syncer) stop(i int, grace api.Duration, evicting bool) {
	if !evicting {
		s.stopWithHook(i, grace)
		return
	}
	// kuberuntime_container.go killContainer: the preStop hook still runs within the pod's own
	// grace period; then the override replaces what is left, with no 2 s floor.
	podGrace := api.Seconds(api.Deref(s.pod.Spec.TerminationGracePeriodSeconds, 30))
	s.kill(i, s.now.Add(min(s.preStop(i), podGrace)), immediateEvictionGracePeriod)
}

// preStop is how long container i's preStop hook runs (0 without one).
func (s *syncer) preStop(i int) api.Duration {
	c, _ := s.spec(i)
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil {
		return 0
	}
	if h := c.Lifecycle.PreStop; h.Sleep != nil {
		return api.Seconds(h.Sleep.Seconds)
	}
	return s.behavior(c).PreStop
}

// stopWithHook runs the preStop hook (abandoned when the grace runs out), then SIGTERM with
// the grace left minus the hook's whole seconds, floored at 2 s.
func (s *syncer) stopWithHook(i int, grace api.Duration) {
	hook := s.preStop(i)
	if hook == 0 {
		s.kill(i, s.now, grace)
		return
	}
	hook = min(hook, grace)
	left := max(grace-hook/api.Second*api.Second, minShutdownGrace)
	s.kill(i, s.now.Add(hook), left)
}

func (s *syncer) nothingRunning() bool {
	for i := range s.rt.Containers {
		if cr := &s.rt.Containers[i]; cr.Phase == "Running" || cr.Phase == "Pulling" {
			return false
		}
	}
	return true
}

// finishTermination gives the pod its terminal phase and removes it (the kubelet's final
// DELETE with grace 0), together with its runtime object; the sandbox goes and with it the
// pod's IP.
func (s *syncer) finishTermination() error {
	s.releaseIP()
	if !s.pod.IsTerminal() {
		s.pod.Status.Phase = api.PodSucceeded
		for i := len(s.pod.Spec.InitContainers); i < len(s.rt.Containers); i++ {
			if l := s.rt.Containers[i].Last; l == nil || l.ExitCode != 0 {
				s.pod.Status.Phase = api.PodFailed
			}
		}
		s.generateStatus()
		if err := s.ctx.Update(s.pod); err != nil {
			return err
		}
	}
	if err := s.saveNode(); err != nil {
		return err
	}
	if err := s.ctx.Remove("Pod", s.key); err != nil {
		return err
	}
	if s.ctx.Store().Get(RuntimeKind, s.key) != nil {
		return s.ctx.Remove(RuntimeKind, s.key)
	}
	return nil
}

// ---- timers ----

// nextWake is the earliest future time at which something is due for this pod.
func (s *syncer) nextWake() api.Time {
	var next api.Time = -1
	at := func(t api.Time) {
		if t > s.now && (next < 0 || t < next) {
			next = t
		}
	}
	if s.rt.SandboxPending {
		at(s.rt.ResyncAt)
		return next
	}
	if s.rt.ResyncAt > s.now {
		for i := range s.rt.Containers {
			if s.rt.Containers[i].PullErr != "" {
				at(s.rt.ResyncAt)
				break
			}
		}
	}
	at(s.rt.ResizeUntil)
	terminal := s.podTerminal() && s.pod.DeletionTimestamp == nil
	for i := range s.rt.Containers {
		cr := &s.rt.Containers[i]
		switch cr.Phase {
		case "Pulling":
			at(cr.PullUntil)
		case "Running":
			if cr.ExitAt != nil {
				at(*cr.ExitAt)
			}
			if !terminal {
				c, _ := s.spec(i)
				for k, pr := range s.probeSpecs(c) {
					if pr == nil || cr.Probes[k].Hold {
						continue
					}
					if s.pod.DeletionTimestamp != nil && k != readiness {
						continue
					}
					at(nextTick(cr.Probes[k].Anchor, api.Seconds(int64(pr.PeriodSeconds)), s.now))
				}
			}
		case "Exited":
			at(cr.RetryAt)
			if cr.RecheckAt > 0 {
				at(cr.RecheckAt)
			}
		}
	}
	return next
}

// nextTick is the first anchor + k*period strictly after now.
func nextTick(anchor api.Time, period api.Duration, now api.Time) api.Time {
	if period <= 0 {
		period = 10 * api.Second
	}
	if now < anchor {
		return anchor
	}
	k := now.Sub(anchor)/period + 1
	return anchor.Add(k * period)
}

func (s *syncer) podTerminal() bool { return s.pod.IsTerminal() }
