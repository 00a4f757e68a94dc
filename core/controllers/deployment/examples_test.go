package deployment_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/deployment/fakekubelet"
)

// rollout runs a Deployment of image v1 to completion, changes the image to v2 at t=100s
// and runs until 200 s later.
func rollout(t *testing.T, d *api.Deployment, kl *fakekubelet.Kubelet) *world {
	w := newWorld(t, kl)
	w.run(api.Seconds(100))
	w.create(d)
	w.run(api.Seconds(100))
	if got := w.sizes(); got != "("+itoa(*d.Spec.Replicas)+")" {
		t.Fatalf("before the rollout: sizes %s", got)
	}
	w.setImage("web:2")
	w.run(api.Seconds(200))
	return w
}

func itoa(n int32) string { return api.FromInt(n).String() }

func r5() *fakekubelet.Kubelet { return &fakekubelet.Kubelet{Default: 5 * api.Second} }

// Reference: workloads.md §9.1 (replicas 4, maxSurge 1, maxUnavailable 1, R = 5 s).
func TestRollingUpdateSurge1Unavailable1(t *testing.T) {
	w := rollout(t, newDeployment(4, "1", "1", "web:1", 0), r5())
	// The doc writes (4,0) → (3,1): B is created at 1, then A is cut in the same pass.
	diffLists(t, "RS sizes", w.writes, []string{"(4,1)", "(3,1)", "(3,2)", "(1,2)", "(1,4)", "(0,4)"})
	diffLists(t, "events", w.events("ScalingReplicaSet"), []string{
		"t0 Scaled up replica set web-B from 0 to 1",
		"t0 Scaled down replica set web-A from 4 to 3",
		"t0 Scaled up replica set web-B from 1 to 2",
		"t5 Scaled down replica set web-A from 3 to 1",
		"t5 Scaled up replica set web-B from 2 to 4",
		"t10 Scaled down replica set web-A from 1 to 0",
	})
	d := w.deployment()
	if d.Annotations[api.RevisionAnnotation] != "2" {
		t.Errorf("deployment revision = %q; want 2", d.Annotations[api.RevisionAnnotation])
	}
	c := api.GetDeploymentCondition(d.Status.Conditions, api.DeploymentProgressing)
	if c == nil || c.Reason != api.NewRSAvailableReason {
		t.Errorf("Progressing = %+v; want NewReplicaSetAvailable", c)
	}
}

// Reference: workloads.md §9.1 status at t=5 after both writes.
func TestRollingUpdateStatusMidway(t *testing.T) {
	w := newWorld(t, r5())
	w.create(newDeployment(4, "1", "1", "web:1", 0))
	w.run(api.Seconds(100))
	w.setImage("web:2")
	w.run(api.Seconds(5))
	st := w.deployment().Status
	if st.Replicas != 5 || st.UpdatedReplicas != 4 || st.ReadyReplicas != 3 || st.AvailableReplicas != 3 || st.UnavailableReplicas != 2 {
		t.Errorf("status at t5 = replicas %d updated %d ready %d available %d unavailable %d; want 5 4 3 3 2",
			st.Replicas, st.UpdatedReplicas, st.ReadyReplicas, st.AvailableReplicas, st.UnavailableReplicas)
	}
}

// Reference: workloads.md §9.2 (replicas 10, 25%/25%).
func TestRollingUpdateDefaults10(t *testing.T) {
	w := rollout(t, newDeployment(10, "", "", "web:1", 0), r5())
	diffLists(t, "RS sizes", w.writes, []string{"(10,3)", "(8,3)", "(8,5)", "(3,5)", "(3,10)", "(0,10)"})
}

// Reference: workloads.md §9.3 (maxSurge 0, maxUnavailable 1): no event for the creation at 0.
func TestRollingUpdateMaxSurge0(t *testing.T) {
	w := rollout(t, newDeployment(4, "0", "1", "web:1", 0), r5())
	diffLists(t, "RS sizes", w.writes, []string{"(3,0)", "(3,1)", "(2,1)", "(2,2)", "(1,2)", "(1,3)", "(0,3)", "(0,4)"})
	ev := w.events("ScalingReplicaSet")
	if len(ev) == 0 || ev[0] != "t0 Scaled down replica set web-A from 4 to 3" {
		t.Errorf("first event = %v; want the A scale-down (B's creation at 0 has no event)", ev)
	}
}

// Reference: workloads.md §9.4 (maxSurge 1, maxUnavailable 0).
func TestRollingUpdateMaxUnavailable0(t *testing.T) {
	w := rollout(t, newDeployment(4, "1", "0", "web:1", 0), r5())
	diffLists(t, "RS sizes", w.writes, []string{"(4,1)", "(3,1)", "(3,2)", "(2,2)", "(2,3)", "(1,3)", "(1,4)", "(0,4)"})
	diffLists(t, "events", w.events("ScalingReplicaSet"), []string{
		"t0 Scaled up replica set web-B from 0 to 1",
		"t5 Scaled down replica set web-A from 4 to 3",
		"t5 Scaled up replica set web-B from 1 to 2",
		"t10 Scaled down replica set web-A from 3 to 2",
		"t10 Scaled up replica set web-B from 2 to 3",
		"t15 Scaled down replica set web-A from 2 to 1",
		"t15 Scaled up replica set web-B from 3 to 4",
		"t20 Scaled down replica set web-A from 1 to 0",
	})
}

