package kubelet_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/controllers/scheduler"
	"github.com/kubesim/kubesim/core/sim"
)

// The host-local allocator's order, as pinned by containernetworking/plugins
// plugins/ipam/host-local/backend/allocator/allocator_test.go: sequential from .2 (.1 is the
// gateway), round-robin after the last reserved address (a released address is not reused
// until the search comes round to it), wrapping from the range end (.254) to the start,
// skipping addresses in use, and an error when none is free.
func TestHostLocalAllocate(t *testing.T) {
	h := &kubelet.HostLocal{}
	get := func(subnet, owner string) string {
		t.Helper()
		ip, err := h.Allocate(subnet, owner)
		if err != nil {
			t.Fatalf("Allocate(%s) for %s: %v", subnet, owner, err)
		}
		return ip
	}
	const subnet = "10.244.0.0/24"
	var got []string
	for i := range 3 {
		got = append(got, get(subnet, fmt.Sprint("p", i)))
	}
	if want := "[10.244.0.2 10.244.0.3 10.244.0.4]"; fmt.Sprint(got) != want {
		t.Errorf("sequential: %v; want %s", got, want)
	}
	h.Release("10.244.0.3", "p1")
	h.Release("10.244.0.2", "someone-else") // only the holder releases its address
	if ip := get(subnet, "p3"); ip != "10.244.0.5" {
		t.Errorf("after releasing .3: got %s; want 10.244.0.5 (round-robin goes on after the last reserved)", ip)
	}
	for i := 6; i <= 254; i++ {
		get(subnet, fmt.Sprint("q", i))
	}
	// Wrap-around: after .254 the search goes to .1 (the gateway, skipped), .2 (in use), .3.
	if ip := get(subnet, "p4"); ip != "10.244.0.3" {
		t.Errorf("after .254: got %s; want 10.244.0.3 (wrap to the range start, skip the gateway and .2 in use)", ip)
	}
	_, err := h.Allocate(subnet, "p5")
	if want := "failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.254"; err == nil || err.Error() != want {
		t.Errorf("full /24: err %v; want %q", err, want)
	}
	h.Release("10.244.0.100", "q100")
	if ip := get(subnet, "p5"); ip != "10.244.0.100" {
		t.Errorf("after releasing .100 in a full range: got %s", ip)
	}
	if len(h.Reserved) != 253 {
		t.Errorf("%d addresses reserved; want 253 (.2-.254)", len(h.Reserved))
	}

	// A last reserved address outside the range (another podCIDR) starts at the range start.
	h2 := &kubelet.HostLocal{LastReserved: "10.244.7.9"}
	if ip, err := h2.Allocate("10.244.3.0/28", "x"); ip != "10.244.3.2" || err != nil {
		t.Errorf("new range: %s, %v; want 10.244.3.2", ip, err)
	}
	for _, tc := range []struct{ subnet, err string }{
		{"10.244.3.0/30", ""}, // .2 is its only address
		{"10.244.3.0/31", "invalid range set 0: Network 10.244.3.0/31 too small to allocate from"},
		{"10.244.3.5/24", "invalid range set 0: Network has host bits set. For a subnet mask of length 24 the network address is 10.244.3.0"},
	} {
		_, err := (&kubelet.HostLocal{}).Allocate(tc.subnet, "x")
		if (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("Allocate(%s): err %v; want %q", tc.subnet, err, tc.err)
		}
	}
}

