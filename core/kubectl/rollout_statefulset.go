package kubectl

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// `kubectl rollout status|history|undo statefulset/NAME`, after kubectl v0.37.2
// pkg/polymorphichelpers/rollout_status.go (StatefulSetStatusViewer), history.go
// (StatefulSetHistoryViewer) and rollback.go (StatefulSetRollbacker); workloads.md §8.3, §9.16-9.20.

func init() {
	RegisterRollout("StatefulSet", &RolloutOps{
		Status:  statefulSetRolloutStatus,
		History: statefulSetHistory,
		Undo:    statefulSetUndo,
		Restart: statefulSetRestart,
	})
}

// StatefulSetStatusLine is the status viewer's message and whether the rollout is done.
func StatefulSetStatusLine(s *api.StatefulSet) (string, bool, error) {
	if s.Spec.UpdateStrategy.Type != api.RollingUpdateStatefulSet {
		return "", true, Errorf("rollout status is only available for %s strategy type", api.RollingUpdateStatefulSet)
	}
	if s.Status.ObservedGeneration == 0 || s.Generation > s.Status.ObservedGeneration {
		return "Waiting for statefulset spec update to be observed...\n", false, nil
	}
	replicas := api.Deref(s.Spec.Replicas, 1)
	if s.Status.ReadyReplicas < replicas {
		return fmt.Sprintf("Waiting for %d pods to be ready...\n", replicas-s.Status.ReadyReplicas), false, nil
	}
	if ru := s.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		if ru.Partition != nil && s.Status.UpdatedReplicas < replicas-*ru.Partition {
			return fmt.Sprintf("Waiting for partitioned roll out to finish: %d out of %d new pods have been updated...\n",
				s.Status.UpdatedReplicas, replicas-*ru.Partition), false, nil
		}
		return fmt.Sprintf("partitioned roll out complete: %d new pods have been updated...\n", s.Status.UpdatedReplicas), true, nil
	}
	if s.Status.UpdateRevision != s.Status.CurrentRevision {
		return fmt.Sprintf("waiting for statefulset rolling update to complete %d pods at revision %s...\n",
			s.Status.UpdatedReplicas, s.Status.UpdateRevision), false, nil
	}
	return fmt.Sprintf("statefulset rolling update complete %d pods at revision %s...\n", s.Status.CurrentReplicas, s.Status.CurrentRevision), true, nil
}

func statefulSetRolloutStatus(env *Env, o api.Object, inv *Invocation) (string, error) {
	line, _, err := StatefulSetStatusLine(o.(*api.StatefulSet))
	return line, err
}

// revisionsOf returns the set's ControllerRevisions sorted by .revision.
func revisionsOf(env *Env, s *api.StatefulSet) []*api.ControllerRevision {
	revs := store.ByIndexAs[*api.ControllerRevision](env.Ctx.Store(), "owner", "ControllerRevision", s.UID)
	sort.SliceStable(revs, func(i, j int) bool { return revs[i].Revision < revs[j].Revision })
	return revs
}

func statefulSetHistory(env *Env, o api.Object, revision int64) (string, error) {
	s := o.(*api.StatefulSet)
	revs := revisionsOf(env, s)
	if revision > 0 {
		for _, r := range revs {
			if r.Revision == revision {
				return fmt.Sprintf("%s/%s with revision #%d\n%s", LowerKind("StatefulSet"), s.Name, revision, podTemplateText(r.Data)), nil
			}
		}
		return "", Errorf("unable to find the specified revision")
	}
	if len(revs) == 0 {
		return fmt.Sprintf("No rollout history found in statefulset %q\n", s.Name), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s \n", LowerKind("StatefulSet"), s.Name)
	rows := [][]string{{"REVISION", "CHANGE-CAUSE"}}
	for _, r := range revs {
		cause := r.Annotations["kubernetes.io/change-cause"]
		if cause == "" {
			cause = "<none>"
		}
		rows = append(rows, []string{fmt.Sprint(r.Revision), cause})
	}
	b.WriteString(renderTable(rows))
	b.WriteString("\n")
	return b.String(), nil
}

// podTemplateText is a short rendering of a revision's pod template (DescribePodTemplate).
func podTemplateText(t *api.PodTemplateSpec) string {
	var b strings.Builder
	b.WriteString("Pod Template:\n")
	labels := api.FormatLabels(t.Labels)
	if len(t.Labels) == 0 {
		labels = "<none>"
	}
	fmt.Fprintf(&b, "  Labels:\t%s\n", labels)
	b.WriteString("  Containers:\n")
	for _, c := range t.Spec.Containers {
		fmt.Fprintf(&b, "   %s:\n    Image:\t%s\n", c.Name, c.Image)
	}
	return b.String()
}

// statefulSetUndo is StatefulSetRollbacker.Rollback: the previous revision is the one with the
// second-highest .revision; its template is written back into the set.
func statefulSetUndo(env *Env, o api.Object, toRevision int64) (string, error) {
	s := o.(*api.StatefulSet)
	revs := revisionsOf(env, s)
	var target *api.ControllerRevision
	if toRevision == 0 {
		if len(revs) <= 1 {
			return "", Errorf("no last revision to roll back to")
		}
		target = revs[len(revs)-2]
	} else {
		for _, r := range revs {
			if r.Revision == toRevision {
				target = r
			}
		}
		if target == nil {
			return "", Errorf("unable to find specified revision %d in history", toRevision)
		}
	}
	ref := fmt.Sprintf("%s/%s", LowerKind("StatefulSet"), s.Name)
	if sameTemplate(&s.Spec.Template, target.Data) {
		return fmt.Sprintf("%s skipped rollback (current template already matches revision %d)\n", ref, target.Revision), nil
	}
	cp := api.Clone(s)
	cp.Spec.Template = api.Clone(*target.Data)
	if _, err := updateObject(env, o, cp); err != nil {
		return "", err
	}
	return ref + " rolled back\n", nil
}

func sameTemplate(a, b *api.PodTemplateSpec) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// statefulSetRestart is objectrestarter: the template gets kubectl.kubernetes.io/restartedAt.
func statefulSetRestart(env *Env, o api.Object) (string, error) {
	s := o.(*api.StatefulSet)
	if s.Spec.UpdateStrategy.Type == api.OnDeleteStatefulSet {
		return "", Errorf("restart has no effect on statefulset %q: spec.updateStrategy.type is OnDelete", s.Name)
	}
	// The same stamp as a Deployment's, so a second restart within the same second is
	// refused (conformance seed 285: restarts at 21 s and 21.5 s made two revisions).
	cp := api.Clone(s)
	if err := stampRestart(env, &cp.Spec.Template, s.Name); err != nil {
		return "", err
	}
	if _, err := updateObject(env, o, cp); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/%s restarted\n", LowerKind("StatefulSet"), s.Name), nil
}
