package invariant

import (
	"errors"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// A stateful rule is judged on a crafted history: a list of instants, each the whole store
// at that time. Every instant gets a fresh store (the rule may keep no reference to it).

type instant struct {
	at   api.Time
	objs []api.Object
}

// replay runs a fresh instance of the named stateful rule over the history and returns the
// first error and the instant it was returned at. The history is played into one store as
// writes in order (objects missing from an instant are deleted, present ones created in list
// order or updated), with the store's clock at the instant, so observers see each write.
func replay(t *testing.T, rule string, hist []instant) (error, api.Time) {
	t.Helper()
	newRule, ok := stateful[rule]
	if !ok {
		t.Fatalf("stateful rule %q is not registered", rule)
	}
	r := newRule()
	s := store.New()
	var clock api.Time
	s.Clock = func() api.Time { return clock }
	if o, ok := r.(Observer); ok {
		s.Listen(func(c store.Change) { o.Observe(s, c) })
	}
	for _, in := range hist {
		clock = in.at
		keep := map[string]bool{}
		for _, o := range in.objs {
			keep[o.GetKind()+"|"+o.Meta().Key()] = true
		}
		for _, kind := range s.Kinds() {
			for _, o := range s.List(kind, "") {
				if !keep[kind+"|"+o.Meta().Key()] {
					if err := s.Delete(kind, o.Meta().Key()); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		for _, o := range in.objs {
			cp := api.Clone(o)
			if old := s.Get(o.GetKind(), o.Meta().Key()); old != nil && old.Meta().UID == cp.Meta().UID {
				cp.Meta().ResourceVersion = old.Meta().ResourceVersion
				cp.Meta().CreationTimestamp = old.Meta().CreationTimestamp
				if err := s.Update(cp); err != nil {
					t.Fatalf("t=%s: update %s %s: %v", in.at.SecondsString(), o.GetKind(), o.Meta().Name, err)
				}
				continue
			} else if old != nil {
				// Same name, new UID: the old object was replaced.
				if err := s.Delete(o.GetKind(), o.Meta().Key()); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Create(cp); err != nil {
				t.Fatalf("t=%s: create %s %s: %v", in.at.SecondsString(), o.GetKind(), o.Meta().Name, err)
			}
		}
		if err := r.Check(s, in.at); err != nil {
			var oe *ObjectError
			if !errors.As(err, &oe) {
				t.Fatalf("error %v does not name its object (ObjectError)", err)
			}
			return err, in.at
		}
	}
	return nil, 0
}

func expect(t *testing.T, err error, at api.Time, want string, wantAt api.Time) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("rule fired at t=%ss on a valid history: %v", at.SecondsString(), err)
	case want != "" && err == nil:
		t.Fatalf("rule did not fire; want an error containing %q", want)
	case want != "" && (!strings.Contains(err.Error(), want) || at != wantAt):
		t.Fatalf("error at t=%ss %q; want t=%ss and %q", at.SecondsString(), err, wantAt.SecondsString(), want)
	}
}

// Each history instant is one Set.Check; a Set gives each run its own memory.
func TestSetKeepsOneMemoryPerRun(t *testing.T) {
	names := Names()
	for _, n := range []string{"statefulset-ordered-ready", "deployment-rolling-update-scale-down", "deployment-rolling-update-surge", "statefulset-one-pod-per-ordinal"} {
		if !contains(names, n) {
			t.Errorf("rule %s is not registered (Names: %v)", n, names)
		}
	}
	a, b := NewSet(), NewSet()
	if len(a.rules) != len(names) {
		t.Fatalf("a set has %d rules, want %d", len(a.rules), len(names))
	}
	for i := range a.rules {
		if _, ok := stateful[a.names[i]]; ok && a.rules[i] == b.rules[i] {
			t.Errorf("two runs share the instance of stateful rule %s", a.names[i])
		}
	}
	// Set a watches a store where web-1 is created while web-0 is Ready; set b one where
	// web-0 is not Ready then. Only b fires, and b's violation does not leak into a.
	set := sts("web", 0, 0)
	run := func(x *Set, web0Ready bool) error {
		s := store.New()
		x.Attach(s)
		for _, o := range []api.Object{set, stsPod("web", 0, web0Ready), stsPod("web", 1, false)} {
			if err := s.Create(api.Clone(o)); err != nil {
				t.Fatal(err)
			}
		}
		return x.Check(s, 6000)
	}
	if err := run(a, true); err != nil {
		t.Errorf("set a: %v", err)
	}
	var v *Violation
	if err := run(b, false); !errors.As(err, &v) || v.Rule != "statefulset-ordered-ready" {
		t.Errorf("set b: %v, want a statefulset-ordered-ready violation", err)
	}
	if err := a.Check(store.New(), 7000); err != nil {
		t.Errorf("set a after b fired: %v", err)
	}
	after := []api.Object{set, stsPod("web", 0, false), stsPod("web", 1, false)}
	// CheckAll runs only the stateless rules: the same store passes it.
	s := store.New()
	for _, o := range after {
		_ = s.Create(api.Clone(o))
	}
	if err := CheckAll(s, 6000); err != nil {
		t.Errorf("CheckAll ran a stateful rule: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sts is an OrderedReady StatefulSet (UID "uid-<name>") with spec.ordinals.start and
// minReadySeconds.
func sts(name string, start, minReady int32) *api.StatefulSet {
	s := &api.StatefulSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default", UID: "uid-" + name}}
	s.Spec.Replicas = api.Ptr(int32(5))
	s.Spec.PodManagementPolicy = api.OrderedReadyPodManagement
	s.Spec.MinReadySeconds = minReady
	if start != 0 {
		s.Spec.Ordinals = &api.StatefulSetOrdinals{Start: start}
	}
	return s
}

type stsPodOpt func(*api.Pod)

// stsPod is pod <set>-<ordinal> of the set, Running, Ready since t=0 when ready. Its UID is
// "uid-<name>" unless an option changes it (a re-created pod).
func stsPod(set string, ordinal int, ready bool, opts ...stsPodOpt) *api.Pod {
	name := set + "-" + itoa(int64(ordinal))
	if ordinal == 0 {
		name = set + "-0"
	}
	p := pod(name)
	p.UID = "uid-" + name
	p.Labels = map[string]string{api.StatefulSetPodNameLabel: name}
	p.OwnerReferences = []api.OwnerReference{{APIVersion: "apps/v1", Kind: "StatefulSet", Name: set, UID: "uid-" + set, Controller: api.Ptr(true)}}
	st := api.ConditionFalse
	if ready {
		st = api.ConditionTrue
	}
	p.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: st}}
	for _, o := range opts {
		o(p)
	}
	return p
}

func uid(u string) stsPodOpt { return func(p *api.Pod) { p.UID = u } }
func readySince(t api.Time) stsPodOpt {
	return func(p *api.Pod) { p.Status.Conditions[0].LastTransitionTime = t }
}
func stsPhase(ph string) stsPodOpt   { return func(p *api.Pod) { p.Status.Phase = ph } }
func deletedAt(t api.Time) stsPodOpt { return func(p *api.Pod) { p.DeletionTimestamp = &t } }
func parallel(s *api.StatefulSet) *api.StatefulSet {
	s.Spec.PodManagementPolicy = api.ParallelPodManagement
	return s
}

func TestStatefulSetOrderedReady(t *testing.T) {
	web := sts("web", 0, 0)
	tests := []struct {
		name   string
		hist   []instant
		want   string
		wantAt api.Time
	}{
		{"scale-up one Ready pod at a time", []instant{
			{1000, []api.Object{web, stsPod("web", 0, false)}},
			{5000, []api.Object{web, stsPod("web", 0, true)}},
			{5000 + 1, []api.Object{web, stsPod("web", 0, true), stsPod("web", 1, false)}},
			{9000, []api.Object{web, stsPod("web", 0, true), stsPod("web", 1, true), stsPod("web", 2, false)}},
		}, "", 0},
		{"created before the lower ordinal was Ready", []instant{
			{1000, []api.Object{web, stsPod("web", 0, false)}},
			{2000, []api.Object{web, stsPod("web", 0, false), stsPod("web", 1, false)}},
		}, "pod web-1 was created while web-0 was not Running and Ready (phase Running, ready false, terminating false)", 2000},
		{"created while a lower ordinal is missing", []instant{
			{1000, []api.Object{web, stsPod("web", 0, true), stsPod("web", 1, true)}},
			{2000, []api.Object{web, stsPod("web", 0, true), stsPod("web", 2, false)}},
		}, "pod web-2 was created while web-1 did not exist", 2000},
		{"created while a lower ordinal terminates", []instant{
			{1000, []api.Object{web, stsPod("web", 0, true, deletedAt(1000))}},
			{2000, []api.Object{web, stsPod("web", 0, true, deletedAt(1000)), stsPod("web", 1, false)}},
		}, "terminating true", 2000},
		{"created while a lower ordinal is Failed", []instant{
			{1000, []api.Object{web, stsPod("web", 0, true, stsPhase(api.PodFailed))}},
			{2000, []api.Object{web, stsPod("web", 0, true, stsPhase(api.PodFailed)), stsPod("web", 1, false)}},
		}, "phase Failed", 2000},
		// The old stateless rule's false alarm (seeds 84, 963): web-0 loses readiness long after
		// web-1 was created (node failure, crash loop) and regains it; its Ready condition's
		// lastTransitionTime is now later than web-1's creation. Nothing was created meanwhile.
		{"a readiness flap after the successor was created", []instant{
			{1000, []api.Object{web, stsPod("web", 0, true, readySince(500))}},
			{2000, []api.Object{web, stsPod("web", 0, true, readySince(500)), stsPod("web", 1, true)}},
			{100_000, []api.Object{web, stsPod("web", 0, false, readySince(100_000)), stsPod("web", 1, true)}},
			{200_000, []api.Object{web, stsPod("web", 0, true, readySince(200_000)), stsPod("web", 1, true)}},
		}, "", 0},
		// The controller saw web-0 Ready earlier in the instant, created web-1, then web-0's
		// probe failed in the same instant.
		{"a same-instant flap of the lower ordinal", []instant{
			{1000, []api.Object{web, stsPod("web", 0, true)}},
			// web-1 is written first, then web-0's flap (list order is write order).
			{2000, []api.Object{web, stsPod("web", 1, false), stsPod("web", 0, false, readySince(2000))}},
		}, "", 0},
		// A re-created lower pod (new UID) is not the one seen Ready before.
		{"the lower ordinal seen Ready was another pod", []instant{
			{1000, []api.Object{web, stsPod("web", 0, true)}},
			{2000, []api.Object{web, stsPod("web", 0, false, uid("uid-web-0-b")), stsPod("web", 1, false)}},
		}, "pod web-1 was created while web-0 was not Running and Ready", 2000},
		{"a re-created pod waits for the lower ordinals too", []instant{
			{1000, []api.Object{web, stsPod("web", 0, true), stsPod("web", 1, true)}},
			{2000, []api.Object{web, stsPod("web", 0, false), stsPod("web", 1, true)}},
			{3000, []api.Object{web, stsPod("web", 0, false), stsPod("web", 1, false, uid("uid-web-1-b"))}},
		}, "pod web-1 was created while web-0 was not Running and Ready", 3000},
		{"minReadySeconds: Ready but not yet available", []instant{
			{1000, []api.Object{sts("web", 0, 10), stsPod("web", 0, true, readySince(1000))}},
			{6000, []api.Object{sts("web", 0, 10), stsPod("web", 0, true, readySince(1000)), stsPod("web", 1, false)}},
		}, "was not Running and Ready and available for minReadySeconds 10", 6000},
		{"minReadySeconds: available", []instant{
			{1000, []api.Object{sts("web", 0, 10), stsPod("web", 0, true, readySince(1000))}},
			{12_000, []api.Object{sts("web", 0, 10), stsPod("web", 0, true, readySince(1000)), stsPod("web", 1, false)}},
		}, "", 0},
		{"ordinals.start: the first pod waits for nothing", []instant{
			{1000, []api.Object{sts("web", 3, 0), stsPod("web", 3, false)}},
		}, "", 0},
		{"ordinals.start: the second waits for the first", []instant{
			{1000, []api.Object{sts("web", 3, 0), stsPod("web", 3, false)}},
			{2000, []api.Object{sts("web", 3, 0), stsPod("web", 3, false), stsPod("web", 4, false)}},
		}, "pod web-4 was created while web-3 was not Running and Ready", 2000},
		{"Parallel creates all at once", []instant{
			{1000, []api.Object{parallel(sts("web", 0, 0)), stsPod("web", 0, false), stsPod("web", 1, false), stsPod("web", 2, false)}},
		}, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err, at := replay(t, "statefulset-ordered-ready", tc.hist)
			expect(t, err, at, tc.want, tc.wantAt)
		})
	}
}

// dep is Deployment web (UID uid-web), RollingUpdate with maxSurge 1 / maxUnavailable 1 and
// image web:2; rs builds its ReplicaSets: "new" carries the Deployment's template.
func dep(replicas int32, paused bool) *api.Deployment {
	d := &api.Deployment{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: api.ObjectMeta{Name: "web", Namespace: "default", UID: "uid-web", Generation: 1}}
	d.Spec.Replicas = api.Ptr(replicas)
	d.Spec.Paused = paused
	d.Spec.Template.Spec.Containers = []api.Container{{Name: "app", Image: "web:2"}}
	d.Spec.Strategy.Type = api.RollingUpdateDeploymentStrategy
	d.Spec.Strategy.RollingUpdate = &api.RollingUpdateDeployment{MaxSurge: api.Ptr(api.FromInt(1)), MaxUnavailable: api.Ptr(api.FromInt(1))}
	d.Status.ObservedGeneration = 1
	return d
}

func rs(name, image string, replicas, desired, maxReplicas int32) *api.ReplicaSet {
	r := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default", UID: "uid-" + name,
			Annotations:     map[string]string{api.DesiredReplicasAnnotation: itoa(int64(desired)), api.MaxReplicasAnnotation: itoa(int64(maxReplicas))},
			OwnerReferences: []api.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: "uid-web", Controller: api.Ptr(true)}}}}
	if desired == 0 {
		r.Annotations[api.DesiredReplicasAnnotation] = "0"
	}
	r.Spec.Replicas = api.Ptr(replicas)
	r.Spec.Template.Spec.Containers = []api.Container{{Name: "app", Image: image}}
	return r
}

