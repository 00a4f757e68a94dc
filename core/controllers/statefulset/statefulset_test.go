package statefulset_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// workloads.md §9.16: OrderedReady scale 0→3, R = 5 s, one volumeClaimTemplate www.
func TestScaleUpOrderedReady(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(3))
	var ready []string
	for _, at := range []int64{0, 5, 10, 15} {
		v.run(sec(at))
		ready = append(ready, fmt.Sprintf("t%d %d/3 replicas=%d", at, v.sts("web").Status.ReadyReplicas, v.sts("web").Status.Replicas))
	}
	equalLines(t, "READY column", ready, []string{"t0 0/3 replicas=1", "t5 1/3 replicas=2", "t10 2/3 replicas=3", "t15 3/3 replicas=3"})
	equalLines(t, "events", v.events(), []string{
		"0 Create Claim www-web-0 Pod web-0 in StatefulSet web success",
		"0 Create Pod web-0 in StatefulSet web successful",
		"5 Create Claim www-web-1 Pod web-1 in StatefulSet web success",
		"5 Create Pod web-1 in StatefulSet web successful",
		"10 Create Claim www-web-2 Pod web-2 in StatefulSet web success",
		"10 Create Pod web-2 in StatefulSet web successful",
	})
	p, _ := store.GetAs[*api.Pod](v.e.Store(), "Pod", "default/web-1")
	if p.Spec.Hostname != "web-1" || p.Spec.Subdomain != "nginx" || p.Labels[api.StatefulSetPodNameLabel] != "web-1" ||
		p.Labels[api.PodIndexLabel] != "1" || p.Spec.Volumes[0].PersistentVolumeClaim.ClaimName != "www-web-1" {
		t.Errorf("identity of web-1: hostname %q subdomain %q labels %v volumes %+v", p.Spec.Hostname, p.Spec.Subdomain, p.Labels, p.Spec.Volumes)
	}
	s := v.sts("web")
	if s.Status.CurrentRevision == "" || s.Status.CurrentRevision != s.Status.UpdateRevision || s.Status.CurrentReplicas != 3 {
		t.Errorf("status %+v", s.Status)
	}
}

// §9.16 with minReadySeconds 10: each predecessor must be Available, which it is at
// Ready + 10 s (v1.37.2 pkg/api/v1/pod IsPodAvailable compares `<= now`; workloads.md §2.4
// says strictly after, as older releases did): the doc's "≈t15, ≈t30" are exactly 15 and 30.
func TestScaleUpMinReadySeconds(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(3, func(s *api.StatefulSet) { s.Spec.MinReadySeconds = 10 }))
	v.run(sec(60))
	equalLines(t, "pod creations", odd(v.events("SuccessfulCreate")), []string{
		"0 Create Pod web-0 in StatefulSet web successful",
		"15 Create Pod web-1 in StatefulSet web successful",
		"30 Create Pod web-2 in StatefulSet web successful",
	})
	if got := v.status("web"); got != "replicas=3 ready=3 available=3 current=3 updated=3" {
		t.Errorf("status %s", got)
	}
}

// §9.16 Parallel: web-0 first (slow-start batch 1), then web-1 and web-2 at once; all Ready at t5.
func TestScaleUpParallel(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(3, func(s *api.StatefulSet) { s.Spec.PodManagementPolicy = api.ParallelPodManagement }))
	equalLines(t, "pod creations", odd(v.events("SuccessfulCreate")), []string{
		"0 Create Pod web-0 in StatefulSet web successful",
		"0 Create Pod web-1 in StatefulSet web successful",
		"0 Create Pod web-2 in StatefulSet web successful",
	})
	v.run(sec(5))
	if got := v.status("web"); got != "replicas=3 ready=3 available=3 current=3 updated=3" {
		t.Errorf("status at t5: %s", got)
	}
}

