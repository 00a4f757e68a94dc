package session

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/scenarios"
)

// TestGuarantees: the markers are computed in slices after the first call, and again for a
// new fork when the user runs a command.
func TestGuarantees(t *testing.T) {
	data, err := scenarios.Read("node-failure.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load("node-failure.yaml", string(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	finish := func() Guarantees {
		s.Guarantees()
		for n := 0; s.ComputeGuarantees(8); n++ {
			if n > 100_000 {
				t.Fatal("the markers' computation does not end")
			}
		}
		return s.Guarantees()
	}
	if g := s.Guarantees(); g.Done {
		t.Errorf("done before any computation: %+v", g)
	}
	g := finish()
	broke := func(g Guarantees, t0 float64, text string) bool {
		for _, m := range g.Markers {
			if !m.Held && m.T == t0 && strings.Contains(m.Text, text) {
				return true
			}
		}
		return false
	}
	if !g.Done || !broke(g, 60, "db-2 still gets traffic from db, but node-2 failed") {
		t.Fatalf("node-failure markers: %+v", g)
	}
	// A fork: recover node-2 at once; db-2's stretch of traffic it cannot serve is shorter.
	if err := s.Seek(62); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run("recover node/node-2"); err != nil {
		t.Fatal(err)
	}
	g = finish()
	for _, m := range g.Markers {
		if m.Held && m.T == 62 && strings.Contains(m.Text, "db-2 no longer gets traffic") && strings.Contains(m.Why, "after 2s") {
			return
		}
	}
	t.Errorf("after recover node/node-2 at 62 s, want db-2's traffic marker closed at 62 s; markers: %+v", g.Markers)
}