// rsPods returns n pods of ReplicaSet name: ready ones Ready since t=0, the first `gone`
// terminating since at.
func rsPods(name string, from, n int, ready bool, terminatingAt api.Time) []api.Object {
	var out []api.Object
	for i := from; i < from+n; i++ {
		p := pod(name + "-" + itoa(int64(i+1)))
		p.UID = "uid-" + p.Name
		p.OwnerReferences = []api.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: name, UID: "uid-" + name, Controller: api.Ptr(true)}}
		st := api.ConditionFalse
		if ready {
			st = api.ConditionTrue
		}
		p.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: st}}
		if terminatingAt > 0 {
			t := terminatingAt
			p.DeletionTimestamp = &t
		}
		out = append(out, p)
	}
	return out
}

func objs(parts ...any) []api.Object {
	var out []api.Object
	for _, p := range parts {
		switch v := p.(type) {
		case api.Object:
			out = append(out, v)
		case []api.Object:
			out = append(out, v...)
		}
	}
	return out
}

// replicas 4, maxSurge 1, maxUnavailable 1: minAvailable 3. Old RS "old" (web:1) has 4
// available pods, the new RS "new" (web:2) 1 pod not yet Ready. maxScaledDown = 5 - 3 - 1 = 1.
func TestDeploymentScaleDown(t *testing.T) {
	d := dep(4, false)
	start := objs(d, rs("old", "web:1", 4, 4, 5), rs("new", "web:2", 1, 4, 5), rsPods("old", 0, 4, true, 0), rsPods("new", 0, 1, false, 0))
	tests := []struct {
		name   string
		next   []api.Object
		want   string
		wantAt api.Time
	}{
		{"the allowed cut", objs(d, rs("old", "web:1", 3, 4, 5), rs("new", "web:2", 1, 4, 5), rsPods("old", 0, 3, true, 0), rsPods("old", 3, 1, true, 2000), rsPods("new", 0, 1, false, 0)), "", 0},
		{"one pod too many", objs(d, rs("old", "web:1", 2, 4, 5), rs("new", "web:2", 1, 4, 5), rsPods("old", 0, 2, true, 0), rsPods("old", 2, 2, true, 2000), rsPods("new", 0, 1, false, 0)),
			"old replica sets scaled down by 2 to 2 pods at this instant, below minAvailable 3 (replicas 4 - maxUnavailable 1) - 0 available new pods: maxScaledDown allowed at most 1", 2000},
		{"replace all at once", objs(d, rs("old", "web:1", 0, 4, 5), rs("new", "web:2", 4, 4, 5), rsPods("old", 0, 4, true, 2000), rsPods("new", 0, 4, false, 0)),
			"scaled down by 4 to 0 pods", 2000},
		// The new pod turned Ready in this instant: the controller may count it.
		{"a new pod became available in the instant", objs(d, rs("old", "web:1", 2, 4, 5), rs("new", "web:2", 2, 4, 5), rsPods("old", 0, 2, true, 0), rsPods("old", 2, 2, true, 2000), rsPods("new", 0, 1, true, 0), rsPods("new", 1, 1, false, 0)), "", 0},
		// Faults: two old pods lost readiness (an app turning unhealthy, a failed node) or
		// were evicted (a drain with no PDB); the controller removes the unhealthy replicas
		// within maxScaledDown. Availability falls below minAvailable, by no fault of its.
		{"old pods turned unready", objs(d, rs("old", "web:1", 3, 4, 5), rs("new", "web:2", 1, 4, 5), rsPods("old", 0, 2, true, 0), rsPods("old", 2, 1, false, 0), rsPods("old", 3, 1, false, 2000), rsPods("new", 0, 1, false, 0)), "", 0},
		{"old pods evicted", objs(d, rs("old", "web:1", 3, 4, 5), rs("new", "web:2", 1, 4, 5), rsPods("old", 0, 1, true, 0), rsPods("old", 1, 3, true, 2000), rsPods("new", 0, 1, false, 0)), "", 0},
		// Proportional scaling (spec.replicas changed) and paused Deployments are not rolling
		// update passes.
		{"scaled to 1 replica", objs(dep(1, false), rs("old", "web:1", 0, 1, 2), rs("new", "web:2", 1, 1, 2), rsPods("old", 0, 4, true, 2000), rsPods("new", 0, 1, false, 0)), "", 0},
		{"paused", objs(dep(4, true), rs("old", "web:1", 0, 4, 5), rs("new", "web:2", 1, 4, 5), rsPods("old", 0, 4, true, 2000), rsPods("new", 0, 1, false, 0)), "", 0},
		// kubectl scale to 1, then the HPA back to its minReplicas 4, in one instant: the cut
		// was a scaling event although spec.replicas ends where it started (kubesim check
		// seed 272).
		{"scaled to 1 and back to 4 in the instant", objs(dep(1, false), dep(4, false), rs("old", "web:1", 0, 4, 5), rs("new", "web:2", 4, 4, 5), rsPods("old", 0, 4, true, 2000), rsPods("new", 0, 4, false, 0)), "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err, at := replay(t, "deployment-rolling-update-scale-down", []instant{{1000, start}, {2000, tc.next}})
			expect(t, err, at, tc.want, tc.wantAt)
		})
	}
	// A new pod available at the previous instant and deleted at this one still counts.
	t.Run("a new pod deleted in the instant counts as seen", func(t *testing.T) {
		before := objs(d, rs("old", "web:1", 3, 4, 5), rs("new", "web:2", 2, 4, 5), rsPods("old", 0, 3, true, 0), rsPods("new", 0, 2, true, 0))
		after := objs(d, rs("old", "web:1", 1, 4, 5), rs("new", "web:2", 2, 4, 5), rsPods("old", 0, 1, true, 0), rsPods("new", 1, 1, true, 0))
		err, at := replay(t, "deployment-rolling-update-scale-down", []instant{{1000, before}, {2000, after}})
		expect(t, err, at, "", 0)
	})
}

