package session

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/scenarios"
)

// TestBeginComputesInSlices: Begin leaves the t=0 instant to Compute, which the page calls
// between frames; it ends on the moment Load opens on, and a Tick does not play past it.
func TestBeginComputesInSlices(t *testing.T) {
	data, err := scenarios.Read("rolling-update.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "replicas: 4", "replicas: 500", 1)
	whole, err := Load("edited.yaml", text, 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Begin("edited.yaml", text, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Playing = true
	slices := 0
	for s.Starting() {
		if err := s.Tick(100); err != nil || s.P.Now() != 0 {
			t.Fatalf("Tick while computing: err %v, now %v", err, s.P.Now())
		}
		if _, err := s.Compute(20); err != nil {
			t.Fatal(err)
		}
		slices++
	}
	if slices < 10 || len(s.P.Records()) != len(whole.P.Records()) || s.P.Cluster().Store().Len("Pod") != 500 {
		t.Fatalf("%d slices, %d records (want %d), %d pods", slices, len(s.P.Records()), len(whole.P.Records()), s.P.Cluster().Store().Len("Pod"))
	}
}
