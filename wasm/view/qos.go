package view

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// qosMarks are the short QoS class markers on pod chips: which pods the kubelet evicts first
// under memory pressure (BestEffort, then Burstable above its requests) is visible at a glance.
var qosMarks = map[string]string{api.PodQOSGuaranteed: "G", api.PodQOSBurstable: "Bu", api.PodQOSBestEffort: "BE"}

// qosMark returns the marker of a pod's QoS class (api.GetPodQOS: status.qosClass, else
// computed from the spec), "" when the pod is not in the store.
func (b *builder) qosMark(p trace.PodState) string {
	pod, ok := store.GetAs[*api.Pod](b.in.Store, "Pod", nsRef(p.Name))
	if !ok {
		return ""
	}
	return qosMarks[api.GetPodQOS(pod)]
}

// qosBadge writes the marker right-aligned at (right, y), on the status line of a chip whose
// status text starts at left. The status comes first: when the full status leaves no room
// (a long "CrashLoopBackOff (12)"), the marker is left out rather than cutting the status.
func (b *builder) qosBadge(it *Item, p trace.PodState, status string, left, right, y float32) {
	m := b.qosMark(p)
	if m == "" || left+b.in.Measure(status, SizeSmall, false)+6+b.in.Measure(m, SizeSmall, true) > right {
		return
	}
	it.Texts = append(it.Texts, b.f.text(Text{X: right, Y: y, S: m, Size: SizeSmall, C: b.th.Chip, Bold: true, Align: Right}))
}
