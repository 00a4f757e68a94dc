package api

import (
	"strings"
	"testing"
)

// TestValidatePodResize rewrites the cases of upstream's TestValidatePodResize
// (pkg/apis/core/validation/validation_test.go, v1.37.2) that apply to the fields kubesim
// models: what a write to pods/resize may and may not change.
func TestValidatePodResize(t *testing.T) {
	rl := func(kv ...string) ResourceList {
		l := ResourceList{}
		for i := 0; i < len(kv); i += 2 {
			l[kv[i]] = MustQuantity(kv[i+1])
		}
		return l
	}
	// A Guaranteed pod: app 500m/256Mi requested and limited, and a sidecar and an init
	// container with the same requests and limits.
	base := func() *Pod {
		always := RestartAlways
		g := ResourceRequirements{Requests: rl("cpu", "100m", "memory", "64Mi"), Limits: rl("cpu", "100m", "memory", "64Mi")}
		p := &Pod{TypeMeta: TypeMeta{Kind: "Pod"}, ObjectMeta: ObjectMeta{Name: "web"},
			Spec: PodSpec{
				InitContainers: []Container{{Name: "init", Image: "busybox", Resources: g},
					{Name: "proxy", Image: "envoy", RestartPolicy: &always, Resources: g}},
				Containers: []Container{{Name: "app", Image: "nginx", Resources: ResourceRequirements{
					Requests: rl("cpu", "500m", "memory", "256Mi"), Limits: rl("cpu", "500m", "memory", "256Mi")}}}}}
		Default(p)
		p.Status.QOSClass = GetPodQOS(p)
		return p
	}
	tests := []struct {
		name   string
		change func(p *Pod)
		want   string // "" = allowed
	}{
		{"cpu up, requests and limits", func(p *Pod) {
			p.Spec.Containers[0].Resources.Requests["cpu"] = MustQuantity("800m")
			p.Spec.Containers[0].Resources.Limits["cpu"] = MustQuantity("800m")
		}, ""},
		{"memory limit down (allowed since v1.34)", func(p *Pod) {
			p.Spec.Containers[0].Resources.Requests["memory"] = MustQuantity("128Mi")
			p.Spec.Containers[0].Resources.Limits["memory"] = MustQuantity("128Mi")
		}, ""},
		{"sidecar resized", func(p *Pod) {
			p.Spec.InitContainers[1].Resources.Requests["cpu"] = MustQuantity("200m")
			p.Spec.InitContainers[1].Resources.Limits["cpu"] = MustQuantity("200m")
		}, ""},
		{"resizePolicy changed", func(p *Pod) {
			p.Spec.Containers[0].ResizePolicy = []ContainerResizePolicy{{ResourceName: "memory", RestartPolicy: ResizeRestartContainer}}
		}, ""},
		{"Guaranteed to Burstable", func(p *Pod) {
			p.Spec.Containers[0].Resources.Limits["cpu"] = MustQuantity("1")
		}, `spec: Invalid value: "Burstable": Pod QOS Class may not change as a result of resizing`},
		{"request above limit", func(p *Pod) {
			p.Spec.Containers[0].Resources.Requests["cpu"] = MustQuantity("1")
		}, "must be less than or equal to cpu limit of 500m"},
		{"request removed", func(p *Pod) {
			delete(p.Spec.Containers[0].Resources.Requests, "memory")
			delete(p.Spec.Containers[0].Resources.Limits, "memory")
			p.Status.QOSClass = PodQOSBurstable
		}, "spec.containers[0].resources.requests[memory]: Forbidden: resource requests cannot be removed"},
		{"limit removed", func(p *Pod) {
			delete(p.Spec.Containers[0].Resources.Limits, "cpu")
		}, "spec.containers[0].resources.limits[cpu]: Forbidden: resource limits cannot be removed"},
		{"ephemeral-storage", func(p *Pod) {
			p.Spec.Containers[0].Resources.Limits["ephemeral-storage"] = MustQuantity("1Gi")
		}, "spec: Forbidden: only cpu and memory resources are mutable"},
		{"image", func(p *Pod) { p.Spec.Containers[0].Image = "nginx:2" }, "spec: Forbidden: only cpu and memory resources are mutable"},
		{"non-sidecar init container", func(p *Pod) {
			p.Spec.InitContainers[0].Resources.Requests["cpu"] = MustQuantity("200m")
			p.Spec.InitContainers[0].Resources.Limits["cpu"] = MustQuantity("200m")
		}, "spec.initContainers[0].resources: Forbidden: resources for non-sidecar init containers are immutable"},
		{"container added", func(p *Pod) {
			p.Spec.Containers = append(p.Spec.Containers, Container{Name: "b", Image: "b", ImagePullPolicy: "Always",
				TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: "File"})
		}, "spec.containers: Forbidden: containers may not be added or removed on resize"},
		{"container renamed", func(p *Pod) { p.Spec.Containers[0].Name = "app2" },
			"spec.containers[0].name: Forbidden: containers may not be renamed or reordered on resize"},
		{"bad resizePolicy", func(p *Pod) {
			p.Spec.Containers[0].ResizePolicy = []ContainerResizePolicy{{ResourceName: "gpu", RestartPolicy: "Sometimes"},
				{ResourceName: "cpu", RestartPolicy: ResizeNotRequired}, {ResourceName: "cpu", RestartPolicy: ResizeNotRequired}}
		}, `spec.containers[0].resizePolicy[0].resourceName: Unsupported value: "gpu": supported values: "cpu", "memory"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := base()
			n := Clone(old)
			tt.change(n)
			got := InvalidObjectError("Pod", "web", ValidatePodResize(n, old))
			switch {
			case tt.want == "" && got != nil:
				t.Fatalf("refused: %v", got)
			case tt.want != "" && (got == nil || !strings.Contains(got.Error(), tt.want)):
				t.Fatalf("got %v, want %q", got, tt.want)
			}
		})
	}
}

// TestResizePolicyCreateValidation: with restartPolicy Never, a container restart is not
// possible, so every resizePolicy must be NotRequired (validateResizePolicy).
func TestResizePolicyCreateValidation(t *testing.T) {
	p := &Pod{TypeMeta: TypeMeta{Kind: "Pod"}, ObjectMeta: ObjectMeta{Name: "web"},
		Spec: PodSpec{RestartPolicy: RestartNever, Containers: []Container{{Name: "app", Image: "nginx",
			ResizePolicy: []ContainerResizePolicy{{ResourceName: "memory", RestartPolicy: ResizeRestartContainer}}}}}}
	Default(p)
	got := InvalidObjectError("Pod", "web", Validate(p))
	want := "spec.containers[0].resizePolicy[0].restartPolicy: Invalid value: \"RestartContainer\": must be 'NotRequired' when `restartPolicy` is 'Never'"
	if got == nil || !strings.Contains(got.Error(), want) {
		t.Fatalf("got %v, want %q", got, want)
	}
}
