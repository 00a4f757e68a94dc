package lesson_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/lesson"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
)

// Every lesson in the catalogue states an expected answer for each prediction, and the
// simulation gives exactly that answer, one of the choices offered: a change to the
// simulator that alters what a class is taught fails here.
func TestCatalogueLessons(t *testing.T) {
	var n int
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Parse(name)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Lesson == nil {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			predictions := 0
			for i, st := range sc.Lesson.Steps {
				if st.Predict != nil {
					predictions++
					if st.Predict.Expect == nil {
						t.Errorf("steps[%d] (line %d): a catalogue prediction must state its expected answer", i, st.Line)
					}
				}
			}
			if predictions < 3 {
				t.Errorf("%d predictions; a catalogue lesson asks at least 3", predictions)
			}
			if err := lesson.Verify(sc); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n < 3 {
		t.Fatalf("%d lessons in the catalogue; want at least 3", n)
	}
}

// A lesson whose claimed answer is not what the simulation gives fails verification at the
// line of its expect, saying what the simulation gives.
func TestVerifyCatchesAStaleAnswer(t *testing.T) {
	data, _ := scenarios.Read("lesson-rollback-renumbering.yaml")
	text := strings.Replace(string(data), "check: \"revision deployment/web\"\n      expect: 3", "check: \"revision deployment/web\"\n      expect: 1", 1)
	sc, err := scenario.Parse("stale.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	err = lesson.Verify(sc)
	line := sc.Lesson.Steps[2].Predict.ExpectLine
	want := "stale.yaml:" + strconv.Itoa(line) + ": Lesson: steps[2].predict.expect: the simulation gives 3 at 1m0s (revision deployment/web), not 1"
	if err == nil || err.Error() != want {
		t.Fatalf("Verify = %v\nwant %s", err, want)
	}
}

// The measures read the simulated objects: pods by image, readiness and revision (through
// their ReplicaSet), ReplicaSets, and StatefulSet ordinals and revisions.
func TestEvaluate(t *testing.T) {
	at := func(name string, t0 api.Time) *cluster.Cluster {
		sc, err := scenarios.Parse(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cluster.New(sc, cluster.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AdvanceTo(t0); err != nil {
			t.Fatal(err)
		}
		return c
	}
	eval := func(c *cluster.Cluster, expr string) (int64, error) {
		ch, err := scenario.ParseCheck(expr)
		if err != nil {
			t.Fatal(err)
		}
		return lesson.Evaluate(c.Store(), ch)
	}
	// rolling-update at 37 s: old RS (rev 1) at 1 pod plus terminating ones; new RS (rev 2) at 4.
	c := at("rolling-update.yaml", 37*1000)
	for expr, want := range map[string]int64{
		"count pods revision=2":                                  4,
		"count pods revision=2 ready=true":                       2,
		"count pods image=web:2.0":                               4,
		"count pods revision=1 terminating=false":                1,
		"count pods -l app=web,nope=x":                           0,
		"count replicasets revision=1":                           1,
		"count rs -l app=web":                                    2,
		"revision deployment/web":                                2,
		"count pods status=Running revision=1 terminating=false": 1,
	} {
		if got, err := eval(c, expr); err != nil || got != want {
			t.Errorf("rolling-update at 37s: %s = %d, %v; want %d", expr, got, err, want)
		}
	}
	if _, err := eval(c, "min-ordinal pods"); err == nil || !strings.Contains(err.Error(), "is not a StatefulSet pod") {
		t.Errorf("min-ordinal of Deployment pods: %v", err)
	}
	if _, err := eval(c, "revision statefulset/web"); err == nil || !strings.Contains(err.Error(), `StatefulSet "web" does not exist`) {
		t.Errorf("revision of a missing StatefulSet: %v", err)
	}
	// sts-scale during its ordered start: web-0 Ready, web-1 starting.
	s := at("sts-broken-update.yaml", 60*1000)
	for expr, want := range map[string]int64{
		"min-ordinal pods -l app=nginx":            0,
		"max-ordinal pods -l app=nginx ready=true": 1,
		"min-ordinal pods image=nginx:1.27-typo":   2,
		"count pods revision=2":                    1,
		"revision sts/web":                         3,
	} {
		if got, err := eval(s, expr); err != nil || got != want {
			t.Errorf("sts-broken-update at 60s: %s = %d, %v; want %d", expr, got, err, want)
		}
	}
	if _, err := eval(s, "max-ordinal pods image=none"); err == nil || !strings.Contains(err.Error(), "no pod matches") {
		t.Errorf("max-ordinal of no pods: %v", err)
	}
}
