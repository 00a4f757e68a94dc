package api

import "fmt"

// policy/v1 PodDisruptionBudget (k8s.io/api/policy/v1 types.go) with its validation
// (pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec, v1.37.2). policy/v1 has no
// defaults: a budget with neither minAvailable nor maxUnavailable is valid (and, expecting no
// pods, allows no disruption).

// PDB condition, reasons and the Eviction API's cause type (policy/v1 types.go).
const (
	DisruptionAllowedCondition = "DisruptionAllowed"
	SyncFailedReason           = "SyncFailed"
	SufficientPodsReason       = "SufficientPods"
	InsufficientPodsReason     = "InsufficientPods"
	DisruptionBudgetCause      = "DisruptionBudget"
)

// Unhealthy pod eviction policies (policy/v1 UnhealthyPodEvictionPolicyType).
const (
	IfHealthyBudget = "IfHealthyBudget"
	AlwaysAllow     = "AlwaysAllow"
)

// PodDisruptionBudget is policy/v1 PodDisruptionBudget.
type PodDisruptionBudget struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       PodDisruptionBudgetSpec   `json:"spec"`
	Status     PodDisruptionBudgetStatus `json:"status,omitempty"`
}

// PodDisruptionBudgetSpec is policy/v1 PodDisruptionBudgetSpec.
type PodDisruptionBudgetSpec struct {
	MinAvailable               *IntOrString   `json:"minAvailable,omitempty"`
	Selector                   *LabelSelector `json:"selector,omitempty"`
	MaxUnavailable             *IntOrString   `json:"maxUnavailable,omitempty"`
	UnhealthyPodEvictionPolicy *string        `json:"unhealthyPodEvictionPolicy,omitempty"`
}

// PodDisruptionBudgetStatus is policy/v1 PodDisruptionBudgetStatus. DisruptedPods maps a pod
// name to the time its eviction was admitted.
type PodDisruptionBudgetStatus struct {
	ObservedGeneration int64           `json:"observedGeneration,omitempty"`
	DisruptedPods      map[string]Time `json:"disruptedPods,omitempty"`
	DisruptionsAllowed int32           `json:"disruptionsAllowed"`
	CurrentHealthy     int32           `json:"currentHealthy"`
	DesiredHealthy     int32           `json:"desiredHealthy"`
	ExpectedPods       int32           `json:"expectedPods"`
	Conditions         []Condition     `json:"conditions,omitempty"`
}

// Condition is metav1.Condition.
type Condition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	ObservedGeneration int64  `json:"observedGeneration,omitempty"`
	LastTransitionTime Time   `json:"lastTransitionTime"`
	Reason             string `json:"reason"`
	Message            string `json:"message"`
}

// FindCondition returns the condition of type t, or nil (meta.FindStatusCondition).
func FindCondition(conds []Condition, t string) *Condition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// SetCondition sets a condition like meta.SetStatusCondition: the transition time moves only
// when the status changes.
func SetCondition(conds *[]Condition, c Condition) {
	old := FindCondition(*conds, c.Type)
	if old == nil {
		*conds = append(*conds, c)
		return
	}
	if old.Status != c.Status {
		old.Status, old.LastTransitionTime = c.Status, c.LastTransitionTime
	}
	old.Reason, old.Message, old.ObservedGeneration = c.Reason, c.Message, c.ObservedGeneration
}

// UpdateDisruptionAllowedCondition is component-helpers' poddisruptionbudget
// UpdateDisruptionAllowedCondition: True/SufficientPods while disruptions are allowed, else
// False/InsufficientPods.
func UpdateDisruptionAllowedCondition(pdb *PodDisruptionBudget, now Time) {
	c := Condition{Type: DisruptionAllowedCondition, ObservedGeneration: pdb.Status.ObservedGeneration, LastTransitionTime: now}
	if pdb.Status.DisruptionsAllowed > 0 {
		c.Status, c.Reason = ConditionTrue, SufficientPodsReason
	} else {
		c.Status, c.Reason = ConditionFalse, InsufficientPodsReason
	}
	SetCondition(&pdb.Status.Conditions, c)
}

func init() {
	addKind("PodDisruptionBudget", "policy/v1", true, func() Object { return &PodDisruptionBudget{} })
	RegisterValidation("PodDisruptionBudget", func(o Object) ErrorList { return ValidatePodDisruptionBudget(o.(*PodDisruptionBudget)) })
}

// ValidatePodDisruptionBudget validates a PodDisruptionBudget as the API server does.
func ValidatePodDisruptionBudget(pdb *PodDisruptionBudget) ErrorList {
	errs := validateAppsName(pdb.Name)
	s := &pdb.Spec
	if s.MinAvailable != nil && s.MaxUnavailable != nil {
		errs = append(errs, Invalid("spec", s, "minAvailable and maxUnavailable cannot be both set"))
	}
	for _, f := range []struct {
		path string
		v    *IntOrString
	}{{"spec.minAvailable", s.MinAvailable}, {"spec.maxUnavailable", s.MaxUnavailable}} {
		if f.v == nil {
			continue
		}
		errs = append(errs, validatePositiveIntOrPercent(f.path, f.v)...)
		// IsNotMoreThan100Percent
		if f.v.IsString && percentRE.MatchString(f.v.StrVal) && intOrPercentValue(f.v) > 100 {
			errs = append(errs, Invalid(f.path, f.v, "must not be greater than 100%"))
		}
	}
	errs = append(errs, validateLabelSelectorOperators("spec.selector", s.Selector)...)
	if p := s.UnhealthyPodEvictionPolicy; p != nil && *p != IfHealthyBudget && *p != AlwaysAllow {
		errs = append(errs, NotSupported("spec.unhealthyPodEvictionPolicy", *p, AlwaysAllow, IfHealthyBudget))
	}
	return errs
}

// validateLabelSelectorOperators is the operator part of metav1 validation
// ValidateLabelSelectorRequirement.
func validateLabelSelectorOperators(path string, sel *LabelSelector) ErrorList {
	if sel == nil {
		return nil
	}
	var errs ErrorList
	for i, r := range sel.MatchExpressions {
		p := fmt.Sprintf("%s.matchExpressions[%d]", path, i)
		switch r.Operator {
		case "In", "NotIn":
			if len(r.Values) == 0 {
				errs = append(errs, Required(p+".values", "must be specified when `operator` is 'In' or 'NotIn'"))
			}
		case "Exists", "DoesNotExist":
			if len(r.Values) > 0 {
				errs = append(errs, Forbidden(p+".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
			}
		default:
			errs = append(errs, Invalid(p+".operator", r.Operator, "not a valid selector operator"))
		}
	}
	return errs
}
