package check

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Options configure one seed's check.
type Options struct {
	// Until fixes the simulated duration; zero lets the seed choose (60 to 300 s).
	Until api.Duration
	// NoDeterminism skips the second run that compares trace hashes.
	NoDeterminism bool
	// NoShrink skips shrinking a failure.
	NoShrink bool
	// ShrinkRuns bounds the runs the shrinker may spend (default 300).
	ShrinkRuns int
	// TailLines is how many trace lines a report shows (default 30).
	TailLines int
}

// Result is the outcome of checking one seed.
type Result struct {
	Seed  uint64
	Model *Model
	// Simulated is the virtual time covered (the run's end, or the failure time).
	Simulated api.Duration
	// Hash is the SHA-256 of the JSONL trace (empty on failure).
	Hash    string
	Failure *Failure
	// Tail is the end of the text trace up to the failure.
	Tail string
	// Minimal is the shrunk model that still fails with the same signature, and
	// MinimalFailure its failure; ShrinkRuns is the runs the shrinker spent.
	Minimal        *Model
	MinimalFailure *Failure
	ShrinkRuns     int
}

// Seed generates the scenario of a seed, runs it with every invariant after every instant,
// runs it again to compare trace hashes, and shrinks any failure.
func Seed(seed uint64, opts Options) *Result {
	if opts.TailLines == 0 {
		opts.TailLines = 30
	}
	m := Generate(seed, opts.Until)
	res := &Result{Seed: seed, Model: m}
	out, f := runModel(m, !opts.NoDeterminism)
	if out != nil {
		res.Simulated = api.Duration(out.End)
		if out.Cluster != nil && f != nil {
			res.Simulated = api.Duration(out.Cluster.Now())
		}
	}
	if f == nil {
		res.Hash, _ = out.Hash()
		return res
	}
	res.Failure = f
	if out != nil && out.Cluster != nil {
		res.Tail = out.Tail(opts.TailLines)
	}
	if !opts.NoShrink {
		res.Minimal, res.MinimalFailure, res.ShrinkRuns = Shrink(m, f, opts.ShrinkRuns)
	}
	return res
}

// runModel parses and runs a model, once or (determinism) twice, recovering from panics so
// one bad seed never stops a long check. The outcome is that of the first run.
func runModel(m *Model, determinism bool) (out *Outcome, f *Failure) {
	defer func() {
		if r := recover(); r != nil {
			f = &Failure{Kind: KindEngine, Rule: KindEngine, Err: fmt.Errorf("panic: %v\n%s", r, debug.Stack())}
			if out != nil && out.Cluster != nil {
				f.At = out.Cluster.Now()
			}
		}
	}()
	sc, err := m.Parse()
	if err != nil {
		return nil, &Failure{Kind: KindScenario, Rule: KindScenario, Err: fmt.Errorf("the generated scenario does not parse:\n%v", err)}
	}
	out = Run(sc, RunOptions{})
	if out.Failure != nil || !determinism {
		return out, out.Failure
	}
	a, err := out.JSONL()
	if err != nil {
		return out, &Failure{Kind: KindEngine, Rule: KindEngine, At: out.End, Err: err}
	}
	again := Run(sc, RunOptions{})
	if again.Failure != nil {
		return out, &Failure{Kind: KindDeterminism, Rule: KindDeterminism, At: again.Failure.At,
			Err: fmt.Errorf("the first run passed, the second run of the same seed failed: %v", again.Failure)}
	}
	b, err := again.JSONL()
	if err != nil {
		return out, &Failure{Kind: KindEngine, Rule: KindEngine, At: out.End, Err: err}
	}
	if a != b {
		line, at := firstDifference(a, b)
		return out, &Failure{Kind: KindDeterminism, Rule: KindDeterminism, At: at,
			Err: fmt.Errorf("two runs of the same seed gave different traces; first difference at JSONL line %s", line)}
	}
	return out, nil
}

// firstDifference names the first differing JSONL line of two traces and its time.
func firstDifference(a, b string) (string, api.Time) {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			var rec struct {
				T float64 `json:"t"`
			}
			_ = json.Unmarshal([]byte(x), &rec)
			return fmt.Sprintf("%d:\n  run 1: %s\n  run 2: %s", i+1, clip(x, 300), clip(y, 300)), api.Time(rec.T * 1000)
		}
	}
	return "?", 0
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// ReplayCommand is the command that re-runs a seed.
func (r *Result) ReplayCommand() string {
	return fmt.Sprintf("kubesim check --seed %d%s", r.Seed, r.untilFlag())
}

func (r *Result) untilFlag() string {
	if r.Model != nil && r.Model.Until != Generate(r.Seed, 0).Until {
		return " --duration " + r.Model.Until.String()
	}
	return ""
}

// Report renders a failure for a person: the seed, the broken rule, the object, the trace
// tail, the replay command and the minimal timeline.
func (r *Result) Report() string {
	if r.Failure == nil {
		return fmt.Sprintf("ok seed %d (%s simulated, trace %s)\n", r.Seed, r.Simulated, shortHash(r.Hash))
	}
	f := r.Failure
	var b strings.Builder
	fmt.Fprintf(&b, "FAIL seed %d: %s at t=%ss\n", r.Seed, describe(f), f.At.SecondsString())
	fmt.Fprintf(&b, "  %s\n", indent(f.Err.Error(), "  "))
	if f.Object != nil {
		j, err := json.MarshalIndent(f.Object, "    ", "  ")
		if err == nil {
			fmt.Fprintf(&b, "object %s %s at t=%ss:\n    %s\n", f.Object.GetKind(), f.Object.Meta().Key(), f.At.SecondsString(), j)
		}
	}
	if r.Tail != "" {
		fmt.Fprintf(&b, "trace tail:\n%s\n", indent("    "+r.Tail, "    "))
	}
	fmt.Fprintf(&b, "replay: %s\n", r.ReplayCommand())
	fmt.Fprintf(&b, "scenario: %s --print > seed-%d.yaml && kubesim run seed-%d.yaml\n", r.ReplayCommand(), r.Seed, r.Seed)
	if r.Minimal != nil {
		mm := r.Minimal
		fmt.Fprintf(&b, "minimal (%d shrink runs; still %s at t=%ss): %d of %d steps, %d of %d objects, %d of %d nodes, until %s\n",
			r.ShrinkRuns, describe(r.MinimalFailure), r.MinimalFailure.At.SecondsString(), len(mm.Steps), len(r.Model.Steps),
			len(mm.Objects), len(r.Model.Objects), len(mm.Nodes), len(r.Model.Nodes), mm.Until)
		b.WriteString("  timeline:\n")
		for _, s := range mm.Steps {
			fmt.Fprintf(&b, "    %s\n", s)
		}
		var objs, nodes []string
		for _, o := range mm.Objects {
			objs = append(objs, o.Kind+"/"+o.Name)
		}
		for _, n := range mm.Nodes {
			nodes = append(nodes, n.Name)
		}
		fmt.Fprintf(&b, "  objects: %s\n  nodes: %s\n", strings.Join(objs, ", "), strings.Join(nodes, ", "))
		fmt.Fprintf(&b, "  minimal scenario: %s --minimal > min-%d.yaml && kubesim run min-%d.yaml\n", r.ReplayCommand(), r.Seed, r.Seed)
	}
	return b.String()
}

func describe(f *Failure) string {
	if f == nil {
		return "?"
	}
	if f.Kind == KindInvariant {
		return "invariant " + f.Rule
	}
	return f.Kind + " failure"
}

func indent(s, pre string) string { return strings.ReplaceAll(s, "\n", "\n"+pre) }

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
