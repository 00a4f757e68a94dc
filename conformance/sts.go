package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
)

// statefulPodKey keys the lives of a StatefulSet's pod by its name: the k-th pod named
// web-1 upstream plays the k-th pod named web-1 in kubesim.
func statefulPodKey(ns, name string) string { return "pod:" + ns + "/" + name }

// toUpstreamStatefulSet converts kubesim's StatefulSet (the apps/v1 JSON names) into
// apps/v1, keeping of the metadata what a user writes; a claim template keeps its name.
func toUpstreamStatefulSet(s *api.StatefulSet) (*appsv1.StatefulSet, error) {
	spec, err := json.Marshal(s.Spec)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(spec, &raw); err != nil {
		return nil, err
	}
	userMeta := func(m any, name bool) any {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		out := map[string]any{"labels": mm["labels"], "annotations": mm["annotations"]}
		if name {
			out["name"] = mm["name"]
		}
		return out
	}
	if t, ok := raw["template"].(map[string]any); ok {
		t["metadata"] = userMeta(t["metadata"], false)
	}
	if vs, ok := raw["volumeClaimTemplates"].([]any); ok {
		for _, v := range vs {
			if c, ok := v.(map[string]any); ok {
				c["metadata"] = userMeta(c["metadata"], true)
				delete(c, "status")
			}
		}
	}
	spec, _ = json.Marshal(raw)
	out := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: s.Name, Namespace: s.Namespace, Labels: s.Labels, Annotations: s.Annotations}}
	if err := json.Unmarshal(spec, &out.Spec); err != nil {
		return nil, fmt.Errorf("statefulset %s: %w", s.Name, err)
	}
	if out.Namespace == "" {
		out.Namespace = "default"
	}
	return out, nil
}

// toUpstreamClaim converts a claim manifest (the harness applies it so that the claims
// compared are the same on both sides; no controller that runs upstream reads it).
func toUpstreamClaim(c *api.PersistentVolumeClaim) (*corev1.PersistentVolumeClaim, error) {
	spec, err := json.Marshal(c.Spec)
	if err != nil {
		return nil, err
	}
	out := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: c.Name, Namespace: c.Namespace, Labels: c.Labels, Annotations: c.Annotations}}
	if err := json.Unmarshal(spec, &out.Spec); err != nil {
		return nil, fmt.Errorf("claim %s: %w", c.Name, err)
	}
	if out.Namespace == "" {
		out.Namespace = "default"
	}
	return out, nil
}

// applyStatefulSet creates s, or merges its manifest into the live object (kubectl apply).
func (u *upstream) applyStatefulSet(s *appsv1.StatefulSet) {
	c := u.srv.client.AppsV1().StatefulSets(s.Namespace)
	if _, err := c.Get(u.ctx, s.Name, metav1.GetOptions{}); err != nil {
		_, _ = c.Create(u.ctx, s.DeepCopy(), metav1.CreateOptions{})
		return
	}
	patch, err := json.Marshal(map[string]any{"metadata": manifestMetadata(s.ObjectMeta), "spec": s.Spec})
	if err != nil {
		return
	}
	_, _ = c.Patch(u.ctx, s.Name, types.StrategicMergePatchType, patch, metav1.PatchOptions{})
}