// §9.17: scale-down 5→2 with a 30 s grace period; PVCs stay (Retain) and are reused.
func TestScaleDownOrderedReady(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: 0, exit: -1})
	v.create(web(5))
	v.run(sec(1))
	start := len(v.events())
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.Replicas = api.Ptr[int32](2) })
	var replicas []string
	for _, at := range []int64{1, 31, 61, 91} {
		v.run(sec(at))
		replicas = append(replicas, fmt.Sprintf("t%d %d", at-1, v.sts("web").Status.Replicas))
	}
	equalLines(t, "status.replicas", replicas, []string{"t0 5", "t30 4", "t60 3", "t90 2"})
	equalLines(t, "deletions", v.events()[start:], []string{
		"1 Delete Pod web-4 in StatefulSet web successful",
		"31 Delete Pod web-3 in StatefulSet web successful",
		"61 Delete Pod web-2 in StatefulSet web successful",
	})
	if n := v.e.Store().Len("PersistentVolumeClaim"); n != 5 {
		t.Errorf("PVCs: %d, want 5 (Retain)", n)
	}
	start = len(v.events())
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.Replicas = api.Ptr[int32](5) })
	v.run(sec(200))
	for _, e := range v.events()[start:] {
		if len(e) > 0 && contains(e, "Claim") {
			t.Errorf("claim re-created on scale-up: %s", e)
		}
	}
}

// OrderedReady scale-down with minReadySeconds: the condemned pod that is the first
// unavailable one goes at once, even though it is Ready but not yet Available
// (v1.37.2 stateful_set_control.go: firstUnavailablePod is chosen with isUnavailable, and
// processCondemned lets that pod through; kubesim check seed 94, where kubesim waited 2 s
// for web-2's minReadySeconds as older releases, choosing by isHealthy, did not either).
func TestScaleDownFirstUnavailableGoes(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5), exit: -1})
	v.create(web(3, func(s *api.StatefulSet) { s.Spec.MinReadySeconds = 8 }))
	v.run(sec(28)) // web-0 Ready at 5, web-1 at 18, web-2 Ready at 31, Available at 39
	v.run(sec(33))
	start := len(v.events())
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.Replicas = api.Ptr[int32](2) })
	equalLines(t, "deletions at 33 s", v.events()[start:], []string{"33 Delete Pod web-2 in StatefulSet web successful"})
}

// A rolling update waits for each updated pod to be Available for minReadySeconds before
// it deletes the next (stateful_set_control.go: isUnavailable in the update loop). With
// Parallel pod management nothing else holds it back (OrderedReady's creation pass waits
// for availability already).
func TestRollingUpdateWaitsForAvailable(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(2, func(s *api.StatefulSet) {
		s.Spec.MinReadySeconds = 10
		s.Spec.PodManagementPolicy = api.ParallelPodManagement
	}))
	v.run(sec(100))
	base := v.e.Now()
	start := len(v.events())
	v.mutate("web", setImage("nginx:1.26"))
	v.run(base + sec(40))
	var deletes []string
	for _, e := range v.events()[start:] {
		if contains(e, "Delete Pod") {
			deletes = append(deletes, e)
		}
	}
	// web-1 deleted at once and re-created Ready at +5, Available at +15: then web-0.
	equalLines(t, "deletions", deletes, []string{
		fmt.Sprintf("%d Delete Pod web-1 in StatefulSet web successful", base/1000),
		fmt.Sprintf("%d Delete Pod web-0 in StatefulSet web successful", base/1000+15),
	})
}

// §9.17 Parallel: web-4, web-3, web-2 deleted at once, gone at t30.
func TestScaleDownParallel(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: 0, exit: -1})
	v.create(web(5, func(s *api.StatefulSet) { s.Spec.PodManagementPolicy = api.ParallelPodManagement }))
	start := len(v.events())
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.Replicas = api.Ptr[int32](2) })
	equalLines(t, "deletions", v.events()[start:], []string{
		"0 Delete Pod web-4 in StatefulSet web successful",
		"0 Delete Pod web-3 in StatefulSet web successful",
		"0 Delete Pod web-2 in StatefulSet web successful",
	})
	v.run(sec(30))
	if got := v.pods(); got != "web-0(r1,ready) web-1(r1,ready)" {
		t.Errorf("pods at t30: %s", got)
	}
}

