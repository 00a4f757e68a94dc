package invariant

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// memStore is a 1Gi node and a config where image m:N uses N Mi of memory.
func memStore(t *testing.T) *store.Store {
	s := store.New()
	q := api.MustQuantity
	cfg := &api.ClusterConfig{TypeMeta: api.TypeMeta{Kind: api.ClusterConfigKind}, ObjectMeta: api.ObjectMeta{Name: "cluster"},
		Images: map[string]api.ImageBehavior{}}
	for _, mi := range []string{"100", "200", "300", "400", "500"} {
		cfg.Images["m:"+mi] = api.ImageBehavior{Memory: &api.Usage{From: q(mi + "Mi")}}
	}
	n := &api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"}, ObjectMeta: api.ObjectMeta{Name: "node-1"}}
	n.Status.Capacity = api.ResourceList{api.ResourceMemory: q("1Gi")}
	for _, o := range []api.Object{cfg, n} {
		if err := s.Create(o); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// memPod runs image m:<mi> on node-1 since t=0, requesting req of memory ("" for none).
func memPod(name, mi, req, limit string) *api.Pod {
	p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name, UID: "uid-" + name}}
	c := api.Container{Name: "app", Image: "m:" + mi}
	if req != "" {
		c.Resources.Requests = api.ResourceList{api.ResourceMemory: api.MustQuantity(req)}
	}
	if limit != "" {
		c.Resources.Limits = api.ResourceList{api.ResourceMemory: api.MustQuantity(limit)}
	}
	p.Spec.Containers = []api.Container{c}
	p.Spec.NodeName = "node-1"
	start := api.Time(0)
	p.Status.Phase, p.Status.StartTime = api.PodRunning, &start
	p.Status.ContainerStatuses = []api.ContainerStatus{{Name: "app", State: api.ContainerState{Running: &api.ContainerStateRunning{StartedAt: 0}}}}
	return p
}

// stoppedAt turns p's running container into one restarting after it stopped at t.
func stoppedAt(p *api.Pod, t api.Time) *api.Pod {
	cs := &p.Status.ContainerStatuses[0]
	cs.LastTerminationState.Terminated = &api.ContainerStateTerminated{ExitCode: 137, StartedAt: cs.State.Running.StartedAt, FinishedAt: t}
	cs.State = api.ContainerState{Waiting: &api.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
	return p
}

func TestMemoryWithinLimit(t *testing.T) {
	s := memStore(t)
	if err := s.Create(memPod("ok", "200", "", "200Mi")); err != nil {
		t.Fatal(err)
	}
	if err := checks["memory-within-limit"](s, 1000); err != nil {
		t.Errorf("usage equal to the limit: %v", err)
	}
	if err := s.Create(memPod("over", "300", "", "256Mi")); err != nil {
		t.Fatal(err)
	}
	if err := checks["memory-within-limit"](s, 1000); err == nil || !strings.Contains(err.Error(), "uses 300Mi of memory while running, above its limit 256Mi") {
		t.Errorf("usage above the limit: %v", err)
	}
	// On a failed machine nothing runs: the API's Running status is stale, not a violation.
	n := api.Clone(s.Get("Node", "node-1").(*api.Node))
	n.Annotations = map[string]string{"kubesim.dev/failed": "true"}
	if err := s.Update(n); err != nil {
		t.Fatal(err)
	}
	if err := checks["memory-within-limit"](s, 1000); err != nil {
		t.Errorf("pod of a failed node judged: %v", err)
	}
}

// evict marks pod name evicted the way the kubelet writes it, through the rule's Observe.
func evict(t *testing.T, s *store.Store, r *evictionOrder, name string) {
	old := s.Get("Pod", "default/"+name).(*api.Pod)
	p := api.Clone(old)
	p.Status.Phase, p.Status.Reason = api.PodFailed, "Evicted"
	if err := s.Update(p); err != nil {
		t.Fatal(err)
	}
	r.Observe(s, store.Change{Type: store.Modified, Kind: "Pod", Old: old, New: s.Get("Pod", "default/"+name)})
}

func TestEvictionUnderPressureInRankOrder(t *testing.T) {
	for _, c := range []struct {
		name  string
		pods  []*api.Pod
		evict []string
		want  string
	}{
		// 400 + 300 + 200 + 100 = 1000Mi used, 24Mi available.
		{"BestEffort first", []*api.Pod{memPod("be", "400", "", ""), memPod("bu", "300", "256Mi", ""), memPod("g", "200", "256Mi", "256Mi"), memPod("x", "100", "100Mi", "")}, []string{"be"}, ""},
		{"Burstable before the larger BestEffort", []*api.Pod{memPod("be", "400", "", ""), memPod("bu", "300", "256Mi", ""), memPod("g", "200", "256Mi", "256Mi"), memPod("x", "100", "100Mi", "")}, []string{"bu"},
			"evicted bu (300Mi used, 256Mi requested, priority 0) from node-1 at 1s, but be (400Mi used, 0 requested, priority 0) ranks before it"},
		{"within request before exceeding", []*api.Pod{memPod("be", "400", "", ""), memPod("bu", "300", "256Mi", ""), memPod("g", "200", "256Mi", "256Mi"), memPod("x", "100", "100Mi", "")}, []string{"g"},
			"but be (400Mi used"},
		// 400 + 300 = 700Mi used: 324Mi available, no pressure.
		{"no pressure", []*api.Pod{memPod("be", "400", "", ""), memPod("bu", "300", "256Mi", "")}, []string{"be"},
			"with memory.available 324Mi, not below the 100Mi threshold"},
		// x's container stopped (a liveness kill) at the eviction's instant: the kubelet's
		// synchronize saw it running, so 1000Mi were used.
		{"stopped at the instant still counts", []*api.Pod{memPod("be", "400", "", ""), memPod("bu", "300", "256Mi", ""), memPod("g", "200", "256Mi", "256Mi"), stoppedAt(memPod("x", "100", "100Mi", ""), 1000)}, []string{"be"}, ""},
		{"stopped before the instant does not", []*api.Pod{memPod("be", "400", "", ""), memPod("bu", "300", "256Mi", ""), memPod("g", "200", "256Mi", "256Mi"), stoppedAt(memPod("x", "100", "100Mi", ""), 500)}, []string{"be"},
			"with memory.available 124Mi, not below the 100Mi threshold"},
		{"two in one instant", []*api.Pod{memPod("be", "400", "", ""), memPod("bu", "300", "256Mi", ""), memPod("g", "200", "256Mi", "256Mi"), memPod("x", "100", "100Mi", "")}, []string{"be", "bu"},
			"the second eviction on that node in one instant"},
	} {
		s := memStore(t)
		for _, p := range c.pods {
			if err := s.Create(p); err != nil {
				t.Fatal(err)
			}
		}
		r := &evictionOrder{}
		for _, n := range c.evict {
			evict(t, s, r, n)
		}
		err := r.Check(s, 1000)
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
}
