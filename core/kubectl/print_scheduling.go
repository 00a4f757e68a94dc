package kubectl

import (
	"strconv"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// PriorityClass's table printer (pkg/printers/internalversion/printers.go printPriorityClass)
// and describer (k8s.io/kubectl pkg/describe/describe.go describePriorityClass), v1.37.2.
// The built-in classes are listed with the stored ones (kubesim keeps them out of the store).

func init() {
	RegisterPrinter(&TablePrinter{
		Kind:    "PriorityClass",
		Headers: []string{"NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			pc := o.(*api.PriorityClass)
			policy := ""
			if pc.PreemptionPolicy != nil {
				policy = *pc.PreemptionPolicy
			}
			return []string{pc.Name, strconv.Itoa(int(pc.Value)), strconv.FormatBool(pc.GlobalDefault), age(pc.CreationTimestamp, now), policy}
		},
	})
	RegisterTabbedDescriber("PriorityClass", func(env *Env, o api.Object, w *PrefixWriter) {
		pc := o.(*api.PriorityClass)
		w.Write(0, "Name:\t%s\n", pc.Name)
		w.Write(0, "Value:\t%d\n", pc.Value)
		w.Write(0, "GlobalDefault:\t%v\n", pc.GlobalDefault)
		w.Write(0, "PreemptionPolicy:\t%s\n", pc.PolicyOrDefault())
		w.Write(0, "Description:\t%s\n", pc.Description)
		w.Write(0, "Annotations:\t%s\n", api.FormatLabels(pc.Annotations))
	})
}

func priorityClassObjects(st *store.Store) []api.Object {
	var out []api.Object
	for _, pc := range api.AllPriorityClasses(st) {
		out = append(out, pc)
	}
	return out
}