// §9.18: RollingUpdate, replicas 3, partition 0, R = 5 s, instant termination.
func TestRollingUpdate(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(3))
	v.run(sec(100))
	base := v.e.Now()
	v.mutate("web", setImage("nginx:1.26"))
	var got []string
	for _, d := range []int64{0, 5, 10, 15} {
		v.run(base + sec(d))
		got = append(got, fmt.Sprintf("t%d %s | %s", d, v.status("web"), v.pods()))
	}
	equalLines(t, "rollout", got, []string{
		"t0 replicas=3 ready=2 available=2 current=2 updated=1 | web-0(r1,ready) web-1(r1,ready) web-2(r2,notready)",
		"t5 replicas=3 ready=2 available=2 current=1 updated=2 | web-0(r1,ready) web-1(r2,notready) web-2(r2,ready)",
		"t10 replicas=3 ready=2 available=2 current=0 updated=3 | web-0(r2,notready) web-1(r2,ready) web-2(r2,ready)",
		"t15 replicas=3 ready=3 available=3 current=3 updated=3 | web-0(r2,ready) web-1(r2,ready) web-2(r2,ready)",
	})
	s := v.sts("web")
	if s.Status.CurrentRevision != s.Status.UpdateRevision {
		t.Errorf("currentRevision not promoted: %+v", s.Status)
	}
}

// Partition: only ordinals >= partition are updated; partition 0 finishes the rollout.
func TestRollingUpdatePartition(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(4))
	v.run(sec(100))
	v.mutate("web", func(s *api.StatefulSet) {
		s.Spec.UpdateStrategy.RollingUpdate.Partition = api.Ptr[int32](2)
		s.Spec.Template.Spec.Containers[0].Image = "nginx:1.26"
	})
	v.run(sec(200))
	if got := v.pods(); got != "web-0(r1,ready) web-1(r1,ready) web-2(r2,ready) web-3(r2,ready)" {
		t.Errorf("canary: %s", got)
	}
	if s := v.sts("web").Status; s.CurrentRevision == s.UpdateRevision || s.UpdatedReplicas != 2 || s.CurrentReplicas != 2 {
		t.Errorf("canary status %+v", s)
	}
	// A pod below the partition that is deleted comes back at the current revision.
	v.deletePod("web-0")
	v.run(sec(210))
	if got := v.pods(); got != "web-0(r1,ready) web-1(r1,ready) web-2(r2,ready) web-3(r2,ready)" {
		t.Errorf("after deleting web-0: %s", got)
	}
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.UpdateStrategy.RollingUpdate.Partition = api.Ptr[int32](0) })
	v.run(sec(300))
	if got := v.pods(); got != "web-0(r2,ready) web-1(r2,ready) web-2(r2,ready) web-3(r2,ready)" {
		t.Errorf("after partition 0: %s", got)
	}
	if s := v.sts("web").Status; s.CurrentRevision != s.UpdateRevision || s.CurrentReplicas != 4 {
		t.Errorf("status %+v", s)
	}
}

// OnDelete: nothing is replaced until a pod is deleted; it comes back at the update revision.
func TestOnDelete(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(3, func(s *api.StatefulSet) {
		s.Spec.UpdateStrategy = api.StatefulSetUpdateStrategy{Type: api.OnDeleteStatefulSet}
	}))
	v.run(sec(100))
	v.mutate("web", setImage("nginx:1.26"))
	v.run(sec(200))
	if got := v.pods(); got != "web-0(r1,ready) web-1(r1,ready) web-2(r1,ready)" {
		t.Errorf("OnDelete replaced pods by itself: %s", got)
	}
	v.deletePod("web-1")
	v.run(sec(300))
	if got := v.pods(); got != "web-0(r1,ready) web-1(r2,ready) web-2(r1,ready)" {
		t.Errorf("after deleting web-1: %s", got)
	}
	if s := v.sts("web").Status; s.UpdatedReplicas != 1 || s.CurrentReplicas != 2 {
		t.Errorf("status %+v", s)
	}
}

