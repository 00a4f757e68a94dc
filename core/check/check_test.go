package check

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// A test-only rule: it breaks when both ConfigMaps "bad" and "trigger" exist. Generated
// scenarios never create ConfigMaps, so it cannot fire elsewhere in this package's tests.
func init() {
	invariant.Register("test-bad-and-trigger", func(s *store.Store, _ api.Time) error {
		if s.Get("ConfigMap", "default/bad") != nil && s.Get("ConfigMap", "default/trigger") != nil {
			return &invariant.ObjectError{Kind: "ConfigMap", Key: "default/trigger", Msg: "bad and trigger both exist"}
		}
		return nil
	})
}

func configMap(name string) Object {
	return Object{Kind: "ConfigMap", Name: name, YAML: fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {k: v}\n", name)}
}

// failingModel applies ten ConfigMaps one by one; only "bad" (at 20s) and "trigger" (at 70s)
// matter, and the rule breaks at 70s.
func failingModel() *Model {
	m := &Model{Seed: 99, Until: 120 * api.Second,
		Nodes:  []Node{{Name: "node-1", CPU: "4", Memory: "8Gi", Pods: 110}, {Name: "node-2", CPU: "4", Memory: "8Gi", Pods: 110}},
		Images: []Image{{Name: "app:v1", Behavior: "{pull: 1s}"}}}
	names := []string{"a", "b", "bad", "c", "d", "e", "trigger", "f", "g", "h"}
	for i, n := range names {
		m.Objects = append(m.Objects, configMap(n))
		m.Steps = append(m.Steps, Step{At: api.Duration(i*10) * api.Second, Verb: "apply", Arg: "ConfigMap/" + n})
	}
	m.Steps = append(m.Steps, Step{At: 30 * api.Second, Verb: "fail", Arg: "node/node-2"})
	return m
}

func TestRunStopsAtTheFirstBrokenInvariant(t *testing.T) {
	sc, err := failingModel().Parse()
	if err != nil {
		t.Fatal(err)
	}
	o := Run(sc, RunOptions{})
	f := o.Failure
	if f == nil {
		t.Fatal("no failure")
	}
	if f.Kind != KindInvariant || f.Rule != "test-bad-and-trigger" || f.At != 60_000 {
		t.Fatalf("failure %s at t=%ss: %v; want invariant test-bad-and-trigger at t=60s", f.Signature(), f.At.SecondsString(), f)
	}
	var v *invariant.Violation
	if !errors.As(f, &v) || !strings.Contains(f.Error(), "t=60s: invariant test-bad-and-trigger: bad and trigger both exist") {
		t.Fatalf("error %q", f)
	}
	if f.Object == nil || f.Object.Meta().Name != "trigger" {
		t.Fatalf("object = %v; want the ConfigMap trigger", f.Object)
	}
	if o.Cluster.Now() != 60_000 {
		t.Fatalf("the run went on to t=%ss", o.Cluster.Now().SecondsString())
	}
}

// TestShrinkFindsTheMinimalTimeline: of 11 steps, 10 objects and 2 nodes, the shrinker keeps
// the two applies that matter, their two objects, and one node.
func TestShrinkFindsTheMinimalTimeline(t *testing.T) {
	m := failingModel()
	_, f := runModel(m, false)
	if f == nil {
		t.Fatal("model does not fail")
	}
	min, mf, runs := Shrink(m, f, 0)
	if mf.Signature() != f.Signature() {
		t.Fatalf("shrunk failure %s; want %s", mf.Signature(), f.Signature())
	}
	var steps []string
	for _, s := range min.Steps {
		steps = append(steps, s.String())
	}
	if got, want := strings.Join(steps, "; "), "at 20s: apply ConfigMap/bad; at 1m0s: apply ConfigMap/trigger"; got != want {
		t.Errorf("minimal steps %q; want %q", got, want)
	}
	if len(min.Objects) != 2 || len(min.Nodes) > 1 || len(min.Images) != 0 {
		t.Errorf("minimal model keeps %d objects, %d nodes, %d images; want 2, ≤1, 0", len(min.Objects), len(min.Nodes), len(min.Images))
	}
	if min.Until != 61*api.Second {
		t.Errorf("minimal until %s; want 1m1s (one second after the failure)", min.Until)
	}
	if runs == 0 || runs > 300 {
		t.Errorf("shrinker spent %d runs", runs)
	}
	if _, err := min.Parse(); err != nil {
		t.Errorf("the minimal scenario does not parse: %v", err)
	}
	// The budget is honoured.
	if _, _, runs := Shrink(m, f, 3); runs != 3 {
		t.Errorf("budget 3: spent %d runs", runs)
	}
}

func TestReportNamesSeedRuleObjectTailAndReplay(t *testing.T) {
	m := failingModel()
	out, f := runModel(m, true)
	r := &Result{Seed: 99, Model: m, Failure: f, Tail: out.Tail(5)}
	r.Minimal, r.MinimalFailure, r.ShrinkRuns = Shrink(m, f, 0)
	rep := r.Report()
	for _, want := range []string{
		"FAIL seed 99: invariant test-bad-and-trigger at t=60s",
		"bad and trigger both exist",
		"object ConfigMap default/trigger at t=60s:",
		"trace tail:",
		"apply ConfigMap/trigger",
		"replay: kubesim check --seed 99 --duration 2m0s",
		"2 of 11 steps, 2 of 10 objects",
		"at 20s: apply ConfigMap/bad",
		"kubesim check --seed 99 --duration 2m0s --minimal > min-99.yaml",
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q:\n%s", want, rep)
		}
	}
}

func TestClockCheck(t *testing.T) {
	recs := []trace.Record{{T: 5000, Type: trace.TypeEvent}}
	if f := clockCheck(5000, 4000, nil); f == nil || !strings.Contains(f.Error(), "the clock went backwards from t=5s to t=4s") {
		t.Errorf("backwards clock: %v", f)
	}
	if f := clockCheck(6000, 7000, recs); f == nil || !strings.Contains(f.Error(), "record written at t=7s is stamped t=5s") {
		t.Errorf("stale record: %v", f)
	}
	if f := clockCheck(4000, 5000, recs); f != nil {
		t.Errorf("valid instant: %v", f)
	}
}

func TestFirstDifference(t *testing.T) {
	a := "{\"t\":1,\"type\":\"event\"}\n{\"t\":2.5,\"type\":\"state\",\"x\":1}\n"
	b := "{\"t\":1,\"type\":\"event\"}\n{\"t\":2.5,\"type\":\"state\",\"x\":2}\n"
	line, at := firstDifference(a, b)
	if !strings.HasPrefix(line, "2:") || at != 2500 {
		t.Fatalf("got line %q at %d", line, at)
	}
}

// TestSeedsPass is the in-package smoke run: a few seeds of the real controllers, each run
// twice with the trace hashes compared. (`./build.sh test` runs 200 through the CLI.)
func TestSeedsPass(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		r := Seed(seed, Options{NoShrink: true})
		if r.Failure != nil {
			t.Errorf("%s", r.Report())
		} else if len(r.Hash) != 64 {
			t.Errorf("seed %d: hash %q", seed, r.Hash)
		}
	}
}
