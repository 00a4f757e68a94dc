package session

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/lesson"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
)

// Comparison resolves what the side-by-side page (compare.html) shows: the catalogue
// comparison name ("max-surge" or "max-surge.yaml"), or, with name "", the URL options q.
func Comparison(name string, q scenario.ComparisonQuery) (*scenario.Resolution, error) {
	var c *scenario.Comparison
	var err error
	if name != "" {
		file := name
		if len(file) < 5 || file[len(file)-5:] != ".yaml" {
			file += ".yaml"
		}
		data, rerr := scenarios.ReadComparison(file)
		if rerr != nil {
			return nil, fmt.Errorf("no comparison %q in the catalogue (it has: %v)", name, scenarios.ComparisonNames())
		}
		c, err = scenario.ParseComparison(file, data)
	} else {
		c, err = scenario.FromQuery(q)
	}
	if err != nil {
		return nil, err
	}
	return c.Resolve(scenarios.Read)
}

// Counts are the numbers a side of the comparison prints above its picture, at the
// displayed time: its pods, and its first workload's status as `kubectl get` shows it.
type Counts struct {
	T           float64 `json:"t"` // seconds
	Pods        int64   `json:"pods"`
	Ready       int64   `json:"ready"`       // Ready and not terminating
	Terminating int64   `json:"terminating"` // deletionTimestamp set
	// Workload is "Deployment/web" or "StatefulSet/web" (the first, by kind then name), or "".
	Workload string `json:"workload,omitempty"`
	Replicas int32  `json:"replicas"` // spec.replicas
	// Available is status.availableReplicas (a StatefulSet: status.readyReplicas), Updated
	// status.updatedReplicas: the READY and UP-TO-DATE columns.
	Available int32 `json:"available"`
	Updated   int32 `json:"updated"`
}

// countChecks are the pod counts, measured as a lesson's checks are (core/lesson).
var countChecks = func() (c [3]scenario.Check) {
	for i, text := range []string{"count pods", "count pods ready=true terminating=false", "count pods terminating=true"} {
		var err error
		if c[i], err = scenario.ParseCheck(text); err != nil {
			panic(err)
		}
	}
	return c
}()

// Counts measures the displayed moment.
func (s *Session) Counts() (Counts, error) {
	st := s.P.Cluster().Store()
	c := Counts{T: float64(s.P.Now()) / 1000}
	var n [3]int64
	for i, chk := range countChecks {
		v, err := lesson.Evaluate(st, chk)
		if err != nil {
			return c, err
		}
		n[i] = v
	}
	c.Pods, c.Ready, c.Terminating = n[0], n[1], n[2]
	if ds := st.List("Deployment", ""); len(ds) > 0 {
		d := ds[0].(*api.Deployment)
		c.Workload, c.Available, c.Updated = "Deployment/"+d.Name, d.Status.AvailableReplicas, d.Status.UpdatedReplicas
		if d.Spec.Replicas != nil {
			c.Replicas = *d.Spec.Replicas
		}
	} else if ss := st.List("StatefulSet", ""); len(ss) > 0 {
		d := ss[0].(*api.StatefulSet)
		c.Workload, c.Available, c.Updated = "StatefulSet/"+d.Name, d.Status.ReadyReplicas, d.Status.UpdatedReplicas
		if d.Spec.Replicas != nil {
			c.Replicas = *d.Spec.Replicas
		}
	}
	return c, nil
}
