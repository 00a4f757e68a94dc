package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func pod(name, node string) *api.Pod {
	return &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name},
		Spec: api.PodSpec{NodeName: node}}
}

func names(objs []api.Object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.Meta().Name)
	}
	return out
}

func TestByIndexFollowsWrites(t *testing.T) {
	s := store.New()
	for _, p := range []*api.Pod{pod("c", "n1"), pod("a", "n1"), pod("b", "n2")} {
		if err := s.Create(p); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(s.ByIndex("node", "Pod", "n1")); len(got) != 2 || got[0] != "a" || got[1] != "c" {
		t.Fatalf("n1 = %v; want [a c]", got)
	}
	// Move b to n1: both values' results change, and the cached pointer is the new object.
	b := api.Clone(s.Get("Pod", "default/b").(*api.Pod))
	b.Spec.NodeName = "n1"
	if err := s.Update(b); err != nil {
		t.Fatal(err)
	}
	got := s.ByIndex("node", "Pod", "n1")
	if n := names(got); len(n) != 3 || n[1] != "b" || got[1] != api.Object(b) {
		t.Fatalf("after move n1 = %v", n)
	}
	if n := names(s.ByIndex("node", "Pod", "n2")); len(n) != 0 {
		t.Fatalf("after move n2 = %v; want []", n)
	}
	if err := s.Delete("Pod", "default/a"); err != nil {
		t.Fatal(err)
	}
	if n := names(s.ByIndex("node", "Pod", "n1")); len(n) != 2 || n[0] != "b" {
		t.Fatalf("after delete n1 = %v; want [b c]", n)
	}
	// Appending to a result must not corrupt the next one.
	r := s.ByIndex("node", "Pod", "n1")
	_ = append(r, pod("zzz", "n1"))
	if n := names(s.ByIndex("node", "Pod", "n1")); len(n) != 2 {
		t.Fatalf("append leaked into the cache: %v", n)
	}
}

func TestOptimisticConcurrency(t *testing.T) {
	s := store.New()
	p := pod("a", "")
	if err := s.Create(p); err != nil {
		t.Fatal(err)
	}
	stale := api.Clone(p)
	fresh := api.Clone(p)
	fresh.Spec.NodeName = "n1"
	if err := s.Update(fresh); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(stale); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale update: err = %v; want ErrConflict", err)
	}
	if got := s.Get("Pod", "default/a").Meta().Generation; got != 2 {
		t.Fatalf("generation after a spec change = %d; want 2", got)
	}
}

func TestSnapshotRestoreRebuildsIndexes(t *testing.T) {
	s := store.New()
	s.Create(pod("a", "n1"))
	snap := s.Snapshot()
	s.Create(pod("b", "n1"))
	s.ByIndex("node", "Pod", "n1")
	s.Restore(snap)
	if n := names(s.ByIndex("node", "Pod", "n1")); len(n) != 1 || n[0] != "a" {
		t.Fatalf("after restore n1 = %v; want [a]", n)
	}
}

// A cached result takes added and removed keys in place: every read, between writes or after
// several, equals the index value's members sorted, whatever the order of the writes.
func TestByIndexKeysFollowWritesInPlace(t *testing.T) {
	s := store.New()
	want := map[string]bool{}
	check := func(step string) {
		t.Helper()
		var exp []string
		for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
			if want[n] {
				exp = append(exp, n)
			}
		}
		if got := names(s.ByIndex("node", "Pod", "n1")); strings.Join(got, ",") != strings.Join(exp, ",") {
			t.Fatalf("%s: n1 = %v; want %v", step, got, exp)
		}
	}
	s.Create(pod("x", "n2"))
	for i, n := range []string{"d", "b", "f", "a"} {
		s.Create(pod(n, "n1"))
		want[n] = true
		if i%2 == 0 {
			check("create " + n)
		}
	}
	check("after creates")
	s.Create(pod("c", "n1"))
	want["c"] = true
	s.Delete("Pod", "default/f")
	delete(want, "f")
	check("create and delete between reads")
	for _, n := range []string{"a", "b", "c", "d"} {
		s.Delete("Pod", "default/"+n)
		delete(want, n)
		check("delete " + n)
	}
	s.Create(pod("e", "n1"))
	want["e"] = true
	check("a value emptied and carried again")
}

