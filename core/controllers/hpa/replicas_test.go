package hpa

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// The cases of pkg/controller/podautoscaler/replica_calculator_test.go (v1.37.2) for
// resource metrics, rewritten: pods named test-pod-N with two containers, each requesting
// the pod's request; metric levels per container; readiness True unless given, the Ready
// transition and the metric timestamp at time zero with a 1-minute window; the test
// calculator's tolerance 0.1, cpu initialization period 2 min and readiness delay 10 s.
// "hot" pods started now, "cool" ones 3 minutes ago.

const (
	testNow = api.Time(10 * api.Minute)
	hot     = testNow
	cool    = testNow - api.Time(3*api.Minute)
)

type calcCase struct {
	name              string
	current, want     int32
	wantErr           string
	readiness         []string
	start             []api.Time
	phase             []string
	deleting          []bool
	requests          []string
	levels            [][]int64
	podNames          []string // of the metrics, when they differ from the pods'
	container         string
	target            int32
	wantUtil          int32
	wantValue         int64
	resource          string
	averageValueMilli int64 // GetRawResourceReplicas target, instead of a utilization
}

func levels(v ...int64) [][]int64 {
	out := make([][]int64, len(v))
	for i, x := range v {
		out[i] = []int64{x, x}
	}
	return out
}

func ones(n int) []string { return strings.Split(strings.Repeat("1.0,", n)[:4*n-1], ",") }

func (tc calcCase) pods() []*api.Pod {
	n := int(tc.current)
	if len(tc.phase) > n {
		n = len(tc.phase)
	}
	var pods []*api.Pod
	for i := 0; i < n; i++ {
		p := &api.Pod{ObjectMeta: api.ObjectMeta{Name: fmt.Sprintf("test-pod-%d", i), Namespace: "test-namespace"}}
		p.Spec.Containers = []api.Container{{Name: "container1"}, {Name: "container2"}}
		if i < len(tc.requests) {
			res := tc.resource
			if res == "" {
				res = api.ResourceCPU
			}
			for j := range p.Spec.Containers {
				p.Spec.Containers[j].Resources.Requests = api.ResourceList{res: api.MustQuantity(tc.requests[i])}
			}
		}
		ready := api.ConditionTrue
		if i < len(tc.readiness) {
			ready = tc.readiness[i]
		}
		start := api.Time(0)
		if i < len(tc.start) {
			start = tc.start[i]
		}
		p.Status.StartTime = &start
		p.Status.Phase = api.PodRunning
		if i < len(tc.phase) {
			p.Status.Phase = tc.phase[i]
		}
		if i < len(tc.deleting) && tc.deleting[i] {
			now := testNow
			p.DeletionTimestamp = &now
		}
		p.Status.Conditions = []api.PodCondition{{Type: api.PodReady, Status: ready}}
		pods = append(pods, p)
	}
	return pods
}

// metrics is what the resource metrics client returns: per pod the sum of its containers
// (or the one container); a pod missing a container's sample is left out.
func (tc calcCase) metrics() map[string]PodMetric {
	out := map[string]PodMetric{}
	for i, lv := range tc.levels {
		name := fmt.Sprintf("test-pod-%d", i)
		if i < len(tc.podNames) {
			name = tc.podNames[i]
		}
		var v int64
		switch tc.container {
		case "":
			if len(lv) < 2 {
				continue
			}
			v = lv[0] + lv[1]
		case "container1":
			v = lv[0]
		case "container2":
			if len(lv) < 2 {
				continue
			}
			v = lv[1]
		}
		out[name] = PodMetric{Value: v, Timestamp: 0, Window: api.Minute}
	}
	return out
}

