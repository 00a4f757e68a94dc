package api

import (
	"fmt"
	"sort"
	"strings"
)

// scheduling.k8s.io/v1 PriorityClass (k8s.io/api/scheduling/v1 types.go), its defaults
// (pkg/apis/scheduling/v1/defaults.go: preemptionPolicy PreemptLowerPriority), its validation
// (pkg/apis/scheduling/validation ValidatePriorityClass, ValidatePriorityClassUpdate), the two
// built-in classes (pkg/apis/scheduling/types.go, v1/helpers.go SystemPriorityClasses) and the
// Priority admission plugin (plugin/pkg/admission/priority/admission.go), v1.37.2.

// Preemption policies (core/v1 PreemptionPolicy).
const (
	PreemptLowerPriority = "PreemptLowerPriority"
	PreemptNever         = "Never"
)

// Priority constants (pkg/apis/scheduling/types.go).
const (
	HighestUserDefinablePriority = 1000000000
	SystemCriticalPriority       = 2 * HighestUserDefinablePriority
	SystemPriorityClassPrefix    = "system-"
	SystemClusterCritical        = "system-cluster-critical"
	SystemNodeCritical           = "system-node-critical"
)

// PriorityClass is scheduling.k8s.io/v1 PriorityClass.
type PriorityClass struct {
	TypeMeta         `json:",inline"`
	ObjectMeta       `json:"metadata"`
	Value            int32   `json:"value"`
	GlobalDefault    bool    `json:"globalDefault,omitempty"`
	Description      string  `json:"description,omitempty"`
	PreemptionPolicy *string `json:"preemptionPolicy,omitempty"`
}

// PolicyOrDefault is the class's preemption policy (PreemptLowerPriority when unset).
func (pc *PriorityClass) PolicyOrDefault() string {
	if pc.PreemptionPolicy == nil {
		return PreemptLowerPriority
	}
	return *pc.PreemptionPolicy
}

func init() {
	addKind("PriorityClass", "scheduling.k8s.io/v1", false, func() Object { return &PriorityClass{} })
	RegisterDefaults("PriorityClass", func(o Object) {
		if pc := o.(*PriorityClass); pc.PreemptionPolicy == nil {
			pc.PreemptionPolicy = Ptr(PreemptLowerPriority)
		}
	})
	RegisterValidation("PriorityClass", func(o Object) ErrorList { return ValidatePriorityClass(o.(*PriorityClass)) })
	RegisterUpdateValidation("PriorityClass", func(n, o Object) ErrorList {
		return ValidatePriorityClassUpdate(n.(*PriorityClass), o.(*PriorityClass))
	})
}

