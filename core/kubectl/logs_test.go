package kubectl_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// TestLogs: kubectl logs prints the lines of the container's simulated lifecycle (logs.go)
// and the kubelet's and API server's errors for containers without a log
// (pkg/kubelet/kubelet_pods.go validateContainerLogStatus; pkg/registry/core/pod/strategy.go
// LogLocation).
func TestLogs(t *testing.T) {
	f := newFixture(t)
	pod := func(name string, cs api.ContainerStatus, deleted *api.Time) {
		t.Helper()
		p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name, UID: "uid-" + name, DeletionTimestamp: deleted},
			Spec:       api.PodSpec{NodeName: "node-2", Containers: []api.Container{{Name: "app", Image: "app:1"}, {Name: "side", Image: "side:1"}}},
			Status:     api.PodStatus{Phase: api.PodRunning, ContainerStatuses: []api.ContainerStatus{cs}}}
		if err := f.env.Ctx.Create(p); err != nil {
			t.Fatal(err)
		}
	}
	pod("pull", api.ContainerStatus{Name: "app", State: api.ContainerState{Waiting: &api.ContainerStateWaiting{Reason: "ImagePullBackOff"}}}, nil)
	pod("stopping", api.ContainerStatus{Name: "app", State: api.ContainerState{Terminated: &api.ContainerStateTerminated{
		ExitCode: 143, StartedAt: 10_000, FinishedAt: 52_000}}}, api.Ptr(api.Time(50_000)))
	for _, c := range []struct{ line, want string }{
		// web-0 runs since t=40s (ready), after a run from 6s to 39s SIGKILLed (137: no last line).
		{"logs web-0", "2026-01-01T00:00:40Z starting web (image web:1.0) in pod web-0 on node-1\n" +
			"2026-01-01T00:00:40Z listening on 8080/TCP\n2026-01-01T00:00:40Z ready\n"},
		{"kubectl logs pod/web-0 -c web --previous", "2026-01-01T00:00:06Z starting web (image web:1.0) in pod web-0 on node-1\n" +
			"2026-01-01T00:00:06Z listening on 8080/TCP\n"},
		{"logs web-0 -c nope", "ERR: Error from server (BadRequest): container nope is not valid for pod web-0\n"},
		{"logs pending-1", "ERR: Error from server (BadRequest): pod pending-1 does not have a host assigned\n"},
		{"logs -p debug -n tools", "ERR: Error from server (BadRequest): previous terminated container \"sh\" in pod \"debug\" not found\n"},
		{"logs pull", "ERR: Error from server (BadRequest): container \"app\" in pod \"pull\" is waiting to start: trying and failing to pull image\n"},
		{"logs stopping -c app", "2026-01-01T00:00:10Z starting app (image app:1) in pod stopping on node-2\n" +
			"2026-01-01T00:00:50Z received SIGTERM, shutting down\n2026-01-01T00:00:52Z exiting with code 143\n"},
		{"logs stopping", "Defaulted container \"app\" out of: app, side\n" +
			"2026-01-01T00:00:10Z starting app (image app:1) in pod stopping on node-2\n" +
			"2026-01-01T00:00:50Z received SIGTERM, shutting down\n2026-01-01T00:00:52Z exiting with code 143\n"},
		{"logs stopping -c side", "ERR: Error from server (BadRequest): container \"side\" in pod \"stopping\" is not available\n"},
		{"logs nope", "ERR: Error from server (NotFound): pods \"nope\" not found\n"},
	} {
		if got := f.run(c.line); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.line, got, c.want)
		}
	}
}
