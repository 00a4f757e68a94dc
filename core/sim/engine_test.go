package sim_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// ticker is a toy controller: for every ConfigMap it bumps data["n"] every "period" seconds,
// up to data["max"], and emits an event each time with a random word.
type ticker struct{}

func (ticker) Name() string { return "ticker" }
func (ticker) Watch(ctx *sim.Context, c store.Change) {
	if c.Kind == "ConfigMap" && c.Type == store.Added {
		ctx.Enqueue(c.Key)
	}
}
func (ticker) Reconcile(ctx *sim.Context, key string) error {
	o, ok := store.GetAs[*api.ConfigMap](ctx.Store(), "ConfigMap", key)
	if !ok {
		return nil
	}
	cm := api.Clone(o)
	var n, max int
	fmt.Sscan(cm.Data["n"], &n)
	fmt.Sscan(cm.Data["max"], &max)
	if n >= max {
		return nil
	}
	n++
	cm.Data["n"] = fmt.Sprint(n)
	if err := ctx.Update(cm); err != nil {
		return err
	}
	ctx.Eventf(cm, api.EventNormal, "Tick", "tick %d %s", n, ctx.RandomString(5))
	ctx.EnqueueAfter(key, api.Seconds(3))
	return nil
}

func newEngine(seed uint64) *sim.Engine {
	e := sim.New(sim.Options{Seed: seed, RecordState: true})
	e.Register(ticker{})
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		cm := &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap"},
			ObjectMeta: api.ObjectMeta{Namespace: "default", Name: a.Command},
			Data:       map[string]string{"n": "0", "max": "5"}}
		return "created", ctx.Create(cm)
	})
	e.Schedule(sim.Action{At: 1000, Source: "scenario", Command: "a"})
	e.Schedule(sim.Action{At: 2500, Source: "scenario", Command: "b"})
	return e
}

func encode(t *testing.T, recs []trace.Record) string {
	var b bytes.Buffer
	if err := trace.WriteJSONL(&b, recs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSameSeedSameTrace(t *testing.T) {
	a, b := newEngine(7), newEngine(7)
	a.AdvanceTo(60_000)
	b.AdvanceTo(60_000)
	if x, y := encode(t, a.Records()), encode(t, b.Records()); x != y {
		t.Fatalf("traces differ:\n%s\n---\n%s", x, y)
	}
	c := newEngine(8)
	c.AdvanceTo(60_000)
	if encode(t, a.Records()) == encode(t, c.Records()) {
		t.Fatal("different seeds gave the same random words")
	}
}

func TestTimersRunInTimeThenScheduleOrder(t *testing.T) {
	e := newEngine(1)
	e.AdvanceTo(20_000)
	var got []string
	for _, r := range e.Records() {
		if r.Type == trace.TypeEvent {
			got = append(got, fmt.Sprintf("%s@%d", r.Event.Object, r.T))
		}
	}
	want := []string{"ConfigMap/default/a@1000", "ConfigMap/default/b@2500", "ConfigMap/default/a@4000",
		"ConfigMap/default/b@5500", "ConfigMap/default/a@7000", "ConfigMap/default/b@8500",
		"ConfigMap/default/a@10000", "ConfigMap/default/b@11500", "ConfigMap/default/a@13000", "ConfigMap/default/b@14500"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events = %v; want %v", got, want)
	}
	if e.Now() != 20_000 {
		t.Fatalf("Now() = %d; want 20000", e.Now())
	}
}

func TestSnapshotRestoreReplaysIdentically(t *testing.T) {
	e := newEngine(3)
	e.AdvanceTo(5_000)
	snap := e.Snapshot()
	e.AdvanceTo(30_000)
	first := encode(t, e.Records())
	e.Restore(snap)
	if e.Now() != 5_000 {
		t.Fatalf("after restore Now() = %d; want 5000", e.Now())
	}
	e.AdvanceTo(30_000)
	if second := encode(t, e.Records()); first != second {
		t.Fatalf("replay after restore differs:\n%s\n---\n%s", first, second)
	}
}

func TestEventsAggregate(t *testing.T) {
	e := sim.New(sim.Options{})
	ctx := e.ActionContext("test")
	cm := &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "x"}}
	if err := ctx.Create(cm); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		ctx.Event(cm, api.EventWarning, "BackOff", "same")
	}
	evs := store.ListAs[*api.Event](e.Store(), "Event", "")
	if len(evs) != 1 {
		t.Fatalf("%d events; want 1 with count 3", len(evs))
	}
	if evs[0].Count != 3 {
		t.Fatalf("event count %d; want 3", evs[0].Count)
	}
}

type panicky struct{}

func (panicky) Name() string                           { return "panicky" }
func (panicky) Watch(ctx *sim.Context, c store.Change) { ctx.Enqueue(c.Key) }
func (panicky) Reconcile(*sim.Context, string) error   { panic("boom") }

