package api

import (
	"strings"
	"testing"
)

// TestValidateUpdate pins the update checks every kubectl write runs against the stored
// object (pkg/apis/core/validation ValidatePodUpdate and validateOnlyAddedTolerations, the
// apps/v1 strategies' selector immutability, ValidateStatefulSetUpdate).
func TestValidateUpdate(t *testing.T) {
	pod := func() *Pod {
		p := &Pod{TypeMeta: TypeMeta{Kind: "Pod"}, ObjectMeta: ObjectMeta{Name: "web"},
			Spec: PodSpec{Containers: []Container{{Name: "app", Image: "nginx:1.25"}}}}
		Default(p)
		return p
	}
	sts := func() *StatefulSet {
		s := &StatefulSet{TypeMeta: TypeMeta{Kind: "StatefulSet"}, ObjectMeta: ObjectMeta{Name: "db"}}
		s.Spec.ServiceName = "db"
		s.Spec.Selector = &LabelSelector{MatchLabels: map[string]string{"app": "db"}}
		s.Spec.Template.Labels = map[string]string{"app": "db"}
		s.Spec.Template.Spec.Containers = []Container{{Name: "db", Image: "db:1"}}
		Default(s)
		return s
	}
	node := func(cidr string) Object {
		n := &Node{TypeMeta: TypeMeta{Kind: "Node"}, ObjectMeta: ObjectMeta{Name: "node-1"}}
		n.Spec.PodCIDR = cidr
		Default(n)
		return n
	}
	tests := []struct {
		name     string
		old, new func() Object
		want     string
	}{
		{"pod image", func() Object { return pod() }, func() Object {
			p := pod()
			p.Spec.Containers[0].Image = "nginx:1.26"
			return p
		}, ""},
		{"pod label", func() Object { return pod() }, func() Object {
			p := pod()
			p.Labels = map[string]string{"a": "b"}
			return p
		}, ""},
		{"pod toleration added", func() Object { return pod() }, func() Object {
			p := pod()
			p.Spec.Tolerations = append(p.Spec.Tolerations, Toleration{Key: "k", Operator: "Exists"})
			return p
		}, ""},
		{"pod toleration removed", func() Object { return pod() }, func() Object {
			p := pod()
			p.Spec.Tolerations = p.Spec.Tolerations[1:]
			return p
		}, "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"},
		{"pod command", func() Object { return pod() }, func() Object {
			p := pod()
			p.Spec.Containers[0].Command = []string{"sleep"}
			return p
		}, "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"},
		{"pod deadline raised", func() Object {
			p := pod()
			p.Spec.ActiveDeadlineSeconds = Ptr(int64(10))
			return p
		}, func() Object {
			p := pod()
			p.Spec.ActiveDeadlineSeconds = Ptr(int64(20))
			return p
		}, "spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value"},
		{"node podCIDR assigned", func() Object { return node("") }, func() Object { return node("10.244.3.0/24") }, ""},
		{"node podCIDR changed", func() Object { return node("10.244.3.0/24") }, func() Object { return node("10.244.4.0/24") },
			`spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid`},
		{"pod name", func() Object { return pod() }, func() Object {
			p := pod()
			p.Name = "other"
			return p
		}, `metadata.name: Invalid value: "other": field is immutable`},
		{"deployment selector", func() Object { d := validDeployment(); Default(d); return d }, func() Object {
			d := validDeployment()
			d.Spec.Selector.MatchLabels["tier"] = "x"
			d.Spec.Template.Labels["tier"] = "x"
			Default(d)
			return d
		}, `spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable`},
		{"deployment replicas", func() Object { d := validDeployment(); Default(d); return d }, func() Object {
			d := validDeployment()
			d.Spec.Replicas = Ptr(int32(7))
			Default(d)
			return d
		}, ""},
		{"statefulset serviceName", func() Object { return sts() }, func() Object {
			s := sts()
			s.Spec.ServiceName = "other"
			return s
		}, `spec.serviceName: Invalid value: "other": field is immutable`},
		// ValidateStatefulSetSpec validates the whole pod template, as for a Deployment.
		{"statefulset template image", func() Object { return sts() }, func() Object {
			s := sts()
			s.Spec.Template.Spec.Containers[0].Image = ""
			return s
		}, "spec.template.spec.containers[0].image: Required value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := ValidateUpdate(tc.new(), tc.old())
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			got := strings.Join(msgs, "; ")
			if tc.want == "" && got != "" || tc.want != "" && !strings.HasPrefix(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPodImageWhitespace: a pod's image may not have leading or trailing whitespace
// (validateContainersOnlyForPod); a template's may (upstream keeps that for compatibility).
func TestPodImageWhitespace(t *testing.T) {
	p := &Pod{TypeMeta: TypeMeta{Kind: "Pod"}, ObjectMeta: ObjectMeta{Name: "web"},
		Spec: PodSpec{Containers: []Container{{Name: "app", Image: "nginx:1.25 "}}}}
	Default(p)
	errs := Validate(p)
	if want := `spec.containers[0].image: Invalid value: "nginx:1.25 ": must not have leading or trailing whitespace`; len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("got %v, want %s", errs, want)
	}
	d := validDeployment()
	d.Spec.Template.Spec.Containers[0].Image = " web:1"
	Default(d)
	if errs := Validate(d); len(errs) != 0 {
		t.Errorf("a template's image with whitespace was refused: %v", errs)
	}
}
