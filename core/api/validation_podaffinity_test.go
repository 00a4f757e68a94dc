package api

import (
	"strings"
	"testing"
)

// Reference: pkg/apis/core/validation/validation.go validatePodAffinityTerm,
// validateWeightedPodAffinityTerms, validateMatchLabelKeysAndMismatchLabelKeys (v1.37.2), and
// apimachinery's IsQualifiedName texts.
func TestValidatePodAffinityMessages(t *testing.T) {
	sel := &LabelSelector{MatchLabels: map[string]string{"app": "db"}}
	term := func(f func(*PodAffinityTerm)) PodAffinityTerm {
		t := PodAffinityTerm{TopologyKey: "topology.kubernetes.io/zone", LabelSelector: sel}
		f(t2(&t))
		return t
	}
	req := func(ts ...PodAffinityTerm) *Affinity {
		return &Affinity{PodAntiAffinity: &PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: ts}}
	}
	p := "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"
	tests := []struct {
		a    *Affinity
		want []string
	}{
		{req(term(func(t *PodAffinityTerm) { t.TopologyKey = "" })), []string{
			p + `.topologyKey: Required value: can not be empty`,
			p + `.topologyKey: Invalid value: "": name part must be non-empty`,
			p + `.topologyKey: Invalid value: "": name part must consist of alphanumeric characters`}},
		{req(term(func(t *PodAffinityTerm) { t.TopologyKey = "zone/" })), []string{
			p + `.topologyKey: Invalid value: "zone/": name part must be non-empty`,
			p + `.topologyKey: Invalid value: "zone/": name part must consist of alphanumeric characters`}},
		{req(term(func(t *PodAffinityTerm) { t.Namespaces = []string{"Team_A"} })), []string{
			p + `.namespace: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of`}},
		{req(term(func(t *PodAffinityTerm) { t.LabelSelector = nil; t.MatchLabelKeys = []string{"pod-template-hash"} })), []string{
			p + `.matchLabelKeys[0]: Forbidden: must not be specified when labelSelector is not set`}},
		{req(term(func(t *PodAffinityTerm) { t.MatchLabelKeys = []string{"rev"}; t.MismatchLabelKeys = []string{"rev"} })), []string{
			p + `.matchLabelKeys[0]: Invalid value: "rev": exists in both matchLabelKeys and mismatchLabelKeys`}},
		{req(term(func(t *PodAffinityTerm) {
			t.LabelSelector = &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "app", Operator: "Equals"}}}
		})), []string{p + `.labelSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator`}},
		{&Affinity{PodAffinity: &PodAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []WeightedPodAffinityTerm{{Weight: 0, PodAffinityTerm: term(func(*PodAffinityTerm) {})}}}},
			[]string{`spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100`}},
	}
	for _, tc := range tests {
		errs := validatePodAffinities("spec.affinity", tc.a)
		if len(errs) != len(tc.want) {
			t.Errorf("got %v; want %d errors %q", errs, len(tc.want), tc.want)
			continue
		}
		for i, w := range tc.want {
			if !strings.HasPrefix(errs[i].Error(), w) {
				t.Errorf("error %d = %q; want it to start with %q", i, errs[i].Error(), w)
			}
		}
	}
	ok := req(term(func(t *PodAffinityTerm) {
		t.Namespaces = []string{"team-a"}
		t.NamespaceSelector = &LabelSelector{}
		t.MatchLabelKeys = []string{"pod-template-hash"}
	}))
	if errs := validatePodAffinities("spec.affinity", ok); len(errs) != 0 {
		t.Errorf("valid term rejected: %v", errs)
	}
}

func t2(t *PodAffinityTerm) *PodAffinityTerm { return t }

// mergeAffinityLabelKeys adds "key In (value)" / "key NotIn (value)" for the pod's labels, once.
func TestMergeAffinityLabelKeys(t *testing.T) {
	p := &Pod{ObjectMeta: ObjectMeta{Name: "web-1", Labels: map[string]string{"app": "web", "pod-template-hash": "abc", "tenant": "t1"}},
		Spec: PodSpec{Affinity: &Affinity{PodAntiAffinity: &PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []PodAffinityTerm{{
			TopologyKey: "kubernetes.io/hostname", LabelSelector: &LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			MatchLabelKeys: []string{"pod-template-hash", "missing"}, MismatchLabelKeys: []string{"tenant"}}}}}}}
	DefaultPod(p)
	DefaultPod(p) // idempotent
	got := p.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].LabelSelector.String()
	if want := "app=web,pod-template-hash in (abc),tenant notIn (t1)"; got != want {
		t.Errorf("merged selector = %q, want %q", got, want)
	}
}
