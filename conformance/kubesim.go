package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// PodLife is what kubesim's scheduler and kubelet did to one pod, relative to the moments
// that the controllers choose (creation, deletion): the upstream side replays it.
type PodLife struct {
	Name    string
	Created int64
	Steps   []PodStep // relative to creation, until deletion
	Deleted int64     // -1: never deleted
	Term    []PodStep // relative to deletion
	Gone    int64     // relative to deletion; -1: still there at the end
	// External: someone other than the ReplicaSet controller deleted it (an eviction, a
	// drain, the node lifecycle controller, kubectl delete pod): the replay deletes the
	// upstream pod at the same delay after its creation.
	External bool
	// ByAction: deleted in the instant of a timeline step that deletes pods and does not
	// run upstream (a drain): the replay deletes it in that instant's action turn.
	ByAction bool
	// Grace: the grace period of an external deletion (a drain's --grace-period), which the
	// replay's delete passes on (seed 352: the pods' own 0 would remove them at once).
	Grace *int64
	// UID is kubesim's UID of the pod. The replay gives it (and the pod's Name as its list
	// position, listAsAnnotation) to the upstream pod that plays this life, so that the
	// ReplicaSet controller's tie-breaks between equally ranked pods
	// (controller_utils.go ActivePodsWithRanks.Less: smaller UID first, then list order)
	// pick the same victim on both sides.
	UID string

	id  string // namespace/name
	sts bool   // a StatefulSet's pod: its name recurs, a deletion event counts at its instant
	// listed: in order and in its template's lives
	listed bool
	batch  int // the run of creations it was made in
	labels map[string]string
}

// Scale is a write of a Deployment's spec.replicas that no translated kubectl command
// made (the HorizontalPodAutoscaler's): the upstream side makes it at the same time.
type Scale struct {
	T        int64
	Kind     string // Deployment or StatefulSet
	Name     string
	Replicas int32
	// AfterActions: made after the instant's timeline actions (else before them).
	AfterActions bool
}

// PodStep is a pod's observable state after an instant.
type PodStep struct {
	DT       int64
	Node     string
	Phase    string
	Ready    bool
	Restarts int32
}

// Lives are kubesim's pods by template key, in creation order.
type Lives map[string][]*PodLife

// Replay is what the upstream side takes from kubesim's run: the pods' lives and the
// Deployment scales made by controllers that do not run upstream.
type Replay struct {
	Lives  Lives
	Scales []Scale
	// ReplicaSetDeleted: the UIDs of the pods kubesim's ReplicaSet controller deleted, by
	// instant (wallclock.go checks its explanation against them)
	ReplicaSetDeleted map[int64]map[string]bool
}

