package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	deploymentutil "k8s.io/kubernetes/pkg/controller/deployment/util"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
)

// readOnly are the kubectl commands that change nothing (the upstream side skips them).
var readOnly = []string{"get", "describe", "rollout status", "rollout history", "top", "logs", "explain", "version", "api-resources", "events", "wait", "exec"}

// runUpstream plays sc against the real controllers, with kubesim's pod lives as the
// kubelet. It returns the shared observations and the timeline steps it could not
// scaleTo replays a scale kubesim's autoscaler (or another controller that does not run
// upstream) made.
func scaleTo(u *upstream, s Scale) func() {
	return func() {
		u.settle()
		if s.Kind == "StatefulSet" {
			_ = u.editStatefulSet(s.Name, func(x *appsv1.StatefulSet) error { x.Spec.Replicas = &s.Replicas; return nil })()
			return
		}
		_ = u.edit(s.Name, func(d *appsv1.Deployment) error { d.Spec.Replicas = &s.Replicas; return nil })()
	}
}

// translate (anything beyond Deployments: node failures, drains, pod deletions...).
func runUpstream(sc *scenario.Scenario, rp *Replay) (*Run, []string, error) {
	u, err := newUpstream(rp.Lives)
	if err != nil {
		return nil, nil, err
	}
	u.kubesimDeleted = rp.ReplicaSetDeleted
	replayScales := func(after bool) {
		for _, s := range rp.Scales {
			if s.AfterActions == after {
				u.schedule(s.T, scaleTo(u, s))
			}
		}
	}
	replayScales(false)
	stsPods := statefulPodNames(sc)
	var unsupported []string
	for _, st := range sc.Timeline {
		st := st
		verb, rest, _ := strings.Cut(strings.TrimSpace(st.Command), " ")
		switch verb {
		case "caption":
			continue
		case "apply":
			objs, err := manifests(sc, strings.TrimSpace(rest))
			if err != nil {
				return nil, nil, err
			}
			var ds []*appsv1.Deployment
			var ss []*appsv1.StatefulSet
			var claims []*corev1.PersistentVolumeClaim
			for _, o := range objs {
				switch x := o.(type) {
				case *api.Deployment:
					d, err := toUpstreamDeployment(x)
					if err != nil {
						return nil, nil, err
					}
					ds = append(ds, d)
				case *api.StatefulSet:
					s, err := toUpstreamStatefulSet(x)
					if err != nil {
						return nil, nil, err
					}
					ss = append(ss, s)
				case *api.PersistentVolumeClaim:
					c, err := toUpstreamClaim(x)
					if err != nil {
						return nil, nil, err
					}
					claims = append(claims, c)
				case *api.HorizontalPodAutoscaler, *api.PodDisruptionBudget:
					unsupported = append(unsupported, fmt.Sprintf("%s/%s", o.GetKind(), o.Meta().Name))
				}
			}
			u.schedule(int64(st.At), func() {
				// As a kubectl action: on a settled cluster (seed 38: a scale, then an
				// apply that restores spec.replicas, in one instant).
				u.settle()
				for _, d := range ds {
					u.applyDeployment(d)
				}
				for _, c := range claims {
					// A claim's spec is immutable: a re-apply changes nothing the
					// controllers read.
					_, _ = u.srv.client.CoreV1().PersistentVolumeClaims(c.Namespace).Create(u.ctx, c.DeepCopy(), metav1.CreateOptions{})
				}
				for _, s := range ss {
					u.applyStatefulSet(s)
				}
			})
		case "kubectl":
			cmd := strings.TrimSpace(rest)
			if isReadOnly(cmd) {
				continue
			}
			fn, err := u.translate(cmd, stsPods)
			if err != nil {
				unsupported = append(unsupported, fmt.Sprintf("`kubectl %s` at %ss", cmd, api.Time(st.At).SecondsString()))
				continue
			}
			u.schedule(int64(st.At), func() {
				u.settle()
				if err := fn(); err != nil {
					if debug {
						fmt.Fprintf(os.Stderr, "%s kubectl %s: %v\n", ms(u.clock.ms()), cmd, err)
					}
					u.mu.Lock()
					u.events = append(u.events, rawEvent{u.clock.ms(), "kubectl", "", "Error", fmt.Sprintf("kubectl %s: %v", cmd, err)})
					u.mu.Unlock()
				}
			})
		default:
			unsupported = append(unsupported, fmt.Sprintf("`%s` at %ss", st.Command, api.Time(st.At).SecondsString()))
		}
	}
	replayScales(true)
	run := newRun()
	objs := newStatefulObjects()
	nm := u.names
	until := int64(sc.Until)
	seenEvents := 0
	for {
		t, ok := u.nextTime()
		if !ok || t > until {
			break
		}
		u.step(t)
		if debug {
			u.debugPods(t)
		}
		u.observe(run, nm, t)
		u.observeStatefulSets(run, objs, t)
		u.mu.Lock()
		for _, e := range u.events[seenEvents:] {
			if e.kind != "Deployment" && e.kind != "ReplicaSet" && e.kind != "StatefulSet" {
				continue
			}
			name := e.name
			if k, ok := nm.rs[name]; ok && e.kind == "ReplicaSet" {
				name = k
			}
			run.Events = append(run.Events, Event{e.t, fmt.Sprintf("%s/%s %s: %s", e.kind, name, e.reason, nm.normalise(e.message))})
		}
		seenEvents = len(u.events)
		u.mu.Unlock()
	}
	run.sortEvents()
	run.WallClockRanks = u.wallClockRanks
	return run, unsupported, nil
}