func TestReplicaCalculatorUpstreamCases(t *testing.T) {
	T, F := api.ConditionTrue, api.ConditionFalse
	R, P, X := api.PodRunning, api.PodPending, api.PodFailed
	cases := []calcCase{
		{name: "DisjointResourcesMetrics", current: 1, wantErr: "no metrics returned matched known pods", requests: ones(1), levels: levels(100), podNames: []string{"an-older-pod-name"}, target: 100},
		{name: "ScaleUp", current: 3, want: 5, requests: ones(3), levels: levels(300, 500, 700), target: 30, wantUtil: 50, wantValue: 1000},
		{name: "ContainerScaleUp", current: 3, want: 5, requests: ones(3), levels: [][]int64{{1000, 300}, {1000, 500}, {1000, 700}}, container: "container2", target: 30, wantUtil: 50, wantValue: 500},
		{name: "ScaleUpUnreadyLessScale", current: 3, want: 4, readiness: []string{F, T, T}, requests: ones(3), levels: levels(300, 500, 700), target: 30, wantUtil: 60, wantValue: 1200},
		{name: "ScaleUpContainerHotCpuLessScale", current: 3, want: 4, start: []api.Time{hot, cool, cool}, requests: ones(3), levels: [][]int64{{0, 300}, {0, 500}, {0, 700}}, container: "container2", target: 30, wantUtil: 60, wantValue: 600},
		{name: "ScaleUpHotCpuLessScale", current: 3, want: 4, start: []api.Time{hot, cool, cool}, requests: ones(3), levels: levels(300, 500, 700), target: 30, wantUtil: 60, wantValue: 1200},
		{name: "ScaleUpUnreadyNoScale", current: 3, want: 3, readiness: []string{T, F, F}, requests: ones(3), levels: levels(400, 500, 700), target: 30, wantUtil: 40, wantValue: 800},
		{name: "ScaleHotCpuNoScale", current: 3, want: 3, readiness: []string{T, F, F}, start: []api.Time{cool, hot, hot}, requests: ones(3), levels: levels(400, 500, 700), target: 30, wantUtil: 40, wantValue: 800},
		{name: "ScaleUpIgnoresFailedPods", current: 2, want: 4, readiness: []string{T, T, F, F}, phase: []string{R, R, X, X}, requests: ones(4), levels: levels(500, 700), target: 30, wantUtil: 60, wantValue: 1200},
		{name: "MissingContainerMetricScaleUpIgnoresFailedPods", current: 2, want: 4, readiness: []string{T, T, F, F}, phase: []string{R, R, X, X}, requests: ones(4), levels: [][]int64{{1000, 500}, {9000, 700}, {1000}, {9000}}, container: "container2", target: 30, wantUtil: 60, wantValue: 600},
		{name: "ScaleUpIgnoresDeletionPods", current: 2, want: 4, readiness: []string{T, T, F, F}, phase: []string{R, R, R, R}, deleting: []bool{false, false, true, true}, requests: ones(4), levels: levels(500, 700), target: 30, wantUtil: 60, wantValue: 1200},
		{name: "ScaleDown", current: 5, want: 3, requests: ones(5), levels: levels(100, 300, 500, 250, 250), target: 50, wantUtil: 28, wantValue: 560},
		{name: "ContainerScaleDown", current: 5, want: 3, requests: ones(5), levels: [][]int64{{1000, 100}, {1000, 300}, {1000, 500}, {1000, 250}, {1000, 250}}, container: "container2", target: 50, wantUtil: 28, wantValue: 280},
		{name: "ScaleDownExcludeUnreadyPods", current: 5, want: 2, readiness: []string{T, T, T, F, F}, requests: ones(5), levels: levels(100, 300, 500, 250, 250), target: 50, wantUtil: 30, wantValue: 600},
		{name: "ScaleDownExcludeUnscheduledPods", current: 5, want: 1, readiness: []string{T, F, F, F, F}, phase: []string{R, P, P, P, P}, requests: ones(5), levels: levels(100), target: 50, wantUtil: 10, wantValue: 200},
		{name: "ScaleDownIgnoreHotCpuPods", current: 5, want: 2, start: []api.Time{cool, cool, cool, hot, hot}, requests: ones(5), levels: levels(100, 300, 500, 250, 250), target: 50, wantUtil: 30, wantValue: 600},
		{name: "ScaleDownContainerIgnoreHotCpuPods", current: 5, want: 2, start: []api.Time{cool, cool, cool, hot, hot}, requests: ones(5), levels: [][]int64{{1000, 100}, {1000, 300}, {1000, 500}, {1000, 1000}, {1000, 1000}}, container: "container2", target: 50, wantUtil: 30, wantValue: 300},
		{name: "ScaleDownIgnoresFailedPods", current: 5, want: 3, readiness: []string{T, T, T, T, T, F, F}, phase: []string{R, R, R, R, R, X, X}, requests: ones(7), levels: levels(100, 300, 500, 250, 250), target: 50, wantUtil: 28, wantValue: 560},
		{name: "ScaleDownIgnoresDeletionPods", current: 5, want: 3, readiness: []string{T, T, T, T, T, F, F}, phase: []string{R, R, R, R, R, R, R}, deleting: []bool{false, false, false, false, false, true, true}, requests: ones(7), levels: levels(100, 300, 500, 250, 250), target: 50, wantUtil: 28, wantValue: 560},
		{name: "Tolerance", current: 3, want: 3, requests: []string{"0.9", "1.0", "1.1"}, levels: levels(1010, 1030, 1020), target: 100, wantUtil: 102, wantValue: 2040},
		{name: "SuperfluousMetrics", current: 4, want: 24, requests: ones(4), levels: levels(4000, 9500, 3000, 7000, 3200, 2000), target: 100, wantUtil: 587, wantValue: 11750},
		{name: "MissingMetrics", current: 4, want: 3, requests: ones(4), levels: levels(400, 95), target: 100, wantUtil: 24, wantValue: 495},
		{name: "EmptyCPURequest", current: 1, wantErr: "missing request for", levels: levels(200), target: 100},
		{name: "MissingMetricsNoChangeEq", current: 2, want: 2, requests: ones(2), levels: levels(1000), target: 100, wantUtil: 100, wantValue: 2000},
		{name: "MissingMetricsNoChangeGt", current: 2, want: 2, requests: ones(2), levels: levels(1900), target: 100, wantUtil: 190, wantValue: 3800},
		{name: "MissingMetricsNoChangeLt", current: 2, want: 2, requests: ones(2), levels: levels(600), target: 100, wantUtil: 60, wantValue: 1200},
		{name: "MissingMetricsUnreadyChange", current: 3, want: 3, readiness: []string{F, T, T}, requests: ones(3), levels: levels(100, 450), target: 50, wantUtil: 45, wantValue: 900},
		{name: "MissingMetricsHotCpuNoChange", current: 3, want: 3, start: []api.Time{hot, cool, cool}, requests: ones(3), levels: levels(100, 450), target: 50, wantUtil: 45, wantValue: 900},
		{name: "MissingMetricsUnreadyScaleUp", current: 3, want: 4, readiness: []string{F, T, T}, requests: ones(3), levels: levels(100, 2000), target: 50, wantUtil: 200, wantValue: 4000},
		{name: "MissingMetricsHotCpuScaleUp", current: 3, want: 4, readiness: []string{F, T, T}, start: []api.Time{hot, cool, cool}, requests: ones(3), levels: levels(100, 2000), target: 50, wantUtil: 200, wantValue: 4000},
		{name: "MissingMetricsUnreadyScaleDown", current: 4, want: 3, readiness: []string{F, T, T, T}, requests: ones(4), levels: levels(100, 100, 100), target: 50, wantUtil: 10, wantValue: 200},
		{name: "MissingMetricsScaleDownTargetOver100", current: 4, want: 2, readiness: []string{F, T, T, T}, requests: []string{"1.0", "1.0", "2.0", "2.0"}, levels: levels(200, 100, 100), target: 300, wantUtil: 6, wantValue: 200},
		{name: "DuringRollingUpdateWithMaxSurge", current: 2, want: 2, phase: []string{R, R, R}, requests: ones(3), levels: levels(100, 100), target: 50, wantUtil: 10, wantValue: 200},
	}
	calc := Calculator{Now: testNow, Tolerances: Tolerances{0.1, 0.1}, CPUInitializationPeriod: 2 * api.Minute, DelayOfInitialReadinessStatus: 10 * api.Second}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := calc.ResourceReplicas(tc.current, tc.target, api.ResourceCPU, tc.pods(), tc.metrics(), tc.container)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Replicas != tc.want || res.Utilization != tc.wantUtil || res.RawValue != tc.wantValue {
				t.Errorf("replicas %d, utilization %d, value %d; want %d, %d, %d", res.Replicas, res.Utilization, res.RawValue, tc.want, tc.wantUtil, tc.wantValue)
			}
		})
	}
}

