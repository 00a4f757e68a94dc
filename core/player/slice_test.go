package player

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
)

// TestSeekSliceSameTrace: a big apply's t=0 instant computed in slices of a few reconciles
// (the page between frames) writes byte for byte the trace of computing it at once, and the
// timeline after it is the same.
func TestSeekSliceSameTrace(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/rolling-update.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse("big-apply.yaml", []byte(strings.Replace(string(data), "replicas: 4", "replicas: 1500", 1)))
	if err != nil {
		t.Fatal(err)
	}
	jsonl := func(p *Player) []byte {
		var b bytes.Buffer
		if err := trace.WriteJSONL(&b, p.Records()); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	whole, err := New(sc, 0)
	if err != nil {
		t.Fatal(err)
	}
	seek(t, whole, 0)
	sliced, err := New(sc, 0)
	if err != nil {
		t.Fatal(err)
	}
	slices, busy := 0, false
	for {
		done, err := sliced.SeekSlice(0, 7)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
		slices++
		if c, n := sliced.Computing(); c && n > 0 {
			busy = true
		}
	}
	if slices < 100 || !busy {
		t.Fatalf("the t=0 instant took %d slices (busy seen: %v); want it spread over many", slices, busy)
	}
	if a, b := jsonl(whole), jsonl(sliced); !bytes.Equal(a, b) {
		t.Fatalf("sliced trace differs at t=0: %d bytes vs %d at once", len(b), len(a))
	}
	seek(t, whole, 40_000)
	seek(t, sliced, 40_000)
	if a, b := jsonl(whole), jsonl(sliced); !bytes.Equal(a, b) || len(a) == 0 {
		t.Fatalf("sliced timeline differs to 40 s: %d bytes vs %d", len(b), len(a))
	}
}

// TestSeekSliceInterrupted: a Seek in the middle of a sliced instant finishes it first.
func TestSeekSliceInterrupted(t *testing.T) {
	sc := bigScenario(t, 3, 300)
	whole, _ := New(sc, 0)
	seek(t, whole, 10_000)
	p, _ := New(sc, 0)
	for range 5 {
		if done, err := p.SeekSlice(0, 3); err != nil || done {
			t.Fatalf("SeekSlice: done %v, err %v; want a half-run instant", done, err)
		}
	}
	seek(t, p, 10_000)
	if c, _ := p.Computing(); c || len(p.Records()) != len(whole.Records()) {
		t.Fatalf("after Seek: computing %v, %d records; want %d", c, len(p.Records()), len(whole.Records()))
	}
}
