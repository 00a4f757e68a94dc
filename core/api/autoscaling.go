package api

import (
	"fmt"
	"strings"
)

// HorizontalPodAutoscaler is autoscaling/v2 HorizontalPodAutoscaler. kubesim computes
// Resource and ContainerResource metrics (cpu, memory) from the scenario's usage model;
// Pods, Object and External metrics need a custom metrics adapter and are refused.
type HorizontalPodAutoscaler struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       HorizontalPodAutoscalerSpec   `json:"spec"`
	Status     HorizontalPodAutoscalerStatus `json:"status,omitempty"`
}

// HorizontalPodAutoscalerSpec is autoscaling/v2 HorizontalPodAutoscalerSpec.
type HorizontalPodAutoscalerSpec struct {
	ScaleTargetRef CrossVersionObjectReference      `json:"scaleTargetRef"`
	MinReplicas    *int32                           `json:"minReplicas,omitempty"`
	MaxReplicas    int32                            `json:"maxReplicas"`
	Metrics        []MetricSpec                     `json:"metrics,omitempty"`
	Behavior       *HorizontalPodAutoscalerBehavior `json:"behavior,omitempty"`
}

// CrossVersionObjectReference names the scale target.
type CrossVersionObjectReference struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	APIVersion string `json:"apiVersion,omitempty"`
}

// Metric source types.
const (
	ResourceMetricSourceType          = "Resource"
	ContainerResourceMetricSourceType = "ContainerResource"
)

// Metric target types.
const (
	UtilizationMetricType  = "Utilization"
	ValueMetricType        = "Value"
	AverageValueMetricType = "AverageValue"
)

// MetricSpec is autoscaling/v2 MetricSpec (the Resource and ContainerResource sources).
type MetricSpec struct {
	Type              string                         `json:"type"`
	Resource          *ResourceMetricSource          `json:"resource,omitempty"`
	ContainerResource *ContainerResourceMetricSource `json:"containerResource,omitempty"`
}

// ResourceMetricSource is autoscaling/v2 ResourceMetricSource.
type ResourceMetricSource struct {
	Name   string       `json:"name"`
	Target MetricTarget `json:"target"`
}

// ContainerResourceMetricSource is autoscaling/v2 ContainerResourceMetricSource.
type ContainerResourceMetricSource struct {
	Name      string       `json:"name"`
	Container string       `json:"container"`
	Target    MetricTarget `json:"target"`
}

// MetricTarget is autoscaling/v2 MetricTarget.
type MetricTarget struct {
	Type               string    `json:"type"`
	Value              *Quantity `json:"value,omitempty"`
	AverageValue       *Quantity `json:"averageValue,omitempty"`
	AverageUtilization *int32    `json:"averageUtilization,omitempty"`
}

// HorizontalPodAutoscalerBehavior is autoscaling/v2 HorizontalPodAutoscalerBehavior.
type HorizontalPodAutoscalerBehavior struct {
	ScaleUp   *HPAScalingRules `json:"scaleUp,omitempty"`
	ScaleDown *HPAScalingRules `json:"scaleDown,omitempty"`
}

// Select policies and scaling policy types.
const (
	MaxChangePolicySelect = "Max"
	MinChangePolicySelect = "Min"
	DisabledPolicySelect  = "Disabled"
	PodsScalingPolicy     = "Pods"
	PercentScalingPolicy  = "Percent"
)

// HPAScalingRules is autoscaling/v2 HPAScalingRules.
type HPAScalingRules struct {
	StabilizationWindowSeconds *int32             `json:"stabilizationWindowSeconds,omitempty"`
	SelectPolicy               *string            `json:"selectPolicy,omitempty"`
	Policies                   []HPAScalingPolicy `json:"policies,omitempty"`
	// Tolerance replaces the controller's 0.1 tolerance in this direction
	// (HPAConfigurableTolerance, on by default in v1.37).
	Tolerance *Quantity `json:"tolerance,omitempty"`
}

