package kubectl

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
)

// The HorizontalPodAutoscaler table printer (pkg/printers/internalversion/printers.go
// printHorizontalPodAutoscaler, formatHPAMetrics) and describer (k8s.io/kubectl v0.37.2
// pkg/describe/describe.go describeHorizontalPodAutoscalerV2, printDirectionBehavior).

func init() {
	RegisterPrinter(&TablePrinter{
		Kind:    "HorizontalPodAutoscaler",
		Headers: []string{"NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			h := o.(*api.HorizontalPodAutoscaler)
			minPods := "<unset>"
			if h.Spec.MinReplicas != nil {
				minPods = fmt.Sprint(*h.Spec.MinReplicas)
			}
			ref := h.Spec.ScaleTargetRef
			return []string{h.Name, ref.Kind + "/" + ref.Name, api.HPATargets(h), minPods, fmt.Sprint(h.Spec.MaxReplicas),
				fmt.Sprint(h.Status.CurrentReplicas), age(h.CreationTimestamp, now)}
		},
	})
	RegisterTabbedDescriber("HorizontalPodAutoscaler", describeHPA)
}

func describeHPA(env *Env, o api.Object, w *PrefixWriter) {
	h := o.(*api.HorizontalPodAutoscaler)
	w.Write(0, "Name:\t%s\n", h.Name)
	w.Write(0, "Namespace:\t%s\n", h.Namespace)
	w.Labels("Labels", h.Labels)
	w.Annotations("Annotations", h.Annotations)
	w.Write(0, "CreationTimestamp:\t%s\n", h.CreationTimestamp.RFC1123Z())
	w.Write(0, "Reference:\t%s/%s\n", h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
	w.Write(0, "Metrics:\t( current / target )\n")
	for i, m := range h.Spec.Metrics {
		var name string
		var target api.MetricTarget
		var cur *api.MetricValueStatus
		switch {
		case m.Resource != nil:
			name, target = m.Resource.Name, m.Resource.Target
			w.Write(1, "resource %s on pods", name)
			if i < len(h.Status.CurrentMetrics) && h.Status.CurrentMetrics[i].Resource != nil {
				cur = &h.Status.CurrentMetrics[i].Resource.Current
			}
		case m.ContainerResource != nil:
			name, target = m.ContainerResource.Name, m.ContainerResource.Target
			w.Write(1, "resource %s of container \"%s\" on pods", name, m.ContainerResource.Container)
			if i < len(h.Status.CurrentMetrics) && h.Status.CurrentMetrics[i].ContainerResource != nil {
				cur = &h.Status.CurrentMetrics[i].ContainerResource.Current
			}
		default:
			continue
		}
		current := "<unknown>"
		if target.AverageValue != nil {
			if cur != nil && cur.AverageValue != nil {
				current = cur.AverageValue.String()
			}
			w.Write(0, ":\t%s / %s\n", current, target.AverageValue.String())
			continue
		}
		if cur != nil && cur.AverageUtilization != nil && cur.AverageValue != nil {
			current = fmt.Sprintf("%d%% (%s)", *cur.AverageUtilization, cur.AverageValue.String())
		}
		tgt := "<auto>"
		if target.AverageUtilization != nil {
			tgt = fmt.Sprintf("%d%%", *target.AverageUtilization)
		}
		w.Write(1, "(as a percentage of request):\t%s / %s\n", current, tgt)
	}
	minReplicas := "<unset>"
	if h.Spec.MinReplicas != nil {
		minReplicas = fmt.Sprint(*h.Spec.MinReplicas)
	}
	w.Write(0, "Min replicas:\t%s\n", minReplicas)
	w.Write(0, "Max replicas:\t%d\n", h.Spec.MaxReplicas)
	if b := h.Spec.Behavior; b != nil {
		w.Write(0, "Behavior:\n")
		describeScalingRules(w, "Scale Up", b.ScaleUp)
		describeScalingRules(w, "Scale Down", b.ScaleDown)
	}
	w.Write(0, "%s pods:\t", h.Spec.ScaleTargetRef.Kind)
	w.Write(0, "%d current / %d desired\n", h.Status.CurrentReplicas, h.Status.DesiredReplicas)
	if len(h.Status.Conditions) > 0 {
		w.Write(0, "Conditions:\n")
		w.Write(1, "Type\tStatus\tReason\tMessage\n")
		w.Write(1, "----\t------\t------\t-------\n")
		for _, c := range h.Status.Conditions {
			w.Write(1, "%v\t%v\t%v\t%v\n", c.Type, c.Status, c.Reason, c.Message)
		}
	}
}

func describeScalingRules(w *PrefixWriter, direction string, r *api.HPAScalingRules) {
	if r == nil {
		return
	}
	w.Write(1, "%s:\n", direction)
	if r.StabilizationWindowSeconds != nil {
		w.Write(2, "Stabilization Window: %d seconds\n", *r.StabilizationWindowSeconds)
	}
	if len(r.Policies) > 0 {
		w.Write(2, "Select Policy: %s\n", api.Deref(r.SelectPolicy, api.MaxChangePolicySelect))
		w.Write(2, "Policies:\n")
		for _, p := range r.Policies {
			w.Write(3, "- Type: %s\tValue: %d\tPeriod: %d seconds\n", p.Type, p.Value, p.PeriodSeconds)
		}
	}
}