// TestToleranceAndTruncation (after upstream's TestComputedToleranceAlgImplementation): a
// usage outside the 0.1 tolerance scales, and utilization is truncated to a whole percent
// before it is compared (10.9% of a 10% target is a ratio of exactly 1).
func TestToleranceAndTruncation(t *testing.T) {
	startPods := int32(10)
	// 10 pods at 100m of a 1-core request each, target 10%: ratio 1.0.
	perPod := func(total int64) [][]int64 {
		var out [][]int64
		for i := int32(0); i < startPods; i++ {
			out = append(out, []int64{total / int64(startPods) / 2, total / int64(startPods) / 2})
		}
		return out
	}
	calc := Calculator{Now: testNow, Tolerances: Tolerances{0.1, 0.1}, CPUInitializationPeriod: 2 * api.Minute, DelayOfInitialReadinessStatus: 10 * api.Second}
	for _, c := range []struct {
		total int64
		want  int32
	}{{total: 2 * 1000 * 10 * 10 / 100, want: 10}, {total: 2 * 1000 * 10 * 12 / 100, want: 12}, {total: 2 * 1000 * 10 * 8 / 100, want: 8}, {total: 2 * 1000 * 10 * 109 / 1000, want: 10}} {
		tc := calcCase{current: startPods, requests: ones(int(startPods)), levels: perPod(c.total)}
		res, err := calc.ResourceReplicas(startPods, 10, api.ResourceCPU, tc.pods(), tc.metrics(), "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Replicas != c.want {
			t.Errorf("total %dm: %d replicas (utilization %d%%); want %d", c.total, res.Replicas, res.Utilization, c.want)
		}
	}
}