func isReadOnly(cmd string) bool {
	for _, p := range readOnly {
		if cmd == p || strings.HasPrefix(cmd, p+" ") {
			return true
		}
	}
	return false
}

func manifests(sc *scenario.Scenario, name string) ([]api.Object, error) {
	var out []api.Object
	for _, m := range sc.Manifests {
		if name == "all" || strings.ToLower(m.Object.GetKind())+"/"+m.Object.Meta().Name == name {
			out = append(out, m.Object)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("apply %s: no such manifest", name)
	}
	return out, nil
}

// toUpstreamDeployment converts kubesim's Deployment (the same JSON field names) into
// apps/v1, keeping of the metadata what a user writes.
func toUpstreamDeployment(d *api.Deployment) (*appsv1.Deployment, error) {
	spec, err := json.Marshal(d.Spec)
	if err != nil {
		return nil, err
	}
	out := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: d.Name, Namespace: d.Namespace, Labels: d.Labels, Annotations: d.Annotations}}
	var raw map[string]any
	if err := json.Unmarshal(spec, &raw); err != nil {
		return nil, err
	}
	if t, ok := raw["template"].(map[string]any); ok {
		if m, ok := t["metadata"].(map[string]any); ok {
			t["metadata"] = map[string]any{"labels": m["labels"], "annotations": m["annotations"]}
		}
	}
	spec, _ = json.Marshal(raw)
	if err := json.Unmarshal(spec, &out.Spec); err != nil {
		return nil, fmt.Errorf("deployment %s: %w", d.Name, err)
	}
	if out.Namespace == "" {
		out.Namespace = "default"
	}
	return out, nil
}

// applyDeployment creates d, or merges it into the live object: kubectl apply of the same
// manifest again, whose three-way patch sets the manifest's fields and keeps the others
// (replicas left out of the manifest, paused set by rollout pause).
func (u *upstream) applyDeployment(d *appsv1.Deployment) {
	c := u.srv.client.AppsV1().Deployments(d.Namespace)
	if _, err := c.Get(u.ctx, d.Name, metav1.GetOptions{}); err != nil {
		_, _ = c.Create(u.ctx, d.DeepCopy(), metav1.CreateOptions{})
		return
	}
	patch, err := json.Marshal(map[string]any{"metadata": manifestMetadata(d.ObjectMeta), "spec": d.Spec})
	if err != nil {
		return
	}
	_, _ = c.Patch(u.ctx, d.Name, types.StrategicMergePatchType, patch, metav1.PatchOptions{})
}

// manifestMetadata is the metadata patch of a re-apply: only the maps the manifest sets,
// since a null map in a strategic merge patch deletes the live one (seed 74: the re-apply
// of a manifest without annotations dropped the controller's revision annotation).
func manifestMetadata(m metav1.ObjectMeta) map[string]any {
	md := map[string]any{}
	if m.Labels != nil {
		md["labels"] = m.Labels
	}
	if m.Annotations != nil {
		md["annotations"] = m.Annotations
	}
	return md
}

