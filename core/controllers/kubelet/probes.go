package kubelet

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// probeSpecs returns the container's liveness, readiness and startup probes (nil when unset).
func (s *syncer) probeSpecs(c *api.Container) [3]*api.Probe {
	return [3]*api.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe}
}

// probes runs every probe tick due at s.now (pods.md §1.2, §1.5; pkg/kubelet/prober/worker.go
// doProbe). Liveness and readiness run before startup, so a startup success at a tick that
// liveness shares lets liveness start only on its next tick (T5). During termination only
// readiness runs (SyncTerminatingPod stops liveness and startup first) and sidecars' probes
// may still fail but restart nothing.
func (s *syncer) probes(terminating bool) bool {
	changed := false
	for _, k := range []int{liveness, readiness, startup} {
		for i := range s.rt.Containers {
			c, init := s.spec(i)
			if init && !api.IsSidecar(c) {
				continue
			}
			pr := s.probeSpecs(c)[k]
			cr := &s.rt.Containers[i]
			if pr == nil || cr.Phase != "Running" || cr.KillAt != nil && k != readiness {
				continue
			}
			if terminating && k != readiness && !(init && api.IsSidecar(c)) {
				continue
			}
			w := &cr.Probes[k]
			period := api.Seconds(int64(pr.PeriodSeconds))
			if period <= 0 {
				period = 10 * api.Second
			}
			if w.LastAt == s.now || w.Hold || s.now < w.Anchor || s.now.Sub(w.Anchor)%period != 0 {
				continue
			}
			if k != readiness && s.now == cr.StartedAt {
				continue // liveness/startup ticks are S + k*period, k >= 1
			}
			if s.probeOnce(i, k, pr, terminating) {
				changed = true
			}
		}
	}
	return changed
}

// manualReadiness probes, right now, the readiness of every started, running container that
// is not ready, and re-anchors its ticker (prober_manager.go UpdatePodStatus; pods.md §1.2).
func (s *syncer) manualReadiness() bool {
	changed := false
	for i := range s.rt.Containers {
		c, init := s.spec(i)
		if init && !api.IsSidecar(c) {
			continue
		}
		cr := &s.rt.Containers[i]
		pr := c.ReadinessProbe
		if pr == nil || cr.Phase != "Running" || !cr.Started || cr.Probes[readiness].Result == resultSuccess {
			continue
		}
		w := &cr.Probes[readiness]
		w.Anchor = s.now
		if w.LastAt == s.now {
			continue
		}
		if s.probeOnce(i, readiness, pr, s.pod.DeletionTimestamp != nil) {
			changed = true
		}
	}
	return changed
}

// probeOnce runs one attempt of probe k of container i after the per-attempt gates, counts it
// and applies a verdict. It reports whether the cached result (or the container) changed.
func (s *syncer) probeOnce(i, k int, pr *api.Probe, terminating bool) bool {
	cr := &s.rt.Containers[i]
	w := &cr.Probes[k]
	// Gate 7: floor(seconds since StartedAt) < initialDelaySeconds -> skip, no count.
	if s.now.Sub(cr.StartedAt) < api.Seconds(int64(pr.InitialDelaySeconds)) {
		return false
	}
	// Gate 8: startup gating.
	if (k == startup) == cr.Started {
		return false
	}
	w.LastAt = s.now
	c, _ := s.spec(i)
	ok, output := s.runProbe(c, cr, pr)
	if !ok {
		s.event(i, "Warning", "Unhealthy", probeNames[k]+" probe failed: "+output)
	}
	if w.Run > 0 && w.LastOK == ok {
		w.Run++
	} else {
		w.LastOK, w.Run = ok, 1
	}
	var verdict string
	switch {
	case ok && w.Run >= pr.SuccessThreshold:
		verdict = resultSuccess
	case !ok && w.Run >= pr.FailureThreshold:
		verdict = resultFailure
	default:
		return false
	}
	if verdict == w.Result && k == readiness {
		return false
	}
	old := w.Result
	w.Result = verdict
	switch k {
	case readiness:
		return old != verdict
	case startup:
		w.Hold = true
		if verdict == resultSuccess {
			cr.Started = true
			return true
		}
		if terminating {
			return false
		}
		s.probeKill(i, pr, "startup")
		return true
	default: // liveness
		if verdict != resultFailure {
			return false
		}
		w.Hold = true
		if terminating {
			return false
		}
		s.probeKill(i, pr, "liveness")
		return true
	}
}

