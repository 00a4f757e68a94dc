package view

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// Pod chips carry the QoS class marker on their status line: G, Bu, BE. A status too long
// to share the line (CrashLoopBackOff (3) on a 190 px chip) keeps its full text and goes
// without the marker.
func TestPodChipQoSMarker(t *testing.T) {
	s := fixture(t, 2, []podSpec{
		{"guaranteed", "node-1", "", 0, "ready"},
		{"burstable", "node-1", "", 0, "ready"},
		{"besteffort", "node-2", "", 0, "ready"},
		{"crashing", "node-2", "", 0, "crash"},
	})
	set := func(name string, r api.ResourceRequirements) {
		p := api.Clone(s.Get("Pod", "default/"+name).(*api.Pod))
		p.Spec.Containers[0].Resources = r
		if err := s.Update(p); err != nil {
			t.Fatal(err)
		}
	}
	q := api.MustQuantity
	set("guaranteed", api.ResourceRequirements{Requests: api.ResourceList{"cpu": q("250m"), "memory": q("64Mi")}, Limits: api.ResourceList{"cpu": q("250m"), "memory": q("64Mi")}})
	set("besteffort", api.ResourceRequirements{})
	f := Build(&Input{Store: s, Now: 1000, W: 1280, H: 800, Theme: Light})
	want := map[string]string{"guaranteed": "G", "burstable": "Bu", "besteffort": "BE", "crashing": ""}
	for name, mark := range want {
		it := f.Items["Pod/default/"+name]
		if it == nil {
			t.Fatalf("no chip for %s", name)
		}
		got, status := "", ""
		for _, ti := range it.Texts {
			x := f.Texts[ti]
			switch {
			case x.Bold && x.Align == Right:
				got = x.S
			case !x.Bold:
				status = x.S
			}
		}
		if got != mark {
			t.Errorf("%s: marker %q, want %q", name, got, mark)
		}
		if name == "crashing" && status != "CrashLoopBackOff (3)" {
			t.Errorf("crashing: status %q, want it whole", status)
		}
	}
}