// translate turns a mutating kubectl command on a Deployment into a function that does
// the same through the API.
func (u *upstream) translate(cmd string, stsPods map[string]bool) (func() error, error) {
	f := strings.Fields(cmd)
	flags := map[string]string{}
	var args []string
	for _, a := range f {
		if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "--") {
			flags[k] = v
		} else {
			args = append(args, a)
		}
	}
	target := func(ref string) (string, error) {
		for _, p := range []string{"deployment/", "deployments/", "deploy/"} {
			if name, ok := strings.CutPrefix(ref, p); ok {
				return name, nil
			}
		}
		return "", fmt.Errorf("only deployments are translated")
	}
	if fn, ok, err := u.translateStatefulSet(args, flags, cmd, stsPods); ok {
		return fn, err
	}
	edit := u.edit
	switch {
	case len(args) >= 4 && args[0] == "set" && args[1] == "image":
		name, err := target(args[2])
		if err != nil {
			return nil, err
		}
		images := map[string]string{}
		for _, a := range args[3:] {
			c, img, _ := strings.Cut(a, "=")
			images[c] = img
		}
		return edit(name, func(d *appsv1.Deployment) error {
			for i := range d.Spec.Template.Spec.Containers {
				if img, ok := images[d.Spec.Template.Spec.Containers[i].Name]; ok {
					d.Spec.Template.Spec.Containers[i].Image = img
				}
			}
			return nil
		}), nil
	case len(args) >= 4 && args[0] == "patch" && (args[1] == "deployment" || args[1] == "deploy") && args[3] == "-p":
		// kubectl patch deployment NAME -p '{...}' (a strategic merge patch).
		name := args[2]
		_, body, ok := strings.Cut(cmd, "-p ")
		if !ok {
			return nil, fmt.Errorf("patch without -p")
		}
		body = strings.Trim(strings.TrimSpace(body), "'")
		return func() error {
			_, err := u.srv.client.AppsV1().Deployments("default").Patch(u.ctx, name, types.StrategicMergePatchType, []byte(body), metav1.PatchOptions{})
			return err
		}, nil
	case len(args) == 2 && args[0] == "scale" && flags["--replicas"] != "":
		name, err := target(args[1])
		if err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(flags["--replicas"])
		if err != nil {
			return nil, err
		}
		return edit(name, func(d *appsv1.Deployment) error {
			r := int32(n)
			d.Spec.Replicas = &r
			return nil
		}), nil
	case len(args) == 3 && args[0] == "rollout":
		name, err := target(args[2])
		if err != nil {
			return nil, err
		}
		switch args[1] {
		case "pause", "resume":
			paused := args[1] == "pause"
			return edit(name, func(d *appsv1.Deployment) error {
				if d.Spec.Paused == paused {
					return fmt.Errorf("already %sd", args[1])
				}
				d.Spec.Paused = paused
				return nil
			}), nil
		case "restart":
			return edit(name, func(d *appsv1.Deployment) error {
				// kubectl's defaultObjectRestarter (polymorphichelpers/objectrestarter.go).
				if d.Spec.Paused {
					return fmt.Errorf("can't restart paused deployment (run rollout resume first)")
				}
				if d.Spec.Template.Annotations == nil {
					d.Spec.Template.Annotations = map[string]string{}
				}
				d.Spec.Template.Annotations["kubectl.kubernetes.io/restartedAt"] = u.clock.Now().Format("2006-01-02T15:04:05Z07:00")
				return nil
			}), nil
		case "undo":
			to := int64(0)
			if v, ok := flags["--to-revision"]; ok {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, err
				}
				to = n
			}
			return edit(name, func(d *appsv1.Deployment) error { return u.undo(d, to) }), nil
		}
	}
	return nil, fmt.Errorf("not translated")
}

