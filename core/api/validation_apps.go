package api

import (
	"math"
	"regexp"
)

// Deployment and ReplicaSet validation (pkg/apis/apps/validation/validation.go
// ValidateDeploymentSpec, ValidateDeploymentStrategy, ValidateRollingUpdateDeployment,
// ValidatePositiveIntOrPercent, IsNotMoreThan100Percent, ValidateReplicaSetSpec,
// ValidatePodTemplateSpecForReplicaSet, v1.37.2; messages as workloads.md §1.3).

func init() {
	RegisterValidation("Deployment", func(o Object) ErrorList { return ValidateDeployment(o.(*Deployment)) })
	RegisterValidation("ReplicaSet", func(o Object) ErrorList { return ValidateReplicaSet(o.(*ReplicaSet)) })
}

// ValidateDeployment validates a defaulted Deployment.
func ValidateDeployment(d *Deployment) ErrorList {
	errs := validateAppsName(d.Name)
	s := &d.Spec
	errs = append(errs, nonNegative("spec.replicas", int64(Deref(s.Replicas, 1)))...)
	errs = append(errs, validateWorkloadSelector("spec", s.Selector, &s.Template, "deployment")...)
	errs = append(errs, validateDeploymentStrategy("spec.strategy", &s.Strategy)...)
	errs = append(errs, nonNegative("spec.minReadySeconds", int64(s.MinReadySeconds))...)
	if s.RevisionHistoryLimit != nil {
		errs = append(errs, nonNegative("spec.revisionHistoryLimit", int64(*s.RevisionHistoryLimit))...)
	}
	if s.ProgressDeadlineSeconds != nil {
		errs = append(errs, nonNegative("spec.progressDeadlineSeconds", int64(*s.ProgressDeadlineSeconds))...)
		if *s.ProgressDeadlineSeconds <= s.MinReadySeconds {
			errs = append(errs, Invalid("spec.progressDeadlineSeconds", *s.ProgressDeadlineSeconds, "must be greater than minReadySeconds"))
		}
	}
	return errs
}

// ValidateReplicaSet validates a defaulted ReplicaSet.
func ValidateReplicaSet(rs *ReplicaSet) ErrorList {
	errs := validateAppsName(rs.Name)
	s := &rs.Spec
	errs = append(errs, nonNegative("spec.replicas", int64(Deref(s.Replicas, 1)))...)
	errs = append(errs, nonNegative("spec.minReadySeconds", int64(s.MinReadySeconds))...)
	// Upstream ValidateReplicaSetSpec reuses the Deployment wording for an empty selector.
	errs = append(errs, validateWorkloadSelector("spec", s.Selector, &s.Template, "deployment")...)
	return errs
}

func validateAppsName(name string) ErrorList {
	if name == "" {
		return ErrorList{Required("metadata.name", "name or generateName is required")}
	}
	return coreValidateDNS1123Subdomain("metadata.name", name)
}

// validateWorkloadSelector checks the selector and that the template matches it
// (ValidatePodTemplateSpecForReplicaSet), then the template's pod spec.
func validateWorkloadSelector(path string, sel *LabelSelector, t *PodTemplateSpec, what string) ErrorList {
	var errs ErrorList
	switch {
	case sel == nil:
		errs = append(errs, Required(path+".selector", ""))
	case sel.IsEmpty():
		errs = append(errs, Invalid(path+".selector", sel, "empty selector is invalid for "+what))
	case !sel.Matches(t.Labels):
		errs = append(errs, Invalid(path+".template.metadata.labels", t.Labels, "`selector` does not match template `labels`"))
	}
	errs = append(errs, ValidatePodTemplateSpec(path+".template", t)...)
	if rp := t.Spec.RestartPolicy; rp != RestartAlways && rp != "" {
		errs = append(errs, NotSupported(path+".template.spec.restartPolicy", rp, RestartAlways))
	}
	if t.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, Forbidden(path+".template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not Supported"))
	}
	return errs
}

func validateDeploymentStrategy(path string, st *DeploymentStrategy) ErrorList {
	switch st.Type {
	case RecreateDeploymentStrategy:
		if st.RollingUpdate != nil {
			return ErrorList{Forbidden(path+".rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")}
		}
	case RollingUpdateDeploymentStrategy:
		if st.RollingUpdate == nil {
			return ErrorList{Required(path+".rollingUpdate", "this should be defaulted and never be nil")}
		}
		return validateRollingUpdateDeployment(path+".rollingUpdate", st.RollingUpdate)
	default:
		return ErrorList{NotSupported(path, st, RecreateDeploymentStrategy, RollingUpdateDeploymentStrategy)}
	}
	return nil
}

var percentRE = regexp.MustCompile(`^[0-9]+%$`)

const percentMsg = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"

func validateRollingUpdateDeployment(path string, ru *RollingUpdateDeployment) ErrorList {
	var errs ErrorList
	errs = append(errs, validatePositiveIntOrPercent(path+".maxUnavailable", ru.MaxUnavailable)...)
	errs = append(errs, validatePositiveIntOrPercent(path+".maxSurge", ru.MaxSurge)...)
	if intOrPercentValue(ru.MaxUnavailable) == 0 && intOrPercentValue(ru.MaxSurge) == 0 {
		errs = append(errs, Invalid(path+".maxUnavailable", intOrStringValue(ru.MaxUnavailable), "may not be 0 when `maxSurge` is 0"))
	}
	if ru.MaxUnavailable != nil && ru.MaxUnavailable.IsString && percentRE.MatchString(ru.MaxUnavailable.StrVal) {
		if intOrPercentValue(ru.MaxUnavailable) > 100 {
			errs = append(errs, Invalid(path+".maxUnavailable", ru.MaxUnavailable, "must not be greater than 100%"))
		}
	}
	return errs
}

func intOrStringValue(v *IntOrString) any {
	if v == nil {
		return 0
	}
	return v
}

func validatePositiveIntOrPercent(path string, v *IntOrString) ErrorList {
	if v == nil {
		return nil
	}
	if v.IsString {
		if !percentRE.MatchString(v.StrVal) {
			return ErrorList{Invalid(path, v, percentMsg)}
		}
		return nil
	}
	return nonNegative(path, int64(v.IntVal))
}

// intOrPercentValue is upstream getIntOrPercentValue: the int, or the number of a valid
// percent string, else 0.
func intOrPercentValue(v *IntOrString) int {
	if v == nil {
		return 0
	}
	if !v.IsString {
		return int(v.IntVal)
	}
	if !percentRE.MatchString(v.StrVal) {
		return 0
	}
	n := 0
	for _, c := range v.StrVal[:len(v.StrVal)-1] {
		n = n*10 + int(c-'0')
		if n > math.MaxInt32 {
			return math.MaxInt32
		}
	}
	return n
}
