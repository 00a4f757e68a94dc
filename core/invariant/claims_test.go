package invariant

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// TestClaimsBoundBeforeContainersStart: the rule holds for a pod waiting for its claim and
// for a running pod with a Bound, Lost or Terminating claim; it fires for a running pod whose
// claim is Pending or missing (pods.md §11: claims are Bound before containers start).
func TestClaimsBoundBeforeContainersStart(t *testing.T) {
	withClaim := func(claim string, started bool) *api.Pod {
		p := pod("web-0")
		p.Spec.Volumes = []api.Volume{{Name: "www", PersistentVolumeClaim: &api.PVCVolumeSource{ClaimName: claim}}}
		p.Status.Phase = api.PodPending
		p.Status.ContainerStatuses = []api.ContainerStatus{{Name: "app", State: api.ContainerState{Waiting: &api.ContainerStateWaiting{Reason: "ContainerCreating"}}}}
		if started {
			p.Status.Phase = api.PodRunning
			p.Status.ContainerStatuses[0].State = api.ContainerState{Running: &api.ContainerStateRunning{}}
		}
		return p
	}
	terminating := pvc("www-web-0", "pv1", api.ClaimBound)
	terminating.Finalizers = []string{api.PVCProtectionFinalizer}
	terminating.DeletionTimestamp = api.Ptr(api.Time(1000))
	for _, tc := range []struct {
		name string
		objs []api.Object
		want string
	}{
		{"waiting for a pending claim", []api.Object{withClaim("www-web-0", false), pvc("www-web-0", "", api.ClaimPending)}, ""},
		{"running with a bound claim", []api.Object{withClaim("www-web-0", true), pvc("www-web-0", "pv1", api.ClaimBound)}, ""},
		{"running with a lost claim", []api.Object{withClaim("www-web-0", true), pvc("www-web-0", "pv1", api.ClaimLost)}, ""},
		{"running with a terminating claim", []api.Object{withClaim("www-web-0", true), terminating}, ""},
		{"running with a pending claim", []api.Object{withClaim("www-web-0", true), pvc("www-web-0", "", api.ClaimPending)},
			`pod default/web-0 has started containers but its claim www-web-0 is "Pending", not Bound`},
		{"running without its claim", []api.Object{withClaim("www-web-0", true)},
			"pod default/web-0 has started containers but its claim www-web-0 does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checks["claims-bound-before-containers-start"](build(t, 0, tc.objs...), 0)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("rule fired on a valid store: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v; want %q", err, tc.want)
			}
		})
	}
}