// ByIndexDerived computes once per cached ByIndex result and follows every write that
// touches the value (create, update, move away, delete, restore), never a stale value.
func TestByIndexDerivedFollowsWrites(t *testing.T) {
	s := store.New()
	calls := 0
	count := func() int {
		return s.ByIndexDerived("node", "Pod", "n1", "count", func(objs []api.Object) any {
			calls++
			return len(objs)
		}).(int)
	}
	check := func(step string, want, wantCalls int) {
		t.Helper()
		if got := count(); got != want || calls != wantCalls {
			t.Fatalf("%s: count = %d after %d computations; want %d after %d", step, got, calls, want, wantCalls)
		}
	}
	check("empty", 0, 1)
	check("empty again (cached)", 0, 1)
	s.Create(pod("a", "n1"))
	check("after create", 1, 2)
	s.Create(pod("b", "n2"))
	check("a write to another value keeps the result", 1, 2)
	b := api.Clone(s.Get("Pod", "default/b").(*api.Pod))
	b.Spec.NodeName = "n1"
	s.Update(b)
	check("after a move onto n1", 2, 3)
	snap := s.Snapshot()
	a := api.Clone(s.Get("Pod", "default/a").(*api.Pod))
	a.Spec.NodeName = "n2"
	s.Update(a)
	check("after a move away", 1, 4)
	s.Delete("Pod", "default/b")
	check("after delete", 0, 5)
	s.Restore(snap)
	check("after restore", 2, 6)
	// Another name is another derivation of the same objects.
	if got := s.ByIndexDerived("node", "Pod", "n1", "other", func([]api.Object) any { return "x" }); got != "x" {
		t.Fatalf("other derivation = %v", got)
	}
	check("first derivation unaffected", 2, 6)
}

// ByIndexDerivedFromRef follows the same writes as ByIndexDerived, a status write too, and a
// ref used with another store (or after a Restore) finds that store's objects.
func TestByIndexDerivedRefFollowsWrites(t *testing.T) {
	s := store.New()
	var ref store.IndexRef
	calls := 0
	count := func(s *store.Store) int {
		return s.ByIndexDerivedFromRef(&ref, "node", "Pod", "n1", "count", func(objs []api.Object, _ any) any {
			calls++
			n := 0
			for _, o := range objs {
				if o.(*api.Pod).Status.Phase != api.PodSucceeded {
					n++
				}
			}
			return n
		}).(int)
	}
	check := func(step string, s *store.Store, want, wantCalls int) {
		t.Helper()
		if got := count(s); got != want || calls != wantCalls {
			t.Fatalf("%s: count = %d after %d computations; want %d after %d", step, got, calls, want, wantCalls)
		}
	}
	check("empty", s, 0, 1)
	check("empty again (cached)", s, 0, 1)
	s.Create(pod("a", "n1"))
	check("after create", s, 1, 2)
	s.Create(pod("b", "n2"))
	check("a write to another value keeps the result", s, 1, 2)
	b := api.Clone(s.Get("Pod", "default/b").(*api.Pod))
	b.Spec.NodeName = "n1"
	s.Update(b)
	check("after a move onto n1", s, 2, 3)
	b = api.Clone(s.Get("Pod", "default/b").(*api.Pod))
	b.Status.Phase = api.PodSucceeded
	s.Update(b)
	check("after a status write", s, 1, 4)
	snap := s.Snapshot()
	a := api.Clone(s.Get("Pod", "default/a").(*api.Pod))
	a.Spec.NodeName = "n2"
	s.Update(a)
	check("after a move away", s, 0, 5)
	s.Restore(snap)
	check("after restore", s, 1, 6)
	other := store.New()
	other.Create(pod("x", "n1"))
	other.Create(pod("y", "n1"))
	check("another store", other, 2, 7)
	check("back to the first (its cached value)", s, 1, 7)
	if got := s.ByIndexDerived("node", "Pod", "n1", "count", nil); got != 1 {
		t.Fatalf("ByIndexDerived after the ref's computation = %v; want 1", got)
	}
}

