package simtest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

func catalogue(t *testing.T) map[string]*scenario.Scenario {
	files, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios found: %v", err)
	}
	out := map[string]*scenario.Scenario{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.Parse(filepath.Base(f), data)
		if err != nil {
			t.Fatalf("%v", err)
		}
		out[filepath.Base(f)] = sc
	}
	return out
}

// TestCatalogueRunsDeterministically: every scenario in scenarios/ runs to its end with every
// invariant holding after every instant, no kubectl step fails, and a second run gives the
// same JSONL byte for byte.
func TestCatalogueRunsDeterministically(t *testing.T) {
	for name, sc := range catalogue(t) {
		t.Run(name, func(t *testing.T) {
			a, err := Run(sc, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Run(sc, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if a.JSONL != b.JSONL {
				t.Fatal("two runs of the same scenario and seed gave different traces")
			}
		})
	}
}

// TestCatalogueStepsSucceed: no timeline step of a catalogue scenario prints an error; a
// scenario that teaches must not show a typo'd command.
func TestCatalogueStepsSucceed(t *testing.T) {
	for name, sc := range catalogue(t) {
		t.Run(name, func(t *testing.T) {
			c, err := cluster.New(sc, cluster.Options{RecordState: false})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
				t.Fatal(err)
			}
			for _, r := range c.Records() {
				if r.Type == trace.TypeAction && r.Action.Error != "" {
					t.Errorf("t=%ss %q failed: %s", r.T.SecondsString(), r.Action.Command, r.Action.Error)
				}
			}
		})
	}
}

// TestSnapshotRestore: run to t, snapshot, run on to t2; restore and run to t2 again: the
// trace and the store are identical.
func TestSnapshotRestore(t *testing.T) {
	for name, sc := range catalogue(t) {
		t.Run(name, func(t *testing.T) {
			c, err := cluster.New(sc, cluster.Options{RecordState: true})
			if err != nil {
				t.Fatal(err)
			}
			mid, end := api.Time(sc.Until)/3, api.Time(sc.Until)
			if err := c.AdvanceTo(mid); err != nil {
				t.Fatal(err)
			}
			snap := c.Snapshot()
			if err := c.AdvanceTo(end); err != nil {
				t.Fatal(err)
			}
			first := jsonl(t, c.Records())
			c.Restore(snap)
			if err := c.AdvanceTo(end); err != nil {
				t.Fatal(err)
			}
			if second := jsonl(t, c.Records()); first != second {
				t.Fatal("replay from the snapshot differs from the first run")
			}
		})
	}
}

func jsonl(t *testing.T, recs []trace.Record) string {
	var b bytes.Buffer
	if err := trace.WriteJSONL(&b, recs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
