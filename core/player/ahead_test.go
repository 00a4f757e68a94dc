package player

import (
	"bytes"
	"slices"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/trace"
)

func jsonlOf(t testing.TB, p *Player) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := trace.WriteJSONL(&b, p.Records()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// computeAhead runs ComputeAhead in slices of budget reconciles until it has nothing left,
// and returns how many slices it took.
func computeAhead(t testing.TB, p *Player, budget int) int {
	t.Helper()
	n := 0
	for ; ; n++ {
		more, err := p.ComputeAhead(budget)
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			return n
		}
		if n > 1_000_000 {
			t.Fatal("ComputeAhead never finished")
		}
	}
}

func snapTimes(p *Player) []api.Time {
	var ts []api.Time
	for _, s := range p.snaps {
		ts = append(ts, s.s.Time())
	}
	return ts
}

// TestComputeAheadSameTimeline: the timeline a scout computes past the frontier while the
// viewer stays at 5 s is, byte for byte, the one the displayed cluster computes playing
// through; its snapshots are taken at the same moments (so a seek anywhere starts from one
// at most SnapshotEvery back); and the displayed state at any moment afterwards is the
// state a player without a scout shows.
func TestComputeAheadSameTimeline(t *testing.T) {
	played := newPlayer(t)
	seek(t, played, int64(played.End()))

	ahead := newPlayer(t)
	seek(t, ahead, 5_000)
	if n := computeAhead(t, ahead, 3); n < 10 {
		t.Fatalf("the look-ahead took %d slices; want it spread over many", n)
	}
	if ahead.KnownTo() != ahead.End() {
		t.Fatalf("after the look-ahead the timeline is known to %d, want the end %d", ahead.KnownTo(), ahead.End())
	}
	if ahead.Now() != 5_000 {
		t.Fatalf("ComputeAhead moved the displayed time to %d", ahead.Now())
	}
	if a, b := jsonlOf(t, played), jsonlOf(t, ahead); !bytes.Equal(a, b) {
		t.Fatalf("the look-ahead's timeline differs: %d bytes vs %d played", len(b), len(a))
	}
	if a, b := snapTimes(played), snapTimes(ahead); !slices.Equal(a, b) {
		t.Fatalf("snapshots at %v after look-ahead, %v after playing", b, a)
	}
	for _, ms := range []int64{47_000, 13_000, 31_500, 60_000} {
		seek(t, played, ms)
		seek(t, ahead, ms)
		if a, b := dump(t, played.Cluster().Store()), dump(t, ahead.Cluster().Store()); a != b {
			t.Fatalf("state at %d ms differs after look-ahead", ms)
		}
	}
}

// TestComputeAheadAfterFork: a user command discards the scout's future with the rest of
// the old one; the look-ahead then computes the forked timeline, which equals the one the
// displayed cluster computes after the same command.
func TestComputeAheadAfterFork(t *testing.T) {
	const cmd = "kubectl scale deployment/web --replicas=6"
	played := newPlayer(t)
	seek(t, played, 20_000)
	if _, err := played.Do(cmd); err != nil {
		t.Fatal(err)
	}
	seek(t, played, int64(played.End()))

	ahead := newPlayer(t)
	seek(t, ahead, 10_000)
	computeAhead(t, ahead, 5)
	seek(t, ahead, 20_000)
	if _, err := ahead.Do(cmd); err != nil {
		t.Fatal(err)
	}
	// Half the forked future, then the viewer moves on past the scout, then the rest.
	for range 20 {
		if _, err := ahead.ComputeAhead(5); err != nil {
			t.Fatal(err)
		}
	}
	seek(t, ahead, 35_000)
	computeAhead(t, ahead, 5)
	seek(t, ahead, int64(ahead.End()))
	if a, b := jsonlOf(t, played), jsonlOf(t, ahead); !bytes.Equal(a, b) {
		t.Fatalf("the forked timeline differs after look-ahead: %d bytes vs %d", len(b), len(a))
	}
	if a, b := dump(t, played.Cluster().Store()), dump(t, ahead.Cluster().Store()); a != b {
		t.Fatal("the state at the end differs after look-ahead")
	}
}