// ByIndexDerivedFromRef hands fn the value derived from the value's last result, across
// status writes, adds and removals (several between two reads too), and none once nothing
// carries the value.
func TestByIndexDerivedFromRefGetsPrev(t *testing.T) {
	s := store.New()
	var ref store.IndexRef
	var gotPrev any
	read := func() []string {
		return s.ByIndexDerivedFromRef(&ref, "node", "Pod", "n1", "names", func(objs []api.Object, prev any) any {
			gotPrev = prev
			return names(objs)
		}).([]string)
	}
	check := func(step string, want, wantPrev string) {
		t.Helper()
		got := strings.Join(read(), ",")
		prev := "<nil>"
		if gotPrev != nil {
			prev = strings.Join(gotPrev.([]string), ",")
		}
		if got != want || prev != wantPrev {
			t.Fatalf("%s: %q with prev %q; want %q with prev %q", step, got, prev, want, wantPrev)
		}
	}
	s.Create(pod("a", "n1"))
	check("first", "a", "<nil>")
	s.Create(pod("b", "n1"))
	check("add", "a,b", "a")
	b := api.Clone(s.Get("Pod", "default/b").(*api.Pod))
	b.Status.Phase = api.PodRunning
	s.Update(b)
	s.Create(pod("c", "n1"))
	s.Delete("Pod", "default/a")
	check("three writes", "b,c", "a,b")
	s.Delete("Pod", "default/b")
	s.Delete("Pod", "default/c")
	s.Create(pod("d", "n1"))
	check("emptied, then carried again", "d", "<nil>")
}

