package trace_test

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/trace"
	"github.com/kubesim/kubesim/scenarios"
)

// TestDiffIsJSONEquality: Diff, whose empty delta makes the engine skip an instant whose
// state did not change, is empty exactly when the states' JSON encodings are equal, and
// Apply of it gives the later state's encoding, for every pair of states the catalogue
// records (in order or not) and for each state and its copy read back.
func TestDiffIsJSONEquality(t *testing.T) {
	pairs, equal := 0, 0
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Parse(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cluster.New(sc, cluster.Options{RecordState: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
			t.Fatal(err)
		}
		var states []*trace.State
		var encoded [][]byte
		recs, err := trace.States(c.Records())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.Type != trace.TypeState {
				continue
			}
			b, err := json.Marshal(r.State)
			if err != nil {
				t.Fatal(err)
			}
			var back trace.State
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			states = append(states, r.State, &back)
			encoded = append(encoded, b, b)
		}
		for i := range states {
			for j := range states {
				pairs++
				want := bytes.Equal(encoded[i], encoded[j])
				if want {
					equal++
				}
				d := trace.Diff(states[i], states[j])
				if got := d.Empty(); got != want {
					t.Fatalf("%s: states %d and %d: empty delta %v, JSON equality %v\n%s\n%s", name, i, j, got, want, encoded[i], encoded[j])
				}
				st, err := d.Apply(states[i])
				if err != nil {
					t.Fatalf("%s: states %d and %d: %v", name, i, j, err)
				}
				if b, _ := json.Marshal(st); !bytes.Equal(b, encoded[j]) {
					t.Fatalf("%s: state %d with the delta to %d:\n%s\nwant\n%s", name, i, j, b, encoded[j])
				}
			}
		}
	}
	if equal == 0 || equal == pairs {
		t.Fatalf("%d of %d pairs equal: the check saw only one answer", equal, pairs)
	}
}

// TestEngineKeepsDeltas: the engine keeps state records as the JSONL trace writes them (the
// first and every FullEvery-th whole, the rest deltas), and its records write the same
// JSONL, full JSONL and text timeline as the same records with every state whole.
func TestEngineKeepsDeltas(t *testing.T) {
	deltas := 0
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Parse(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cluster.New(sc, cluster.Options{RecordState: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
			t.Fatal(err)
		}
		recs := c.Records()
		n := 0
		for _, r := range recs {
			if r.Type != trace.TypeState && r.Type != trace.TypeDelta {
				continue
			}
			if want := map[bool]string{true: trace.TypeState, false: trace.TypeDelta}[n%trace.FullEvery == 0]; r.Type != want {
				t.Fatalf("%s: state record %d is a %q record, want %q", name, n, r.Type, want)
			}
			if (r.Delta == nil) != (n == 0) || (r.State == nil) != (r.Type == trace.TypeDelta) {
				t.Fatalf("%s: state record %d: delta %v, state %v", name, n, r.Delta != nil, r.State != nil)
			}
			if r.Type == trace.TypeDelta {
				deltas++
			}
			n++
		}
		whole, err := trace.States(recs)
		if err != nil {
			t.Fatal(err)
		}
		// With the first state repeated, the writer's full records fall on the engine's
		// deltas and its deltas on the engine's full records.
		if recs[0].Type != trace.TypeState {
			t.Fatalf("%s: the first record is a %q record", name, recs[0].Type)
		}
		shifted := append([]trace.Record{recs[0]}, recs...)
		shiftedWhole := append([]trace.Record{whole[0]}, whole...)
		for _, write := range []func(io.Writer, []trace.Record) error{trace.WriteJSONL, trace.WriteFullJSONL, writeText} {
			for _, in := range [][2][]trace.Record{{recs, whole}, {shifted, shiftedWhole}} {
				var a, b bytes.Buffer
				if err := write(&a, in[0]); err != nil {
					t.Fatal(err)
				}
				if err := write(&b, in[1]); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Fatalf("%s: the engine's records and their whole states write different traces", name)
				}
			}
		}
	}
	if deltas == 0 {
		t.Fatal("no delta record in the catalogue's traces")
	}
}

func writeText(w io.Writer, recs []trace.Record) error {
	tw := trace.NewTextWriter(w)
	for _, r := range recs {
		if err := tw.Write(r); err != nil {
			return err
		}
	}
	return nil
}