// kubesimRun runs kubesim on sc, instant by instant, and records the shared observations
// after each instant, and every pod's life.
func kubesimRun(sc *scenario.Scenario) (*Run, *Replay, error) {
	c, err := cluster.New(sc, cluster.Options{})
	if err != nil {
		return nil, nil, err
	}
	userScales := translatedScaleTimes(sc)
	evictingSteps := evictingStepTimes(sc)
	deleteCommands := deletePodCommands(sc)
	objs := newStatefulObjects()
	specReplicas := map[string]int32{}
	var scales []Scale
	until := int64(sc.Until)
	run := newRun()
	nm := newNamer()
	lives := Lives{}
	byName := map[string]*PodLife{}
	var order []string
	seenRecords := 0
	rsDeletedUIDs := map[int64]map[string]bool{}
	podUID := map[string]string{}   // namespace/name: the latest incarnation's UID
	rsDeleted := map[string]int64{} // pods the ReplicaSet or StatefulSet controller deleted, when
	external := func(l *PodLife, now int64) bool {
		t, ok := rsDeleted[l.id]
		if l.sts {
			ok = ok && t == now
		}
		return !ok && !deleteCommands.deletes(now, l.id, l.labels)
	}
	// A pod can start, become Ready and be replaced within one instant (a kubelet with
	// zero delays), and the controllers act on each of those states (seed 50: a rollout
	// restart whose new pods are Ready at once goes 4 -> 3 -> 2 -> 1 -> 0 in one instant),
	// so a pod's states are recorded at every write, not only after the instant. A pod
	// joins its template's lives when it is created, so that one deleted in the instant
	// of its creation keeps its place (seed 58: scaled up by 3 and down by 1 at once).
	// Pods one sync creates are consecutive writes: they make a batch, whose lives the
	// replay hands out in name order, as it does to the upstream pods of one sync (their
	// order is the ReplicaSet controller's last tie-break).
	batch, lastCreator := 0, ""
	c.Store().Listen(func(ch store.Change) {
		p, ok := ch.New.(*api.Pod)
		creator := ""
		if ok && ch.Old == nil {
			if ref := api.ControllerOf(&p.ObjectMeta); ref != nil {
				creator = ref.Kind + "/" + p.Namespace + "/" + ref.Name
			}
		}
		if creator != lastCreator && creator != "" {
			batch++
		}
		if ch.Kind != "Event" {
			lastCreator = creator
		}
		if !ok || p.DeletionTimestamp != nil {
			return
		}
		ref := api.ControllerOf(&p.ObjectMeta)
		if ref == nil || (ref.Kind != "StatefulSet" && ref.Kind != "ReplicaSet") {
			return
		}
		id := p.Namespace + "/" + p.Name + "#" + p.UID
		l := byName[id]
		if l == nil {
			podUID[p.Namespace+"/"+p.Name] = p.UID
			l = &PodLife{Name: p.Name, Created: int64(p.CreationTimestamp), Deleted: -1, Gone: -1, UID: p.UID,
				id: p.Namespace + "/" + p.Name, sts: ref.Kind == "StatefulSet", batch: batch, labels: p.Labels}
			byName[id] = l
			key, ok := statefulPodKey(p.Namespace, p.Name), true
			if !l.sts {
				key, ok = replicaSetPodKey(c.Store(), nm, p.Namespace, ref.Name)
			}
			if ok {
				l.listed = true
				order = append(order, id)
				lives[key] = append(lives[key], l)
			}
		}
		if l.Deleted >= 0 {
			return
		}
		step := PodStep{DT: int64(c.Now()) - l.Created, Node: p.Spec.NodeName, Phase: p.Status.Phase, Ready: p.IsReady()}
		for _, cs := range p.Status.ContainerStatuses {
			step.Restarts += cs.RestartCount
		}
		l.Steps = appendStep(l.Steps, step)
	})
	for {
		next, ok := c.NextTime()
		if !ok || int64(next) > until {
			break
		}
		if _, err := c.Step(); err != nil {
			return nil, nil, err
		}
		now := int64(c.Now())
		st := c.Store()
		hpaScaled := map[string]bool{} // Kind/name: rescaled by an autoscaler in this instant
		for _, r := range c.Records()[seenRecords:] {
			if r.Type != trace.TypeEvent {
				continue
			}
			_, ns, _ := strings.Cut(r.Event.Object, "/")
			ns, name, _ := strings.Cut(ns, "/")
			if r.Event.Reason == "SuccessfulRescale" {
				// kubesim's autoscaler runs after the instant's actions (which are
				// scheduled first): its rescale is replayed after them (seed 47: after a
				// user's scale to 3; seed 545: after a patch that started a rollout).
				if sc, ok := hpaRescale(st, ns, name, r.Event.Message); ok {
					sc.T, sc.AfterActions = now, true
					scales = append(scales, sc)
					hpaScaled[sc.Kind+"/"+sc.Name] = true
				}
				continue
			}
			if r.Event.Reason != "SuccessfulDelete" {
				continue
			}
			if pod, ok := strings.CutPrefix(r.Event.Message, "Deleted pod: "); ok {
				rsDeleted[ns+"/"+pod] = int64(r.T)
				if rsDeletedUIDs[int64(r.T)] == nil {
					rsDeletedUIDs[int64(r.T)] = map[string]bool{}
				}
				rsDeletedUIDs[int64(r.T)][podUID[ns+"/"+pod]] = true
			}
			if m := deletedByStatefulSet.FindStringSubmatch(r.Event.Message); m != nil {
				rsDeleted[ns+"/"+m[1]] = int64(r.T)
			}
		}
		for _, o := range st.List("Deployment", "") {
			d := o.(*api.Deployment)
			r := int32(1)
			if d.Spec.Replicas != nil {
				r = *d.Spec.Replicas
			}
			if old, ok := specReplicas[d.Name]; ok && old != r && !userScales[now] && !hpaScaled["Deployment/"+d.Name] {
				scales = append(scales, Scale{T: now, Kind: "Deployment", Name: d.Name, Replicas: r})
			}
			specReplicas[d.Name] = r
			recordDeployment(run, now, d.Name, deploymentStatus{
				replicas: d.Status.Replicas, updated: d.Status.UpdatedReplicas, ready: d.Status.ReadyReplicas,
				available: d.Status.AvailableReplicas, unavailable: d.Status.UnavailableReplicas,
				conditions: kubesimConditions(d.Status.Conditions), terminating: d.Status.TerminatingReplicas,
				revision: d.Annotations[api.RevisionAnnotation], observedGeneration: d.Status.ObservedGeneration, generation: d.Generation,
			})
		}
		revs := map[string]string{}
		for _, o := range st.List("ControllerRevision", "") {
			r := o.(*api.ControllerRevision)
			revs[r.Name] = fmt.Sprint(r.Revision)
		}
		sets := st.List("StatefulSet", "")
		for _, o := range sets {
			s := o.(*api.StatefulSet)
			r := int32(1)
			if s.Spec.Replicas != nil {
				r = *s.Spec.Replicas
			}
			if old, ok := specReplicas["StatefulSet/"+s.Name]; ok && old != r && !userScales[now] && !hpaScaled["StatefulSet/"+s.Name] {
				scales = append(scales, Scale{T: now, Kind: "StatefulSet", Name: s.Name, Replicas: r})
			}
			specReplicas["StatefulSet/"+s.Name] = r
			recordStatefulSet(run, now, s.Name, statefulSetStatus{
				replicas: s.Status.Replicas, ready: s.Status.ReadyReplicas, current: s.Status.CurrentReplicas,
				updated: s.Status.UpdatedReplicas, available: s.Status.AvailableReplicas,
				currentRevision: revs[s.Status.CurrentRevision], updateRevision: revs[s.Status.UpdateRevision],
				observedGeneration: s.Status.ObservedGeneration, generation: s.Generation,
			})
		}
		if len(sets) > 0 {
			present := map[string]string{}
			for _, o := range st.List("Pod", "") {
				p := o.(*api.Pod)
				if ref := api.ControllerOf(&p.ObjectMeta); ref == nil || ref.Kind != "StatefulSet" {
					continue
				}
				present["pod/"+p.Name] = podValue(revs[p.Labels[api.ControllerRevisionHash]], p.DeletionTimestamp != nil)
			}
			for _, o := range st.List("PersistentVolumeClaim", "") {
				c := o.(*api.PersistentVolumeClaim)
				var owners []string
				for _, r := range c.OwnerReferences {
					owners = append(owners, r.Kind)
				}
				present["pvc/"+c.Name] = claimValue(owners)
			}
			objs.record(run, now, present)
		}
		rsKey := map[string]string{}
		for _, o := range st.List("ReplicaSet", "") {
			rs := o.(*api.ReplicaSet)
			ref := api.ControllerOf(&rs.ObjectMeta)
			if ref == nil || ref.Kind != "Deployment" {
				continue
			}
			key := nm.assign(rs.Name, kubesimKey(ref.Name, &rs.Spec.Template, rs.Annotations[api.RevisionAnnotation]))
			rsKey[rs.Namespace+"/"+rs.Name] = key
			replicas := int32(1)
			if rs.Spec.Replicas != nil {
				replicas = *rs.Spec.Replicas
			}
			run.set("rs/"+key+" pod-template-hash", now, rs.Labels[api.PodTemplateHashLabel])
			recordReplicaSet(run, now, key, replicas, rs.Annotations[api.RevisionAnnotation], replicaSetStatus{
				rs.Status.Replicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas, rs.Status.TerminatingReplicas})
		}
		seen := map[string]bool{}
		for _, o := range st.List("Pod", "") {
			p := o.(*api.Pod)
			ref := api.ControllerOf(&p.ObjectMeta)
			if ref == nil || (ref.Kind != "ReplicaSet" && ref.Kind != "StatefulSet") {
				continue
			}
			key, ok := rsKey[p.Namespace+"/"+ref.Name]
			if ref.Kind == "StatefulSet" {
				key, ok = statefulPodKey(p.Namespace, p.Name), true
			}
			if !ok {
				continue
			}
			id := p.Namespace + "/" + p.Name + "#" + p.UID // a StatefulSet's pod names recur
			seen[id] = true
			l := byName[id]
			if l == nil {
				l = &PodLife{Name: p.Name, Created: int64(p.CreationTimestamp), Deleted: -1, Gone: -1, UID: p.UID,
					id: p.Namespace + "/" + p.Name, sts: ref.Kind == "StatefulSet", labels: p.Labels}
				byName[id] = l
			}
			if !l.listed {
				l.listed = true
				order = append(order, id)
				lives[key] = append(lives[key], l)
			}
			step := PodStep{Node: p.Spec.NodeName, Phase: p.Status.Phase, Ready: p.IsReady()}
			for _, cs := range p.Status.ContainerStatuses {
				step.Restarts += cs.RestartCount
			}
			if p.DeletionTimestamp != nil && l.Deleted < 0 {
				l.Deleted = now
				l.External = external(l, now)
				l.ByAction = l.External && evictingSteps[now]
				l.Grace = p.DeletionGracePeriodSeconds
			}
			if l.Deleted >= 0 {
				step.DT = now - l.Deleted
				l.Term = appendStep(l.Term, step)
			} else {
				step.DT = now - l.Created
				l.Steps = appendStep(l.Steps, step)
			}
		}
		for _, id := range order {
			if l := byName[id]; !seen[id] && l.Gone < 0 {
				if l.Deleted < 0 {
					l.Deleted = now // removed at once (an unscheduled pod)
					l.External = external(l, now)
					l.ByAction = l.External && evictingSteps[now]
				}
				l.Gone = now - l.Deleted
			}
		}
		recs := c.Records()
		for _, r := range recs[seenRecords:] {
			if r.Type != trace.TypeEvent {
				continue
			}

			kind, rest, _ := strings.Cut(r.Event.Object, "/")
			if kind != "Deployment" && kind != "ReplicaSet" && kind != "StatefulSet" {
				continue
			}
			_, name, _ := strings.Cut(rest, "/")
			if kind == "ReplicaSet" {
				if k, ok := nm.rs[name]; ok {
					name = k
				}
			}
			run.Events = append(run.Events, Event{int64(r.T), fmt.Sprintf("%s/%s %s: %s", kind, name, r.Event.Reason, nm.normalise(r.Event.Message))})
		}
		seenRecords = len(recs)
	}
	// In creation order, and by name within a batch: a template's pods of one instant can
	// come from several syncs, and the replay gives the upstream pods of each sync the
	// next lives (seed 176: two pods preempted at 0 s and replaced).
	for _, ls := range lives {
		sort.SliceStable(ls, func(i, j int) bool {
			if ls[i].Created != ls[j].Created {
				return ls[i].Created < ls[j].Created
			}
			if ls[i].batch != ls[j].batch {
				return ls[i].batch < ls[j].batch
			}
			return ls[i].Name < ls[j].Name
		})
	}
	run.sortEvents()
	return run, &Replay{Lives: lives, Scales: scales, ReplicaSetDeleted: rsDeletedUIDs}, nil
}