// HPAScalingPolicy is autoscaling/v2 HPAScalingPolicy.
type HPAScalingPolicy struct {
	Type          string `json:"type"`
	Value         int32  `json:"value"`
	PeriodSeconds int32  `json:"periodSeconds"`
}

// HorizontalPodAutoscalerStatus is autoscaling/v2 HorizontalPodAutoscalerStatus.
type HorizontalPodAutoscalerStatus struct {
	ObservedGeneration *int64                             `json:"observedGeneration,omitempty"`
	LastScaleTime      *Time                              `json:"lastScaleTime,omitempty"`
	CurrentReplicas    int32                              `json:"currentReplicas"`
	DesiredReplicas    int32                              `json:"desiredReplicas"`
	CurrentMetrics     []MetricStatus                     `json:"currentMetrics,omitempty"`
	Conditions         []HorizontalPodAutoscalerCondition `json:"conditions,omitempty"`
}

// MetricStatus is autoscaling/v2 MetricStatus.
type MetricStatus struct {
	Type              string                         `json:"type"`
	Resource          *ResourceMetricStatus          `json:"resource,omitempty"`
	ContainerResource *ContainerResourceMetricStatus `json:"containerResource,omitempty"`
}

// ResourceMetricStatus is autoscaling/v2 ResourceMetricStatus.
type ResourceMetricStatus struct {
	Name    string            `json:"name"`
	Current MetricValueStatus `json:"current"`
}

// ContainerResourceMetricStatus is autoscaling/v2 ContainerResourceMetricStatus.
type ContainerResourceMetricStatus struct {
	Name      string            `json:"name"`
	Container string            `json:"container"`
	Current   MetricValueStatus `json:"current"`
}

// MetricValueStatus is autoscaling/v2 MetricValueStatus.
type MetricValueStatus struct {
	Value              *Quantity `json:"value,omitempty"`
	AverageValue       *Quantity `json:"averageValue,omitempty"`
	AverageUtilization *int32    `json:"averageUtilization,omitempty"`
}

// HPA condition types.
const (
	HPAScalingActive  = "ScalingActive"
	HPAAbleToScale    = "AbleToScale"
	HPAScalingLimited = "ScalingLimited"
)

