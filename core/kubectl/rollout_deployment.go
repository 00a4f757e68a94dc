package kubectl

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/kubesim/kubesim/core/api"
)

// The Deployment rollout operations (k8s.io/kubectl v0.37.2 pkg/polymorphichelpers:
// rollout_status.go DeploymentStatusViewer, history.go DeploymentHistoryViewer, rollback.go
// DeploymentRollbacker, objectpauser.go, objectresumer.go, objectrestarter.go;
// workloads.md §4.2, §4.3, §5.1, §6.3).

func init() {
	RegisterRollout("Deployment", &RolloutOps{
		Status:  deploymentRolloutStatus,
		History: deploymentHistory,
		Undo:    deploymentUndo,
		Pause:   deploymentPause,
		Resume:  deploymentResume,
		Restart: deploymentRestart,
	})
}

// DeploymentStatusLine is the status viewer's message, whether the rollout is done, and
// the error kubectl exits with (progress deadline exceeded).
func DeploymentStatusLine(d *api.Deployment) (string, bool, error) {
	if d.Generation <= d.Status.ObservedGeneration {
		if c := api.GetDeploymentCondition(d.Status.Conditions, api.DeploymentProgressing); c != nil && c.Reason == api.TimedOutReason {
			return "", false, Errorf("deployment %q exceeded its progress deadline", d.Name)
		}
		st := d.Status
		if want := api.Deref(d.Spec.Replicas, 1); st.UpdatedReplicas < want {
			return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d out of %d new replicas have been updated...\n", d.Name, st.UpdatedReplicas, want), false, nil
		}
		if st.Replicas > st.UpdatedReplicas {
			return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d old replicas are pending termination...\n", d.Name, st.Replicas-st.UpdatedReplicas), false, nil
		}
		if st.AvailableReplicas < st.UpdatedReplicas {
			return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d of %d updated replicas are available...\n", d.Name, st.AvailableReplicas, st.UpdatedReplicas), false, nil
		}
		return fmt.Sprintf("deployment %q successfully rolled out\n", d.Name), true, nil
	}
	return "Waiting for deployment spec update to be observed...\n", false, nil
}

func deploymentRolloutStatus(env *Env, o api.Object, inv *Invocation) (string, error) {
	d := o.(*api.Deployment)
	if v, ok := inv.Flag("revision"); ok {
		want, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", Errorf("invalid argument %q for \"--revision\" flag: strconv.ParseInt: parsing %q: invalid syntax", v, v)
		}
		if want > 0 {
			cur, err := strconv.ParseInt(d.Annotations[api.RevisionAnnotation], 10, 64)
			if err != nil {
				return "", Errorf("cannot get the revision of deployment %q: %v", d.Name, err)
			}
			if cur != want {
				return "", Errorf("desired revision (%d) is different from the running revision (%d)", want, cur)
			}
		}
	}
	line, _, err := DeploymentStatusLine(d)
	return line, err
}

// revisionsByNumber maps each revision number to its RS (RSes without a valid revision
// annotation are skipped, like deploymentutil.Revision's error).
func revisionsByNumber(env *Env, d *api.Deployment) (map[int64]*api.ReplicaSet, []int64) {
	newRS, olds := deploymentReplicaSets(env.Ctx.Store(), d)
	all := olds
	if newRS != nil {
		all = append(all, newRS)
	}
	byRev := map[int64]*api.ReplicaSet{}
	for _, rs := range all {
		v, err := strconv.ParseInt(rs.Annotations[api.RevisionAnnotation], 10, 64)
		if err != nil {
			continue
		}
		byRev[v] = rs
	}
	revs := make([]int64, 0, len(byRev))
	for r := range byRev {
		revs = append(revs, r)
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i] < revs[j] })
	return byRev, revs
}

func deploymentHistory(env *Env, o api.Object, revision int64) (string, error) {
	d := o.(*api.Deployment)
	byRev, revs := revisionsByNumber(env, d)
	ref := objectRef(d)
	if revision > 0 {
		rs, ok := byRev[revision]
		if !ok {
			return "", Errorf("unable to find the specified revision")
		}
		t := api.Clone(rs.Spec.Template)
		if cause := rs.Annotations[api.ChangeCauseAnnotation]; cause != "" {
			if t.Annotations == nil {
				t.Annotations = map[string]string{}
			}
			t.Annotations[api.ChangeCauseAnnotation] = cause
		}
		body := TabbedString(func(w *PrefixWriter) { describePodTemplate(w, &t) })
		return fmt.Sprintf("%s with revision #%d\n%s\n", ref, revision, body), nil
	}
	if len(revs) == 0 {
		return ref + " \nNo rollout history found.\n", nil
	}
	body := TabbedString(func(w *PrefixWriter) {
		w.Write(0, "REVISION\tCHANGE-CAUSE\n")
		for _, r := range revs {
			cause := byRev[r].Annotations[api.ChangeCauseAnnotation]
			if cause == "" {
				cause = "<none>"
			}
			w.Write(0, "%d\t%s\n", r, cause)
		}
	})
	return ref + " \n" + body + "\n", nil
}

