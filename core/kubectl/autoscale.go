package kubectl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// `kubectl autoscale (TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS
// [--cpu=50%|500m] [--memory=80%|200Mi] [--name=NAME]` (k8s.io/kubectl v0.37.2
// pkg/cmd/autoscale): creates an autoscaling/v2 HorizontalPodAutoscaler named after the
// target and prints `horizontalpodautoscaler.autoscaling/web autoscaled`. The deprecated
// --cpu-percent=N still works, with kubectl's deprecation warning.

func init() {
	Register(&Command{Path: "autoscale", Flags: []string{"min", "max", "cpu-percent", "cpu", "memory", "name"},
		Usage: "kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu=CPU] [--memory=MEMORY]",
		Run:   runAutoscale})
}

func intFlag(inv *Invocation, name string, def int64) (int64, error) {
	v, ok := inv.Flag(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, Errorf("invalid argument %q for \"--%s\" flag: strconv.ParseInt: parsing %q: invalid syntax", v, name, v)
	}
	return n, nil
}

func runAutoscale(env *Env, inv *Invocation) (string, error) {
	minPods, err := intFlag(inv, "min", -1)
	if err != nil {
		return "", err
	}
	maxPods, err := intFlag(inv, "max", -1)
	if err != nil {
		return "", err
	}
	cpuPercent, err := intFlag(inv, "cpu-percent", -1)
	if err != nil {
		return "", err
	}
	// AutoscaleOptions.Validate.
	if maxPods < 1 {
		return "", Errorf("--max=MAXPODS is required and must be at least 1, max: %d", maxPods)
	}
	if maxPods < minPods {
		return "", Errorf("--max=MAXPODS must be larger or equal to --min=MINPODS, max: %d, min: %d", maxPods, minPods)
	}
	targets, err := parseTargets(inv.Args)
	if err != nil {
		return "", err
	}
	if len(targets) != 1 || len(targets[0].names) != 1 {
		return "", Errorf("required resource not specified")
	}
	t := targets[0]
	var metrics []api.MetricSpec
	if v, ok := inv.Flag("cpu"); ok {
		m, err := autoscaleMetric(api.ResourceCPU, v)
		if err != nil {
			return "", err
		}
		metrics = append(metrics, m)
	} else if _, given := inv.Flag("cpu-percent"); given && cpuPercent >= 0 {
		metrics = append(metrics, api.MetricSpec{Type: api.ResourceMetricSourceType, Resource: &api.ResourceMetricSource{Name: api.ResourceCPU,
			Target: api.MetricTarget{Type: api.UtilizationMetricType, AverageUtilization: api.Ptr(int32(cpuPercent))}}})
	}
	if v, ok := inv.Flag("memory"); ok {
		m, err := autoscaleMetric(api.ResourceMemory, v)
		if err != nil {
			return "", err
		}
		metrics = append(metrics, m)
	}
	o := env.Ctx.Store().Get(t.kind, Key(t.kind, inv.Namespace, t.names[0]))
	if o == nil {
		return "", NotFoundError(t.kind, t.names[0])
	}
	switch t.kind {
	case "Deployment", "ReplicaSet", "StatefulSet":
	default:
		return "", Errorf("cannot autoscale a %s: %s %q does not have a scale subresource", t.kind, resourcePlural(t.kind), t.names[0])
	}
	name, ok := inv.Flag("name")
	if !ok || name == "" {
		name = t.names[0]
	}
	h := &api.HorizontalPodAutoscaler{TypeMeta: api.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: api.ObjectMeta{Namespace: inv.Namespace, Name: name},
		Spec: api.HorizontalPodAutoscalerSpec{ScaleTargetRef: api.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: t.kind, Name: t.names[0]},
			MaxReplicas: int32(maxPods), Metrics: metrics}}
	if minPods > 0 {
		h.Spec.MinReplicas = api.Ptr(int32(minPods))
	}
	if env.Ctx.Store().Get(h.Kind, Key(h.Kind, inv.Namespace, name)) != nil {
		return "", &Error{Msg: fmt.Sprintf("Error from server (AlreadyExists): %s %q already exists", resourcePlural(h.Kind), name)}
	}
	if err := createObject(env, h); err != nil {
		return "", err
	}
	out := LowerKind(h.Kind) + "/" + name + " autoscaled\n"
	if _, given := inv.Flag("cpu-percent"); given {
		out = "Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).\n" + out
	}
	return out, nil
}

// autoscaleMetric reads --cpu / --memory: "50%" is a utilization target, a quantity an
// average value.
func autoscaleMetric(resource, v string) (api.MetricSpec, error) {
	m := api.MetricSpec{Type: api.ResourceMetricSourceType, Resource: &api.ResourceMetricSource{Name: resource}}
	if p, ok := strings.CutSuffix(v, "%"); ok {
		n, err := strconv.ParseInt(p, 10, 32)
		if err != nil || n < 1 {
			return m, Errorf("invalid value %q for --%s: a utilization is a whole percentage, e.g. 50%%", v, resource)
		}
		m.Resource.Target = api.MetricTarget{Type: api.UtilizationMetricType, AverageUtilization: api.Ptr(int32(n))}
		return m, nil
	}
	// A value without units is millicores for --cpu and mebibytes for --memory.
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		if resource == api.ResourceCPU {
			v += "m"
		} else {
			v += "Mi"
		}
	}
	q, err := api.ParseQuantity(v)
	if err != nil {
		return m, Errorf("invalid value %q for --%s: %v", v, resource, err)
	}
	m.Resource.Target = api.MetricTarget{Type: api.AverageValueMetricType, AverageValue: &q}
	return m, nil
}