// Reference: workloads.md §9.5 (replicas 3, defaults: surge 1, unavailable 0).
func TestRollingUpdateDocsExample(t *testing.T) {
	w := rollout(t, newDeployment(3, "", "", "web:1", 0), r5())
	diffLists(t, "RS sizes", w.writes, []string{"(3,1)", "(2,1)", "(2,2)", "(1,2)", "(1,3)", "(0,3)"})
}

// Reference: workloads.md §9.6 edge configurations.
func TestRollingUpdateEdges(t *testing.T) {
	cases := []struct {
		name           string
		replicas       int32
		surge, unavail string
		want           []string
	}{
		{"replicas 1 defaults", 1, "", "", []string{"(1,1)", "(0,1)"}},
		{"maxUnavailable 100%", 2, "0", "100%", []string{"(0,0)", "(0,2)"}},
		{"blue/green maxSurge 100%", 5, "100%", "0", []string{"(5,5)", "(0,5)"}},
		{"10% rounds to 0 then fencepost 1", 4, "0", "10%", []string{"(3,0)", "(3,1)", "(2,1)", "(2,2)", "(1,2)", "(1,3)", "(0,3)", "(0,4)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := rollout(t, newDeployment(tc.replicas, tc.surge, tc.unavail, "web:1", 0), r5())
			diffLists(t, "RS sizes", w.writes, tc.want)
		})
	}
}

// Reference: workloads.md §9.7 (new pods never Ready): stuck at (3,2); ProgressDeadlineExceeded
// at t≈601 s.
func TestRollingUpdateStuckAndDeadline(t *testing.T) {
	kl := &fakekubelet.Kubelet{Default: 5 * api.Second, ReadyAfter: map[string]api.Duration{"web:2": fakekubelet.Never}}
	w := newWorld(t, kl)
	w.create(newDeployment(4, "1", "1", "web:1", 0))
	w.run(api.Seconds(100))
	w.setImage("web:2")
	w.run(api.Seconds(600))
	diffLists(t, "RS sizes", w.writes, []string{"(4,1)", "(3,1)", "(3,2)"})
	st := w.deployment().Status
	if st.Replicas != 5 || st.UpdatedReplicas != 2 || st.ReadyReplicas != 3 || st.AvailableReplicas != 3 || st.UnavailableReplicas != 2 {
		t.Errorf("stuck status = %+v; want replicas 5 updated 2 ready 3 available 3 unavailable 2", st)
	}
	if c := api.GetDeploymentCondition(st.Conditions, api.DeploymentProgressing); c == nil || c.Reason != api.ReplicaSetUpdatedReason {
		t.Errorf("at t600 Progressing = %+v; want still ReplicaSetUpdated", c)
	}
	w.run(api.Seconds(1))
	c := api.GetDeploymentCondition(w.deployment().Status.Conditions, api.DeploymentProgressing)
	if c == nil || c.Reason != api.TimedOutReason || c.Status != api.ConditionFalse {
		t.Fatalf("at t601 Progressing = %+v; want False ProgressDeadlineExceeded", c)
	}
	if c.LastUpdateTime != w.start.Add(api.Seconds(601)) {
		t.Errorf("deadline condition at %ss; want %ss", c.LastUpdateTime.SecondsString(), w.start.Add(api.Seconds(601)).SecondsString())
	}
	want := `ReplicaSet "` + w.sets()[1].Name + `" has timed out progressing.`
	if c.Message != want {
		t.Errorf("message %q; want %q", c.Message, want)
	}
	if a := api.GetDeploymentCondition(w.deployment().Status.Conditions, api.DeploymentAvailable); a == nil || a.Status != api.ConditionTrue {
		t.Errorf("Available = %+v; want True", a)
	}
}

// Reference: workloads.md §9.9 (rollout undo in the middle of 9.7): A is re-used as
// revision 3, B is removed first (unhealthy), then A grows back.
func TestRollbackOfBrokenRollout(t *testing.T) {
	kl := &fakekubelet.Kubelet{Default: 5 * api.Second, ReadyAfter: map[string]api.Duration{"web:2": fakekubelet.Never}}
	w := newWorld(t, kl)
	w.create(newDeployment(4, "1", "1", "web:1", 0))
	w.run(api.Seconds(100))
	w.setImage("web:2")
	w.run(api.Seconds(20))
	w.writes = nil
	a := w.sets()[0]
	w.edit(func(d *api.Deployment) {
		d.Spec.Template = api.Clone(a.Spec.Template)
		delete(d.Spec.Template.Labels, api.PodTemplateHashLabel)
	})
	w.run(api.Seconds(10))
	diffLists(t, "RS sizes", w.writes, []string{"(3,0)", "(4,0)"})
	a = w.sets()[0]
	if a.Annotations[api.RevisionAnnotation] != "3" || a.Annotations[api.RevisionHistoryAnnotation] != "1" {
		t.Errorf("A annotations = %v; want revision 3, revision-history 1", a.Annotations)
	}
	if got := w.deployment().Annotations[api.RevisionAnnotation]; got != "3" {
		t.Errorf("deployment revision %q; want 3", got)
	}
}