// The plain-metric (average value) cases of the same file: TestReplicaCalcScaleUpCM,
// ScaleDownCM, ToleranceCM, MissingMetricsNoChangeEq, DuringRollingUpdateWithMaxSurgeCM,
// ScaleUpCMUnreadyHotCpuNoLessScale and ScaleUpCMUnreadyHotCpuScaleWouldScaleDown, with the
// levels as a memory usage (readiness matters only for cpu, as upstream's groupPods).
func TestRawResourceReplicasUpstreamCases(t *testing.T) {
	T, F := api.ConditionTrue, api.ConditionFalse
	R := api.PodRunning
	calc := Calculator{Now: testNow, Tolerances: Tolerances{0.1, 0.1}, CPUInitializationPeriod: 2 * api.Minute, DelayOfInitialReadinessStatus: 10 * api.Second}
	for _, tc := range []struct {
		name          string
		current, want int32
		levels        []int64
		target, usage int64
		readiness     []string
		start         []api.Time
		phase         []string
	}{
		{name: "ScaleUpCM", current: 3, want: 4, levels: []int64{20000, 10000, 30000}, target: 15000, usage: 20000},
		{name: "ScaleUpCMUnreadyHotCpuNoLessScale", current: 3, want: 6, levels: []int64{50000, 10000, 30000}, target: 15000, usage: 30000, readiness: []string{T, T, F}, start: []api.Time{cool, cool, hot}},
		{name: "ScaleUpCMUnreadyHotCpuScaleWouldScaleDown", current: 3, want: 7, levels: []int64{50000, 15000, 30000}, target: 15000, usage: 31666, readiness: []string{F, T, F}, start: []api.Time{hot, cool, hot}},
		{name: "ScaleDownCM", current: 5, want: 3, levels: []int64{12000, 12000, 12000, 12000, 12000}, target: 20000, usage: 12000},
		{name: "ToleranceCM", current: 3, want: 3, levels: []int64{20000, 21000, 21000}, target: 20000, usage: 20666},
		{name: "MissingMetricsNoChangeEq", current: 5, want: 5, levels: []int64{20000, 19000, 21000}, target: 20000, usage: 20000},
		{name: "DuringRollingUpdateWithMaxSurgeCM", current: 2, want: 2, levels: []int64{10000, 10000}, target: 17000, usage: 10000, phase: []string{R, R, R}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := calcCase{current: tc.current, readiness: tc.readiness, start: tc.start, phase: tc.phase}
			metrics := map[string]PodMetric{}
			for i, v := range tc.levels {
				metrics[fmt.Sprintf("test-pod-%d", i)] = PodMetric{Value: v, Window: api.Minute}
			}
			res, err := calc.RawResourceReplicas(tc.current, tc.target, api.ResourceMemory, cc.pods(), metrics)
			if err != nil {
				t.Fatal(err)
			}
			if res.Replicas != tc.want || res.RawValue != tc.usage {
				t.Errorf("replicas %d, usage %d; want %d, %d", res.Replicas, res.RawValue, tc.want, tc.usage)
			}
		})
	}
}

// A behavior's tolerance replaces the 0.1 per direction (KEP-4951): 105% of the target
// scales up with scaleUp.tolerance 0.01, and stays with the default.
func TestConfigurableTolerance(t *testing.T) {
	tc := calcCase{current: 4, requests: ones(4), levels: levels(525, 525, 525, 525)}
	h := &api.HorizontalPodAutoscaler{Spec: api.HorizontalPodAutoscalerSpec{Behavior: &api.HorizontalPodAutoscalerBehavior{
		ScaleUp: &api.HPAScalingRules{Tolerance: api.Ptr(api.MustQuantity("0.01"))}}}}
	for _, c := range []struct {
		tol  Tolerances
		want int32
	}{{Tolerances{0.1, 0.1}, 4}, {tolerancesFor(h), 5}} {
		calc := Calculator{Now: testNow, Tolerances: c.tol, CPUInitializationPeriod: 2 * api.Minute, DelayOfInitialReadinessStatus: 10 * api.Second}
		res, err := calc.ResourceReplicas(4, 50, api.ResourceCPU, tc.pods(), tc.metrics(), "")
		if err != nil || res.Replicas != c.want {
			t.Errorf("tolerances %+v: %d replicas (%v); want %d", c.tol, res.Replicas, err, c.want)
		}
	}
}
