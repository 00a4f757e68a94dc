package hpa

import (
	"errors"
	"fmt"
	"math"

	"github.com/kubesim/kubesim/core/api"
)

// This file is pkg/controller/podautoscaler/replica_calculator.go (GetResourceReplicas,
// GetRawResourceReplicas, calcPlainMetricReplicas, groupPods, calculateRequests) and
// metrics/utilization.go (GetResourceUtilizationRatio, GetMetricUsageRatio), v1.37.2: pure
// functions of the pods, their metrics and the clock.

// Controller-manager defaults (cmd/kube-controller-manager/app/options/hpacontroller.go).
const (
	SyncPeriod                    = 15 * api.Second // --horizontal-pod-autoscaler-sync-period
	DownscaleStabilizationWindow  = 5 * api.Minute  // --horizontal-pod-autoscaler-downscale-stabilization
	CPUInitializationPeriod       = 5 * api.Minute  // --horizontal-pod-autoscaler-cpu-initialization-period
	DelayOfInitialReadinessStatus = 30 * api.Second // --horizontal-pod-autoscaler-initial-readiness-delay
	DefaultTolerance              = 0.1             // --horizontal-pod-autoscaler-tolerance
	scaleUpLimitFactor            = 2.0             // horizontal.go, without behavior
	scaleUpLimitMinimum           = 4.0
)

// PodMetric is one pod's sample: the resource in milli-units, when and over which window.
type PodMetric struct {
	Value     int64
	Timestamp api.Time
	Window    api.Duration
}

// Tolerances are the scale-down and scale-up tolerances around a usage ratio of 1.
type Tolerances struct{ ScaleDown, ScaleUp float64 }

func (t Tolerances) isWithin(r float64) bool { return 1.0-t.ScaleDown <= r && r <= 1.0+t.ScaleUp }

// Calculator is the ReplicaCalculator with the controller-manager's settings and the clock.
type Calculator struct {
	Now                           api.Time
	Tolerances                    Tolerances
	CPUInitializationPeriod       api.Duration
	DelayOfInitialReadinessStatus api.Duration
}

// DefaultCalculator has the controller-manager's defaults at now.
func DefaultCalculator(now api.Time) Calculator {
	return Calculator{Now: now, Tolerances: Tolerances{DefaultTolerance, DefaultTolerance},
		CPUInitializationPeriod: CPUInitializationPeriod, DelayOfInitialReadinessStatus: DelayOfInitialReadinessStatus}
}

// Result is what a replica calculation found, for the status and the explanation.
type Result struct {
	Replicas    int32
	Utilization int32 // percent of request (utilization targets)
	RawValue    int64 // average milli-value per pod
	Ready       int   // pods that counted as ready
	Unready     int   // pending or not yet ready pods (ignored, or 0% on a scale-up)
	Missing     int   // running pods without metrics
	Ratio       float64
	NewRatio    float64 // the ratio after filling in unready and missing pods (0 if not needed)
}

// ResourceReplicas is GetResourceReplicas: the replicas for a target utilization (percent of
// request) of resource over pods, from metrics keyed by pod name. It consumes metrics.
func (c Calculator) ResourceReplicas(current, target int32, resource string, pods []*api.Pod, metrics map[string]PodMetric, container string) (Result, error) {
	if len(pods) == 0 {
		return Result{}, errors.New("no pods returned by selector while calculating replica count")
	}
	ready, unready, missing, ignored := c.groupPods(pods, metrics, resource)
	remove(metrics, ignored)
	remove(metrics, unready)
	if len(metrics) == 0 {
		return Result{}, errors.New("did not receive metrics for targeted pods (pods might be unready)")
	}
	requests, err := calculateRequests(pods, container, resource)
	if err != nil {
		return Result{}, err
	}
	ratio, util, raw, err := resourceUtilizationRatio(metrics, requests, target)
	if err != nil {
		return Result{}, err
	}
	res := Result{Replicas: current, Utilization: util, RawValue: raw, Ready: ready, Unready: len(unready), Missing: len(missing), Ratio: ratio}
	scaleUpWithUnready := len(unready) > 0 && ratio > 1.0
	if !scaleUpWithUnready && len(missing) == 0 {
		if !c.Tolerances.isWithin(ratio) {
			res.Replicas = int32(math.Ceil(ratio * float64(ready)))
		}
		return res, nil
	}
	if len(missing) > 0 {
		if ratio < 1.0 {
			// On a scale-down, missing pods count as using 100% of their request (or the
			// target, for targets above 100%).
			fallback := int64(max(100, target))
			for name := range missing {
				metrics[name] = PodMetric{Value: requests[name] * fallback / 100}
			}
		} else if ratio > 1.0 {
			for name := range missing {
				metrics[name] = PodMetric{Value: 0}
			}
		}
	}
	if scaleUpWithUnready {
		for name := range unready {
			metrics[name] = PodMetric{Value: 0}
		}
	}
	newRatio, _, _, err := resourceUtilizationRatio(metrics, requests, target)
	if err != nil {
		return res, err
	}
	res.NewRatio = newRatio
	return c.rebalanced(res, current, ratio, newRatio, len(metrics)), nil
}

// rebalanced is the common end of both calculations once unready and missing pods are
// filled in: no change within tolerance or when the direction would flip.
func (c Calculator) rebalanced(res Result, current int32, ratio, newRatio float64, n int) Result {
	if c.Tolerances.isWithin(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0) {
		return res
	}
	r := int32(math.Ceil(newRatio * float64(n)))
	if (newRatio < 1.0 && r > current) || (newRatio > 1.0 && r < current) {
		return res
	}
	res.Replicas = r
	return res
}

