package hpa

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// Rate limits of the behavior policies (horizontal.go calculateScaleUpLimitWithScalingRules,
// calculateScaleDownLimitWithBehaviors), on the defaulted rules of autoscaling/v2.
func TestScaleLimits(t *testing.T) {
	h := &api.HorizontalPodAutoscaler{Spec: api.HorizontalPodAutoscalerSpec{Behavior: &api.HorizontalPodAutoscalerBehavior{}}}
	api.DefaultHPA(h)
	up, down := h.Spec.Behavior.ScaleUp, h.Spec.Behavior.ScaleDown
	now := api.Time(100 * api.Second)
	ev := func(change int32, ago api.Duration) []ScaleEvent {
		return []ScaleEvent{{Change: change, At: now.Add(-ago)}}
	}
	minSel := *up
	minSel.SelectPolicy = api.Ptr(api.MinChangePolicySelect)
	disabled := *up
	disabled.SelectPolicy = api.Ptr(api.DisabledPolicySelect)
	podsDown := &api.HPAScalingRules{SelectPolicy: api.Ptr(api.MinChangePolicySelect),
		Policies: []api.HPAScalingPolicy{{Type: api.PodsScalingPolicy, Value: 1, PeriodSeconds: 60}, {Type: api.PercentScalingPolicy, Value: 50, PeriodSeconds: 60}}}
	for _, c := range []struct {
		name     string
		got      int32
		want     int32
		whyWants string
	}{
		{"up: max(4 pods, 100%) of 2", ScaleUpLimit(2, nil, nil, up, now), 6, "2+4 beats 2×2"},
		{"up: max(4 pods, 100%) of 10", ScaleUpLimit(10, nil, nil, up, now), 20, "10×2 beats 10+4"},
		{"up: a rescale 10 s ago counts", ScaleUpLimit(5, ev(3, 10*api.Second), nil, up, now), 6, "the period started at 2"},
		{"up: a rescale 15 s ago is outside the period", ScaleUpLimit(5, ev(3, 15*api.Second), nil, up, now), 10, "periods are strict"},
		{"up: selectPolicy Min", ScaleUpLimit(10, nil, nil, &minSel, now), 14, "10+4 is the smaller change"},
		{"up: selectPolicy Disabled", ScaleUpLimit(10, nil, nil, &disabled, now), 10, "no change"},
		{"down: 100% per 15 s", ScaleDownLimit(10, nil, nil, down, now), 0, "everything may go"},
		{"down: Min of 1 pod or 50% per minute", ScaleDownLimit(10, nil, nil, podsDown, now), 9, "the smaller change"},
		{"down: after removing 1 pod 30 s ago", ScaleDownLimit(9, nil, ev(1, 30*api.Second), podsDown, now), 9, "the minute's budget is spent"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d; want %d (%s)", c.name, c.got, c.want, c.whyWants)
		}
	}
}

// Without spec.behavior the controller allows at most max(2 × current, 4) per sync and keeps
// within [min, max] (convertDesiredReplicasWithRules).
func TestConvertDesiredReplicasWithRules(t *testing.T) {
	for _, c := range []struct {
		current, desired, min, max, want int32
		reason                           string
	}{
		{2, 9, 2, 10, 4, "ScaleUpLimit"},
		{4, 9, 2, 10, 8, "ScaleUpLimit"},
		{8, 12, 2, 10, 10, "TooManyReplicas"},
		{3, 1, 2, 10, 2, "TooFewReplicas"},
		{3, 5, 2, 10, 5, "DesiredWithinRange"},
	} {
		got, reason, _ := convertDesiredReplicasWithRules(c.current, c.desired, c.min, c.max)
		if got != c.want || reason != c.reason {
			t.Errorf("current %d desired %d in [%d,%d]: %d %s; want %d %s", c.current, c.desired, c.min, c.max, got, reason, c.want, c.reason)
		}
	}
}

// The default scale-down stabilization keeps the highest recommendation of the last
// 5 minutes; a recommendation exactly 300 s old still counts (upstream compares with Before).
func TestStabilizeRecommendation(t *testing.T) {
	s := &sync{hist: &History{Recommendations: []Recommendation{{9, 0}, {3, 15 * 1000}}}, now: api.Time(300 * api.Second)}
	if got := s.stabilizeRecommendation(3); got != 9 {
		t.Errorf("at 300 s: %d; want 9 (the recommendation of t=0 is inside the window)", got)
	}
	s.now = api.Time(301 * api.Second)
	if got := s.stabilizeRecommendation(3); got != 3 {
		t.Errorf("at 301 s: %d; want 3", got)
	}
}

func TestMilliQuantity(t *testing.T) {
	for v, want := range map[int64]string{250: "250m", 1000: "1", 52428800000: "52428800", 100000000000: "100M", 0: "0"} {
		if got := MilliQuantity(v).String(); got != want {
			t.Errorf("MilliQuantity(%d) = %q; want %q", v, got, want)
		}
	}
}
