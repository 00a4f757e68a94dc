package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/hpa"
	"github.com/kubesim/kubesim/core/store"
)

// HorizontalPodAutoscaler rules, judged at the write of the HPA's status that records a
// rescale (status.lastScaleTime set to now): by then the controller has written the target's
// new size and its own recommendation history.

func init() {
	RegisterStateful("hpa-rescale-within-min-max", func() Rule { return &hpaBounds{} })
	RegisterStateful("hpa-no-scale-down-inside-stabilization-window", func() Rule { return &hpaStabilization{recs: map[string][]hpa.Recommendation{}} })
}

// rescaled returns the HPA of a change that records a new rescale, or nil.
func rescaled(c store.Change) *api.HorizontalPodAutoscaler {
	if c.Kind != hpa.Kind || c.New == nil {
		return nil
	}
	h := c.New.(*api.HorizontalPodAutoscaler)
	if h.Status.LastScaleTime == nil {
		return nil
	}
	if c.Old != nil {
		if o := c.Old.(*api.HorizontalPodAutoscaler).Status.LastScaleTime; o != nil && *o == *h.Status.LastScaleTime {
			return nil
		}
	}
	return h
}

// hpaBounds: every rescale by the HPA sets the target to a size within [minReplicas,
// maxReplicas] (horizontal.go: out-of-range targets are brought to the nearest bound,
// every recommendation is clamped), and the target has that size.
type hpaBounds struct{ err error }

func (r *hpaBounds) Observe(s *store.Store, c store.Change) {
	h := rescaled(c)
	if h == nil || r.err != nil {
		return
	}
	d, lo, hi := h.Status.DesiredReplicas, h.MinReplicasOrDefault(), h.Spec.MaxReplicas
	if d < lo || d > hi {
		r.err = objErr(hpa.Kind, h.Key(), "rescaled %s/%s to %d, outside [%d, %d]", h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name, d, lo, hi)
		return
	}
	ref := h.Spec.ScaleTargetRef
	var spec *int32
	switch t := s.Get(ref.Kind, h.Namespace+"/"+ref.Name).(type) {
	case *api.Deployment:
		spec = t.Spec.Replicas
	case *api.StatefulSet:
		spec = t.Spec.Replicas
	case *api.ReplicaSet:
		spec = t.Spec.Replicas
	default:
		return
	}
	if api.Deref(spec, 1) != d {
		r.err = objErr(hpa.Kind, h.Key(), "status says it rescaled %s/%s to %d but its spec.replicas is %d", ref.Kind, ref.Name, d, api.Deref(spec, 1))
	}
}

func (r *hpaBounds) Check(*store.Store, api.Time) error { return r.err }

// hpaStabilization: a scale-down never goes below a recommendation made within the
// scale-down stabilization window (spec.behavior.scaleDown.stabilizationWindowSeconds, 300 s
// by default): the controller keeps the highest recent recommendation. The rule keeps its own
// copy of every recommendation the controller recorded, so the controller's reuse of old
// slots cannot hide one. A target above maxReplicas is brought down at once, as upstream.
type hpaStabilization struct {
	recs map[string][]hpa.Recommendation // by HPA UID
	err  error
}

func (r *hpaStabilization) Observe(s *store.Store, c store.Change) {
	if r.err != nil {
		return
	}
	if c.Kind == hpa.HistoryKind && c.New != nil {
		h := c.New.(*hpa.History)
		seen := map[hpa.Recommendation]int{}
		if c.Old != nil {
			for _, rec := range c.Old.(*hpa.History).Recommendations {
				seen[rec]++
			}
		}
		for _, rec := range h.Recommendations {
			if seen[rec] > 0 {
				seen[rec]--
				continue
			}
			r.recs[h.HPAUID] = append(r.recs[h.HPAUID], rec)
		}
		return
	}
	h := rescaled(c)
	if h == nil || h.Status.DesiredReplicas >= h.Status.CurrentReplicas || h.Status.CurrentReplicas > h.Spec.MaxReplicas {
		return
	}
	window := hpa.DownscaleStabilizationWindow
	if b := h.Spec.Behavior; b != nil && b.ScaleDown != nil && b.ScaleDown.StabilizationWindowSeconds != nil {
		window = api.Seconds(int64(*b.ScaleDown.StabilizationWindowSeconds))
	}
	now := *h.Status.LastScaleTime
	for _, rec := range r.recs[h.UID] {
		if rec.At > now.Add(-window) && rec.Replicas > h.Status.DesiredReplicas {
			r.err = objErr(hpa.Kind, h.Key(), "scaled down from %d to %d at %ss although it recommended %d at %ss, within the %s stabilization window",
				h.Status.CurrentReplicas, h.Status.DesiredReplicas, now.SecondsString(), rec.Replicas, rec.At.SecondsString(), window)
			return
		}
	}
}

func (r *hpaStabilization) Check(*store.Store, api.Time) error { return r.err }