// editStatefulSet returns a read-modify-write of StatefulSet name.
func (u *upstream) editStatefulSet(name string, fn func(s *appsv1.StatefulSet) error) func() error {
	return func() error {
		c := u.srv.client.AppsV1().StatefulSets("default")
		s, err := c.Get(u.ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
		_, err = c.Update(u.ctx, s, metav1.UpdateOptions{})
		return err
	}
}

// undoStatefulSet is kubectl's StatefulSetRollbacker (kubectl/pkg/polymorphichelpers/
// rollback.go): the ControllerRevision to go back to (the previous one, or --to-revision)
// is applied as the strategic merge patch its data holds.
func (u *upstream) undoStatefulSet(name string, to int64) func() error {
	return func() error {
		c := u.srv.client.AppsV1().StatefulSets("default")
		s, err := c.Get(u.ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		var revs []*appsv1.ControllerRevision
		for _, o := range u.srv.list("controllerrevisions") {
			r := o.(*appsv1.ControllerRevision)
			if metav1.IsControlledBy(r, s) {
				revs = append(revs, r)
			}
		}
		sort.Slice(revs, func(i, j int) bool { return revs[i].Revision < revs[j].Revision })
		var target *appsv1.ControllerRevision
		switch {
		case to == 0 && len(revs) >= 2:
			target = revs[len(revs)-2]
		case to > 0:
			for _, r := range revs {
				if r.Revision == to {
					target = r
				}
			}
		}
		if target == nil {
			return fmt.Errorf("no revision to roll back to")
		}
		patched, err := json.Marshal(s)
		if err != nil {
			return err
		}
		var restored appsv1.StatefulSet
		if merged, err := strategicpatch.StrategicMergePatch(patched, target.Data.Raw, s); err == nil && json.Unmarshal(merged, &restored) == nil &&
			apiequality.Semantic.DeepEqual(restored.Spec.Template, s.Spec.Template) {
			return fmt.Errorf("skipped rollback (current template already matches revision %d)", target.Revision)
		}
		_, err = c.Patch(u.ctx, name, types.StrategicMergePatchType, target.Data.Raw, metav1.PatchOptions{})
		return err
	}
}

// statefulSetStatus is what is compared of a StatefulSet after an instant; revisions are
// named by their ControllerRevision's number (the names are hashes).
type statefulSetStatus struct {
	replicas, ready, current, updated, available int32
	currentRevision, updateRevision              string
	observedGeneration, generation               int64
}

func recordStatefulSet(run *Run, t int64, name string, s statefulSetStatus) {
	p := "sts/" + name + " "
	run.set(p+"replicas", t, fmt.Sprint(s.replicas))
	run.set(p+"readyReplicas", t, fmt.Sprint(s.ready))
	run.set(p+"currentReplicas", t, fmt.Sprint(s.current))
	run.set(p+"updatedReplicas", t, fmt.Sprint(s.updated))
	run.set(p+"availableReplicas", t, fmt.Sprint(s.available))
	run.set(p+"currentRevision", t, s.currentRevision)
	run.set(p+"updateRevision", t, s.updateRevision)
	run.set(p+"currentRevision==updateRevision", t, fmt.Sprint(s.currentRevision == s.updateRevision))
	run.set(p+"observedGeneration==generation", t, fmt.Sprint(s.observedGeneration == s.generation))
}

// statefulObjects tracks a StatefulSet's pods and claims by name: "pod/web-1" is
// "rev 2" (its controller-revision-hash as a revision number), "rev 2 terminating" or
// "absent"; "pvc/www-web-1" is "present" with its owners' kinds, or "absent".
type statefulObjects struct{ seen map[string]bool }

func newStatefulObjects() *statefulObjects { return &statefulObjects{seen: map[string]bool{}} }

func (o *statefulObjects) record(run *Run, t int64, now map[string]string) {
	for n, v := range now {
		o.seen[n] = true
		run.set(n, t, v)
	}
	for n := range o.seen {
		if _, ok := now[n]; !ok {
			run.set(n, t, "absent")
		}
	}
}

func podValue(rev string, terminating bool) string {
	v := "rev " + rev
	if terminating {
		v += " terminating"
	}
	return v
}

func claimValue(owners []string) string {
	sort.Strings(owners)
	if len(owners) == 0 {
		return "present"
	}
	return "present owned by " + strings.Join(owners, ",")
}

// observeStatefulSets records the StatefulSets, their pods and claims upstream.
func (u *upstream) observeStatefulSets(run *Run, objs *statefulObjects, t int64) {
	revs := map[string]string{}
	for _, o := range u.srv.list("controllerrevisions") {
		r := o.(*appsv1.ControllerRevision)
		revs[r.Name] = fmt.Sprint(r.Revision)
	}
	now := map[string]string{}
	sets := u.srv.list("statefulsets")
	for _, o := range sets {
		s := o.(*appsv1.StatefulSet)
		recordStatefulSet(run, t, s.Name, statefulSetStatus{
			replicas: s.Status.Replicas, ready: s.Status.ReadyReplicas, current: s.Status.CurrentReplicas,
			updated: s.Status.UpdatedReplicas, available: s.Status.AvailableReplicas,
			currentRevision: revs[s.Status.CurrentRevision], updateRevision: revs[s.Status.UpdateRevision],
			observedGeneration: s.Status.ObservedGeneration, generation: s.Generation,
		})
	}
	if len(sets) == 0 {
		return
	}
	for _, o := range u.srv.list("pods") {
		p := o.(*corev1.Pod)
		if ref := metav1.GetControllerOf(p); ref == nil || ref.Kind != "StatefulSet" {
			continue
		}
		now["pod/"+p.Name] = podValue(revs[p.Labels[appsv1.ControllerRevisionHashLabelKey]], p.DeletionTimestamp != nil)
	}
	for _, o := range u.srv.list("persistentvolumeclaims") {
		c := o.(*corev1.PersistentVolumeClaim)
		var owners []string
		for _, r := range c.OwnerReferences {
			owners = append(owners, r.Kind)
		}
		now["pvc/"+c.Name] = claimValue(owners)
	}
	objs.record(run, t, now)
}

// deletedByStatefulSet is the pod a StatefulSet's SuccessfulDelete event names.
var deletedByStatefulSet = regexp.MustCompile(`^Delete Pod (\S+) in StatefulSet \S+ successful$`)

// statefulPodNames are the names the scenario's StatefulSets give their pods (name-0 to
// name-N, N the largest replica count a scale could reach: 0..99 is plenty).
func statefulPodNames(sc *scenario.Scenario) map[string]bool {
	out := map[string]bool{}
	for _, m := range sc.Manifests {
		if s, ok := m.Object.(*api.StatefulSet); ok {
			for i := 0; i < 100; i++ {
				out[fmt.Sprintf("%s-%d", s.Name, i)] = true
			}
		}
	}
	return out
}

// translateStatefulSet translates the kubectl commands on a StatefulSet: scale, set
// image, patch, rollout restart and undo, and delete pod of its pods. ok is false for any other
// command.
func (u *upstream) translateStatefulSet(args []string, flags map[string]string, cmd string, stsPods map[string]bool) (fn func() error, ok bool, err error) {
	target := func(ref string) (string, bool) {
		for _, p := range []string{"sts/", "statefulset/", "statefulsets/", "statefulset.apps/"} {
			if name, ok := strings.CutPrefix(ref, p); ok {
				return name, true
			}
		}
		return "", false
	}
	isKind := func(a string) bool { return a == "sts" || a == "statefulset" || a == "statefulsets" }
	switch {
	case len(args) >= 2 && args[0] == "scale" && flags["--replicas"] != "":
		name, ok := target(args[1])
		if !ok && len(args) == 3 && isKind(args[1]) {
			name, ok = args[2], true
		}
		if !ok {
			return nil, false, nil
		}
		n, err := strconv.Atoi(flags["--replicas"])
		if err != nil {
			return nil, true, err
		}
		return u.editStatefulSet(name, func(s *appsv1.StatefulSet) error {
			r := int32(n)
			s.Spec.Replicas = &r
			return nil
		}), true, nil
	case len(args) >= 4 && args[0] == "set" && args[1] == "image":
		name, ok := target(args[2])
		if !ok {
			return nil, false, nil
		}
		images := map[string]string{}
		for _, a := range args[3:] {
			c, img, _ := strings.Cut(a, "=")
			images[c] = img
		}
		return u.editStatefulSet(name, func(s *appsv1.StatefulSet) error {
			for i := range s.Spec.Template.Spec.Containers {
				if img, ok := images[s.Spec.Template.Spec.Containers[i].Name]; ok {
					s.Spec.Template.Spec.Containers[i].Image = img
				}
			}
			return nil
		}), true, nil
	case len(args) >= 4 && args[0] == "patch" && isKind(args[1]) && args[3] == "-p":
		name := args[2]
		_, body, found := strings.Cut(cmd, "-p ")
		if !found {
			return nil, true, fmt.Errorf("patch without -p")
		}
		body = strings.Trim(strings.TrimSpace(body), "'")
		return func() error {
			_, err := u.srv.client.AppsV1().StatefulSets("default").Patch(u.ctx, name, types.StrategicMergePatchType, []byte(body), metav1.PatchOptions{})
			return err
		}, true, nil
	case len(args) == 3 && args[0] == "rollout" && args[1] == "restart":
		name, ok := target(args[2])
		if !ok {
			return nil, false, nil
		}
		return u.editStatefulSet(name, func(s *appsv1.StatefulSet) error {
			// kubectl's objectrestarter refuses an OnDelete StatefulSet (as kubesim's
			// kubectl does, core/kubectl/rollout_statefulset.go).
			if s.Spec.UpdateStrategy.Type == appsv1.OnDeleteStatefulSetStrategyType {
				return fmt.Errorf("restart has no effect on statefulset %q: spec.updateStrategy.type is OnDelete", s.Name)
			}
			if s.Spec.Template.Annotations == nil {
				s.Spec.Template.Annotations = map[string]string{}
			}
			s.Spec.Template.Annotations["kubectl.kubernetes.io/restartedAt"] = u.clock.Now().Format("2006-01-02T15:04:05Z07:00")
			return nil
		}), true, nil
	case len(args) == 3 && args[0] == "rollout" && args[1] == "undo":
		name, ok := target(args[2])
		if !ok {
			return nil, false, nil
		}
		to := int64(0)
		if v, ok := flags["--to-revision"]; ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, true, err
			}
			to = n
		}
		return u.undoStatefulSet(name, to), true, nil
	case len(args) == 4 && args[0] == "delete" && (args[1] == "pod" || args[1] == "pods") && args[2] == "-l":
		sel, err := labels.Parse(args[3])
		if err != nil {
			return nil, true, err
		}
		return func() error {
			for _, o := range u.srv.list("pods") {
				p := o.(*corev1.Pod)
				if p.Namespace != "default" || p.DeletionTimestamp != nil || !sel.Matches(labels.Set(p.Labels)) {
					continue
				}
				if err := u.srv.client.CoreV1().Pods(p.Namespace).Delete(u.ctx, p.Name, metav1.DeleteOptions{}); err != nil {
					return err
				}
			}
			return nil
		}, true, nil
	case len(args) >= 3 && args[0] == "delete" && (args[1] == "pod" || args[1] == "pods"):
		names := args[2:]
		for _, n := range names {
			if !stsPods[n] {
				return nil, false, nil
			}
		}
		return func() error {
			for _, n := range names {
				if err := u.srv.client.CoreV1().Pods("default").Delete(u.ctx, n, metav1.DeleteOptions{}); err != nil {
					return err
				}
			}
			return nil
		}, true, nil
	}
	return nil, false, nil
}

