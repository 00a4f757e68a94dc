package api

import "testing"

// Reference: pkg/apis/core/v1/defaults.go, pkg/apis/core/validation/validation.go (v1.37.2).
func TestDefaultPod(t *testing.T) {
	p := &Pod{TypeMeta: TypeMeta{Kind: "Pod"}, ObjectMeta: ObjectMeta{Name: "web"}, Spec: PodSpec{Containers: []Container{{
		Name: "app", Image: "nginx", Ports: []ContainerPort{{ContainerPort: 80}},
		LivenessProbe: &Probe{HTTPGet: &HTTPGetAction{Port: FromInt(80)}},
		Resources:     ResourceRequirements{Limits: ResourceList{"cpu": MustQuantity("500m")}}}}}}
	Default(p)
	c := p.Spec.Containers[0]
	lp := c.LivenessProbe
	checks := []struct {
		name      string
		got, want any
	}{
		{"namespace", p.Namespace, "default"},
		{"restartPolicy", p.Spec.RestartPolicy, "Always"},
		{"grace", *p.Spec.TerminationGracePeriodSeconds, int64(30)},
		{"dnsPolicy", p.Spec.DNSPolicy, "ClusterFirst"},
		{"schedulerName", p.Spec.SchedulerName, "default-scheduler"},
		{"imagePullPolicy", c.ImagePullPolicy, "Always"},
		{"protocol", c.Ports[0].Protocol, "TCP"},
		{"probe", [4]int32{lp.PeriodSeconds, lp.TimeoutSeconds, lp.SuccessThreshold, lp.FailureThreshold}, [4]int32{10, 1, 1, 3}},
		{"probe path", lp.HTTPGet.Path, "/"},
		{"requests from limits", c.Resources.Requests["cpu"].Milli, int64(500)},
		{"tolerations", len(p.Spec.Tolerations), 2},
		{"toleration seconds", *p.Spec.Tolerations[1].TolerationSeconds, int64(300)},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v; want %v", ch.name, ch.got, ch.want)
		}
	}
	Default(p)
	if len(p.Spec.Tolerations) != 2 {
		t.Errorf("defaulting twice added tolerations: %d", len(p.Spec.Tolerations))
	}
}

func TestDefaultImagePullPolicy(t *testing.T) {
	for img, want := range map[string]string{"nginx": "Always", "nginx:latest": "Always", "nginx:1.25": "IfNotPresent",
		"localhost:5000/web": "Always", "localhost:5000/web:2": "IfNotPresent", "web@sha256:abc": "IfNotPresent"} {
		if got := DefaultImagePullPolicy(img); got != want {
			t.Errorf("DefaultImagePullPolicy(%q) = %q; want %q", img, got, want)
		}
	}
}

func TestValidatePodMessages(t *testing.T) {
	tests := []struct {
		name string
		mod  func(p *Pod)
		want string
	}{
		{"negative period", func(p *Pod) {
			p.Spec.Containers[0].LivenessProbe = &Probe{Exec: &ExecAction{Command: []string{"true"}}, PeriodSeconds: -1}
		},
			"spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"},
		{"liveness successThreshold", func(p *Pod) {
			p.Spec.Containers[0].LivenessProbe = &Probe{Exec: &ExecAction{Command: []string{"true"}}, SuccessThreshold: 2}
		}, "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"},
		{"no handler", func(p *Pod) { p.Spec.Containers[0].ReadinessProbe = &Probe{} },
			"spec.containers[0].readinessProbe: Required value: must specify a handler type"},
		{"no image", func(p *Pod) { p.Spec.Containers[0].Image = "" }, "spec.containers[0].image: Required value"},
		{"no name", func(p *Pod) { p.Spec.Containers[0].Name = "" }, "spec.containers[0].name: Required value"},
		{"restartPolicy", func(p *Pod) { p.Spec.RestartPolicy = "Sometimes" },
			`spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`},
		{"name", func(p *Pod) { p.Name = "Web_1" }, `metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`},
		{"duplicate", func(p *Pod) { p.Spec.Containers = append(p.Spec.Containers, p.Spec.Containers[0]) },
			`spec.containers[1].name: Duplicate value: "app"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Pod{TypeMeta: TypeMeta{Kind: "Pod"}, ObjectMeta: ObjectMeta{Name: "web"}, Spec: PodSpec{Containers: []Container{{Name: "app", Image: "nginx:1.25"}}}}
			tc.mod(p)
			Default(p)
			errs := Validate(p)
			if len(errs) == 0 || errs[0].Error() != tc.want {
				t.Errorf("Validate() = %v; want first error %q", errs, tc.want)
			}
		})
	}
}

// Reference: pkg/apis/core/validation/validation.go validateTopologySpreadConstraints.
func TestValidateTopologySpreadMessages(t *testing.T) {
	sel := &LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	bad := "Sometimes"
	tests := []struct {
		c    []TopologySpread
		want string
	}{
		{[]TopologySpread{{MaxSkew: 0, TopologyKey: "zone", WhenUnsatisfiable: DoNotSchedule}},
			`spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero`},
		{[]TopologySpread{{MaxSkew: 1, WhenUnsatisfiable: DoNotSchedule}},
			`spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty`},
		{[]TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: "Never"}},
			`spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Never": supported values: "DoNotSchedule", "ScheduleAnyway"`},
		{[]TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: ScheduleAnyway, MinDomains: Ptr(int32(2))}},
			`spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway`},
		{[]TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: DoNotSchedule, MinDomains: Ptr(int32(0))}},
			`spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: must be greater than zero`},
		{[]TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: DoNotSchedule}, {MaxSkew: 2, TopologyKey: "zone", WhenUnsatisfiable: DoNotSchedule}},
			`spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"`},
		{[]TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: DoNotSchedule, NodeTaintsPolicy: &bad}},
			`spec.topologySpreadConstraints[0].nodeTaintsPolicy: Unsupported value: "Sometimes": supported values: "Honor", "Ignore"`},
		{[]TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: DoNotSchedule, LabelSelector: sel, MatchLabelKeys: []string{"app"}}},
			`spec.topologySpreadConstraints[0].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`},
		{[]TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: DoNotSchedule, MatchLabelKeys: []string{"rev"}}},
			`spec.topologySpreadConstraints[0].matchLabelKeys[0]: Forbidden: must not be specified when labelSelector is not set`},
	}
	for _, tc := range tests {
		errs := validateTopologySpread("spec.topologySpreadConstraints", tc.c)
		if len(errs) != 1 || errs[0].Error() != tc.want {
			t.Errorf("got %v; want [%s]", errs, tc.want)
		}
	}
	ok := []TopologySpread{{MaxSkew: 1, TopologyKey: "zone", WhenUnsatisfiable: DoNotSchedule, LabelSelector: sel, MinDomains: Ptr(int32(3)), MatchLabelKeys: []string{"pod-template-hash"}}}
	if errs := validateTopologySpread("spec.topologySpreadConstraints", ok); len(errs) != 0 {
		t.Errorf("valid constraint rejected: %v", errs)
	}
}