// probeKill kills a container whose liveness or startup probe failed and, in the same sync,
// decides its restart on the pre-kill snapshot: the back-off check uses the previous exited
// instance, none on the first kill (pods.md §2.3, T3).
func (s *syncer) probeKill(i int, pr *api.Probe, which string) {
	c, _ := s.spec(i)
	cr := &s.rt.Containers[i]
	restart := s.wantsRestart(i, 143)
	msg := fmt.Sprintf("Container %s failed %s probe", c.Name, which)
	if restart {
		msg += ", will be restarted"
	}
	s.event(i, "Normal", "Killing", msg)
	grace := api.Seconds(api.Deref(s.pod.Spec.TerminationGracePeriodSeconds, 30))
	if pr.TerminationGracePeriodSeconds != nil {
		grace = api.Seconds(*pr.TerminationGracePeriodSeconds)
	}
	s.kill(i, s.now, grace)
	if !restart {
		return
	}
	var f *api.Time
	if cr.Last != nil {
		t := cr.Last.FinishedAt
		f = &t
	}
	if ok, retry := s.decide(cr, f); ok {
		cr.RestartApproved = true
	} else {
		s.backOffEvent(i)
		_ = retry
	}
}

// runProbe evaluates a probe against the image behaviour: it fails with "connection refused"
// while the process does not listen yet, and with the handler's failure text while the app
// is unhealthy.
func (s *syncer) runProbe(c *api.Container, cr *ContainerRuntime, pr *api.Probe) (bool, string) {
	b := s.behavior(c)
	listening := s.now >= cr.StartedAt.Add(b.Start)
	ip := s.pod.Status.PodIP
	switch {
	case pr.HTTPGet != nil:
		h := pr.HTTPGet
		port := s.port(c, h.Port)
		host := ip
		if h.Host != "" {
			host = h.Host
		}
		if !listening {
			url := "http://" + host + ":" + port + h.Path
			if h.Scheme != "" {
				url = strings.ToLower(h.Scheme) + "://" + host + ":" + port + h.Path
			}
			return false, fmt.Sprintf("Get %q: dial tcp %s:%s: connect: connection refused", url, host, port)
		}
		if !b.Healthy(h.Path, cr.StartedAt, s.now) {
			return false, "HTTP probe failed with statuscode: 500"
		}
	case pr.TCPSocket != nil:
		port := s.port(c, pr.TCPSocket.Port)
		host := ip
		if pr.TCPSocket.Host != "" {
			host = pr.TCPSocket.Host
		}
		if !listening || !b.Healthy("tcp:"+port, cr.StartedAt, s.now) {
			return false, fmt.Sprintf("dial tcp %s:%s: connect: connection refused", host, port)
		}
	case pr.GRPC != nil:
		port := strconv.Itoa(int(pr.GRPC.Port))
		if !listening {
			return false, fmt.Sprintf("timeout: failed to connect service %q within %ds: context deadline exceeded", ip+":"+port, pr.TimeoutSeconds)
		}
		if !b.Healthy("grpc:"+port, cr.StartedAt, s.now) {
			return false, `service unhealthy (responded with "NOT_SERVING")`
		}
	case pr.Exec != nil:
		if !b.Healthy("exec:"+strings.Join(pr.Exec.Command, " "), cr.StartedAt, s.now) {
			return false, ""
		}
	}
	return true, ""
}

// port resolves a probe port, by number or by the container port's name.
func (s *syncer) port(c *api.Container, p api.IntOrString) string {
	if !p.IsString {
		return strconv.Itoa(int(p.IntVal))
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return strconv.Itoa(int(cp.ContainerPort))
		}
	}
	return p.StrVal
}
