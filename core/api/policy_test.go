package api

import "testing"

// TestValidatePodDisruptionBudget pins pkg/apis/policy/validation
// ValidatePodDisruptionBudgetSpec's messages.
func TestValidatePodDisruptionBudget(t *testing.T) {
	sel := &LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	i := func(n int32) *IntOrString { return Ptr(FromInt(n)) }
	s := func(v string) *IntOrString { return Ptr(FromString(v)) }
	for _, tc := range []struct {
		name string
		spec PodDisruptionBudgetSpec
		want string
	}{
		{"min int", PodDisruptionBudgetSpec{MinAvailable: i(2), Selector: sel}, ""},
		{"max percent", PodDisruptionBudgetSpec{MaxUnavailable: s("25%"), Selector: sel}, ""},
		{"neither (policy/v1 has no default)", PodDisruptionBudgetSpec{Selector: sel}, ""},
		{"both", PodDisruptionBudgetSpec{MinAvailable: i(1), MaxUnavailable: i(1), Selector: sel},
			`spec: Invalid value: {"minAvailable":1,"selector":{"matchLabels":{"app":"web"}},"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set`},
		{"negative", PodDisruptionBudgetSpec{MinAvailable: i(-1), Selector: sel}, "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"},
		{"over 100%", PodDisruptionBudgetSpec{MaxUnavailable: s("150%"), Selector: sel}, `spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%`},
		{"not a percent", PodDisruptionBudgetSpec{MinAvailable: s("half"), Selector: sel},
			`spec.minAvailable: Invalid value: "half": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`},
		{"policy", PodDisruptionBudgetSpec{MinAvailable: i(1), Selector: sel, UnhealthyPodEvictionPolicy: Ptr("Sometimes")},
			`spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"`},
		{"operator", PodDisruptionBudgetSpec{MinAvailable: i(1), Selector: &LabelSelector{MatchExpressions: []LabelSelectorRequirement{{Key: "a", Operator: "Near"}}}},
			`spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator`},
	} {
		p := &PodDisruptionBudget{TypeMeta: TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"}, ObjectMeta: ObjectMeta{Name: "web"}, Spec: tc.spec}
		got := ""
		if errs := Validate(p); len(errs) > 0 {
			got = errs[0].Error()
			for _, e := range errs[1:] {
				got += "; " + e.Error()
			}
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
