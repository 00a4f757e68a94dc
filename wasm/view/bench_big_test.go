package view

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// BenchmarkBuild10000On1000Nodes: issue 14's page, 10,000 pods on 1,000 nodes (budget:
// view.Build ≤ 8 ms per frame); compare with BenchmarkBuild1000 of the same run.
func BenchmarkBuild10000On1000Nodes(b *testing.B) {
	s := manyPods(b, 1000, 10000)
	in := &Input{Store: s, Now: 1000, W: 1280, H: 800, Theme: Light}
	b.ReportAllocs()
	for b.Loop() {
		Build(in)
	}
	f := Build(in)
	b.ReportMetric(float64(len(f.Rects)), "rects")
	b.ReportMetric(float64(len(f.Texts)), "texts")
}

// BenchmarkBuild10000On1000NodesCached: the same while playing, the state part cached.
func BenchmarkBuild10000On1000NodesCached(b *testing.B) {
	s := manyPods(b, 1000, 10000)
	c := &Cache{}
	Build(&Input{Store: s, Now: 1000, W: 1280, H: 800, Theme: Light, Cache: c, Key: 1})
	for i := 0; b.Loop(); i++ {
		Build(&Input{Store: s, Now: api.Time(1000 + i), W: 1280, H: 800, Theme: Light, Cache: c, Key: 1})
	}
}