// §9.20: forced rollback. The broken web-2 blocks an OrderedReady set even after the
// template is reverted; deleting it heals the set.
func TestForcedRollback(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(3))
	v.run(sec(100))
	v.mutate("web", setImage("nginx:broken"))
	v.run(sec(200))
	if got := v.status("web"); got != "replicas=3 ready=2 available=2 current=2 updated=1" {
		t.Errorf("stalled status: %s", got)
	}
	revs := store.ListAs[*api.ControllerRevision](v.e.Store(), "ControllerRevision", "")
	v.mutate("web", setImage("nginx:1.25")) // what `rollout undo` writes
	v.run(sec(300))
	s := v.sts("web")
	var r1 *api.ControllerRevision
	for _, r := range store.ListAs[*api.ControllerRevision](v.e.Store(), "ControllerRevision", "") {
		if r.Data.Spec.Containers[0].Image == "nginx:1.25" {
			r1 = r
		}
	}
	if len(revs) != 2 || r1 == nil || r1.Revision != 3 || s.Status.UpdateRevision != r1.Name || s.Status.CurrentRevision != r1.Name {
		t.Fatalf("revision 1 not renumbered to 3 and made the update revision: %+v", s.Status)
	}
	if got := v.pods(); got != "web-0(r3,ready) web-1(r3,ready) web-2(r2,notready)" {
		t.Errorf("stuck state: %s", got)
	}
	if got := v.status("web"); got != "replicas=3 ready=2 available=2 current=2 updated=2" {
		t.Errorf("stuck status: %s", got)
	}
	v.deletePod("web-2")
	v.run(sec(400))
	if got := v.status("web"); got != "replicas=3 ready=3 available=3 current=3 updated=3" {
		t.Errorf("healed status: %s", got)
	}
}

// §9.20 with Parallel: the revert heals by itself (1.37 Parallel fix).
func TestForcedRollbackParallelHeals(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
	v.create(web(3, func(s *api.StatefulSet) { s.Spec.PodManagementPolicy = api.ParallelPodManagement }))
	v.run(sec(100))
	v.mutate("web", setImage("nginx:broken"))
	v.run(sec(200))
	v.mutate("web", setImage("nginx:1.25"))
	v.run(sec(300))
	if got := v.status("web"); got != "replicas=3 ready=3 available=3 current=3 updated=3" {
		t.Errorf("Parallel did not heal: %s | %s", got, v.pods())
	}
}

// §9.21: maxUnavailable 2, replicas 5, R = 5 s.
func TestMaxUnavailable(t *testing.T) {
	for _, tc := range []struct {
		policy string
		done   int64
		dels   []string
	}{
		{api.ParallelPodManagement, 15, []string{"0 web-4", "0 web-3", "5 web-2", "5 web-1", "10 web-0"}},
		{api.OrderedReadyPodManagement, 25, []string{"0 web-4", "0 web-3", "10 web-2", "10 web-1", "20 web-0"}},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			v := newEnv(t, fakeKubelet{ready: api.Seconds(5)})
			v.create(web(5, func(s *api.StatefulSet) {
				s.Spec.PodManagementPolicy = tc.policy
				s.Spec.UpdateStrategy.RollingUpdate = &api.RollingUpdateStatefulSetStrategy{MaxUnavailable: api.Ptr(api.FromInt(2))}
			}))
			v.run(sec(100))
			start := len(v.events("SuccessfulDelete"))
			v.mutate("web", setImage("nginx:1.26"))
			v.run(sec(100 + tc.done - 1))
			if s := v.sts("web").Status; s.CurrentRevision == s.UpdateRevision {
				t.Errorf("done before t%d", tc.done)
			}
			v.run(sec(100 + tc.done))
			if s := v.sts("web").Status; s.CurrentRevision != s.UpdateRevision {
				t.Errorf("not done at t%d: %s", tc.done, v.pods())
			}
			var dels []string
			for _, e := range v.events("SuccessfulDelete")[start:] {
				var at, name string
				fmt.Sscanf(e, "%s Delete Pod %s", &at, &name)
				var n int
				fmt.Sscan(at, &n)
				dels = append(dels, fmt.Sprintf("%d %s", n-100, name))
			}
			equalLines(t, "deletions", dels, tc.dels)
		})
	}
}

func TestResolveMaxUnavailable(t *testing.T) {
	for _, tc := range []struct {
		v    api.IntOrString
		want int
	}{{api.FromString("25%"), 1}, {api.FromString("10%"), 1}, {api.FromString("40%"), 2}, {api.FromInt(3), 3}} {
		if got := resolveForTest(tc.v, 5); got != tc.want {
			t.Errorf("%v of 5 = %d, want %d", tc.v, got, tc.want)
		}
	}
}

