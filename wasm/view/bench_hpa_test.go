package view

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// BenchmarkBuildHPACPU is a frame of hpa-cpu at 100 s while playing (the state cached, the
// chart rebuilt): the chart's three views read the whole past each frame.
func BenchmarkBuildHPACPU(b *testing.B) {
	t := &testing.T{}
	s := hpaCPU(t, 100)
	p := s.P
	c := &Cache{}
	in := func(now api.Time) *Input {
		return &Input{Store: p.Cluster().Store(), Now: now, Past: p.Past(), End: s.End(), W: 1440, H: 820, Theme: Light, Cache: c, Key: 1}
	}
	Build(in(p.Now()))
	for i := 0; b.Loop(); i++ {
		Build(in(p.Now() + api.Time(i%500)))
	}
}