func TestControllerPanicBecomesError(t *testing.T) {
	e := sim.New(sim.Options{})
	e.Register(panicky{})
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		return "", ctx.Create(&api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "x"}})
	})
	e.Schedule(sim.Action{At: 0, Command: "x"})
	if err := e.AdvanceTo(1000); err == nil {
		t.Fatal("want an error from a panicking controller")
	}
}

// TestAdvanceToRunsTimersFromPendingWork: a write made outside any step leaves work queued;
// the timers that work schedules before the target time must still run (found by the
// StatefulSet benchmark: they were skipped and later fired "in the past").
func TestAdvanceToRunsTimersFromPendingWork(t *testing.T) {
	e := sim.New(sim.Options{})
	e.Register(ticker{})
	cm := &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "x"},
		Data: map[string]string{"n": "0", "max": "3"}}
	if err := e.ActionContext("test").Create(cm); err != nil {
		t.Fatal(err)
	}
	if err := e.AdvanceTo(20_000); err != nil {
		t.Fatal(err)
	}
	got, ok := store.GetAs[*api.ConfigMap](e.Store(), "ConfigMap", "default/x")
	if !ok {
		t.Fatal("ConfigMap default/x is gone")
	}
	if got.Data["n"] != "3" {
		t.Fatalf("n = %s; want 3 (ticks at 0, 3 s, 6 s)", got.Data["n"])
	}
	if err := e.AdvanceTo(30_000); err != nil {
		t.Fatal(err)
	}
}

// TestCreateSetsPodQOS: the API server stamps status.qosClass when a pod is created
// (pkg/registry/core/pod/strategy.go PrepareForCreate), so an unscheduled pod has it before
// any kubelet runs, and a client-supplied value is recomputed. Limits-only containers get their
// requests from defaulting first, so they are Guaranteed.
func TestCreateSetsPodQOS(t *testing.T) {
	e := sim.New(sim.Options{Seed: 1})
	ctx := e.ActionContext("user")
	lim := api.ResourceList{api.ResourceCPU: api.MustQuantity("1"), api.ResourceMemory: api.MustQuantity("1Gi")}
	for _, tc := range []struct {
		name string
		res  api.ResourceRequirements
		want string
	}{
		{"guaranteed", api.ResourceRequirements{Limits: lim}, api.PodQOSGuaranteed},
		{"besteffort", api.ResourceRequirements{}, api.PodQOSBestEffort},
	} {
		p := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: tc.name},
			Spec:   api.PodSpec{Containers: []api.Container{{Name: "c", Image: "x", Resources: tc.res}}},
			Status: api.PodStatus{QOSClass: "Burstable"}}
		if err := ctx.Create(p); err != nil {
			t.Fatal(err)
		}
		got, _ := store.GetAs[*api.Pod](e.Store(), "Pod", "default/"+tc.name)
		if got.Status.QOSClass != tc.want {
			t.Errorf("%s: status.qosClass = %q, want %q", tc.name, got.Status.QOSClass, tc.want)
		}
	}
}

// logger records its reconciles in a shared log; "writer" also bumps data["n"] of the
// ConfigMap up to 2, a write that wakes both controllers ("reader" watches only updates).
type logger struct {
	name string
	log  *[]string
}

func (l logger) Name() string { return l.name }
func (l logger) Watch(ctx *sim.Context, c store.Change) {
	if l.name == "writer" || c.Type == store.Modified {
		ctx.Enqueue(c.Key)
	}
}
func (l logger) Reconcile(ctx *sim.Context, key string) error {
	*l.log = append(*l.log, l.name)
	if l.name != "writer" {
		return nil
	}
	o, _ := store.GetAs[*api.ConfigMap](ctx.Store(), "ConfigMap", key)
	if o.Data["n"] == "2" {
		return nil
	}
	cm := api.Clone(o)
	cm.Data["n"] = map[string]string{"0": "1", "1": "2"}[cm.Data["n"]]
	return ctx.Update(cm)
}

// TestKeyAddedWhileReconcilingQueuesAfterIt: as client-go's workqueue, a key enqueued while
// it is being reconciled (by its own write's watch event) is only marked dirty and queued when
// the reconcile returns, behind the other controller the same write woke.
func TestKeyAddedWhileReconcilingQueuesAfterIt(t *testing.T) {
	var log []string
	e := sim.New(sim.Options{})
	e.Register(logger{"writer", &log})
	e.Register(logger{"reader", &log})
	cm := &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "x"},
		Data: map[string]string{"n": "0"}}
	if err := e.ActionContext("test").Create(cm); err != nil {
		t.Fatal(err)
	}
	if err := e.AdvanceTo(1000); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(log)
	// Queued at once, the writer's own key would run before the reader: [writer writer reader writer].
	if want := "[writer reader writer reader writer]"; got != want {
		t.Fatalf("reconciles %s; want %s", got, want)
	}
}
