package api

import (
	"strings"
	"testing"
)

func validDeployment() *Deployment {
	d := &Deployment{TypeMeta: TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}}
	d.Name = "web"
	d.Spec.Selector = &LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	d.Spec.Template.Labels = map[string]string{"app": "web"}
	d.Spec.Template.Spec.Containers = []Container{{Name: "web", Image: "web:1"}}
	return d
}

// Reference: workloads.md §1.1 (SetDefaults_Deployment).
func TestDefaultDeployment(t *testing.T) {
	d := validDeployment()
	Default(d)
	ru := d.Spec.Strategy.RollingUpdate
	if *d.Spec.Replicas != 1 || d.Spec.Strategy.Type != RollingUpdateDeploymentStrategy || ru.MaxSurge.String() != "25%" ||
		ru.MaxUnavailable.String() != "25%" || *d.Spec.RevisionHistoryLimit != 10 || *d.Spec.ProgressDeadlineSeconds != 600 {
		t.Errorf("defaults = %+v", d.Spec)
	}
	r := validDeployment()
	r.Spec.Strategy.Type = RecreateDeploymentStrategy
	Default(r)
	if r.Spec.Strategy.RollingUpdate != nil {
		t.Errorf("Recreate got a rollingUpdate block")
	}
}

// Reference: workloads.md §1.3 (ValidateDeploymentSpec and friends, exact messages).
func TestValidateDeployment(t *testing.T) {
	ios := func(s string) *IntOrString {
		if strings.HasSuffix(s, "%") || strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") {
			return Ptr(FromString(s))
		}
		n := int32(0)
		for _, c := range s {
			n = n*10 + int32(c-'0')
		}
		if strings.HasPrefix(s, "-") {
			n = -1
		}
		return Ptr(FromInt(n))
	}
	cases := []struct {
		name string
		edit func(d *Deployment)
		want string
	}{
		{"valid", func(d *Deployment) {}, ""},
		{"both zero", func(d *Deployment) {
			d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: ios("0"), MaxUnavailable: ios("0")}
		}, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"},
		{"both zero percent", func(d *Deployment) {
			d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: ios("0%"), MaxUnavailable: ios("0%")}
		}, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"},
		{"unavailable over 100%", func(d *Deployment) {
			d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: ios("1"), MaxUnavailable: ios("110%")}
		}, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%"},
		{"surge over 100% is fine", func(d *Deployment) {
			d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: ios("200%"), MaxUnavailable: ios("0")}
		}, ""},
		{"bad percent", func(d *Deployment) {
			d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: ios("oops"), MaxUnavailable: ios("1")}
		}, "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"oops\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"},
		{"negative surge", func(d *Deployment) {
			d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: ios("-1"), MaxUnavailable: ios("1")}
		}, "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"},
		{"negative replicas", func(d *Deployment) { d.Spec.Replicas = Ptr(int32(-1)) }, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
		{"deadline not above minReady", func(d *Deployment) { d.Spec.MinReadySeconds = 600 },
			"spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"},
		{"no selector", func(d *Deployment) { d.Spec.Selector = nil }, "spec.selector: Required value"},
		{"empty selector", func(d *Deployment) { d.Spec.Selector = &LabelSelector{} }, "spec.selector: Invalid value: {}: empty selector is invalid for deployment"},
		{"selector mismatch", func(d *Deployment) { d.Spec.Template.Labels = map[string]string{"app": "api"} },
			"spec.template.metadata.labels: Invalid value: {\"app\":\"api\"}: `selector` does not match template `labels`"},
		{"restartPolicy Never", func(d *Deployment) { d.Spec.Template.Spec.RestartPolicy = RestartNever },
			"spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""},
		{"rollingUpdate with Recreate", func(d *Deployment) {
			d.Spec.Strategy = DeploymentStrategy{Type: RecreateDeploymentStrategy, RollingUpdate: &RollingUpdateDeployment{}}
		}, "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"},
		{"unknown strategy", func(d *Deployment) { d.Spec.Strategy = DeploymentStrategy{Type: "BlueGreen"} },
			"spec.strategy: Unsupported value: {\"type\":\"BlueGreen\"}: supported values: \"Recreate\", \"RollingUpdate\""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := validDeployment()
			tc.edit(d)
			Default(d)
			errs := Validate(d)
			if tc.want == "" {
				if len(errs) > 0 {
					t.Fatalf("unexpected errors: %v", errs[0])
				}
				return
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			found := false
			for _, g := range got {
				found = found || g == tc.want
			}
			if !found {
				t.Errorf("errors %q; want %q", got, tc.want)
			}
		})
	}
	d := validDeployment()
	d.Spec.Strategy.RollingUpdate = &RollingUpdateDeployment{MaxSurge: ios("0"), MaxUnavailable: ios("0")}
	Default(d)
	if got := InvalidObjectError("Deployment", "web", Validate(d)).Error(); got != "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0" {
		t.Errorf("kubectl error = %q", got)
	}
}

// StatefulSet rollingUpdate.maxUnavailable is validated like a Deployment's int-or-percent
// (pkg/apis/apps/validation ValidateStatefulSetUpdateStrategy), then "cannot be 0" and at most
// 100%.
func TestStatefulSetMaxUnavailableMessages(t *testing.T) {
	for _, tc := range []struct {
		v    IntOrString
		want string
	}{
		{FromInt(2), ""},
		{FromString("25%"), ""},
		{FromInt(0), `x: Invalid value: 0: cannot be 0`},
		{FromString("0%"), `x: Invalid value: "0%": cannot be 0`},
		{FromInt(-1), `x: Invalid value: -1: must be greater than or equal to 0`},
		{FromString("150%"), `x: Invalid value: "150%": must not be greater than 100%`},
		{FromString("five"), `x: Invalid value: "five": ` + percentMsg},
	} {
		errs := validateMaxUnavailable("x", tc.v)
		got := ""
		if len(errs) > 0 {
			got = errs[0].Error()
		}
		if got != tc.want {
			t.Errorf("validateMaxUnavailable(%v) = %q; want %q", tc.v, got, tc.want)
		}
	}
}