// replicaSetPodKey is the template key of the pods of ReplicaSet ns/name, if a
// Deployment owns it.
func replicaSetPodKey(st *store.Store, nm *namer, ns, name string) (string, bool) {
	rs, ok := st.Get("ReplicaSet", ns+"/"+name).(*api.ReplicaSet)
	if !ok {
		return "", false
	}
	ref := api.ControllerOf(&rs.ObjectMeta)
	if ref == nil || ref.Kind != "Deployment" {
		return "", false
	}
	return nm.assign(rs.Name, kubesimKey(ref.Name, &rs.Spec.Template, rs.Annotations[api.RevisionAnnotation])), true
}

// hpaRescale is the scale of a HorizontalPodAutoscaler's SuccessfulRescale event
// ("New size: 5; reason: ...") on its target.
func hpaRescale(st *store.Store, ns, name, msg string) (Scale, bool) {
	h, ok := st.Get("HorizontalPodAutoscaler", ns+"/"+name).(*api.HorizontalPodAutoscaler)
	var n int32
	if !ok || (h.Spec.ScaleTargetRef.Kind != "Deployment" && h.Spec.ScaleTargetRef.Kind != "StatefulSet") {
		return Scale{}, false
	}
	if _, err := fmt.Sscanf(msg, "New size: %d;", &n); err != nil {
		return Scale{}, false
	}
	return Scale{Kind: h.Spec.ScaleTargetRef.Kind, Name: h.Spec.ScaleTargetRef.Name, Replicas: n}, true
}