// annotationsToSkip are the Deployment annotations a rollback keeps (rollback.go).
var annotationsToSkip = map[string]bool{
	api.LastAppliedConfigAnnotation: true, api.RevisionAnnotation: true, api.RevisionHistoryAnnotation: true,
	api.DesiredReplicasAnnotation: true, api.MaxReplicasAnnotation: true, api.RollbackToAnnotation: true,
}

// deploymentUndo is DeploymentRollbacker.Rollback: copy the target RS's template (without
// pod-template-hash) and annotations into the Deployment; the controller renumbers.
func deploymentUndo(env *Env, o api.Object, toRevision int64) (string, error) {
	d := o.(*api.Deployment)
	if toRevision < 0 {
		return "", Errorf("unable to find specified revision %d in history", toRevision)
	}
	if d.Spec.Paused {
		return "", Errorf("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
	}
	byRev, revs := revisionsByNumber(env, d)
	var target *api.ReplicaSet
	if toRevision > 0 {
		target = byRev[toRevision]
		if target == nil {
			return "", Errorf("unable to find specified revision %d in history", toRevision)
		}
	} else {
		if len(revs) < 2 {
			return "", Errorf("no rollout history found for deployment %q", d.Name)
		}
		target = byRev[revs[len(revs)-2]]
	}
	if api.EqualIgnoreHash(&target.Spec.Template, &d.Spec.Template) {
		return fmt.Sprintf("%s skipped rollback (current template already matches revision %d)\n", objectRef(d), toRevision), nil
	}
	cp := api.Clone(d)
	cp.Spec.Template = api.Clone(target.Spec.Template)
	delete(cp.Spec.Template.Labels, api.PodTemplateHashLabel)
	ann := map[string]string{}
	for k := range annotationsToSkip {
		if v, ok := d.Annotations[k]; ok {
			ann[k] = v
		}
	}
	for k, v := range target.Annotations {
		if !annotationsToSkip[k] {
			ann[k] = v
		}
	}
	cp.Annotations = ann
	if _, err := updateObject(env, o, cp); err != nil {
		return "", err
	}
	return objectRef(d) + " rolled back\n", nil
}

func deploymentPause(env *Env, o api.Object) (string, error) {
	d := o.(*api.Deployment)
	if d.Spec.Paused {
		return "", refuse("is already paused")
	}
	cp := api.Clone(d)
	cp.Spec.Paused = true
	if _, err := updateObject(env, o, cp); err != nil {
		return "", err
	}
	return objectRef(d) + " paused\n", nil
}

func deploymentResume(env *Env, o api.Object) (string, error) {
	d := o.(*api.Deployment)
	if !d.Spec.Paused {
		return "", refuse("is not paused")
	}
	cp := api.Clone(d)
	cp.Spec.Paused = false
	if _, err := updateObject(env, o, cp); err != nil {
		return "", err
	}
	return objectRef(d) + " resumed\n", nil
}

// deploymentRestart sets kubectl.kubernetes.io/restartedAt to the virtual time in RFC 3339
// (t=0 is 2026-01-01T00:00:00Z); a second restart within the same second is refused.
func deploymentRestart(env *Env, o api.Object) (string, error) {
	d := o.(*api.Deployment)
	if d.Spec.Paused {
		return "", refuse("can't restart paused deployment (run rollout resume first)")
	}
	cp := api.Clone(d)
	if err := stampRestart(env, &cp.Spec.Template, d.Name); err != nil {
		return "", err
	}
	if _, err := updateObject(env, o, cp); err != nil {
		return "", err
	}
	return objectRef(d) + " restarted\n", nil
}

// stampRestart is objectrestarter's patch for every kind: the template gets
// kubectl.kubernetes.io/restartedAt, the virtual time in RFC 3339 to the second; when it
// already has that value the patch would be empty, and kubectl refuses it.
func stampRestart(env *Env, t *api.PodTemplateSpec, name string) error {
	at := env.Ctx.Now().RFC3339()
	if t.Annotations[api.RestartedAtAnnotation] == at {
		return Errorf("failed to create patch for %s: if restart has already been triggered within the past second, please wait before attempting to trigger another", name)
	}
	if t.Annotations == nil {
		t.Annotations = map[string]string{}
	}
	t.Annotations[api.RestartedAtAnnotation] = at
	return nil
}
