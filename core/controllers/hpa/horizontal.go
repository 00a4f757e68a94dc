package hpa

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Kind is the HorizontalPodAutoscaler kind.
const Kind = "HorizontalPodAutoscaler"

// HistoryKind is the hidden kind holding, per HPA (same key), what upstream's controller keeps
// in memory: its recent recommendations and scale events. In the store, snapshots carry it.
const HistoryKind = "HPAHistory"

// History is one HPA's recommendations (for the stabilization windows) and scale events (for
// the behavior policies' periods), and when its next sync is due.
type History struct {
	api.TypeMeta    `json:",inline"`
	api.ObjectMeta  `json:"metadata"`
	HPAUID          string           `json:"hpaUID"`
	NextSync        api.Time         `json:"nextSync"`
	Recommendations []Recommendation `json:"recommendations,omitempty"`
	ScaleUpEvents   []ScaleEvent     `json:"scaleUpEvents,omitempty"`
	ScaleDownEvents []ScaleEvent     `json:"scaleDownEvents,omitempty"`
}

// Recommendation is timestampedRecommendation.
type Recommendation struct {
	Replicas int32    `json:"replicas"`
	At       api.Time `json:"at"`
}

// ScaleEvent is timestampedScaleEvent.
type ScaleEvent struct {
	Change   int32    `json:"change"`
	At       api.Time `json:"at"`
	Outdated bool     `json:"outdated,omitempty"`
}

// Controller is pkg/controller/podautoscaler HorizontalController.
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return "horizontal-pod-autoscaler" }

// OwnedKinds implements sim.KindOwner: the recommendation history are this controller's own.
func (Controller) OwnedKinds() []string {
	return []string{HistoryKind}
}

// Watch queues a new HPA one sync period later: upstream adds every key with the HPA
// rate limiter, a fixed 15 s delay, and updates never jump the queue. A deleted HPA is
// reconciled at once to forget its history.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	if c.Kind != Kind {
		return
	}
	switch c.Type {
	case store.Added:
		ctx.EnqueueAfter(c.Key, SyncPeriod)
	case store.Deleted:
		ctx.Enqueue(c.Key)
	}
}

// Reconcile is reconcileKey: one sync of the HPA, then the next in a sync period.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	s := ctx.Store()
	h, _ := s.Get(Kind, key).(*api.HorizontalPodAutoscaler)
	old, _ := s.Get(HistoryKind, key).(*History)
	if h == nil {
		if old != nil {
			return ctx.Remove(HistoryKind, key)
		}
		return nil
	}
	now := ctx.Now()
	var hist *History
	switch {
	case old == nil || old.HPAUID != h.UID:
		hist = &History{TypeMeta: api.TypeMeta{APIVersion: "kubesim.dev/v1alpha1", Kind: HistoryKind},
			ObjectMeta: api.ObjectMeta{Namespace: h.Namespace, Name: h.Name}, HPAUID: h.UID}
	case now < old.NextSync:
		return nil // a timer left from an HPA deleted and recreated within a period
	default:
		hist = api.Clone(old)
	}
	hist.NextSync = now.Add(SyncPeriod)
	ctx.EnqueueAt(key, hist.NextSync)

	r := &sync{ctx: ctx, h: api.Clone(h), hist: hist, now: now}
	r.reconcileAutoscaler()
	if r.msg != "" {
		ctx.Explain(h, "%s", r.msg)
	}
	if old == nil || old.HPAUID != h.UID {
		if old != nil {
			if err := ctx.Remove(HistoryKind, key); err != nil {
				return err
			}
		}
		if err := ctx.Create(hist); err != nil {
			return err
		}
	} else if err := ctx.Update(hist); err != nil {
		return err
	}
	if !reflect.DeepEqual(h.Status, r.h.Status) {
		return ctx.Update(r.h)
	}
	return nil
}

// sync is one reconcileAutoscaler run.
type sync struct {
	ctx  *sim.Context
	h    *api.HorizontalPodAutoscaler
	hist *History
	now  api.Time
	msg  string // the explanation
	// stabilized is the recommendation after the stabilization window, before the limits.
	stabilized int32
}