// The generation follows spec changes of every kind with a Spec, pods or not, and never
// moves for kinds without one.
func TestGenerationFollowsSpec(t *testing.T) {
	s := store.New()
	d := &api.Deployment{TypeMeta: api.TypeMeta{Kind: "Deployment"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web"}}
	ev := &api.Event{TypeMeta: api.TypeMeta{Kind: "Event"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "e"}}
	for _, o := range []api.Object{d, ev} {
		if err := s.Create(o); err != nil {
			t.Fatal(err)
		}
	}
	for i, change := range []func(*api.Deployment){
		func(d *api.Deployment) { d.Status.Replicas = 3 },
		func(d *api.Deployment) { d.Spec.Replicas = api.Ptr(int32(3)) },
		func(d *api.Deployment) { d.Spec.Replicas = api.Ptr(int32(3)) }, // same value again
	} {
		cp := api.Clone(s.Get("Deployment", "default/web").(*api.Deployment))
		change(cp)
		if err := s.Update(cp); err != nil {
			t.Fatal(err)
		}
		if want := []int64{1, 2, 2}[i]; cp.Generation != want {
			t.Fatalf("change %d: generation %d; want %d", i, cp.Generation, want)
		}
	}
	e2 := api.Clone(ev)
	e2.Count = 2
	if err := s.Update(e2); err != nil || e2.Generation != 1 {
		t.Fatalf("event update: generation %d, err %v; want 1", e2.Generation, err)
	}
}

// TestPodGenerationOnStatusWrites: a pod's generation stays on a status write, whose copy
// shares the spec bit for bit (CloneStatus, the fast path) or holds an equal deep copy, and
// moves on a spec change, also one made in CloneStatus's copy.
func TestPodGenerationOnStatusWrites(t *testing.T) {
	s := store.New()
	p := pod("a", "")
	p.Spec.Containers = []api.Container{{Name: "app", Image: "app:1"}}
	if err := s.Create(p); err != nil {
		t.Fatal(err)
	}
	for i, change := range []func() *api.Pod{
		func() *api.Pod {
			cp := s.Get("Pod", "default/a").(*api.Pod).CloneStatus()
			cp.Status.Phase = "Running"
			return cp
		},
		func() *api.Pod {
			cp := api.Clone(s.Get("Pod", "default/a").(*api.Pod))
			cp.Status.Phase = "Failed"
			return cp
		},
		func() *api.Pod {
			cp := s.Get("Pod", "default/a").(*api.Pod).CloneStatus()
			cp.Spec.NodeName = "node-1"
			return cp
		},
		func() *api.Pod {
			cp := api.Clone(s.Get("Pod", "default/a").(*api.Pod))
			cp.Spec.Containers[0].Image = "app:2"
			return cp
		},
	} {
		cp := change()
		if err := s.Update(cp); err != nil {
			t.Fatal(err)
		}
		if want := []int64{1, 1, 2, 3}[i]; cp.Generation != want {
			t.Fatalf("change %d: generation %d; want %d", i, cp.Generation, want)
		}
	}
	if !store.SameBits(&p.Spec, &p.CloneStatus().Spec) {
		t.Fatal("a CloneStatus copy's spec differs in its bits: the fast path is never taken")
	}
}

// TestDerivedFollowsWrites: a derived value is computed once per stored version of the
// object, recomputed after an update, and dropped with the object.
func TestDerivedFollowsWrites(t *testing.T) {
	s := store.New()
	if err := s.Create(pod("a", "n1")); err != nil {
		t.Fatal(err)
	}
	calls := 0
	node := func(o api.Object) any { calls++; return o.(*api.Pod).Spec.NodeName }
	for range 2 {
		if got := s.Derived(s.Get("Pod", "default/a"), "node", node); got != "n1" || calls != 1 {
			t.Fatalf("Derived = %v after %d calls; want n1 after 1", got, calls)
		}
	}
	a := api.Clone(s.Get("Pod", "default/a").(*api.Pod))
	a.Spec.NodeName = "n2"
	if err := s.Update(a); err != nil {
		t.Fatal(err)
	}
	if got := s.Derived(s.Get("Pod", "default/a"), "node", node); got != "n2" || calls != 2 {
		t.Fatalf("after the update Derived = %v after %d calls; want n2 after 2", got, calls)
	}
	cur := s.Get("Pod", "default/a")
	s.Derived(cur, "node", node)
	if err := s.Delete("Pod", "default/a"); err != nil {
		t.Fatal(err)
	}
	if s.DerivedLen() != 0 {
		t.Fatalf("after the delete %d objects have derived values; want 0", s.DerivedLen())
	}
}

// TestByIndexAfterStatusWrite: an update that keeps the index value (the cached keys are
// kept) still returns the new object, and drops what was derived from the old one.
func TestByIndexAfterStatusWrite(t *testing.T) {
	s := store.New()
	for _, p := range []*api.Pod{pod("b", "n1"), pod("a", "n1")} {
		if err := s.Create(p); err != nil {
			t.Fatal(err)
		}
	}
	phases := func(objs []api.Object) any {
		var out []string
		for _, o := range objs {
			out = append(out, o.Meta().Name+"="+string(o.(*api.Pod).Status.Phase))
		}
		return strings.Join(out, ",")
	}
	if got := s.ByIndexDerived("node", "Pod", "n1", "phases", phases); got != "a=,b=" {
		t.Fatalf("before: %v", got)
	}
	b := api.Clone(s.Get("Pod", "default/b").(*api.Pod))
	b.Status.Phase = api.PodRunning
	if err := s.Update(b); err != nil {
		t.Fatal(err)
	}
	if got := s.ByIndex("node", "Pod", "n1"); len(got) != 2 || got[1] != s.Get("Pod", "default/b") {
		t.Fatalf("after the status write ByIndex = %v; want a and the new b", names(got))
	}
	if got := s.ByIndexDerived("node", "Pod", "n1", "phases", phases); got != "a=,b=Running" {
		t.Fatalf("after the status write: %v", got)
	}
}

// TestListDerivedFollowsWrites: the value is kept until an object of its kind is created,
// updated or deleted, and writes of other kinds leave it alone.
func TestListDerivedFollowsWrites(t *testing.T) {
	s := store.New()
	calls := 0
	list := func(objs []api.Object) any { calls++; return strings.Join(names(objs), ",") }
	check := func(step, want string, wantCalls int) {
		t.Helper()
		if got := s.ListDerived("Pod", "names", list); got != want || calls != wantCalls {
			t.Fatalf("%s: ListDerived = %q after %d calls; want %q after %d", step, got, calls, want, wantCalls)
		}
	}
	check("empty", "", 1)
	if err := s.Create(pod("b", "n1")); err != nil {
		t.Fatal(err)
	}
	check("created", "b", 2)
	check("cached", "b", 2)
	cm := &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "c"}}
	if err := s.Create(cm); err != nil {
		t.Fatal(err)
	}
	check("another kind written", "b", 2)
	b := api.Clone(s.Get("Pod", "default/b").(*api.Pod))
	b.Spec.NodeName = "n2"
	if err := s.Update(b); err != nil {
		t.Fatal(err)
	}
	check("updated", "b", 3)
	if err := s.Create(pod("a", "n1")); err != nil {
		t.Fatal(err)
	}
	check("created in order", "a,b", 4)
	if err := s.Delete("Pod", "default/b"); err != nil {
		t.Fatal(err)
	}
	check("deleted", "a", 5)
	s.Restore(s.Snapshot())
	check("restored", "a", 6)
}