// Revision history: non-live revisions beyond revisionHistoryLimit are deleted oldest first.
func TestHistoryLimit(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: 0})
	v.create(web(1, func(s *api.StatefulSet) { s.Spec.RevisionHistoryLimit = api.Ptr[int32](2) }))
	for i := 1; i <= 5; i++ {
		v.mutate("web", setImage(fmt.Sprintf("nginx:1.%d", i)))
		v.run(v.e.Now() + sec(1))
	}
	var nums []int64
	for _, r := range store.ListAs[*api.ControllerRevision](v.e.Store(), "ControllerRevision", "") {
		nums = append(nums, r.Revision)
	}
	slices.Sort(nums)
	if fmt.Sprint(nums) != "[4 5 6]" {
		t.Errorf("revisions %v, want 3 left (2 history + live)", nums)
	}
}

// whenScaled: Delete — the claim of a scaled-down pod is owned by the pod and collected
// after it; scaling up again waits for nothing and creates a fresh claim.
func TestRetentionWhenScaledDelete(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: 0})
	v.create(web(3, func(s *api.StatefulSet) {
		s.Spec.PersistentVolumeClaimRetentionPolicy = &api.StatefulSetPVCRetentionPolicy{WhenDeleted: "Retain", WhenScaled: "Delete"}
	}))
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.Replicas = api.Ptr[int32](1) })
	v.run(sec(10))
	var names []string
	for _, c := range store.ListAs[*api.PersistentVolumeClaim](v.e.Store(), "PersistentVolumeClaim", "") {
		names = append(names, c.Name)
	}
	if fmt.Sprint(names) != "[www-web-0]" {
		t.Errorf("claims after scale-down: %v", names)
	}
}

// whenDeleted: Delete — claims are owned by the set.
func TestRetentionWhenDeletedDelete(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: 0})
	v.create(web(2, func(s *api.StatefulSet) {
		s.Spec.PersistentVolumeClaimRetentionPolicy = &api.StatefulSetPVCRetentionPolicy{WhenDeleted: "Delete", WhenScaled: "Retain"}
	}))
	c, _ := store.GetAs[*api.PersistentVolumeClaim](v.e.Store(), "PersistentVolumeClaim", "default/www-web-1")
	if r := api.ControllerOf(&c.ObjectMeta); r == nil || r.Kind != "StatefulSet" || r.Name != "web" {
		t.Fatalf("claim owner refs %+v", c.OwnerReferences)
	}
	if err := v.ctx().Delete("StatefulSet", "default/web", simDelete()); err != nil {
		t.Fatal(err)
	}
	v.run(sec(100))
	if n := v.e.Store().Len("PersistentVolumeClaim"); n != 0 {
		t.Errorf("%d claims left after deleting the set", n)
	}
}

// Failed pods are deleted and re-created only after the old object is gone (1.31+).
func TestFailedPodRecreated(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: 0, exit: api.Seconds(3)})
	v.create(web(2))
	p, _ := store.GetAs[*api.Pod](v.e.Store(), "Pod", "default/web-1")
	cp := api.Clone(p)
	cp.Status.Phase = api.PodFailed
	if err := v.ctx().Update(cp); err != nil {
		t.Fatal(err)
	}
	v.run(v.e.Now())
	np, _ := store.GetAs[*api.Pod](v.e.Store(), "Pod", "default/web-1")
	if np == nil || np.UID == p.UID {
		t.Fatalf("web-1 not re-created at once after the failed pod was removed: %+v", np)
	}
	equalLines(t, "events", v.events()[len(v.events())-2:], []string{
		"0 Delete Pod web-1 in StatefulSet web successful",
		"0 Create Pod web-1 in StatefulSet web successful",
	})
}

func TestStartOrdinal(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: 0})
	v.create(web(2, func(s *api.StatefulSet) { s.Spec.Ordinals = &api.StatefulSetOrdinals{Start: 5} }))
	if got := v.pods(); got != "web-5(r1,ready) web-6(r1,ready)" {
		t.Errorf("pods %s", got)
	}
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.Ordinals.Start = 6 })
	if got := v.pods(); got != "web-6(r1,ready) web-7(r1,ready)" {
		t.Errorf("after moving start: %s", got)
	}
}

func contains(s, sub string) bool { return len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0) }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// odd returns every second element (the pod events that follow claim events).
func odd(xs []string) []string {
	var out []string
	for i := 1; i < len(xs); i += 2 {
		out = append(out, xs[i])
	}
	return out
}