func (r *sync) why(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if r.msg == "" {
		r.msg = s
	} else {
		r.msg += "; " + s
	}
}

// scaleTarget is the scale subresource of the target.
type scaleTarget struct {
	obj          api.Object
	specReplicas int32
	selector     *api.LabelSelector
}

func (r *sync) getScale() (*scaleTarget, error) {
	ref := r.h.Spec.ScaleTargetRef
	group, _, _ := strings.Cut(ref.APIVersion, "/")
	if !strings.Contains(ref.APIVersion, "/") {
		group = ""
	}
	kinds := map[string]bool{"Deployment": true, "StatefulSet": true, "ReplicaSet": true}
	if group != "apps" || !kinds[ref.Kind] {
		return nil, fmt.Errorf("no matches for kind %q in group %q", ref.Kind, group)
	}
	o := r.ctx.Store().Get(ref.Kind, r.h.Namespace+"/"+ref.Name)
	if o == nil {
		return nil, fmt.Errorf("%ss.apps %q not found", strings.ToLower(ref.Kind), ref.Name)
	}
	t := &scaleTarget{obj: o}
	switch w := o.(type) {
	case *api.Deployment:
		t.specReplicas, t.selector = api.Deref(w.Spec.Replicas, 1), w.Spec.Selector
	case *api.StatefulSet:
		t.specReplicas, t.selector = api.Deref(w.Spec.Replicas, 1), w.Spec.Selector
	case *api.ReplicaSet:
		t.specReplicas, t.selector = api.Deref(w.Spec.Replicas, 1), w.Spec.Selector
	}
	return t, nil
}

func (r *sync) setCondition(typ, status, reason, format string, args ...any) {
	setCondition(r.h, typ, status, reason, fmt.Sprintf(format, args...), r.now)
}

// setCondition is setConditionInList: the transition time moves only with the status.
func setCondition(h *api.HorizontalPodAutoscaler, typ, status, reason, message string, now api.Time) {
	c := h.GetCondition(typ)
	if c == nil {
		h.Status.Conditions = append(h.Status.Conditions, api.HorizontalPodAutoscalerCondition{Type: typ})
		c = &h.Status.Conditions[len(h.Status.Conditions)-1]
	}
	if c.Status != status {
		c.LastTransitionTime = now
	}
	c.Status, c.Reason, c.Message = status, reason, message
}