// newBareEngine is newEngine without the node IPAM controller: nodes get no podCIDR unless
// the test gives them one.
func newBareEngine(t *testing.T, images map[string]api.ImageBehavior, podCIDR string) *sim.Engine {
	e := sim.New(sim.Options{})
	e.Register(scheduler.Controller{})
	e.Register(kubelet.Controller{})
	ctx := e.ActionContext("test")
	cfg := &api.ClusterConfig{TypeMeta: api.TypeMeta{Kind: api.ClusterConfigKind}, ObjectMeta: api.ObjectMeta{Name: "cluster"}, Images: images}
	n := &api.Node{TypeMeta: api.TypeMeta{Kind: "Node", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: "node-1"},
		Spec: api.NodeSpec{PodCIDR: podCIDR}, Status: api.NodeStatus{Allocatable: api.ResourceList{"cpu": api.MustQuantity("16"), "memory": api.MustQuantity("64Gi")}}}
	api.DefaultNode(n)
	for _, o := range []api.Object{cfg, n} {
		if err := ctx.Create(o); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func events(e *sim.Engine, reason string) []string {
	var out []string
	for _, r := range e.Records() {
		if r.Event != nil && r.Event.Reason == reason {
			out = append(out, r.T.SecondsString()+" "+strings.TrimPrefix(r.Event.Object, "Pod/default/")+" "+r.Event.Message)
		}
	}
	return out
}

func podIP(e *sim.Engine, name string) string {
	return e.Store().Get("Pod", "default/"+name).(*api.Pod).Status.PodIP
}

// A node without a podCIDR has no pod network: the pod gets NetworkNotReady and no IP, and
// starts as soon as the node IPAM controller's podCIDR arrives.
func TestPodWaitsForPodCIDR(t *testing.T) {
	e := newBareEngine(t, map[string]api.ImageBehavior{"app:1": {Preloaded: true}}, "")
	ctx := e.ActionContext("test")
	if err := ctx.Create(newPod("a", "app:1")); err != nil {
		t.Fatal(err)
	}
	run(t, e, 30*1000)
	p := e.Store().Get("Pod", "default/a").(*api.Pod)
	if p.Status.PodIP != "" || api.PodStatusColumn(p) != "ContainerCreating" || len(startTimes(e)) != 0 {
		t.Fatalf("without a podCIDR: IP %q STATUS %s starts %v; want no IP, ContainerCreating, none", p.Status.PodIP, api.PodStatusColumn(p), startTimes(e))
	}
	want := "0 a network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"
	if got := events(e, "NetworkNotReady"); len(got) != 1 || got[0] != want {
		t.Errorf("events %q; want [%s]", got, want)
	}
	n := api.Clone(e.Store().Get("Node", "node-1").(*api.Node))
	n.Spec.PodCIDR, n.Spec.PodCIDRs = "10.244.5.0/24", []string{"10.244.5.0/24"}
	if err := ctx.Update(n); err != nil {
		t.Fatal(err)
	}
	run(t, e, 31*1000)
	if ip := podIP(e, "a"); ip != "10.244.5.2" || fmt.Sprint(startTimes(e)) != "[30]" {
		t.Errorf("with podCIDR 10.244.5.0/24: IP %q, starts %v; want 10.244.5.2, [30]", ip, startTimes(e))
	}
}

// A /29 has five pod addresses (.2-.6): the sixth pod gets FailedCreatePodSandBox with
// host-local's error at every pod-worker retry (10 s) until an address is free; a pod that
// finished (restartPolicy Never) gives its address back though its status still shows it.
func TestPodIPsExhausted(t *testing.T) {
	exit := 15 * api.Second
	e := newBareEngine(t, map[string]api.ImageBehavior{"app:1": {Preloaded: true}, "job:1": {Preloaded: true, ExitAfter: &exit}}, "10.244.9.0/29")
	ctx := e.ActionContext("test")
	for i := range 4 {
		if err := ctx.Create(newPod(fmt.Sprint("p", i), "app:1")); err != nil {
			t.Fatal(err)
		}
	}
	job := newPod("job", "job:1")
	job.Spec.RestartPolicy = api.RestartNever
	for _, p := range []*api.Pod{job, newPod("late", "app:1")} {
		if err := ctx.Create(p); err != nil {
			t.Fatal(err)
		}
	}
	run(t, e, 12*1000)
	var got []string
	for _, n := range []string{"p0", "p1", "p2", "p3", "job", "late"} {
		got = append(got, n+"="+podIP(e, n))
	}
	if want := "[p0=10.244.9.2 p1=10.244.9.3 p2=10.244.9.4 p3=10.244.9.5 job=10.244.9.6 late=]"; fmt.Sprint(got) != want {
		t.Errorf("IPs %v; want %s", got, want)
	}
	fails := events(e, "FailedCreatePodSandBox")
	if len(fails) != 2 || !strings.HasPrefix(fails[0], "0 late ") || !strings.HasPrefix(fails[1], "10 late ") {
		t.Fatalf("FailedCreatePodSandBox events %q; want two for late, at 0 and 10", fails)
	}
	const tail = `": plugin type="bridge" name="cbr0" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.9.1-10.244.9.6`
	if msg := strings.TrimPrefix(fails[0], "0 late "); !strings.HasPrefix(msg, `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "`) ||
		!strings.HasSuffix(msg, tail) || len(msg) != len(`Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "`)+64+len(tail) {
		t.Errorf("message %q; want containerd's error with a 64-hex-digit sandbox ID", msg)
	}
	// The job exits at 15 s and releases .6; late gets it at its retry at 20 s.
	run(t, e, 20*1000)
	if j := e.Store().Get("Pod", "default/job").(*api.Pod); !j.IsTerminal() || j.Status.PodIP != "10.244.9.6" {
		t.Errorf("job: phase %s IP %q; want terminal, still showing 10.244.9.6", j.Status.Phase, j.Status.PodIP)
	}
	if ip := podIP(e, "late"); ip != "10.244.9.6" {
		t.Errorf("late: IP %q at 20 s; want 10.244.9.6, released by the finished job", ip)
	}
	// A deleted pod's address comes back too, in host-local's round-robin order.
	if err := ctx.Delete("Pod", "default/p1", sim.DeleteOptions{GracePeriodSeconds: api.Ptr(int64(0))}); err != nil {
		t.Fatal(err)
	}
	p := newPod("next", "app:1")
	if err := ctx.Create(p); err != nil {
		t.Fatal(err)
	}
	run(t, e, 21*1000)
	if ip := podIP(e, "next"); ip != "10.244.9.3" {
		t.Errorf("next: IP %q; want 10.244.9.3, freed by p1", ip)
	}
}

// TestHostLocalJSON: the reservations read and write as the address -> owner object of the
// map they replaced.
func TestHostLocalJSON(t *testing.T) {
	type asMap struct {
		LastReserved string            `json:"lastReserved,omitempty"`
		Reserved     map[string]string `json:"reserved,omitempty"`
	}
	h := &kubelet.HostLocal{}
	for i, owner := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
		if _, err := h.Allocate("10.244.3.0/24", owner); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			h.Release("10.244.3."+fmt.Sprint(i+2), owner)
		}
	}
	m := asMap{LastReserved: h.LastReserved, Reserved: map[string]string{}}
	for _, r := range h.Reserved {
		m.Reserved[r.IP] = r.Owner
	}
	for _, tc := range []struct {
		h *kubelet.HostLocal
		m asMap
	}{{h, m}, {&kubelet.HostLocal{}, asMap{}}, {&kubelet.HostLocal{Reserved: kubelet.Reservations{}}, asMap{Reserved: map[string]string{}}}} {
		got, err := json.Marshal(struct {
			LastReserved string               `json:"lastReserved,omitempty"`
			Reserved     kubelet.Reservations `json:"reserved,omitempty"`
		}{tc.h.LastReserved, tc.h.Reserved})
		want, err2 := json.Marshal(tc.m)
		if err != nil || err2 != nil || string(got) != string(want) {
			t.Errorf("JSON = %s, %v; want %s, %v", got, err, want, err2)
		}
		var back kubelet.Reservations
		if len(tc.m.Reserved) > 0 {
			if err := json.Unmarshal(want[strings.Index(string(want), `"reserved":`)+len(`"reserved":`):len(want)-1], &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, tc.h.Reserved) {
				t.Errorf("read back %v; want %v", back, tc.h.Reserved)
			}
		}
	}
}
