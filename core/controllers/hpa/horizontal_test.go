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

// TestNormalizeDesiredReplicas of upstream's horizontal_test.go: the highest recommendation
// of the last 5 minutes, and the recommendation log reusing one slot older than the window.
func TestNormalizeDesiredReplicasUpstream(t *testing.T) {
	now := api.Time(time30m)
	ago := func(d api.Duration) api.Time { return now.Add(-d) }
	for _, c := range []struct {
		name       string
		recs       []Recommendation
		pre, want  int32
		wantLogLen int
	}{
		{"empty log", nil, 5, 5, 1},
		{"stabilize", []Recommendation{{4, ago(2 * api.Minute)}, {5, ago(api.Minute)}}, 3, 5, 3},
		{"no stabilize", []Recommendation{{1, ago(2 * api.Minute)}, {2, ago(api.Minute)}}, 3, 3, 3},
		{"no stabilize - old recommendations", []Recommendation{{10, ago(10 * api.Minute)}, {9, ago(9 * api.Minute)}}, 3, 3, 2},
		{"stabilize - old recommendations", []Recommendation{{10, ago(10 * api.Minute)}, {4, ago(api.Minute)}, {5, ago(2 * api.Minute)}, {9, ago(9 * api.Minute)}}, 3, 5, 4},
	} {
		s := &sync{hist: &History{Recommendations: append([]Recommendation(nil), c.recs...)}, now: now}
		if got := s.stabilizeRecommendation(c.pre); got != c.want || len(s.hist.Recommendations) != c.wantLogLen {
			t.Errorf("%s: %d stabilized, log of %d; want %d, %d", c.name, got, len(s.hist.Recommendations), c.want, c.wantLogLen)
		}
	}
}

const time30m = 30 * api.Minute

// Cases of upstream's TestScaleRate, written as autoscaling/v2 behaviors (a rate of Pods and
// Percent per period is two policies with selectPolicy Max): the limits of
// convertDesiredReplicasWithBehaviorRate.
func TestScaleRateUpstream(t *testing.T) {
	now := api.Time(time30m)
	rules := func(pods, percent, period int32) *api.HPAScalingRules {
		r := &api.HPAScalingRules{SelectPolicy: api.Ptr(api.MaxChangePolicySelect)}
		if pods > 0 {
			r.Policies = append(r.Policies, api.HPAScalingPolicy{Type: api.PodsScalingPolicy, Value: pods, PeriodSeconds: period})
		}
		if percent > 0 {
			r.Policies = append(r.Policies, api.HPAScalingPolicy{Type: api.PercentScalingPolicy, Value: percent, PeriodSeconds: period})
		}
		return r
	}
	// 1 + 5 + 9 = 15 replicas added within the period, plus one event just outside it.
	events := func(period api.Duration) []ScaleEvent {
		return []ScaleEvent{{1, now.Add(-period / 4), false}, {5, now.Add(-period / 2), false}, {9, now.Add(-period + api.Second), false},
			{42, now.Add(-period - api.Second), false}}
	}
	for _, c := range []struct {
		name                      string
		up, down                  *api.HPAScalingRules
		upEvents, downEvents      []ScaleEvent
		min, max, current, desire int32
		want                      int32
	}{
		{name: "scaleUp with rate.Pods is larger then rate.Percent", up: rules(100, 100, 15), min: 1, max: 1000, current: 10, desire: 500, want: 110},
		{name: "scaleUp with rate.Percent is larger then rate.Pods", up: rules(2, 100, 15), min: 1, max: 1000, current: 10, desire: 500, want: 20},
		{name: "scaleUp with spec MaxReplicas limitation with large rate.Pods", up: rules(100, 0, 15), min: 1, max: 1000, current: 10, desire: 50, want: 50},
		{name: "scaleUp with rate.Pods limitation", up: rules(30, 0, 15), min: 1, max: 1000, current: 10, desire: 50, want: 40},
		{name: "scaleUp with rate.Percent limitation", up: rules(0, 200, 15), min: 1, max: 1000, current: 10, desire: 50, want: 30},
		// The old constraint API of that test kept 99 here; with v2's selectPolicy Max the
		// larger change (20 pods) wins.
		{name: "scaleDown with rate.Pods is larger then rate.Percent", down: rules(20, 1, 15), min: 1, max: 1000, current: 100, desire: 2, want: 80},
		{name: "scaleDown with spec MinReplicas limitation with large rate.Percent", down: rules(0, 100, 15), min: 5, max: 1000, current: 10, desire: 2, want: 5},
		{name: "scaleDown with rate.Pods limitation", down: rules(5, 0, 15), min: 1, max: 1000, current: 10, desire: 2, want: 5},
		{name: "scaleUp with rate.PeriodSeconds with default rate", up: rules(0, 100, 60), upEvents: events(60 * api.Second), min: 1, max: 1000, current: 100, desire: 500, want: 170},
		{name: "scaleUp with spec MaxReplicas limitation with large rate.Pods with rate.PeriodSeconds", up: rules(300, 0, 60), upEvents: events(60 * api.Second), min: 1, max: 200, current: 100, desire: 500, want: 200},
		{name: "scaleUp with currentReplicas limitation with a lot of recent scale up events", up: rules(5, 0, 120), upEvents: events(120 * api.Second), min: 1, max: 1000, current: 100, desire: 500, want: 100},
		{name: "scaleUp with rate.Pods limitation with rate.PeriodSeconds", up: rules(150, 0, 120), upEvents: events(120 * api.Second), min: 1, max: 1000, current: 100, desire: 500, want: 235},
		{name: "scaleUp with rate.Percent limitation with rate.PeriodSeconds", up: rules(0, 200, 120), upEvents: events(120 * api.Second), min: 1, max: 1000, current: 100, desire: 500, want: 255},
	} {
		up, down := c.up, c.down
		if up == nil {
			up = rules(4, 100, 15)
		}
		if down == nil {
			down = rules(0, 100, 15)
		}
		s := &sync{h: &api.HorizontalPodAutoscaler{Spec: api.HorizontalPodAutoscalerSpec{MaxReplicas: c.max}},
			hist: &History{ScaleUpEvents: c.upEvents, ScaleDownEvents: c.downEvents}, now: now}
		if got, _, _ := s.convertDesiredReplicasWithBehaviorRate(c.current, c.desire, c.min, up, down); got != c.want {
			t.Errorf("%s: %d; want %d", c.name, got, c.want)
		}
	}
}
