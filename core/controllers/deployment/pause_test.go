package deployment_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/trace"
)

// Resuming a Deployment whose template changed while paused: the first sync writes the
// DeploymentResumed condition and goes on with the object it read, whose resourceVersion
// is now stale (v1.37.2 sync.go checkPausedConditions, then syncDeployment carries on): it
// creates the new ReplicaSet and conflicts on its own next write of the Deployment; the
// next sync (its own write queued it again) scales the old ReplicaSet down (conformance
// seed 650, where that order decided which pods the old set lost: the new set's pods
// were bound by then).
func TestResumeCreatesNewReplicaSetThenConflicts(t *testing.T) {
	w := newWorld(t, r5())
	w.create(newDeployment(4, "1", "1", "web:1", 0))
	w.run(api.Seconds(30))
	w.edit(func(d *api.Deployment) { d.Spec.Paused = true })
	w.run(api.Seconds(10))
	w.setImage("web:2")
	w.run(api.Seconds(10))
	if got := w.sizes(); got != "(4)" {
		t.Fatalf("paused: sizes %s, want (4)", got)
	}
	resumed := w.e.Now()
	w.edit(func(d *api.Deployment) { d.Spec.Paused = false })
	var got []string
	for _, r := range w.e.Records() {
		if r.T != resumed {
			continue
		}
		switch {
		case r.Type == trace.TypeEvent && r.Event.Reason == "ScalingReplicaSet":
			got = append(got, strings.Fields(r.Event.Message)[1]+" "+r.Event.Message[strings.LastIndex(r.Event.Message, "from"):])
		case r.Type == trace.TypeExplain && r.Explain.Controller == "deployment-controller" && strings.Contains(r.Explain.Message, "the object has been modified"):
			got = append(got, "conflict")
		}
	}
	diffLists(t, "at the resume", got, []string{"up from 0 to 1", "conflict", "down from 4 to 3", "up from 1 to 2"})
}