// RawResourceReplicas is GetRawResourceReplicas (calcPlainMetricReplicas): the replicas for a
// target average value (milli-units) per pod. It consumes metrics.
func (c Calculator) RawResourceReplicas(current int32, target int64, resource string, pods []*api.Pod, metrics map[string]PodMetric) (Result, error) {
	if len(pods) == 0 {
		return Result{}, errors.New("no pods returned by selector while calculating replica count")
	}
	ready, unready, missing, ignored := c.groupPods(pods, metrics, resource)
	remove(metrics, ignored)
	remove(metrics, unready)
	if len(metrics) == 0 {
		return Result{}, errors.New("did not receive metrics for targeted pods (pods might be unready)")
	}
	ratio, usage := metricUsageRatio(metrics, target)
	res := Result{Replicas: current, RawValue: usage, Ready: ready, Unready: len(unready), Missing: len(missing), Ratio: ratio}
	scaleUpWithUnready := len(unready) > 0 && ratio > 1.0
	if !scaleUpWithUnready && len(missing) == 0 {
		if !c.Tolerances.isWithin(ratio) {
			res.Replicas = int32(math.Ceil(ratio * float64(ready)))
		}
		return res, nil
	}
	if len(missing) > 0 {
		if ratio < 1.0 {
			for name := range missing {
				metrics[name] = PodMetric{Value: target} // on a scale-down: exactly the target
			}
		} else if ratio > 1.0 {
			for name := range missing {
				metrics[name] = PodMetric{Value: 0}
			}
		}
	}
	if scaleUpWithUnready {
		for name := range unready {
			metrics[name] = PodMetric{Value: 0}
		}
	}
	newRatio, _ := metricUsageRatio(metrics, target)
	res.NewRatio = newRatio
	return c.rebalanced(res, current, ratio, newRatio, len(metrics)), nil
}

type set map[string]bool

func remove(m map[string]PodMetric, s set) {
	for k := range s {
		delete(m, k)
	}
}

// groupPods sorts pods into ready ones (counted), unready ones (pending, or for cpu not yet
// ready or still initialising), missing ones (running without metrics) and ignored ones
// (deleted or failed).
func (c Calculator) groupPods(pods []*api.Pod, metrics map[string]PodMetric, resource string) (ready int, unready, missing, ignored set) {
	unready, missing, ignored = set{}, set{}, set{}
	for _, p := range pods {
		if p.DeletionTimestamp != nil || p.Status.Phase == api.PodFailed {
			ignored[p.Name] = true
			continue
		}
		if p.Status.Phase == api.PodPending {
			unready[p.Name] = true
			continue
		}
		m, ok := metrics[p.Name]
		if !ok {
			missing[p.Name] = true
			continue
		}
		if resource == api.ResourceCPU {
			cond := p.GetCondition(api.PodReady)
			var notReady bool
			switch {
			case cond == nil || p.Status.StartTime == nil:
				notReady = true
			case p.Status.StartTime.Add(c.CPUInitializationPeriod) > c.Now:
				// Still initialising: ignore the sample if the pod is unready or no whole
				// window of metrics was collected since it last changed readiness.
				notReady = cond.Status == api.ConditionFalse || m.Timestamp < cond.LastTransitionTime.Add(m.Window)
			default:
				// Ignore an unready pod that has never been ready.
				notReady = cond.Status == api.ConditionFalse && p.Status.StartTime.Add(c.DelayOfInitialReadinessStatus) > cond.LastTransitionTime
			}
			if notReady {
				unready[p.Name] = true
				continue
			}
		}
		ready++
	}
	return ready, unready, missing, ignored
}

// calculateRequests sums each pod's requests of resource over its containers and sidecars
// (restartable init containers), or takes one container's.
func calculateRequests(pods []*api.Pod, container, resource string) (map[string]int64, error) {
	out := make(map[string]int64, len(pods))
	for _, p := range pods {
		cs := append([]api.Container(nil), p.Spec.Containers...)
		for _, c := range p.Spec.InitContainers {
			if c.RestartPolicy != nil && *c.RestartPolicy == api.RestartAlways {
				cs = append(cs, c)
			}
		}
		var sum int64
		found := false
		for _, c := range cs {
			if container != "" && c.Name != container {
				continue
			}
			q, ok := c.Resources.Requests[resource]
			if !ok {
				return nil, fmt.Errorf("missing request for %s in container %s of Pod %s", resource, c.Name, p.Name)
			}
			sum += q.Milli
			found = true
		}
		if container != "" && !found {
			return nil, fmt.Errorf("container %s not found in Pod %s", container, p.Name)
		}
		out[p.Name] = sum
	}
	return out, nil
}

// resourceUtilizationRatio is GetResourceUtilizationRatio: the utilization is truncated to a
// whole percent before it is divided by the target.
func resourceUtilizationRatio(metrics map[string]PodMetric, requests map[string]int64, target int32) (float64, int32, int64, error) {
	var total, reqTotal int64
	n := 0
	for name, m := range metrics {
		r, ok := requests[name]
		if !ok {
			continue
		}
		total += m.Value
		reqTotal += r
		n++
	}
	if reqTotal == 0 {
		return 0, 0, 0, errors.New("no metrics returned matched known pods")
	}
	util := int32(total * 100 / reqTotal)
	return float64(util) / float64(target), util, total / int64(n), nil
}

// metricUsageRatio is GetMetricUsageRatio.
func metricUsageRatio(metrics map[string]PodMetric, target int64) (float64, int64) {
	var total int64
	for _, m := range metrics {
		total += m.Value
	}
	usage := total / int64(len(metrics))
	return float64(usage) / float64(target), usage
}
