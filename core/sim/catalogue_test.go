package sim_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/scenarios"
)

// eachCatalogueScenario calls fn with every catalogue scenario, parsed.
func eachCatalogueScenario(t *testing.T, fn func(name string, sc *scenario.Scenario)) {
	t.Helper()
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Parse(name)
		if err != nil {
			t.Fatal(err)
		}
		fn(name, sc)
	}
}

// runWatching runs sc to its end with listen called after every store change (and after the
// engine's own dispatch).
func runWatching(t *testing.T, name string, sc *scenario.Scenario, opts cluster.Options, listen func(c *cluster.Cluster, ch store.Change)) {
	t.Helper()
	c, err := cluster.New(sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	c.Store().Listen(func(ch store.Change) { listen(c, ch) })
	if err := c.AdvanceTo(api.Time(sc.Until)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