// evictingStepTimes are the instants of timeline steps that delete pods and are replayed
// from kubesim (drains, node failures, evictions).
func evictingStepTimes(sc *scenario.Scenario) map[int64]bool {
	return stepTimes(sc, func(verb, rest string) bool {
		return verb == "fail" || verb == "evict" || (verb == "kubectl" && (strings.HasPrefix(rest, "drain ") || strings.HasPrefix(rest, "evict")))
	})
}

// translatedScaleTimes are the instants of timeline steps that the upstream side plays
// itself and that may change a Deployment's replicas (kubectl scale, apply).
func translatedScaleTimes(sc *scenario.Scenario) map[int64]bool {
	return stepTimes(sc, func(verb, rest string) bool {
		return verb == "apply" || (verb == "kubectl" && (strings.HasPrefix(rest, "scale ") || strings.HasPrefix(rest, "apply ")))
	})
}

// stepTimes are the instants of the timeline steps that match (verb, the rest trimmed).
func stepTimes(sc *scenario.Scenario, match func(verb, rest string) bool) map[int64]bool {
	out := map[int64]bool{}
	for _, st := range sc.Timeline {
		verb, rest, _ := strings.Cut(strings.TrimSpace(st.Command), " ")
		if match(verb, strings.TrimSpace(rest)) {
			out[int64(st.At)] = true
		}
	}
	return out
}

