package api

import (
	"fmt"
	"regexp"
	"strings"
)

// Pod affinity validation: pkg/apis/core/validation/validation.go (v1.37.2) validatePodAffinity,
// validatePodAntiAffinity, validatePodAffinityTerm, validateWeightedPodAffinityTerms and
// validateMatchLabelKeysAndMismatchLabelKeys; label names as apimachinery IsQualifiedName.

const (
	qualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
	qualifiedNameMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '" + qualifiedNameFmt + "')"
)

var qualifiedNameRE = regexp.MustCompile("^" + qualifiedNameFmt + "$")

// validateLabelName is ValidateLabelName: an optional DNS subdomain prefix and "/", then a name
// of at most 63 characters.
func validateLabelName(path, v string) ErrorList {
	var msgs []string
	name := v
	if prefix, rest, ok := strings.Cut(v, "/"); ok {
		name = rest
		if prefix == "" {
			msgs = append(msgs, "prefix part must be non-empty")
		} else {
			for _, e := range coreValidateDNS1123Subdomain(path, prefix) {
				msgs = append(msgs, "prefix part "+e.Detail)
			}
		}
	}
	if name == "" {
		msgs = append(msgs, "name part must be non-empty")
	} else if len(name) > 63 {
		msgs = append(msgs, "name part must be no more than 63 characters")
	}
	if !qualifiedNameRE.MatchString(name) {
		msgs = append(msgs, "name part "+qualifiedNameMsg)
	}
	var errs ErrorList
	for _, m := range msgs {
		errs = append(errs, Invalid(path, v, m))
	}
	return errs
}

func validatePodAffinities(path string, a *Affinity) ErrorList {
	if a == nil {
		return nil
	}
	var errs ErrorList
	for _, pa := range []struct {
		field string
		a     *PodAffinity
	}{{"podAffinity", a.PodAffinity}, {"podAntiAffinity", a.PodAntiAffinity}} {
		if pa.a == nil {
			continue
		}
		p := path + "." + pa.field
		for i, t := range pa.a.RequiredDuringSchedulingIgnoredDuringExecution {
			errs = append(errs, validatePodAffinityTerm(fmt.Sprintf("%s.requiredDuringSchedulingIgnoredDuringExecution[%d]", p, i), &t)...)
		}
		for i, w := range pa.a.PreferredDuringSchedulingIgnoredDuringExecution {
			wp := fmt.Sprintf("%s.preferredDuringSchedulingIgnoredDuringExecution[%d]", p, i)
			if w.Weight <= 0 || w.Weight > 100 {
				errs = append(errs, Invalid(wp+".weight", w.Weight, "must be in the range 1-100"))
			}
			errs = append(errs, validatePodAffinityTerm(wp+".podAffinityTerm", &w.PodAffinityTerm)...)
		}
	}
	return errs
}

func validatePodAffinityTerm(path string, t *PodAffinityTerm) ErrorList {
	var errs ErrorList
	errs = append(errs, validateLabelSelectorOperators(path+".labelSelector", t.LabelSelector)...)
	errs = append(errs, validateLabelSelectorOperators(path+".namespaceSelector", t.NamespaceSelector)...)
	for _, ns := range t.Namespaces {
		// upstream names the field "namespace" here, not "namespaces[i]"
		errs = append(errs, coreValidateDNS1123Label(path+".namespace", ns)...)
	}
	for _, f := range []struct {
		name string
		keys []string
	}{{"matchLabelKeys", t.MatchLabelKeys}, {"mismatchLabelKeys", t.MismatchLabelKeys}} {
		for i, k := range f.keys {
			kp := fmt.Sprintf("%s.%s[%d]", path, f.name, i)
			if t.LabelSelector == nil {
				errs = append(errs, Forbidden(kp, "must not be specified when labelSelector is not set"))
				continue
			}
			errs = append(errs, validateLabelName(kp, k)...)
		}
	}
	for i, k := range t.MatchLabelKeys {
		for _, m := range t.MismatchLabelKeys {
			if k == m {
				errs = append(errs, Invalid(fmt.Sprintf("%s.matchLabelKeys[%d]", path, i), k, "exists in both matchLabelKeys and mismatchLabelKeys"))
				break
			}
		}
	}
	if t.TopologyKey == "" {
		errs = append(errs, Required(path+".topologyKey", "can not be empty"))
	}
	return append(errs, validateLabelName(path+".topologyKey", t.TopologyKey)...)
}
