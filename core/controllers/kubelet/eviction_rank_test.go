package kubelet

import (
	"fmt"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// rankMemoryPressure follows helpers.go: usage above request first, then lower priority,
// then the larger usage above request (the cases of eviction_manager_test.go
// TestMemoryPressure's ranking, reduced to the three comparisons).
func TestRankMemoryPressure(t *testing.T) {
	mi := int64(1 << 20)
	pod := func(name string, prio int32, usage, request int64) podUsage {
		p := &api.Pod{ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name}}
		p.Spec.Priority = &prio
		return podUsage{pod: p, usage: usage * mi, request: request * mi}
	}
	pods := []podUsage{
		pod("guaranteed-low", -10, 100, 100),  // within its request: last group despite low priority
		pod("burstable-high", 1000, 300, 200), // exceeds, high priority
		pod("besteffort", 0, 50, 0),           // exceeds by 50
		pod("burstable", 0, 400, 100),         // exceeds by 300
		pod("burstable-low", -5, 110, 100),    // exceeds by 10, lowest priority of those exceeding
		pod("under", 0, 10, 300),              // within: 290 below
		pod("besteffort-tie", 0, 50, 0),       // same as besteffort: by key
	}
	rankMemoryPressure(pods)
	var got []string
	for _, p := range pods {
		got = append(got, p.pod.Name)
	}
	want := "[burstable-low burstable besteffort besteffort-tie burstable-high guaranteed-low under]"
	if fmt.Sprint(got) != want {
		t.Errorf("order = %v\nwant    %s", got, want)
	}
}

func TestEvictionMessage(t *testing.T) {
	pu := podUsage{containers: []containerUsage{
		{name: "web", usage: 512 << 20, request: 0, requestText: "0"},
		{name: "sidecar", usage: 10 << 20, request: 64 << 20, requestText: "64Mi"},
	}}
	got := evictionMessage(pu, 81920<<10)
	want := "The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi. Container web was using 512Mi, request is 0, has larger consumption of memory. "
	if got != want {
		t.Errorf("message =\n%q\nwant\n%q", got, want)
	}
}
