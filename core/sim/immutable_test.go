package sim_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/check"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
)

// TestStoredObjectsAreNeverModified: the controllers share memory with stored objects (a
// status write's copy keeps the stored spec, the kubelet's allocations and conditions, a
// ReplicaSet's pods their prototype's spec), which is right only while nothing writes into an
// object once it is stored, old versions included (snapshots and watch events hold them).
// Every object written in the whole catalogue is copied when it is stored and compared with
// its copy when the run ends.
func TestStoredObjectsAreNeverModified(t *testing.T) {
	eachCatalogueScenario(t, func(name string, sc *scenario.Scenario) { checkNeverModified(t, name, sc) })
	// Generated scenarios (kubesim check's) mix more at once: drains, node failures, HPAs,
	// resizes, ConfigMaps, claims.
	for seed := uint64(1); seed <= 60; seed++ {
		sc, err := check.Generate(seed, 0).Parse()
		if err != nil {
			t.Fatal(err)
		}
		checkNeverModified(t, fmt.Sprintf("check seed %d", seed), sc)
	}
}

func checkNeverModified(t *testing.T, name string, sc *scenario.Scenario) {
	t.Helper()
	type written struct {
		o, copy api.Object
		what    string
	}
	var all []written
	runWatching(t, name, sc, cluster.Options{RecordState: true}, func(_ *cluster.Cluster, ch store.Change) {
		if ch.New != nil {
			all = append(all, written{ch.New, api.Clone(ch.New), fmt.Sprintf("%s %s (resourceVersion %d)", ch.Kind, ch.Key, ch.New.Meta().ResourceVersion)})
		}
	})
	for _, w := range all {
		if !reflect.DeepEqual(w.o, w.copy) {
			t.Errorf("%s: %s was modified after it was stored:\n now  %+v\n then %+v", name, w.what, w.o, w.copy)
		}
	}
}