// SystemPriorityClasses are the classes the API server creates at start-up
// (SystemPriorityClasses in pkg/apis/scheduling/v1/helpers.go). kubesim does not store them:
// they are known to admission and kubectl as if they were, created at t=0 and never deleted.
func SystemPriorityClasses() []*PriorityClass {
	mk := func(name string, v int32, desc string) *PriorityClass {
		return &PriorityClass{TypeMeta: TypeMeta{APIVersion: "scheduling.k8s.io/v1", Kind: "PriorityClass"},
			ObjectMeta: ObjectMeta{Name: name, UID: "system-priority-class-" + name},
			Value:      v, Description: desc, PreemptionPolicy: Ptr(PreemptLowerPriority)}
	}
	return []*PriorityClass{
		mk(SystemClusterCritical, SystemCriticalPriority, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
		mk(SystemNodeCritical, SystemCriticalPriority+1000, "Used for system critical pods that must not be moved from their current node."),
	}
}

// isKnownSystemPriorityClass is v1 IsKnownSystemPriorityClass.
func isKnownSystemPriorityClass(name string, value int32, globalDefault bool) error {
	for _, spc := range SystemPriorityClasses() {
		if spc.Name != name {
			continue
		}
		if spc.Value != value {
			return fmt.Errorf("value of %v PriorityClass must be %v", spc.Name, spc.Value)
		}
		if globalDefault {
			return fmt.Errorf("globalDefault of %v PriorityClass must be %v", spc.Name, false)
		}
		return nil
	}
	return fmt.Errorf("%v is not a known system priority class", name)
}

// ValidatePriorityClass is ValidatePriorityClass: a DNS-subdomain name; a name starting with
// "system-" must be one of the built-in classes with its value; any other class's value is at
// most HighestUserDefinablePriority; the preemption policy is one of the two.
func ValidatePriorityClass(pc *PriorityClass) ErrorList {
	errs := validateAppsName(pc.Name)
	if strings.HasPrefix(pc.Name, SystemPriorityClassPrefix) {
		if err := isKnownSystemPriorityClass(pc.Name, pc.Value, pc.GlobalDefault); err != nil {
			errs = append(errs, Forbidden("metadata.name", "priority class names with '"+SystemPriorityClassPrefix+"' prefix are reserved for system use only. error: "+err.Error()))
		}
	} else if pc.Value > HighestUserDefinablePriority {
		errs = append(errs, Forbidden("value", fmt.Sprintf("maximum allowed value of a user defined priority is %v", HighestUserDefinablePriority)))
	}
	if pc.PreemptionPolicy != nil {
		errs = append(errs, validatePreemptionPolicy("preemptionPolicy", *pc.PreemptionPolicy)...)
	}
	return errs
}

// validatePreemptionPolicy is core validation ValidatePreemptionPolicy.
func validatePreemptionPolicy(path, p string) ErrorList {
	switch p {
	case PreemptLowerPriority, PreemptNever:
		return nil
	case "":
		return ErrorList{Required(path, "")}
	}
	return ErrorList{NotSupported(path, p, PreemptNever, PreemptLowerPriority)}
}

// ValidatePriorityClassUpdate is ValidatePriorityClassUpdate: value and preemptionPolicy are
// immutable.
func ValidatePriorityClassUpdate(pc, old *PriorityClass) ErrorList {
	var errs ErrorList
	if pc.Value != old.Value {
		errs = append(errs, Forbidden("value", "may not be changed in an update."))
	}
	if pc.PolicyOrDefault() != old.PolicyOrDefault() {
		errs = append(errs, Invalid("preemptionPolicy", pc.PreemptionPolicy, immutableMsg))
	}
	return errs
}

// PriorityClassLister reads the stored PriorityClasses (cluster-scoped, by name).
type PriorityClassLister interface {
	List(kind, ns string) []Object
	Get(kind, key string) Object
}

// LookupPriorityClass finds a class by name among the stored ones and the built-ins.
func LookupPriorityClass(st PriorityClassLister, name string) *PriorityClass {
	if o := st.Get("PriorityClass", name); o != nil {
		return o.(*PriorityClass)
	}
	for _, spc := range SystemPriorityClasses() {
		if spc.Name == name {
			return spc
		}
	}
	return nil
}

// AllPriorityClasses lists the stored classes and the built-ins, by name.
func AllPriorityClasses(st PriorityClassLister) []*PriorityClass {
	var out []*PriorityClass
	seen := map[string]bool{}
	for _, o := range st.List("PriorityClass", "") {
		pc := o.(*PriorityClass)
		out = append(out, pc)
		seen[pc.Name] = true
	}
	for _, spc := range SystemPriorityClasses() {
		if !seen[spc.Name] {
			out = append(out, spc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// DefaultPriorityClass is getDefaultPriorityClass: the globalDefault class, the one with the
// lowest value if several are (a race upstream), or nil.
func DefaultPriorityClass(st PriorityClassLister) *PriorityClass {
	var def *PriorityClass
	for _, o := range st.List("PriorityClass", "") {
		pc := o.(*PriorityClass)
		if pc.GlobalDefault && (def == nil || pc.Value < def.Value) {
			def = pc
		}
	}
	return def
}

// AdmitPriorityClass is the Priority plugin's validation of a PriorityClass write: only one
// class may be globalDefault. It returns the Forbidden message, or "".
func AdmitPriorityClass(st PriorityClassLister, pc *PriorityClass, update bool) string {
	if !pc.GlobalDefault {
		return ""
	}
	if def := DefaultPriorityClass(st); def != nil && (!update || def.Name != pc.Name) {
		return fmt.Sprintf("PriorityClass %v is already marked as default. Only one default can exist", def.Name)
	}
	return ""
}

// AdmitPodPriority is the Priority admission plugin on pod creation: it resolves
// spec.priorityClassName (or the globalDefault class, or priority 0) into spec.priority and
// spec.preemptionPolicy. It returns the Forbidden message when the class does not exist or
// the pod sets a priority or policy that differs from the class's, else "".
func AdmitPodPriority(st PriorityClassLister, p *Pod) string {
	var priority int32
	policy := PreemptLowerPriority
	if p.Spec.PriorityClassName == "" {
		if def := DefaultPriorityClass(st); def != nil {
			p.Spec.PriorityClassName, priority, policy = def.Name, def.Value, def.PolicyOrDefault()
		}
	} else {
		pc := LookupPriorityClass(st, p.Spec.PriorityClassName)
		if pc == nil {
			return fmt.Sprintf("no PriorityClass with name %v was found", p.Spec.PriorityClassName)
		}
		priority, policy = pc.Value, pc.PolicyOrDefault()
	}
	if p.Spec.Priority != nil && *p.Spec.Priority != priority {
		return fmt.Sprintf("the integer value of priority (%d) must not be provided in pod spec; priority admission controller computed %d from the given PriorityClass name", *p.Spec.Priority, priority)
	}
	if p.Spec.PreemptionPolicy != nil && *p.Spec.PreemptionPolicy != policy {
		return fmt.Sprintf("the string value of PreemptionPolicy (%s) must not be provided in pod spec; priority admission controller computed %s from the given PriorityClass name", *p.Spec.PreemptionPolicy, policy)
	}
	p.Spec.Priority = &priority
	p.Spec.PreemptionPolicy = &policy
	return ""
}

// PodPriority is corev1helpers.PodPriority: spec.priority, 0 when unset.
func PodPriority(p *Pod) int32 { return Deref(p.Spec.Priority, 0) }
