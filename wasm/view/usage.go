package view

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// Usage bar colours: CPU as on the chart, memory reddish purple (Okabe-Ito).
var usageMem = RGB(0xcc79a7)

// PodUsage is a pod's CPU and memory use in metrics-server's last sample, as fractions of
// its containers' requests (the HPA's utilisation, /100); ok is false without a sample.
// A resource without a request gives -1.
func PodUsage(s *store.Store, ref string) (cpu, mem float32, ok bool) {
	m, ok := s.Get(api.PodMetricsKind, ref).(*api.PodMetrics)
	if !ok {
		return 0, 0, false
	}
	pod, ok := store.GetAs[*api.Pod](s, "Pod", ref)
	if !ok {
		return 0, 0, false
	}
	frac := func(name string) float32 {
		var used, req int64
		for _, c := range m.Containers {
			used += c.Usage[name].Milli
		}
		for _, c := range pod.Spec.Containers {
			req += c.Resources.Requests[name].Milli
		}
		if req <= 0 {
			return -1
		}
		return float32(used) / float32(req)
	}
	return frac(api.ResourceCPU), frac(api.ResourceMemory), true
}

// usageBars draws two thin bars along the bottom of a pod chip, CPU on the left and memory
// on the right, filled to the use over the request (full and darker beyond it).
func (b *builder) usageBars(it *Item, p trace.PodState, x, y, w, h float32) {
	cpu, mem, ok := PodUsage(b.in.Store, nsRef(p.Name))
	if !ok {
		return
	}
	bw := (w - 24) / 2
	for i, u := range []struct {
		f float32
		c Color
	}{{cpu, chartCPU}, {mem, usageMem}} {
		if u.f < 0 {
			continue
		}
		bx, by := x+8+float32(i)*(bw+8), y+h-7
		it.Rects = append(it.Rects, b.f.rect(Rect{X: bx, Y: by, W: bw, H: 4, Fill: RGB(0xffffff).Fade(0.7)}))
		c := u.c.Fade(0.85)
		if u.f > 1 {
			c = u.c
		}
		it.Rects = append(it.Rects, b.f.rect(Rect{X: bx, Y: by, W: bw * min(u.f, 1), H: 4, Fill: c}))
	}
}

const usageKey = "CPU, memory / request"

// usageLegendW is the width of the usage bars' key in the pods' legend, 0 when no pod has
// a metrics-server sample (no bars to explain).
func (b *builder) usageLegendW() float32 {
	for _, p := range b.st.Pods {
		if b.in.Store.Get(api.PodMetricsKind, nsRef(p.Name)) != nil {
			return 58 + b.in.Measure(usageKey, SizeSmall, false)
		}
	}
	return 0
}

// usageLegend draws the usage bars' key at x, y (see usageLegendW).
func (b *builder) usageLegend(x, y float32) {
	b.f.rect(Rect{X: x, Y: y + 8, W: 24, H: 4, Fill: chartCPU})
	b.f.rect(Rect{X: x + 28, Y: y + 8, W: 24, H: 4, Fill: usageMem})
	b.label(x+58, y+3, usageKey, SizeSmall, b.th.Ink, false)
}
