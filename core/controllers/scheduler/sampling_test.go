package scheduler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// The sample size of pkg/scheduler/schedule_one.go numFeasibleNodesToFind with
// percentageOfNodesToScore unset (its unit test TestNumFeasibleNodesToFind has the same
// arithmetic: 50% - nodes/125, at least 5%, at least 100 nodes).
func TestNumFeasibleNodesToFind(t *testing.T) {
	for _, c := range []struct{ nodes, want int }{
		{0, 0}, {10, 10}, {99, 99}, {100, 100}, {150, 100}, {200, 100}, {250, 120},
		{500, 230}, {1000, 420}, {5000, 500}, {6000, 300},
	} {
		if got := numFeasibleNodesToFind(c.nodes); got != c.want {
			t.Errorf("numFeasibleNodesToFind(%d) = %d; want %d", c.nodes, got, c.want)
		}
	}
}

// On 1,000 nodes an attempt filters until 420 nodes passed, from where the last attempt
// stopped (nextStartNodeIndex): the first pod scores node-0001..node-0420 (node-0001 to
// node-0003 full, so 423 processed), the second starts at node-0424.
func TestFilteringStopsAfterTheSampleAndRotates(t *testing.T) {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	for i := 1; i <= 1000; i++ {
		must(t, ctx.Create(node(fmt.Sprintf("node-%04d", i), "2")))
	}
	for i := 1; i <= 3; i++ {
		must(t, ctx.Create(pod(fmt.Sprintf("big-%d", i), "2", fmt.Sprintf("node-%04d", i))))
	}
	must(t, ctx.Create(pod("a", "500m", "")))
	must(t, ctx.Create(pod("b", "500m", "")))
	must(t, e.AdvanceTo(0))
	a := e.Store().Get("Pod", "default/a").(*api.Pod).Spec.NodeName
	if a < "node-0004" || a > "node-0423" {
		t.Errorf("pod a went to %s, outside the nodes its attempt scored", a)
	}
	b := e.Store().Get("Pod", "default/b").(*api.Pod).Spec.NodeName
	if b < "node-0424" || b > "node-0843" {
		t.Errorf("pod b went to %s; want one of node-0424..node-0843", b)
	}
	if got := getCursor(e.Store()); got != 843 {
		t.Errorf("nextStartNodeIndex after two pods = %d; want 843 (3 rejected + 420 feasible, twice 420)", got)
	}
	var why string
	for _, r := range e.Records() {
		if r.Explain != nil && strings.Contains(r.Explain.Message, "assigned to "+b) {
			why = r.Explain.Message
		}
	}
	if !strings.Contains(why, "580 nodes not evaluated: the default percentageOfNodesToScore stops filtering after 420 feasible nodes of 1000, starting from node-0424") {
		t.Errorf("the Why of b does not explain the sample: %q", why)
	}
}

// Below 100 nodes every node is filtered and the cursor never moves (no object written).
func TestSmallClustersFilterEveryNode(t *testing.T) {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(Controller{})
	ctx := e.ActionContext("test")
	for i := 1; i <= 99; i++ {
		must(t, ctx.Create(node(fmt.Sprintf("node-%02d", i), "2")))
	}
	for i := range 5 {
		must(t, ctx.Create(pod(fmt.Sprintf("p-%d", i), "500m", "")))
	}
	must(t, e.AdvanceTo(0))
	if e.Store().Get(CursorKind, Name) != nil {
		t.Error("a cursor was written on a 99-node cluster")
	}
}
