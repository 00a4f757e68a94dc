// Package lesson evaluates a lesson's answers on the simulated cluster: a Check over the
// objects in the store at a step's time, and a whole lesson played from t=0 with every
// step's answer. The answer always comes from the simulation, never from the file.
package lesson

import (
	"fmt"
	"strconv"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
)

// Evaluate computes a check on the objects in st. A min-ordinal or max-ordinal over no pods
// is an error (there is no answer), not a number.
func Evaluate(st *store.Store, c scenario.Check) (int64, error) {
	switch c.Measure {
	case "revision":
		return revision(st, c)
	case "count", "min-ordinal", "max-ordinal":
	default:
		return 0, fmt.Errorf("unknown measure %q", c.Measure)
	}
	var n, lo, hi int64
	lo, hi = -1, -1
	for _, o := range st.List(c.Kind, "") {
		if !matches(st, o, c) {
			continue
		}
		n++
		if c.Kind == "Pod" && c.Measure != "count" {
			ord, err := strconv.ParseInt(o.Meta().Labels[api.PodIndexLabel], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: pod %s is not a StatefulSet pod (no %s label)", c.Text, o.Meta().Name, api.PodIndexLabel)
			}
			if lo < 0 || ord < lo {
				lo = ord
			}
			if ord > hi {
				hi = ord
			}
		}
	}
	switch c.Measure {
	case "min-ordinal", "max-ordinal":
		if n == 0 {
			return 0, fmt.Errorf("%s: no pod matches", c.Text)
		}
		if c.Measure == "min-ordinal" {
			return lo, nil
		}
		return hi, nil
	}
	return n, nil
}

func matches(st *store.Store, o api.Object, c scenario.Check) bool {
	m := o.Meta()
	if c.Labels != nil && !api.SelectorMatchesMap(c.Labels, m.Labels) {
		return false
	}
	if c.Revision != nil && objectRevision(st, o) != *c.Revision {
		return false
	}
	p, ok := o.(*api.Pod)
	if !ok {
		return true
	}
	if c.Image != "" && !hasImage(p, c.Image) {
		return false
	}
	if c.Ready != nil && p.IsReady() != *c.Ready {
		return false
	}
	if c.Terminating != nil && (m.DeletionTimestamp != nil) != *c.Terminating {
		return false
	}
	if c.Status != "" && api.PodStatusColumn(p) != c.Status {
		return false
	}
	return true
}

func hasImage(p *api.Pod, image string) bool {
	for _, ct := range p.Spec.Containers {
		if ct.Image == image {
			return true
		}
	}
	return false
}

// objectRevision is a ReplicaSet's revision, or a pod's: its controlling ReplicaSet's
// deployment.kubernetes.io/revision, or the number of the ControllerRevision its
// controller-revision-hash label names. 0 when it has none.
func objectRevision(st *store.Store, o api.Object) int64 {
	m := o.Meta()
	if _, ok := o.(*api.ReplicaSet); ok {
		return api.Revision(m)
	}
	if ref := api.ControllerOf(m); ref != nil && ref.Kind == "ReplicaSet" {
		if rs := st.Get("ReplicaSet", m.Namespace+"/"+ref.Name); rs != nil {
			return api.Revision(rs.Meta())
		}
		return 0
	}
	if h := m.Labels[api.ControllerRevisionHash]; h != "" {
		if cr, ok := st.Get("ControllerRevision", m.Namespace+"/"+h).(*api.ControllerRevision); ok {
			return cr.Revision
		}
	}
	return 0
}

// revision reads a workload's current revision number. Checks name objects in the default
// namespace, as the scenario's kubectl commands do.
func revision(st *store.Store, c scenario.Check) (int64, error) {
	o := st.Get(c.Kind, "default/"+c.Name)
	if o == nil {
		return 0, fmt.Errorf("%s: %s %q does not exist", c.Text, c.Kind, c.Name)
	}
	switch w := o.(type) {
	case *api.Deployment:
		return api.Revision(&w.ObjectMeta), nil
	case *api.StatefulSet:
		cr, ok := st.Get("ControllerRevision", w.Namespace+"/"+w.Status.UpdateRevision).(*api.ControllerRevision)
		if !ok {
			return 0, fmt.Errorf("%s: StatefulSet %q has no update revision yet", c.Text, c.Name)
		}
		return cr.Revision, nil
	}
	return 0, fmt.Errorf("%s: not a workload", c.Text)
}

// Answer is a step's simulated answer.
type Answer struct {
	Step  int
	Value int64
	// Err is why the check has no answer at that moment (e.g. no pod matches).
	Err error
}

// Run plays the scenario from t=0 through every lesson step and evaluates each prediction
// at its step's time (after every action of that instant). It returns one Answer per step
// with a prediction, in step order.
func Run(sc *scenario.Scenario, seed uint64) ([]Answer, error) {
	if sc.Lesson == nil {
		return nil, fmt.Errorf("%s: no Lesson document", sc.File)
	}
	c, err := cluster.New(sc, cluster.Options{Seed: seed})
	if err != nil {
		return nil, err
	}
	var out []Answer
	for i, st := range sc.Lesson.Steps {
		if err := c.AdvanceTo(st.At); err != nil {
			return out, err
		}
		if st.Predict == nil {
			continue
		}
		v, err := Evaluate(c.Store(), st.Predict.Check)
		out = append(out, Answer{Step: i, Value: v, Err: err})
	}
	return out, nil
}

// Verify compares each prediction's `expect` with the simulation and checks the simulated
// answer is one of the choices; the errors name the file and line of the step.
func Verify(sc *scenario.Scenario) error {
	answers, err := Run(sc, 0)
	if err != nil {
		return err
	}
	var errs scenario.ErrorList
	for _, a := range answers {
		st := sc.Lesson.Steps[a.Step]
		pr := st.Predict
		path := fmt.Sprintf("steps[%d].predict", a.Step)
		add := func(line int, field, format string, args ...any) {
			errs = append(errs, &scenario.Error{File: sc.File, Line: line, Object: "Lesson", Path: path + field, Msg: fmt.Sprintf(format, args...)})
		}
		at := api.Duration(st.At).String()
		switch {
		case a.Err != nil:
			add(st.Line, ".check", "at %s: %v", at, a.Err)
		case pr.Expect != nil && *pr.Expect != a.Value:
			add(pr.ExpectLine, ".expect", "the simulation gives %d at %s (%s), not %d", a.Value, at, pr.Check.Text, *pr.Expect)
		case len(pr.Choices) > 0 && !contains(pr.Choices, a.Value):
			add(st.Line, ".choices", "the simulation gives %d at %s (%s), which is not among the choices %v", a.Value, at, pr.Check.Text, pr.Choices)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func contains(s []int64, v int64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