func TestDeploymentSurge(t *testing.T) {
	tests := []struct {
		name string
		objs []api.Object
		want string
	}{
		{"at the bound", objs(dep(4, false), rs("old", "web:1", 1, 4, 5), rs("new", "web:2", 4, 4, 5)), ""},
		{"above the bound", objs(dep(4, false), rs("old", "web:1", 2, 4, 5), rs("new", "web:2", 4, 4, 5)), "its replica sets want 6 pods by spec, more than replicas 4 + maxSurge 1"},
		{"paused", objs(dep(4, true), rs("old", "web:1", 2, 4, 5), rs("new", "web:2", 4, 4, 5)), ""},
		{"scaling event pending", objs(dep(4, false), rs("old", "web:1", 2, 6, 7), rs("new", "web:2", 4, 6, 7)), ""},
		// maxSurge lowered from 3 to 1 after the last scale: the stamps still say 7.
		{"maxSurge lowered", objs(dep(4, false), rs("old", "web:1", 3, 4, 7), rs("new", "web:2", 4, 4, 7)), ""},
		{"above even the stamp", objs(dep(4, false), rs("old", "web:1", 4, 4, 7), rs("new", "web:2", 4, 4, 7)), "want 8 pods by spec"},
		{"inactive sets' stamps do not count", objs(dep(4, false), rs("old", "web:1", 0, 4, 9), rs("new", "web:2", 6, 4, 5)), "want 6 pods by spec"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checks["deployment-rolling-update-surge"](build(t, 0, tc.objs...), 1000)
			expect(t, err, 0, tc.want, 0)
		})
	}
}

// kubesim check --seed 5111: in one instant the controller creates web-2 (Ready at once)
// while web-1 is healthy, then a rolling update with maxUnavailable 2 replaces web-1 (list
// order is write order). The creation was correct; had web-1 been replaced first, it would
// not have been.
func TestStatefulSetOrderedReadyReplacedAfterInTheSameInstant(t *testing.T) {
	web := sts("web", 0, 0)
	history := func(second []api.Object) []instant {
		return []instant{
			{1000, []api.Object{web, stsPod("web", 0, true), stsPod("web", 1, true, uid("uid-a"))}},
			{2000, append([]api.Object{web, stsPod("web", 0, true)}, second...)},
		}
	}
	newWeb1, web2 := stsPod("web", 1, false, uid("uid-b")), stsPod("web", 2, true)
	if err, at := replay(t, "statefulset-ordered-ready", history([]api.Object{web2, newWeb1})); err != nil {
		t.Fatalf("t=%d: %v", at, err)
	}
	err, _ := replay(t, "statefulset-ordered-ready", history([]api.Object{newWeb1, web2}))
	if err == nil || !strings.Contains(err.Error(), "pod web-2 was created while web-1 was not Running and Ready") {
		t.Fatalf("err = %v; want the rule to fire", err)
	}
}