// HorizontalPodAutoscalerCondition is autoscaling/v2 HorizontalPodAutoscalerCondition.
type HorizontalPodAutoscalerCondition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	LastTransitionTime Time   `json:"lastTransitionTime,omitempty"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// GetCondition returns the condition of type t, or nil.
func (h *HorizontalPodAutoscaler) GetCondition(t string) *HorizontalPodAutoscalerCondition {
	for i := range h.Status.Conditions {
		if h.Status.Conditions[i].Type == t {
			return &h.Status.Conditions[i]
		}
	}
	return nil
}

// MinReplicasOrDefault is spec.minReplicas, 1 when unset.
func (h *HorizontalPodAutoscaler) MinReplicasOrDefault() int32 { return Deref(h.Spec.MinReplicas, 1) }

func init() {
	addKind("HorizontalPodAutoscaler", "autoscaling/v2", true, func() Object { return &HorizontalPodAutoscaler{} })
	RegisterDefaults("HorizontalPodAutoscaler", func(o Object) { DefaultHPA(o.(*HorizontalPodAutoscaler)) })
	RegisterValidation("HorizontalPodAutoscaler", func(o Object) ErrorList { return ValidateHPA(o.(*HorizontalPodAutoscaler)) })
}

// DefaultHPA applies pkg/apis/autoscaling/v2/defaults.go (SetDefaults_HorizontalPodAutoscaler,
// SetDefaults_HorizontalPodAutoscalerBehavior, GenerateHPAScaleUpRules,
// GenerateHPAScaleDownRules): minReplicas 1, cpu at 80% utilization when no metric is
// given, and, only when a behavior is given, its unset rules filled with the defaults
// (scale up: no stabilization, Max of 4 pods or 100% per 15 s; scale down: Max of 100% per
// 15 s, its stabilization window left to the controller's 300 s flag).
func DefaultHPA(h *HorizontalPodAutoscaler) {
	if h.Namespace == "" {
		h.Namespace = "default"
	}
	if h.Spec.MinReplicas == nil {
		h.Spec.MinReplicas = Ptr(int32(1))
	}
	if len(h.Spec.Metrics) == 0 {
		h.Spec.Metrics = []MetricSpec{{Type: ResourceMetricSourceType, Resource: &ResourceMetricSource{Name: ResourceCPU,
			Target: MetricTarget{Type: UtilizationMetricType, AverageUtilization: Ptr(int32(80))}}}}
	}
	b := h.Spec.Behavior
	if b == nil {
		return
	}
	if b.ScaleUp == nil {
		b.ScaleUp = &HPAScalingRules{}
	}
	if b.ScaleUp.StabilizationWindowSeconds == nil {
		b.ScaleUp.StabilizationWindowSeconds = Ptr(int32(0))
	}
	if b.ScaleUp.SelectPolicy == nil {
		b.ScaleUp.SelectPolicy = Ptr(MaxChangePolicySelect)
	}
	if len(b.ScaleUp.Policies) == 0 {
		b.ScaleUp.Policies = []HPAScalingPolicy{{Type: PodsScalingPolicy, Value: 4, PeriodSeconds: 15},
			{Type: PercentScalingPolicy, Value: 100, PeriodSeconds: 15}}
	}
	if b.ScaleDown == nil {
		b.ScaleDown = &HPAScalingRules{}
	}
	if b.ScaleDown.SelectPolicy == nil {
		b.ScaleDown.SelectPolicy = Ptr(MaxChangePolicySelect)
	}
	if len(b.ScaleDown.Policies) == 0 {
		b.ScaleDown.Policies = []HPAScalingPolicy{{Type: PercentScalingPolicy, Value: 100, PeriodSeconds: 15}}
	}
}

// Bounds of pkg/apis/autoscaling/validation.
const (
	hpaMaxPeriodSeconds              = 1800
	hpaMaxStabilizationWindowSeconds = 3600
)

// ValidateHPA is pkg/apis/autoscaling/validation ValidateHorizontalPodAutoscaler (HPAScaleToZero
// off, as by default), for the metric sources kubesim computes.
func ValidateHPA(h *HorizontalPodAutoscaler) ErrorList {
	errs := validateAppsName(h.Name)
	s := &h.Spec
	if s.MinReplicas != nil && *s.MinReplicas < 1 {
		errs = append(errs, Invalid("spec.minReplicas", *s.MinReplicas, "must be greater than or equal to 1"))
	}
	if s.MaxReplicas < 1 {
		errs = append(errs, Invalid("spec.maxReplicas", s.MaxReplicas, "must be greater than 0"))
	}
	if s.MinReplicas != nil && s.MaxReplicas < *s.MinReplicas {
		errs = append(errs, Invalid("spec.maxReplicas", s.MaxReplicas, "must be greater than or equal to `minReplicas`"))
	}
	if s.MaxReplicas > MaxReplicas {
		errs = append(errs, Invalid("spec.maxReplicas", s.MaxReplicas, fmt.Sprintf("must be no more than %d (kubesim limit: at most %d replicas per workload, so the simulation stays fast in a browser tab)", MaxReplicas, MaxReplicas)))
	}
	if s.ScaleTargetRef.Kind == "" {
		errs = append(errs, Required("spec.scaleTargetRef.kind", ""))
	}
	if s.ScaleTargetRef.Name == "" {
		errs = append(errs, Required("spec.scaleTargetRef.name", ""))
	}
	for i, m := range s.Metrics {
		errs = append(errs, validateMetricSpec(fmt.Sprintf("spec.metrics[%d]", i), &m)...)
	}
	if b := s.Behavior; b != nil {
		errs = append(errs, validateScalingRules("spec.behavior.scaleUp", b.ScaleUp)...)
		errs = append(errs, validateScalingRules("spec.behavior.scaleDown", b.ScaleDown)...)
	}
	return errs
}

func validateMetricSpec(path string, m *MetricSpec) ErrorList {
	var errs ErrorList
	switch m.Type {
	case "":
		errs = append(errs, Required(path+".type", "must specify a metric source type"))
	case ResourceMetricSourceType:
		if m.Resource == nil {
			errs = append(errs, Required(path+".resource", "must populate information for the given metric source"))
		}
	case ContainerResourceMetricSourceType:
		if m.ContainerResource == nil {
			errs = append(errs, Required(path+".containerResource", "must populate information for the given metric source"))
		}
	case "Pods", "Object", "External":
		e := NotSupported(path+".type", m.Type, ContainerResourceMetricSourceType, ResourceMetricSourceType)
		e.Detail += " (kubesim computes only Resource and ContainerResource metrics, from the scenario's usage model; Pods, Object and External metrics need a metrics adapter)"
		errs = append(errs, e)
	default:
		errs = append(errs, NotSupported(path+".type", m.Type, ContainerResourceMetricSourceType, "External", "Object", "Pods", ResourceMetricSourceType))
	}
	if m.Resource != nil && m.ContainerResource != nil {
		other := ".containerResource"
		if m.Type == ContainerResourceMetricSourceType {
			other = ".resource"
		}
		errs = append(errs, Forbidden(path+other, "must populate the given metric source only"))
	}
	if r := m.Resource; r != nil {
		errs = append(errs, validateResourceName(path+".resource.name", r.Name)...)
		errs = append(errs, validateMetricTarget(path+".resource.target", &r.Target)...)
	}
	if r := m.ContainerResource; r != nil {
		errs = append(errs, validateResourceName(path+".containerResource.name", r.Name)...)
		if r.Container == "" {
			errs = append(errs, Required(path+".containerResource.container", "must specify a container"))
		}
		errs = append(errs, validateMetricTarget(path+".containerResource.target", &r.Target)...)
	}
	return errs
}

func validateResourceName(path, name string) ErrorList {
	switch name {
	case "":
		return ErrorList{Required(path, "must specify a resource name")}
	case ResourceCPU, ResourceMemory:
		return nil
	}
	return ErrorList{NotSupported(path, name, ResourceCPU, ResourceMemory)}
}

// validateMetricTarget is validateMetricTarget plus validateResourceSource's checks on which
// of averageUtilization and averageValue is set.
func validateMetricTarget(path string, t *MetricTarget) ErrorList {
	var errs ErrorList
	switch t.Type {
	case "":
		errs = append(errs, Required(path+".type", "must specify a metric target type"))
	case UtilizationMetricType, ValueMetricType, AverageValueMetricType:
	default:
		errs = append(errs, NotSupported(path+".type", t.Type, UtilizationMetricType, ValueMetricType, AverageValueMetricType))
	}
	if t.Value != nil && t.Value.Milli <= 0 {
		errs = append(errs, Invalid(path+".value", t.Value.String(), "must be positive"))
	}
	if t.AverageValue != nil && t.AverageValue.Milli <= 0 {
		errs = append(errs, Invalid(path+".averageValue", t.AverageValue.String(), "must be positive"))
	}
	if t.AverageUtilization != nil && *t.AverageUtilization < 1 {
		errs = append(errs, Invalid(path+".averageUtilization", *t.AverageUtilization, "must be greater than 0"))
	}
	if t.AverageUtilization == nil && t.AverageValue == nil {
		errs = append(errs, Required(path+".averageUtilization", "must set either a target raw value or a target utilization"))
	}
	if t.AverageUtilization != nil && t.AverageValue != nil {
		errs = append(errs, Forbidden(path+".averageValue", "may not set both a target raw value and a target utilization"))
	}
	return errs
}

func validateScalingRules(path string, r *HPAScalingRules) ErrorList {
	if r == nil {
		return nil
	}
	var errs ErrorList
	if w := r.StabilizationWindowSeconds; w != nil && *w < 0 {
		errs = append(errs, Invalid(path+".stabilizationWindowSeconds", *w, "must be greater than or equal to zero"))
	}
	if w := r.StabilizationWindowSeconds; w != nil && *w > hpaMaxStabilizationWindowSeconds {
		errs = append(errs, Invalid(path+".stabilizationWindowSeconds", *w, fmt.Sprintf("must be less than or equal to %d", hpaMaxStabilizationWindowSeconds)))
	}
	if p := r.SelectPolicy; p != nil && *p != MaxChangePolicySelect && *p != MinChangePolicySelect && *p != DisabledPolicySelect {
		errs = append(errs, NotSupported(path+".selectPolicy", *p, DisabledPolicySelect, MaxChangePolicySelect, MinChangePolicySelect))
	}
	if len(r.Policies) == 0 {
		errs = append(errs, Required(path+".policies", "must specify at least one Policy"))
	}
	if r.Tolerance != nil && r.Tolerance.Milli < 0 {
		errs = append(errs, Invalid(path+".tolerance", r.Tolerance.String(), "must be greater than or equal to zero"))
	}
	for i, p := range r.Policies {
		pp := fmt.Sprintf("%s.policies[%d]", path, i)
		if p.Type != PodsScalingPolicy && p.Type != PercentScalingPolicy {
			errs = append(errs, NotSupported(pp+".type", p.Type, PercentScalingPolicy, PodsScalingPolicy))
		}
		if p.Value <= 0 {
			errs = append(errs, Invalid(pp+".value", p.Value, "must be greater than zero"))
		}
		if p.PeriodSeconds <= 0 {
			errs = append(errs, Invalid(pp+".periodSeconds", p.PeriodSeconds, "must be greater than zero"))
		}
		if p.PeriodSeconds > hpaMaxPeriodSeconds {
			errs = append(errs, Invalid(pp+".periodSeconds", p.PeriodSeconds, fmt.Sprintf("must be less than or equal to %d", hpaMaxPeriodSeconds)))
		}
	}
	return errs
}

// PodMetrics is metrics.k8s.io/v1beta1 PodMetrics as metrics-server serves it: the usage of
// each container in the last sample, Timestamp the end of the window it was measured over.
// It is stored under the pod's key; the Metrics API is read-only for users.
type PodMetrics struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Timestamp  Time               `json:"timestamp"`
	Window     Duration           `json:"window"`
	Containers []ContainerMetrics `json:"containers"`
}

// ContainerMetrics is one container's usage: cpu in millicores, memory in bytes.
type ContainerMetrics struct {
	Name  string       `json:"name"`
	Usage ResourceList `json:"usage"`
}

// NodeMetrics is metrics.k8s.io/v1beta1 NodeMetrics.
type NodeMetrics struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Timestamp  Time         `json:"timestamp"`
	Window     Duration     `json:"window"`
	Usage      ResourceList `json:"usage"`
}

// Kinds of the Metrics API objects (not in Kinds: nobody applies them).
const (
	PodMetricsKind  = "PodMetrics"
	NodeMetricsKind = "NodeMetrics"
)

// HPATargets is the TARGETS column of `kubectl get hpa` (pkg/printers/internalversion
// printers.go formatHPAMetrics): "cpu: 82%/50%", "cpu: <unknown>/50%", "memory: 52428800/100Mi",
// at most two metrics then " + N more...".
func HPATargets(h *HorizontalPodAutoscaler) string {
	specs, statuses := h.Spec.Metrics, h.Status.CurrentMetrics
	if len(specs) == 0 {
		return "<none>"
	}
	var list []string
	const maxShown = 2
	for i, s := range specs {
		var name string
		var target MetricTarget
		var cur *MetricValueStatus
		switch {
		case s.Resource != nil:
			name, target = s.Resource.Name, s.Resource.Target
			if i < len(statuses) && statuses[i].Resource != nil {
				cur = &statuses[i].Resource.Current
			}
		case s.ContainerResource != nil:
			name, target = s.ContainerResource.Name, s.ContainerResource.Target
			if i < len(statuses) && statuses[i].ContainerResource != nil {
				cur = &statuses[i].ContainerResource.Current
			}
		default:
			continue
		}
		current := "<unknown>"
		if target.AverageValue != nil {
			if cur != nil && cur.AverageValue != nil {
				current = cur.AverageValue.String()
			}
			list = append(list, fmt.Sprintf("%s: %s/%s", name, current, target.AverageValue.String()))
			continue
		}
		if cur != nil && cur.AverageUtilization != nil {
			current = fmt.Sprintf("%d%%", *cur.AverageUtilization)
		}
		tgt := "<auto>"
		if target.AverageUtilization != nil {
			tgt = fmt.Sprintf("%d%%", *target.AverageUtilization)
		}
		list = append(list, fmt.Sprintf("%s: %s/%s", name, current, tgt))
	}
	if len(list) > maxShown {
		return fmt.Sprintf("%s + %d more...", strings.Join(list[:maxShown], ", "), len(list)-maxShown)
	}
	return strings.Join(list, ", ")
}

// HorizontalPodAutoscalerV1 is autoscaling/v1 HorizontalPodAutoscaler, still served in
// v1.37: a CPU utilization target only. Manifests in this version are converted to v2
// (pkg/apis/autoscaling/v1 conversion), as the API server stores them.
type HorizontalPodAutoscalerV1 struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       struct {
		ScaleTargetRef                 CrossVersionObjectReference `json:"scaleTargetRef"`
		MinReplicas                    *int32                      `json:"minReplicas,omitempty"`
		MaxReplicas                    int32                       `json:"maxReplicas"`
		TargetCPUUtilizationPercentage *int32                      `json:"targetCPUUtilizationPercentage,omitempty"`
	} `json:"spec"`
	Status struct {
		ObservedGeneration              *int64 `json:"observedGeneration,omitempty"`
		LastScaleTime                   *Time  `json:"lastScaleTime,omitempty"`
		CurrentReplicas                 int32  `json:"currentReplicas"`
		DesiredReplicas                 int32  `json:"desiredReplicas"`
		CurrentCPUUtilizationPercentage *int32 `json:"currentCPUUtilizationPercentage,omitempty"`
	} `json:"status,omitempty"`
}

// OtherVersion is another served version of a kind: an object to decode a manifest into
// and its conversion to the version kubesim stores.
type OtherVersion struct {
	New     func() Object
	Convert func(Object) Object
}

// OtherVersions are keyed "apiVersion/Kind".
var OtherVersions = map[string]OtherVersion{
	"autoscaling/v1/HorizontalPodAutoscaler": {
		New: func() Object {
			return &HorizontalPodAutoscalerV1{TypeMeta: TypeMeta{APIVersion: "autoscaling/v1", Kind: "HorizontalPodAutoscaler"}}
		},
		Convert: func(o Object) Object {
			v1 := o.(*HorizontalPodAutoscalerV1)
			h := &HorizontalPodAutoscaler{TypeMeta: TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"}, ObjectMeta: v1.ObjectMeta}
			h.Spec.ScaleTargetRef, h.Spec.MinReplicas, h.Spec.MaxReplicas = v1.Spec.ScaleTargetRef, v1.Spec.MinReplicas, v1.Spec.MaxReplicas
			if t := v1.Spec.TargetCPUUtilizationPercentage; t != nil {
				h.Spec.Metrics = []MetricSpec{{Type: ResourceMetricSourceType, Resource: &ResourceMetricSource{Name: ResourceCPU,
					Target: MetricTarget{Type: UtilizationMetricType, AverageUtilization: Ptr(*t)}}}}
			}
			return h
		},
	},
}