// Reference: workloads.md §9.11 (minReadySeconds 10, pods Ready 2 s after creation). A pod
// is available at Ready + 10 s exactly (v1.37.2 IsPodAvailable is inclusive).
func TestRollingUpdateMinReadySeconds(t *testing.T) {
	d := newDeployment(3, "", "", "web:1", 0)
	d.Spec.MinReadySeconds = 10
	w := rollout(t, d, &fakekubelet.Kubelet{Default: 2 * api.Second})
	diffLists(t, "events", w.events("ScalingReplicaSet"), []string{
		"t0 Scaled up replica set web-B from 0 to 1",
		"t12 Scaled down replica set web-A from 3 to 2",
		"t12 Scaled up replica set web-B from 1 to 2",
		"t24 Scaled down replica set web-A from 2 to 1",
		"t24 Scaled up replica set web-B from 2 to 3",
		"t36 Scaled down replica set web-A from 1 to 0",
	})
}

// Reference: workloads.md §9.12 (9.1 with a 30 s grace period for old pods): same RS
// sequence; terminatingReplicas 1, 3, 4 at t0, t5, t10.
func TestRollingUpdateTerminatingNotCounted(t *testing.T) {
	w := newWorld(t, r5())
	w.create(newDeployment(4, "1", "1", "web:1", 30))
	w.run(api.Seconds(100))
	w.setImage("web:2")
	term := []int32{api.Deref(w.deployment().Status.TerminatingReplicas, -1)}
	w.run(api.Seconds(5))
	term = append(term, api.Deref(w.deployment().Status.TerminatingReplicas, -1))
	w.run(api.Seconds(5))
	term = append(term, api.Deref(w.deployment().Status.TerminatingReplicas, -1))
	w.run(api.Seconds(40))
	diffLists(t, "RS sizes", w.writes, []string{"(4,1)", "(3,1)", "(3,2)", "(1,2)", "(1,4)", "(0,4)"})
	if term[0] != 1 || term[1] != 3 || term[2] != 4 {
		t.Errorf("terminatingReplicas at t0,t5,t10 = %v; want [1 3 4]", term)
	}
	if n := len(w.e.Store().List("Pod", "")); n != 4 {
		t.Errorf("%d pods at the end; want 4", n)
	}
}

// Reference: workloads.md §9.13 (Recreate, replicas 3, old pods 10 s grace, R = 5 s).
func TestRecreate(t *testing.T) {
	d := newDeployment(3, "", "", "web:1", 10)
	d.Spec.Strategy = api.DeploymentStrategy{Type: api.RecreateDeploymentStrategy}
	w := rollout(t, d, r5())
	diffLists(t, "events", w.events("ScalingReplicaSet"), []string{
		"t0 Scaled down replica set web-A from 3 to 0",
		"t10 Scaled up replica set web-B from 0 to 3",
	})
	c := api.GetDeploymentCondition(w.deployment().Status.Conditions, api.DeploymentAvailable)
	if c == nil || c.Status != api.ConditionTrue || c.LastTransitionTime != w.start.Add(api.Seconds(15)) {
		t.Errorf("Available = %+v; want True since t15", c)
	}
}

// Reference: workloads.md §5.3 (legacy controller-side rollback via
// deprecated.deployment.rollback.to): revision 0 means the previous revision; the annotation
// is removed; the re-used RS is renumbered like a kubectl undo.
func TestLegacyRollbackAnnotation(t *testing.T) {
	w := rollout(t, newDeployment(4, "1", "1", "web:1", 0), r5())
	w.edit(func(d *api.Deployment) { d.Annotations[api.RollbackToAnnotation] = "0" })
	w.run(api.Seconds(20))
	d := w.deployment()
	if _, ok := d.Annotations[api.RollbackToAnnotation]; ok {
		t.Errorf("rollback annotation not removed")
	}
	if img := d.Spec.Template.Spec.Containers[0].Image; img != "web:1" || d.Annotations[api.RevisionAnnotation] != "3" {
		t.Errorf("after rollback: image %s revision %s; want web:1, 3", img, d.Annotations[api.RevisionAnnotation])
	}
	ev := w.events("DeploymentRollback")
	if len(ev) != 1 || ev[0] != `t200 Rolled back deployment "web" to revision 1` {
		t.Errorf("events %v", ev)
	}
	w.edit(func(d *api.Deployment) { d.Annotations[api.RollbackToAnnotation] = "9" })
	if ev := w.events("DeploymentRollbackRevisionNotFound"); len(ev) != 1 || ev[0] != "t220 Unable to find the revision to rollback to." {
		t.Errorf("not-found events %v", ev)
	}
}