// edit returns a read-modify-write of Deployment name.
func (u *upstream) edit(name string, fn func(d *appsv1.Deployment) error) func() error {
	return func() error {
		c := u.srv.client.AppsV1().Deployments("default")
		d, err := c.Get(u.ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
		_, err = c.Update(u.ctx, d, metav1.UpdateOptions{})
		return err
	}
}

// undo is kubectl's DeploymentRollbacker (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/
// rollback.go): the revision's ReplicaSet template, without pod-template-hash, and its
// annotations except those kubectl keeps, replace the Deployment's.
func (u *upstream) undo(d *appsv1.Deployment, to int64) error {
	if d.Spec.Paused {
		return fmt.Errorf("you cannot rollback a paused deployment")
	}
	byRev := map[int64]*appsv1.ReplicaSet{}
	var revs []int64
	for _, o := range u.srv.list("replicasets") {
		rs := o.(*appsv1.ReplicaSet)
		if !metav1.IsControlledBy(rs, d) {
			continue
		}
		r, err := strconv.ParseInt(rs.Annotations[deploymentutil.RevisionAnnotation], 10, 64)
		if err != nil {
			continue
		}
		byRev[r] = rs
		revs = append(revs, r)
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i] < revs[j] })
	var target *appsv1.ReplicaSet
	if to > 0 {
		target = byRev[to]
	} else if len(revs) >= 2 {
		target = byRev[revs[len(revs)-2]]
	}
	if target == nil {
		return fmt.Errorf("unable to find the revision")
	}
	if deploymentutil.EqualIgnoreHash(&target.Spec.Template, &d.Spec.Template) {
		return fmt.Errorf("skipped rollback (current template already matches revision %d)", to)
	}
	skip := map[string]bool{
		"kubectl.kubernetes.io/last-applied-configuration": true, deploymentutil.RevisionAnnotation: true,
		deploymentutil.RevisionHistoryAnnotation: true, deploymentutil.DesiredReplicasAnnotation: true,
		deploymentutil.MaxReplicasAnnotation: true, appsv1.DeprecatedRollbackTo: true,
	}
	t := target.Spec.Template.DeepCopy()
	delete(t.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	ann := map[string]string{}
	for k, v := range d.Annotations {
		if skip[k] {
			ann[k] = v
		}
	}
	for k, v := range target.Annotations {
		if !skip[k] {
			ann[k] = v
		}
	}
	d.Spec.Template = *t
	d.Annotations = ann
	return nil
}

// observe records the shared observations after instant t.
func (u *upstream) observe(run *Run, nm *namer, t int64) {
	for _, o := range u.srv.list("deployments") {
		d := o.(*appsv1.Deployment)
		var conds []string
		for _, c := range d.Status.Conditions {
			conds = append(conds, string(c.Type)+"="+string(c.Status)+"/"+c.Reason)
		}
		sort.Strings(conds)
		recordDeployment(run, t, d.Name, deploymentStatus{
			replicas: d.Status.Replicas, updated: d.Status.UpdatedReplicas, ready: d.Status.ReadyReplicas,
			available: d.Status.AvailableReplicas, unavailable: d.Status.UnavailableReplicas,
			conditions: strings.Join(conds, ","), terminating: d.Status.TerminatingReplicas,
			revision: d.Annotations[deploymentutil.RevisionAnnotation], observedGeneration: d.Status.ObservedGeneration, generation: d.Generation,
		})
	}
	for _, o := range u.srv.list("replicasets") {
		rs := o.(*appsv1.ReplicaSet)
		ref := metav1.GetControllerOf(rs)
		if ref == nil || ref.Kind != "Deployment" {
			continue
		}
		k := nm.assign(rs.Name, upstreamKey(ref.Name, rs))
		replicas := int32(1)
		if rs.Spec.Replicas != nil {
			replicas = *rs.Spec.Replicas
		}
		run.set("rs/"+k+" pod-template-hash", t, rs.Labels[appsv1.DefaultDeploymentUniqueLabelKey])
		recordReplicaSet(run, t, k, replicas, rs.Annotations[deploymentutil.RevisionAnnotation], replicaSetStatus{
			rs.Status.Replicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas, rs.Status.TerminatingReplicas})
	}
}

// debugPods prints the pods after instant t when CONFORMANCE_PODS names t in ms.
func (u *upstream) debugPods(t int64) {
	if os.Getenv("CONFORMANCE_PODS") != fmt.Sprint(t) {
		return
	}
	for _, o := range u.srv.list("pods") {
		p := o.(*corev1.Pod)
		ready := ""
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodReady {
				ready = fmt.Sprintf("%s since %s", c.Status, ms(c.LastTransitionTime.Sub(epoch).Milliseconds()))
			}
		}
		fmt.Fprintf(os.Stderr, "%s %s node %q %s ready %s deleting %v\n", ms(t), p.Name, p.Spec.NodeName, p.Status.Phase, ready, p.DeletionTimestamp != nil)
	}
}
