package check

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

// Failure kinds.
const (
	KindInvariant   = "invariant"   // a rule of core/invariant broke
	KindClock       = "clock"       // the clock or the trace went backwards
	KindEngine      = "engine"      // a controller panicked, livelocked or the engine stopped
	KindDeterminism = "determinism" // two runs of the same seed gave different traces
	KindScenario    = "scenario"    // the generated scenario did not parse (a generator or parser bug)
	KindBusy        = "busy"        // timers fire so often that the run would take forever
)

// MaxInstantsPerSecond bounds the instants in any one simulated second. Nothing in
// Kubernetes runs at millisecond cadence; a controller that requeues itself 1 ms ahead again
// and again would freeze a browser tab for minutes while the clock crawls, so it is a bug.
const MaxInstantsPerSecond = 500

// Failure is what broke, when and where.
type Failure struct {
	Kind string
	// Rule is the invariant's name for KindInvariant; for other kinds it equals Kind.
	Rule string
	At   api.Time
	Err  error
	// Object is the object the broken rule named, as the store held it at At (nil if the
	// rule named none).
	Object api.Object
}

func (f *Failure) Error() string { return fmt.Sprintf("t=%ss: %v", f.At.SecondsString(), f.Err) }

// Unwrap returns the underlying error (an *invariant.Violation for KindInvariant).
func (f *Failure) Unwrap() error { return f.Err }

// Signature identifies the failure for the shrinker: the same kind and rule.
func (f *Failure) Signature() string { return f.Kind + "/" + f.Rule }

// RunOptions configure Run.
type RunOptions struct {
	// Seed overrides the scenario's seed when non-zero.
	Seed uint64
	// Until overrides the scenario's end when non-zero.
	Until api.Duration
	// NoState turns off state records (faster; the trace then has no state lines).
	NoState bool
}

// Outcome is a finished (or stopped) run.
type Outcome struct {
	Cluster *cluster.Cluster
	// End is the time the run was asked to reach.
	End api.Time
	// Failure is nil when every check held to End.
	Failure *Failure
}

// Run simulates sc to its end, one instant at a time, and after every instant checks every
// invariant (a fresh invariant.NewSet per run) and that time moved forward: the clock never decreases and
// every trace record written at the instant carries its time. It stops at the first failure.
// This is the one loop shared by `kubesim check` and the golden-trace harness (core/simtest).
func Run(sc *scenario.Scenario, opts RunOptions) *Outcome {
	c, err := cluster.New(sc, cluster.Options{Seed: opts.Seed, RecordState: !opts.NoState})
	if err != nil {
		return &Outcome{Failure: &Failure{Kind: KindEngine, Rule: KindEngine, Err: err}}
	}
	o := &Outcome{Cluster: c, End: api.Time(sc.Until)}
	if opts.Until != 0 {
		o.End = api.Time(opts.Until)
	}
	rules := invariant.NewSet() // this run's rules; the stateful ones remember earlier instants
	rules.Attach(c.Store())
	prev, nrec := c.Now(), 0
	window, inWindow := api.Time(-1), 0 // the simulated second being counted, its instants
	for {
		// Work left by writes outside a step (cluster.New creates the nodes) is an instant of
		// its own, checked like any other.
		if next, ok := c.NextTime(); !c.HasWork() && (!ok || next > o.End) {
			break
		}
		if _, err := c.Step(); err != nil {
			o.Failure = &Failure{Kind: KindEngine, Rule: KindEngine, At: c.Now(), Err: err}
			return o
		}
		now := c.Now()
		if f := clockCheck(prev, now, c.Records()[nrec:]); f != nil {
			o.Failure = f
			return o
		}
		prev, nrec = now, len(c.Records())
		if sec := now / 1000; sec != window {
			window, inWindow = sec, 0
		}
		if inWindow++; inWindow > MaxInstantsPerSecond {
			o.Failure = &Failure{Kind: KindBusy, Rule: KindBusy, At: now, Err: fmt.Errorf(
				"more than %d instants between t=%ss and t=%ss: a controller keeps requeueing itself a few milliseconds ahead", MaxInstantsPerSecond, (window * 1000).SecondsString(), now.SecondsString())}
			return o
		}
		if err := rules.Check(c.Store(), now); err != nil {
			o.Failure = &Failure{Kind: KindInvariant, Rule: ruleOf(err), At: now, Err: err, Object: objectOf(c, err)}
			return o
		}
	}
	if err := c.AdvanceTo(o.End); err != nil {
		o.Failure = &Failure{Kind: KindEngine, Rule: KindEngine, At: c.Now(), Err: err}
	}
	return o
}

// clockCheck verifies that time did not go backwards across one instant.
func clockCheck(prev, now api.Time, recs []trace.Record) *Failure {
	if now < prev {
		return &Failure{Kind: KindClock, Rule: KindClock, At: now, Err: fmt.Errorf("the clock went backwards from t=%ss to t=%ss", prev.SecondsString(), now.SecondsString())}
	}
	for _, r := range recs {
		if r.T < prev || r.T > now {
			return &Failure{Kind: KindClock, Rule: KindClock, At: now, Err: fmt.Errorf("a %s record written at t=%ss is stamped t=%ss", r.Type, now.SecondsString(), r.T.SecondsString())}
		}
	}
	return nil
}

func ruleOf(err error) string {
	var v *invariant.Violation
	if errors.As(err, &v) {
		return v.Rule
	}
	return KindInvariant
}

func objectOf(c *cluster.Cluster, err error) api.Object {
	var oe *invariant.ObjectError
	if !errors.As(err, &oe) {
		return nil
	}
	if o := c.Store().Get(oe.Kind, oe.Key); o != nil {
		return api.Clone(o)
	}
	return nil
}

// Records returns the trace so far.
func (o *Outcome) Records() []trace.Record {
	if o.Cluster == nil {
		return nil
	}
	return o.Cluster.Records()
}

// JSONL encodes the trace as JSON lines, state records as deltas.
func (o *Outcome) JSONL() (string, error) {
	var b bytes.Buffer
	if err := trace.WriteJSONL(&b, o.Records()); err != nil {
		return "", err
	}
	return b.String(), nil
}

// FullJSONL encodes the trace as JSON lines with every state record whole (--full-states).
func (o *Outcome) FullJSONL() (string, error) {
	var b bytes.Buffer
	if err := trace.WriteFullJSONL(&b, o.Records()); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Text renders the trace as the text timeline.
func (o *Outcome) Text() (string, error) {
	var b bytes.Buffer
	tw := trace.NewTextWriter(&b)
	for _, r := range o.Records() {
		if err := tw.Write(r); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// Hash is the SHA-256 of the JSONL trace, hex encoded.
func (o *Outcome) Hash() (string, error) {
	j, err := o.JSONL()
	if err != nil {
		return "", err
	}
	h := sha256.Sum256([]byte(j))
	return hex.EncodeToString(h[:]), nil
}

// Tail returns the last n lines of the text timeline.
func (o *Outcome) Tail(n int) string {
	t, err := o.Text()
	if err != nil {
		return "(trace could not be rendered: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(t, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
