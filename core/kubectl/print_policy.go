package kubectl

import (
	"strconv"

	"github.com/kubesim/kubesim/core/api"
)

// PodDisruptionBudget's table printer (pkg/printers/internalversion/printers.go
// printPodDisruptionBudget) and describer (k8s.io/kubectl pkg/describe/describe.go
// describePodDisruptionBudgetV1), v1.37.2.

func init() {
	RegisterPrinter(&TablePrinter{
		Kind:    "PodDisruptionBudget",
		Headers: []string{"NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			p := o.(*api.PodDisruptionBudget)
			return []string{p.Name, intOrNA(p.Spec.MinAvailable), intOrNA(p.Spec.MaxUnavailable),
				strconv.Itoa(int(p.Status.DisruptionsAllowed)), age(p.CreationTimestamp, now)}
		},
	})
	RegisterTabbedDescriber("PodDisruptionBudget", describePDB)
}

func intOrNA(v *api.IntOrString) string {
	if v == nil {
		return "N/A"
	}
	return v.String()
}

func describePDB(env *Env, o api.Object, w *PrefixWriter) {
	p := o.(*api.PodDisruptionBudget)
	w.Write(0, "Name:\t%s\n", p.Name)
	w.Write(0, "Namespace:\t%s\n", p.Namespace)
	if p.Spec.MinAvailable != nil {
		w.Write(0, "Min available:\t%s\n", p.Spec.MinAvailable.String())
	} else if p.Spec.MaxUnavailable != nil {
		w.Write(0, "Max unavailable:\t%s\n", p.Spec.MaxUnavailable.String())
	}
	if p.Spec.Selector != nil {
		w.Write(0, "Selector:\t%s\n", p.Spec.Selector.String())
	} else {
		w.Write(0, "Selector:\t<unset>\n")
	}
	w.Write(0, "Status:\n")
	w.Write(2, "Allowed disruptions:\t%d\n", p.Status.DisruptionsAllowed)
	w.Write(2, "Current:\t%d\n", p.Status.CurrentHealthy)
	w.Write(2, "Desired:\t%d\n", p.Status.DesiredHealthy)
	w.Write(2, "Total:\t%d\n", p.Status.ExpectedPods)
}