// deleteCommands are what the scenario's translated `kubectl delete pod` commands delete,
// by instant: the upstream side deletes those pods itself, so their kubesim lives are not
// external deletions.
type deleteCommands struct {
	names     map[int64]map[string]bool   // namespace/name
	selectors map[int64][]labels.Selector // kubectl delete pods -l
}

func (d deleteCommands) deletes(t int64, id string, podLabels map[string]string) bool {
	if d.names[t][id] {
		return true
	}
	for _, sel := range d.selectors[t] {
		if sel.Matches(labels.Set(podLabels)) {
			return true
		}
	}
	return false
}

func deletePodCommands(sc *scenario.Scenario) deleteCommands {
	stsPods := statefulPodNames(sc)
	out := map[int64]map[string]bool{}
	sels := map[int64][]labels.Selector{}
	for _, st := range sc.Timeline {
		verb, rest, _ := strings.Cut(strings.TrimSpace(st.Command), " ")
		if verb != "kubectl" {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 3 || f[0] != "delete" || (f[1] != "pod" && f[1] != "pods") {
			continue
		}
		if len(f) == 4 && f[2] == "-l" {
			if sel, err := labels.Parse(f[3]); err == nil {
				sels[int64(st.At)] = append(sels[int64(st.At)], sel)
			}
			continue
		}
		all := true
		for _, n := range f[2:] {
			all = all && stsPods[n]
		}
		if !all {
			continue
		}
		if out[int64(st.At)] == nil {
			out[int64(st.At)] = map[string]bool{}
		}
		for _, n := range f[2:] {
			out[int64(st.At)]["default/"+n] = true
		}
	}
	return deleteCommands{out, sels}
}
