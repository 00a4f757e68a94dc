package view

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// TestOverviewOfAThousandNodes (issue 14): 10,000 pods on 1,000 nodes are drawn as zone
// cards of node tiles: every node is on the canvas and clickable, the zone counts add up,
// a failed node is crossed out, and the text stays a few dozen labels, not thousands.
func TestOverviewOfAThousandNodes(t *testing.T) {
	s := manyPods(t, 1000, 10000)
	n, _ := store.GetAs[*api.Node](s, "Node", "node-7")
	failed := api.Clone(n)
	failed.Annotations = map[string]string{"kubesim.dev/failed": "true"}
	if err := s.Update(failed); err != nil {
		t.Fatal(err)
	}
	f := Build(&Input{Store: s, Now: 1000, W: 1280, H: 800, Theme: Light})
	if len(f.Texts) > 80 {
		t.Errorf("%d texts; the overview should label zones, not nodes", len(f.Texts))
	}
	hits := map[string]Hit{}
	for _, h := range f.Hits {
		hits[h.Ref] = h
	}
	for i := 1; i <= 1000; i++ {
		ref := fmt.Sprintf("Node/node-%d", i)
		h, ok := hits[ref]
		if !ok {
			t.Fatalf("%s has no tile", ref)
		}
		if h.X < 0 || h.Y < 0 || h.X+h.W > f.W || h.Y+h.H > f.H*0.83 || h.W < 6 {
			t.Fatalf("%s tile %+v is off the node area or too small", ref, h)
		}
		if got := f.HitTest(h.X+h.W/2, h.Y+h.H/2); got != ref {
			t.Fatalf("click on %s's tile selects %q", ref, got)
		}
	}
	var labels []string
	for _, x := range f.Texts {
		labels = append(labels, x.S)
	}
	all := strings.Join(labels, "\n")
	// 1,000 nodes round-robin over three zones; manyPods puts pod i on node 1+i%1000 and
	// gives it kinds[i%6] (3 of 6 ready), so zone-a holds 334 nodes and 3,340 pods.
	for _, want := range []string{"zone-a · 334 nodes", "zone-b · 333 nodes", "3,340 pods · 1,670 Ready · 668 not ready", "1 NotReady"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in the labels:\n%s", want, all)
		}
	}
	h := hits["Node/node-7"]
	crossed := false
	for _, r := range f.Rects {
		if r.Pattern == Cross && r.X == h.X && r.Y == h.Y {
			crossed = true
		}
	}
	if !crossed {
		t.Error("the failed node-7 is not crossed out")
	}
}

// TestOverviewOnlyForBigClusters: 100 nodes still get node cards with pods in them (the
// browser test's 1,000-pod scenario), and so do a few nodes on a small canvas.
func TestOverviewOnlyForBigClusters(t *testing.T) {
	for _, c := range []struct {
		nodes, pods int
		w, h        float32
	}{{100, 1000, 1280, 800}, {20, 40, 800, 600}} {
		f := Build(&Input{Store: manyPods(t, c.nodes, c.pods), Now: 1000, W: c.w, H: c.h, Theme: Light})
		if f.Items["Pod/default/web-00000"] == nil {
			t.Errorf("%d nodes at %vx%v: pods are not drawn in node cards", c.nodes, c.w, c.h)
		}
	}
}