func (r *sync) reconcileAutoscaler() {
	h := r.h
	ref := h.Spec.ScaleTargetRef
	reference := fmt.Sprintf("%s/%s/%s", ref.Kind, h.Namespace, ref.Name)
	target, err := r.getScale()
	if err != nil {
		r.ctx.Event(h, "Warning", "FailedGetScale", err.Error())
		r.setCondition(api.HPAAbleToScale, api.ConditionFalse, "FailedGetScale", "the HPA controller was unable to get the target's current scale: %v", err)
		r.why("failed to query scale subresource for %s: %v", reference, err)
		return
	}
	r.setCondition(api.HPAAbleToScale, api.ConditionTrue, "SucceededGetScale", "the HPA controller was able to get the target's current scale")
	current := target.specReplicas
	if r.hist.Recommendations == nil {
		r.hist.Recommendations = []Recommendation{{current, r.now}}
	}
	minReplicas := h.MinReplicasOrDefault()
	maxReplicas := h.Spec.MaxReplicas
	var statuses []api.MetricStatus
	desired, rescale, reason := int32(0), true, ""
	switch {
	case current == 0 && minReplicas != 0:
		rescale = false
		r.setCondition(api.HPAScalingActive, api.ConditionFalse, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero")
		r.why("%s has 0 replicas: autoscaling is disabled", ref.Kind)
	case current > maxReplicas:
		reason, desired = "Current number of replicas above Spec.MaxReplicas", maxReplicas
		r.why("%s has %d replicas, above maxReplicas %d", ref.Kind, current, maxReplicas)
	case current < minReplicas:
		reason, desired = "Current number of replicas below Spec.MinReplicas", minReplicas
		r.why("%s has %d replicas, below minReplicas %d", ref.Kind, current, minReplicas)
	default:
		metricDesired, metricName, sts, err := r.computeReplicasForMetrics(target)
		statuses = sts
		if err != nil && metricDesired == -1 {
			r.setStatus(current, h.Status.DesiredReplicas, statuses, false)
			r.ctx.Event(h, "Warning", "FailedComputeMetricsReplicas", err.Error())
			r.why("failed to compute desired number of replicas based on listed metrics for %s: %v", reference, err)
			return
		}
		if metricDesired > desired {
			desired = metricDesired
		}
		if desired > current {
			reason = metricName + " above target"
		}
		if desired < current {
			reason = "All metrics below target"
		}
		pre := desired
		if h.Spec.Behavior == nil {
			desired = r.normalizeDesiredReplicas(current, desired, minReplicas)
		} else {
			desired = r.normalizeDesiredReplicasWithBehaviors(current, desired, minReplicas)
		}
		if r.stabilized != pre {
			r.why("%s: %d (%s)", h.GetCondition(api.HPAAbleToScale).Message, r.stabilized, h.GetCondition(api.HPAAbleToScale).Reason)
		}
		if desired != r.stabilized {
			r.why("%s: %d (%s)", h.GetCondition(api.HPAScalingLimited).Message, desired, h.GetCondition(api.HPAScalingLimited).Reason)
		}
		rescale = desired != current
	}
	if rescale {
		if err := r.scaleTo(target, desired); err != nil {
			r.ctx.Eventf(h, "Warning", "FailedRescale", "New size: %d; reason: %s; error: %v", desired, reason, err.Error())
			r.setCondition(api.HPAAbleToScale, api.ConditionFalse, "FailedUpdateScale", "the HPA controller was unable to update the target scale: %v", err)
			r.setStatus(current, h.Status.DesiredReplicas, statuses, false)
			return
		}
		r.setCondition(api.HPAAbleToScale, api.ConditionTrue, "SucceededRescale", "the HPA controller was able to update the target scale to %d", desired)
		r.ctx.Eventf(h, "Normal", "SuccessfulRescale", "New size: %d; reason: %s", desired, reason)
		r.storeScaleEvent(current, desired)
		r.why("scale %s %s from %d to %d", strings.ToLower(ref.Kind), ref.Name, current, desired)
	} else {
		desired = current
		r.why("keep %d replicas", current)
	}
	r.setStatus(current, desired, statuses, rescale)
}

func (r *sync) scaleTo(t *scaleTarget, n int32) error {
	cp := api.Clone(t.obj)
	switch w := cp.(type) {
	case *api.Deployment:
		w.Spec.Replicas = &n
	case *api.StatefulSet:
		w.Spec.Replicas = &n
	case *api.ReplicaSet:
		w.Spec.Replicas = &n
	}
	return r.ctx.Update(cp)
}

func (r *sync) setStatus(current, desired int32, statuses []api.MetricStatus, rescale bool) {
	st := &r.h.Status
	st.CurrentReplicas, st.DesiredReplicas, st.CurrentMetrics = current, desired, statuses
	if rescale {
		now := r.now
		st.LastScaleTime = &now
	}
}

// computeReplicasForMetrics returns the largest proposal of the metrics, or -1 with an
// error when no metric (or, for a scale-down, not every metric) could be computed.
func (r *sync) computeReplicasForMetrics(t *scaleTarget) (int32, string, []api.MetricStatus, error) {
	h := r.h
	// An empty selector renders as "", which the controller refuses like a missing one.
	if t.selector == nil || len(t.selector.MatchLabels)+len(t.selector.MatchExpressions) == 0 {
		r.ctx.Event(h, "Warning", "SelectorRequired", "selector is required")
		r.setCondition(api.HPAScalingActive, api.ConditionFalse, "InvalidSelector", "the HPA target's scale is missing a selector")
		return -1, "", nil, errors.New("selector is required")
	}
	pods := r.selectPods(t.selector)
	if others := r.otherHPAsSelecting(pods); len(others) > 0 {
		keys := append([]string{fmt.Sprintf("{%s %s}", h.Name, h.Namespace)}, others...)
		sort.Strings(keys)
		msg := fmt.Sprintf("pods by selector %s are controlled by multiple HPAs: [%s]", t.selector.String(), strings.Join(keys, " "))
		r.ctx.Event(h, "Warning", "AmbiguousSelector", msg)
		r.setCondition(api.HPAScalingActive, api.ConditionFalse, "AmbiguousSelector", "%s", msg)
		return -1, "", nil, errors.New(msg)
	}
	specs := h.Spec.Metrics
	statuses := make([]api.MetricStatus, len(specs))
	var replicas int32
	var metric string
	invalid := 0
	var firstErr error
	var firstCond api.HorizontalPodAutoscalerCondition
	for i := range specs {
		n, name, cond, err := r.computeReplicasForMetric(&specs[i], t.specReplicas, pods, &statuses[i])
		if err != nil {
			if invalid == 0 {
				firstErr, firstCond = err, cond
			}
			invalid++
			continue
		}
		if replicas == 0 || n > replicas {
			replicas, metric = n, name
		}
	}
	var err error
	if firstErr != nil {
		err = fmt.Errorf("invalid metrics (%d invalid out of %d), first error is: %v", invalid, len(specs), firstErr)
	}
	if invalid >= len(specs) || (invalid > 0 && replicas < t.specReplicas) {
		r.setCondition(firstCond.Type, firstCond.Status, firstCond.Reason, "%s", firstCond.Message)
		return -1, "", statuses, err
	}
	r.setCondition(api.HPAScalingActive, api.ConditionTrue, "ValidMetricFound", "the HPA was able to successfully calculate a replica count from %s", metric)
	return replicas, metric, statuses, err
}

// selectPods lists the pods of the HPA's namespace that the target's selector matches.
func (r *sync) selectPods(sel *api.LabelSelector) []*api.Pod {
	var out []*api.Pod
	for _, p := range store.ListAs[*api.Pod](r.ctx.Store(), "Pod", r.h.Namespace) {
		if sel.Matches(p.Labels) {
			out = append(out, p)
		}
	}
	return out
}

// otherHPAsSelecting names the other HPAs of the namespace whose targets select any of pods
// (hpasControllingPodsUnderSelector), as "{name namespace}".
func (r *sync) otherHPAsSelecting(pods []*api.Pod) []string {
	var out []string
	for _, o := range store.ListAs[*api.HorizontalPodAutoscaler](r.ctx.Store(), Kind, r.h.Namespace) {
		if o.Name == r.h.Name {
			continue
		}
		other := &sync{ctx: r.ctx, h: o}
		t, err := other.getScale()
		if err != nil || t.selector == nil {
			continue
		}
		for _, p := range pods {
			if t.selector.Matches(p.Labels) {
				out = append(out, fmt.Sprintf("{%s %s}", o.Name, o.Namespace))
				break
			}
		}
	}
	return out
}

// computeReplicasForMetric is computeReplicasForMetric for the Resource and
// ContainerResource sources.
func (r *sync) computeReplicasForMetric(spec *api.MetricSpec, current int32, pods []*api.Pod, status *api.MetricStatus) (int32, string, api.HorizontalPodAutoscalerCondition, error) {
	var resource, container, reason string
	var target api.MetricTarget
	switch {
	case spec.Type == api.ResourceMetricSourceType && spec.Resource != nil:
		resource, target, reason = spec.Resource.Name, spec.Resource.Target, "FailedGetResourceMetric"
	case spec.Type == api.ContainerResourceMetricSourceType && spec.ContainerResource != nil:
		resource, container, target, reason = spec.ContainerResource.Name, spec.ContainerResource.Container, spec.ContainerResource.Target, "FailedGetContainerResourceMetric"
	default:
		err := fmt.Errorf("unknown metric source type %q", spec.Type)
		return 0, "", r.unableCondition("InvalidMetricSourceType", err), err
	}
	n, name, value, err := r.resourceMetric(current, target, resource, container, pods)
	if err != nil {
		cond := r.unableCondition(reason, err)
		if container != "" {
			return 0, "", cond, fmt.Errorf("failed to get %s container metric value: %v", container, err)
		}
		return 0, "", cond, fmt.Errorf("failed to get %s resource metric value: %v", resource, err)
	}
	if container != "" {
		*status = api.MetricStatus{Type: spec.Type, ContainerResource: &api.ContainerResourceMetricStatus{Name: resource, Container: container, Current: value}}
	} else {
		*status = api.MetricStatus{Type: spec.Type, Resource: &api.ResourceMetricStatus{Name: resource, Current: value}}
	}
	return n, name, api.HorizontalPodAutoscalerCondition{}, nil
}

// unableCondition is getUnableComputeReplicaCountCondition: a warning event and the
// ScalingActive=False condition to set if no metric works.
func (r *sync) unableCondition(reason string, err error) api.HorizontalPodAutoscalerCondition {
	r.ctx.Event(r.h, "Warning", reason, err.Error())
	return api.HorizontalPodAutoscalerCondition{Type: api.HPAScalingActive, Status: api.ConditionFalse, Reason: reason,
		Message: fmt.Sprintf("the HPA was unable to compute the replica count: %v", err)}
}

// resourceMetric is computeStatusForResourceMetricGeneric.
func (r *sync) resourceMetric(current int32, target api.MetricTarget, resource, container string, pods []*api.Pod) (int32, string, api.MetricValueStatus, error) {
	metrics, err := r.getResourceMetric(resource, pods, container)
	calc := DefaultCalculator(r.now)
	calc.Tolerances = tolerancesFor(r.h)
	if target.AverageValue != nil {
		if err != nil {
			return 0, "", api.MetricValueStatus{}, fmt.Errorf("failed to get %s usage: unable to get metrics for resource %s: %v", resource, resource, err)
		}
		res, err := calc.RawResourceReplicas(current, target.AverageValue.Milli, resource, pods, metrics)
		if err != nil {
			return 0, "", api.MetricValueStatus{}, fmt.Errorf("failed to get %s usage: %v", resource, err)
		}
		avg := MilliQuantity(res.RawValue)
		r.why("%s: %s average over %s against a target of %s: ratio %.2f%s -> %d replicas", resource, avg, podsPhrase(res),
			target.AverageValue, res.Ratio, newRatioPhrase(res, "the target"), res.Replicas)
		return res.Replicas, resource + " resource", api.MetricValueStatus{AverageValue: &avg}, nil
	}
	if target.AverageUtilization == nil {
		return 0, "", api.MetricValueStatus{}, errors.New("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
	}
	if err != nil {
		return 0, "", api.MetricValueStatus{}, fmt.Errorf("failed to get %s utilization: unable to get metrics for resource %s: %v", resource, resource, err)
	}
	res, err := calc.ResourceReplicas(current, *target.AverageUtilization, resource, pods, metrics, container)
	if err != nil {
		return 0, "", api.MetricValueStatus{}, fmt.Errorf("failed to get %s utilization: %v", resource, err)
	}
	name := resource + " resource utilization (percentage of request)"
	if container != "" {
		name = resource + " container resource utilization (percentage of request)"
	}
	util, avg := res.Utilization, MilliQuantity(res.RawValue)
	r.why("%s: %d%% of request (average %s) over %s against a target of %d%%: ratio %.2f%s -> %d replicas", resource, util, avg,
		podsPhrase(res), *target.AverageUtilization, res.Ratio, newRatioPhrase(res, fmt.Sprintf("%d%% of request", max(100, *target.AverageUtilization))), res.Replicas)
	return res.Replicas, name, api.MetricValueStatus{AverageUtilization: &util, AverageValue: &avg}, nil
}

// tolerancesFor is tolerancesForHpa: a behavior's tolerance per direction, else the
// controller's --horizontal-pod-autoscaler-tolerance.
func tolerancesFor(h *api.HorizontalPodAutoscaler) Tolerances {
	t := Tolerances{DefaultTolerance, DefaultTolerance}
	if b := h.Spec.Behavior; b != nil {
		if b.ScaleDown != nil && b.ScaleDown.Tolerance != nil {
			t.ScaleDown = float64(b.ScaleDown.Tolerance.Milli) / 1000
		}
		if b.ScaleUp != nil && b.ScaleUp.Tolerance != nil {
			t.ScaleUp = float64(b.ScaleUp.Tolerance.Milli) / 1000
		}
	}
	return t
}

func podsPhrase(res Result) string {
	s := fmt.Sprintf("%d ready pods", res.Ready)
	if res.Unready > 0 {
		s += fmt.Sprintf(", %d unready", res.Unready)
	}
	if res.Missing > 0 {
		s += fmt.Sprintf(", %d without metrics", res.Missing)
	}
	return s
}

// newRatioPhrase says how pods without metrics and unready pods were counted, and the
// ratio that gave.
func newRatioPhrase(res Result, fallback string) string {
	if res.NewRatio == 0 {
		return ""
	}
	var parts []string
	if res.Ratio > 1 {
		if res.Missing > 0 {
			parts = append(parts, fmt.Sprintf("%d without metrics", res.Missing))
		}
		if res.Unready > 0 {
			parts = append(parts, fmt.Sprintf("%d unready", res.Unready))
		}
		return fmt.Sprintf(", %.2f counting %s at 0%% on a scale-up", res.NewRatio, strings.Join(parts, " and "))
	}
	return fmt.Sprintf(", %.2f counting %d without metrics at %s on a scale-down", res.NewRatio, res.Missing, fallback)
}

// MilliQuantity renders a milli-value the way resource.NewMilliQuantity(v, DecimalSI)
// prints: "250m", "1", "52428800", "100M".
func MilliQuantity(v int64) api.Quantity {
	if v%1000 != 0 {
		return api.Quantity{Text: fmt.Sprintf("%dm", v), Milli: v}
	}
	n, suffix := v/1000, ""
	for _, s := range []string{"k", "M", "G", "T", "P", "E"} {
		if n == 0 || n%1000 != 0 {
			break
		}
		n, suffix = n/1000, s
	}
	return api.Quantity{Text: fmt.Sprintf("%d%s", n, suffix), Milli: v}
}

// getResourceMetric is the resource metrics client's GetResourceMetric: the Metrics API's
// samples of the pods, summed over their containers (or one container), by pod name.
func (r *sync) getResourceMetric(resource string, pods []*api.Pod, container string) (map[string]PodMetric, error) {
	s := r.ctx.Store()
	cfg, _ := s.Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig)
	if cfg == nil || !cfg.MetricsServer {
		return nil, errors.New("unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)")
	}
	var items []*api.PodMetrics
	for _, p := range pods {
		if m, ok := s.Get(api.PodMetricsKind, p.Key()).(*api.PodMetrics); ok {
			items = append(items, m)
		}
	}
	if len(items) == 0 {
		return nil, errors.New("no metrics returned from resource metrics API")
	}
	out := map[string]PodMetric{}
	for _, m := range items {
		var sum int64
		found := false
		missing := len(m.Containers) == 0
		for _, c := range m.Containers {
			if container != "" && c.Name != container {
				continue
			}
			q, ok := c.Usage[resource]
			if !ok {
				missing = true
				break
			}
			sum += q.Milli
			found = true
		}
		if !missing && (container == "" || found) {
			out[m.Name] = PodMetric{Value: sum, Timestamp: m.Timestamp, Window: m.Window}
		}
	}
	return out, nil
}

// normalizeDesiredReplicas is the path without spec.behavior: the highest recommendation of
// the last 5 minutes, then at most max(2 × current, 4) and within [min, max].
func (r *sync) normalizeDesiredReplicas(current, pre, minReplicas int32) int32 {
	stabilized := r.stabilizeRecommendation(pre)
	r.stabilized = stabilized
	if stabilized != pre {
		r.setCondition(api.HPAAbleToScale, api.ConditionTrue, "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
	} else {
		r.setCondition(api.HPAAbleToScale, api.ConditionTrue, "ReadyForNewScale", "recommended size matches current size")
	}
	desired, reason, msg := convertDesiredReplicasWithRules(current, stabilized, minReplicas, r.h.Spec.MaxReplicas)
	if desired == stabilized {
		r.setCondition(api.HPAScalingLimited, api.ConditionFalse, reason, "%s", msg)
	} else {
		r.setCondition(api.HPAScalingLimited, api.ConditionTrue, reason, "%s", msg)
	}
	return desired
}

// stabilizeRecommendation records pre (over the oldest sample older than the window) and
// returns the highest recommendation within the window.
func (r *sync) stabilizeRecommendation(pre int32) int32 {
	best := pre
	cutoff := r.now.Add(-DownscaleStabilizationWindow)
	old := -1
	for i, rec := range r.hist.Recommendations {
		if rec.At < cutoff {
			old = i
		} else if rec.Replicas > best {
			best = rec.Replicas
		}
	}
	r.record(old, pre)
	return best
}

func (r *sync) record(old int, replicas int32) {
	rec := Recommendation{replicas, r.now}
	if old >= 0 {
		r.hist.Recommendations[old] = rec
	} else {
		r.hist.Recommendations = append(r.hist.Recommendations, rec)
	}
}

func convertDesiredReplicasWithRules(current, desired, minReplicas, maxReplicas int32) (int32, string, string) {
	scaleUpLimit := int32(math.Max(scaleUpLimitFactor*float64(current), scaleUpLimitMinimum))
	maxAllowed, cond, msg := maxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
	if maxReplicas > scaleUpLimit {
		maxAllowed, cond, msg = scaleUpLimit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
	}
	switch {
	case desired < minReplicas:
		return minReplicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
	case desired > maxAllowed:
		return maxAllowed, cond, msg
	}
	return desired, "DesiredWithinRange", "the desired count is within the acceptable range"
}

// normalizeDesiredReplicasWithBehaviors: stabilization windows, then the policies' rates,
// then [min, max].
func (r *sync) normalizeDesiredReplicasWithBehaviors(current, pre, minReplicas int32) int32 {
	b := r.h.Spec.Behavior
	up, down := *b.ScaleUp, *b.ScaleDown
	if down.StabilizationWindowSeconds == nil {
		down.StabilizationWindowSeconds = api.Ptr(int32(DownscaleStabilizationWindow / api.Second))
	}
	stabilized, reason, msg := r.stabilizeRecommendationWithBehaviors(current, pre, &up, &down)
	r.stabilized = stabilized
	if stabilized != pre {
		r.setCondition(api.HPAAbleToScale, api.ConditionTrue, reason, "%s", msg)
	} else {
		r.setCondition(api.HPAAbleToScale, api.ConditionTrue, "ReadyForNewScale", "recommended size matches current size")
	}
	desired, reason, msg := r.convertDesiredReplicasWithBehaviorRate(current, stabilized, minReplicas, &up, &down)
	if desired == stabilized {
		r.setCondition(api.HPAScalingLimited, api.ConditionFalse, reason, "%s", msg)
	} else {
		r.setCondition(api.HPAScalingLimited, api.ConditionTrue, reason, "%s", msg)
	}
	return desired
}

func (r *sync) stabilizeRecommendationWithBehaviors(current, desired int32, up, down *api.HPAScalingRules) (int32, string, string) {
	upRec, downRec := desired, desired
	upCutoff := r.now.Add(-api.Seconds(int64(*up.StabilizationWindowSeconds)))
	downCutoff := r.now.Add(-api.Seconds(int64(*down.StabilizationWindowSeconds)))
	old := -1
	for i, rec := range r.hist.Recommendations {
		if rec.At > upCutoff {
			upRec = min(rec.Replicas, upRec)
		}
		if rec.At > downCutoff {
			downRec = max(rec.Replicas, downRec)
		}
		if rec.At < upCutoff && rec.At < downCutoff {
			old = i
		}
	}
	rec := current
	if rec < upRec {
		rec = upRec
	}
	if rec > downRec {
		rec = downRec
	}
	r.record(old, desired)
	if desired >= current {
		return rec, "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation"
	}
	return rec, "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation"
}

func (r *sync) convertDesiredReplicasWithBehaviorRate(current, desired, minReplicas int32, up, down *api.HPAScalingRules) (int32, string, string) {
	maxReplicas := r.h.Spec.MaxReplicas
	switch {
	case desired > current:
		limit := max(ScaleUpLimit(current, r.hist.ScaleUpEvents, r.hist.ScaleDownEvents, up, r.now), current)
		maxAllowed, reason, msg := maxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
		if maxAllowed > limit {
			maxAllowed, reason, msg = limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
		}
		if desired > maxAllowed {
			return maxAllowed, reason, msg
		}
	case desired < current:
		limit := min(ScaleDownLimit(current, r.hist.ScaleUpEvents, r.hist.ScaleDownEvents, down, r.now), current)
		minAllowed, reason, msg := minReplicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
		if minAllowed < limit {
			minAllowed, reason, msg = limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate"
		}
		if desired < minAllowed {
			return minAllowed, reason, msg
		}
	}
	return desired, "DesiredWithinRange", "the desired count is within the acceptable range"
}

// replicasChangePerPeriod is getReplicasChangePerPeriod: the changes strictly within the
// last period.
func replicasChangePerPeriod(periodSeconds int32, events []ScaleEvent, now api.Time) int32 {
	cutoff := now.Add(-api.Seconds(int64(periodSeconds)))
	var n int32
	for _, e := range events {
		if e.At > cutoff {
			n += e.Change
		}
	}
	return n
}

// ScaleUpLimit is calculateScaleUpLimitWithScalingRules.
func ScaleUpLimit(current int32, upEvents, downEvents []ScaleEvent, rules *api.HPAScalingRules, now api.Time) int32 {
	sel := api.Deref(rules.SelectPolicy, api.MaxChangePolicySelect)
	if sel == api.DisabledPolicySelect {
		return current
	}
	result, pick := int32(math.MinInt32), func(a, b int32) int32 { return max(a, b) }
	if sel == api.MinChangePolicySelect {
		result, pick = math.MaxInt32, func(a, b int32) int32 { return min(a, b) }
	}
	for _, p := range rules.Policies {
		start := current - replicasChangePerPeriod(p.PeriodSeconds, upEvents, now) + replicasChangePerPeriod(p.PeriodSeconds, downEvents, now)
		var proposed int32
		switch p.Type {
		case api.PodsScalingPolicy:
			proposed = start + p.Value
		case api.PercentScalingPolicy:
			proposed = int32(math.Ceil(float64(start) * (1 + float64(p.Value)/100)))
		}
		result = pick(result, proposed)
	}
	return result
}

// ScaleDownLimit is calculateScaleDownLimitWithBehaviors.
func ScaleDownLimit(current int32, upEvents, downEvents []ScaleEvent, rules *api.HPAScalingRules, now api.Time) int32 {
	sel := api.Deref(rules.SelectPolicy, api.MaxChangePolicySelect)
	if sel == api.DisabledPolicySelect {
		return current
	}
	result, pick := int32(math.MaxInt32), func(a, b int32) int32 { return min(a, b) }
	if sel == api.MinChangePolicySelect {
		result, pick = math.MinInt32, func(a, b int32) int32 { return max(a, b) }
	}
	for _, p := range rules.Policies {
		start := current - replicasChangePerPeriod(p.PeriodSeconds, upEvents, now) + replicasChangePerPeriod(p.PeriodSeconds, downEvents, now)
		var proposed int32
		switch p.Type {
		case api.PodsScalingPolicy:
			proposed = start - p.Value
		case api.PercentScalingPolicy:
			proposed = int32(float64(start) * (1 - float64(p.Value)/100))
		}
		result = pick(result, proposed)
	}
	return result
}

// storeScaleEvent records a rescale for the policies' periods (only with a behavior).
func (r *sync) storeScaleEvent(prev, next int32) {
	b := r.h.Spec.Behavior
	if b == nil {
		return
	}
	events, rules, change := &r.hist.ScaleUpEvents, b.ScaleUp, next-prev
	if next < prev {
		events, rules, change = &r.hist.ScaleDownEvents, b.ScaleDown, prev-next
	}
	var longest int32
	for _, p := range rules.Policies {
		longest = max(longest, p.PeriodSeconds)
	}
	cutoff := r.now.Add(-api.Seconds(int64(longest)))
	old := -1
	for i := range *events {
		if (*events)[i].At < cutoff {
			(*events)[i].Outdated = true
		}
		if (*events)[i].Outdated {
			old = i
		}
	}
	e := ScaleEvent{Change: change, At: r.now}
	if old >= 0 {
		(*events)[old] = e
	} else {
		*events = append(*events, e)
	}
}