func appendStep(s []PodStep, st PodStep) []PodStep {
	if n := len(s); n > 0 {
		last := s[n-1]
		last.DT = st.DT
		if last == st {
			return s
		}
	}
	return append(s, st)
}

func kubesimKey(deploy string, t *api.PodTemplateSpec, revision string) string {
	var images []string
	for _, c := range t.Spec.Containers {
		images = append(images, c.Image)
	}
	return templateKey(deploy, images, revision)
}

func kubesimConditions(cs []api.DeploymentCondition) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.Type+"="+c.Status+"/"+c.Reason)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

type deploymentStatus struct {
	replicas, updated, ready, available, unavailable int32
	terminating                                      *int32
	conditions, revision                             string
	observedGeneration, generation                   int64
}

type replicaSetStatus struct {
	replicas, ready, available int32
	terminating                *int32
}

func optional(p *int32) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprint(*p)
}

func recordDeployment(run *Run, t int64, name string, s deploymentStatus) {
	p := "deployment/" + name + " "
	run.set(p+"replicas", t, fmt.Sprint(s.replicas))
	run.set(p+"updated", t, fmt.Sprint(s.updated))
	run.set(p+"ready", t, fmt.Sprint(s.ready))
	run.set(p+"available", t, fmt.Sprint(s.available))
	run.set(p+"unavailable", t, fmt.Sprint(s.unavailable))
	run.set(p+"conditions", t, s.conditions)
	run.set(p+"terminating", t, optional(s.terminating))
	run.set(p+"revision", t, s.revision)
	run.set(p+"observedGeneration==generation", t, fmt.Sprint(s.observedGeneration == s.generation))
}

func recordReplicaSet(run *Run, t int64, key string, replicas int32, revision string, st replicaSetStatus) {
	p := "rs/" + key + " "
	run.set(p+"spec.replicas", t, fmt.Sprint(replicas))
	run.set(p+"revision", t, revision)
	run.set(p+"status", t, fmt.Sprintf("replicas %d ready %d available %d terminating %s", st.replicas, st.ready, st.available, optional(st.terminating)))
}
