package kubectl

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// `kubectl logs POD [-c CONTAINER] [-p|--previous]`. The simulated images run no program,
// so there is no real output: the log is written from the container's simulated lifecycle
// as the pod's status records it at the moment shown, one line per step, each stamped with
// its virtual time like an application's own log:
//
//	2026-01-01T00:00:12Z starting web (image web:1.0) in pod web-7d9f-x2x4q on node-1
//	2026-01-01T00:00:12Z listening on 8080/TCP            (one line per declared port)
//	2026-01-01T00:00:14Z ready                            (the container is Ready now)
//	2026-01-01T00:00:40Z received SIGTERM, shutting down  (the pod is being deleted)
//	2026-01-01T00:00:41Z exiting with code 143            (a run that ended; none for 137:
//	                                                       a SIGKILLed process writes nothing)
//
// The same state always gives the same lines. The errors for containers without a log are
// the kubelet's (pkg/kubelet/kubelet_pods.go, validateContainerLogStatus) as kubectl prints
// them, and the container is chosen as kubectl's logs command does (pkg/cmd/logs/logs.go,
// with the kubectl.kubernetes.io/default-container annotation).

func init() {
	Register(&Command{Path: "logs", Flags: []string{"c|container", "p|previous!"},
		Usage: "kubectl logs POD [-c CONTAINER] [-p]", Run: runLogs})
}

// DefaultContainerAnnotation names the container kubectl logs and exec pick by default.
const DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container"

func runLogs(env *Env, inv *Invocation) (string, error) {
	if len(inv.Args) != 1 {
		return "", Errorf("expected 'logs [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command")
	}
	name := strings.TrimPrefix(strings.TrimPrefix(inv.Args[0], "pod/"), "pods/")
	p, ok := store.GetAs[*api.Pod](env.Ctx.Store(), "Pod", inv.Namespace+"/"+name)
	if !ok {
		return "", NotFoundError("Pod", name)
	}
	var out strings.Builder
	container, given := inv.Flag("container")
	if !given {
		container = p.Spec.Containers[0].Name
		if d := p.Annotations[DefaultContainerAnnotation]; d != "" {
			container = d
		} else if len(p.Spec.Containers) > 1 {
			names := make([]string, len(p.Spec.Containers))
			for i, c := range p.Spec.Containers {
				names[i] = c.Name
			}
			fmt.Fprintf(&out, "Defaulted container %q out of: %s\n", container, strings.Join(names, ", "))
		}
	}
	badRequest := func(format string, args ...any) error {
		return &Error{Msg: "Error from server (BadRequest): " + fmt.Sprintf(format, args...)}
	}
	var spec *api.Container
	for i := range p.Spec.InitContainers {
		if p.Spec.InitContainers[i].Name == container {
			spec = &p.Spec.InitContainers[i]
		}
	}
	for i := range p.Spec.Containers {
		if p.Spec.Containers[i].Name == container {
			spec = &p.Spec.Containers[i]
		}
	}
	if spec == nil {
		return "", badRequest("container %s is not valid for pod %s", container, p.Name)
	}
	if p.Spec.NodeName == "" { // pkg/registry/core/pod/strategy.go, LogLocation
		return "", badRequest("pod %s does not have a host assigned", p.Name)
	}
	var cs *api.ContainerStatus
	for _, list := range [][]api.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses} {
		for i := range list {
			if list[i].Name == container {
				cs = &list[i]
			}
		}
	}
	if cs == nil {
		return "", badRequest("container %q in pod %q is not available", container, p.Name)
	}
	_, previous := inv.Flag("previous")
	last, cur := cs.LastTerminationState.Terminated, cs.State
	switch {
	case previous:
		if last == nil {
			return "", badRequest("previous terminated container %q in pod %q not found", container, p.Name)
		}
		logRun(&out, p, spec, last.StartedAt, last, false)
	case cur.Running != nil:
		logRun(&out, p, spec, cur.Running.StartedAt, nil, cs.Ready)
	case cur.Terminated != nil:
		logRun(&out, p, spec, cur.Terminated.StartedAt, cur.Terminated, false)
	case last != nil: // waiting to restart (CrashLoopBackOff): the last run's log
		logRun(&out, p, spec, last.StartedAt, last, false)
	case cur.Waiting != nil:
		switch r := cur.Waiting.Reason; r {
		case "ErrImagePull":
			return "", badRequest("container %q in pod %q is waiting to start: image can't be pulled", container, p.Name)
		case "ImagePullBackOff":
			return "", badRequest("container %q in pod %q is waiting to start: trying and failing to pull image", container, p.Name)
		default:
			return "", badRequest("container %q in pod %q is waiting to start: %s", container, p.Name, r)
		}
	default:
		return "", badRequest("container %q in pod %q is waiting to start - no logs yet", container, p.Name)
	}
	return out.String(), nil
}

// logRun writes the lines of one run of a container that started at start: ended is its
// termination (nil while it runs), ready whether it is Ready now.
func logRun(b *strings.Builder, p *api.Pod, c *api.Container, start api.Time, ended *api.ContainerStateTerminated, ready bool) {
	line := func(t api.Time, format string, args ...any) {
		fmt.Fprintf(b, "%s %s\n", t.RFC3339(), fmt.Sprintf(format, args...))
	}
	line(start, "starting %s (image %s) in pod %s on %s", c.Name, c.Image, p.Name, p.Spec.NodeName)
	for _, port := range c.Ports {
		proto := port.Protocol
		if proto == "" {
			proto = "TCP"
		}
		line(start, "listening on %d/%s", port.ContainerPort, proto)
	}
	if ready {
		at := start
		if cond := p.GetCondition(api.PodReady); cond != nil && cond.LastTransitionTime > at {
			at = cond.LastTransitionTime
		}
		line(at, "ready")
	}
	if p.DeletionTimestamp != nil && (ended == nil || ended.FinishedAt >= *p.DeletionTimestamp) {
		// The kubelet sends SIGTERM when the pod's deletion begins (after a preStop hook).
		line(max(start, *p.DeletionTimestamp), "received SIGTERM, shutting down")
	}
	if ended != nil && ended.ExitCode != 137 {
		line(ended.FinishedAt, "exiting with code %d", ended.ExitCode)
	}
}
