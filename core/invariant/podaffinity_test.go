package invariant

import (
	"slices"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

func affinityPodAt(name, node string, t api.Time, app string, a *api.Affinity) *api.Pod {
	p := spreadPodAt(name, node, t, false)
	p.Labels = map[string]string{"app": app}
	p.Spec.Affinity = a
	return p
}

func TestPodAffinityAtBinding(t *testing.T) {
	a, b := zoneNode("node-a", "zone-a"), zoneNode("node-b", "zone-b")
	term := api.PodAffinityTerm{TopologyKey: "zone", LabelSelector: &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}
	anti := &api.Affinity{PodAntiAffinity: &api.PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []api.PodAffinityTerm{term}}}
	with := &api.Affinity{PodAffinity: &api.PodAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []api.PodAffinityTerm{term}}}
	e1 := affinityPodAt("e1", "node-a", 0, "web", nil)
	run := func(p, bound *api.Pod, existing ...api.Object) error {
		objs := append([]api.Object{a, b}, existing...)
		err, _ := replay(t, "pod-affinity-at-binding", []instant{{0, append(slices.Clone(objs), p)}, {1000, append(slices.Clone(objs), bound)}})
		return err
	}
	cases := []struct {
		name     string
		node     string
		aff      *api.Affinity
		app      string
		existing []api.Object
		want     string // "" valid, else a substring of the error
	}{
		{"anti-affinity: bound into the zone of a matching pod", "node-a", anti, "web", []api.Object{e1}, "against its required pod anti-affinity"},
		{"anti-affinity: the other zone", "node-b", anti, "web", []api.Object{e1}, ""},
		{"existing pod's anti-affinity selects the bound pod", "node-a", nil, "web", []api.Object{affinityPodAt("e2", "node-a", 0, "db", anti)}, "although the required pod anti-affinity of e2"},
		{"affinity: no matching pod in the zone", "node-b", with, "db", []api.Object{e1}, "no pod its required pod affinity selects"},
		{"affinity: beside the matching pod", "node-a", with, "db", []api.Object{e1}, ""},
		{"affinity: the first pod of a self-affine group", "node-b", with, "web", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := run(affinityPodAt("p", "", 0, tc.app, tc.aff), affinityPodAt("p", tc.node, 1000, tc.app, tc.aff), tc.existing...)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
