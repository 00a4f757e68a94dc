package nodeipam

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/internal/deepcopytest"
	"github.com/kubesim/kubesim/core/sim"
)

// The cidrset's order (pkg/controller/nodeipam/ipam/cidrset/cidr_set_test.go): the first
// /24 of 10.244.0.0/16 first, then the next ones; a released /24 comes back only when the
// cursor wraps round to it; occupied ones are skipped; none left after 256.
func TestCIDRSetOrder(t *testing.T) {
	s := newCIDRSet("")
	next := func() string {
		t.Helper()
		c, ok := s.AllocateNext()
		if !ok {
			t.Fatal("AllocateNext: no CIDR left")
		}
		return c.String()
	}
	got := []string{next(), next(), next()}
	if want := "[10.244.0.0/24 10.244.1.0/24 10.244.2.0/24]"; fmt.Sprint(got) != want {
		t.Errorf("first allocations %v; want %s", got, want)
	}
	s.Release(api.CIDR{IP: 0x0af40100, Bits: 24}) // 10.244.1.0/24
	occupied, _ := api.ParseCIDR("10.244.3.0/26")
	s.Occupy(occupied) // a node that came with a smaller podCIDR holds its whole /24
	if c := next(); c != "10.244.4.0/24" {
		t.Errorf("after releasing .1 and occupying .3: %s; want 10.244.4.0/24 (the cursor moves on)", c)
	}
	for i := 5; i <= 255; i++ {
		next()
	}
	if c := next(); c != "10.244.1.0/24" {
		t.Errorf("after 10.244.255.0/24: %s; want the released 10.244.1.0/24", c)
	}
	if c, ok := s.AllocateNext(); ok {
		t.Errorf("full set gave %s", c)
	}
	if s.Allocated != 256 {
		t.Errorf("allocated %d; want 256", s.Allocated)
	}
	all, _ := api.ParseCIDR(api.ClusterCIDR)
	s.Release(all)
	s.Occupy(all)
	if s.Allocated != 256 {
		t.Errorf("occupy of the whole cluster CIDR: allocated %d; want 256", s.Allocated)
	}
}

type harness struct {
	t *testing.T
	e *sim.Engine
}

func newHarness(t *testing.T) *harness {
	e := sim.New(sim.Options{})
	e.Register(Controller{})
	return &harness{t, e}
}

func (h *harness) node(name, podCIDR string) {
	h.t.Helper()
	n := &api.Node{TypeMeta: api.TypeMeta{Kind: "Node", APIVersion: "v1"}, ObjectMeta: api.ObjectMeta{Name: name},
		Spec: api.NodeSpec{PodCIDR: podCIDR}}
	api.DefaultNode(n)
	if err := h.e.ActionContext("test").Create(n); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) run(until api.Time) {
	h.t.Helper()
	if _, err := h.e.Step(); err != nil {
		h.t.Fatal(err)
	}
	if err := h.e.AdvanceTo(until); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) cidrs(names ...string) string {
	var out []string
	for _, n := range names {
		nd := h.e.Store().Get("Node", n).(*api.Node)
		out = append(out, fmt.Sprintf("%s=%s%v", n, nd.Spec.PodCIDR, nd.Spec.PodCIDRs))
	}
	return strings.Join(out, " ")
}

// The controller's order: nodes present at start that bring a podCIDR keep it and are
// occupied before anything is allocated; the others get the next free /24 in creation order
// (spec.podCIDR and spec.podCIDRs); a deleted node's /24 is released but the cursor moves on.
func TestControllerAllocationOrder(t *testing.T) {
	h := newHarness(t)
	h.node("a", "")
	h.node("b", "")
	h.node("c", "10.244.1.0/24") // created after a and b, yet a and b skip its /24
	h.node("d", "")
	h.run(0)
	if got, want := h.cidrs("a", "b", "c", "d"), "a=10.244.0.0/24[10.244.0.0/24] b=10.244.2.0/24[10.244.2.0/24] c=10.244.1.0/24[10.244.1.0/24] d=10.244.3.0/24[10.244.3.0/24]"; got != want {
		t.Errorf("podCIDRs:\n got %s\nwant %s", got, want)
	}
	if err := h.e.ActionContext("test").Delete("Node", "a", sim.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	h.node("e", "")
	h.run(1000)
	if got, want := h.cidrs("e"), "e=10.244.4.0/24[10.244.4.0/24]"; got != want {
		t.Errorf("after deleting a: %s; want %s (10.244.0.0/24 is free but behind the cursor)", got, want)
	}
	set := h.e.Store().Get(CIDRSetKind, "cluster").(*CIDRSet)
	if set.Allocated != 4 || set.used(0) {
		t.Errorf("cidrset: %d allocated, index 0 used %v; want 4, false", set.Allocated, set.used(0))
	}
}

// Exhaustion: with the whole cluster CIDR held by one node, the next node gets no podCIDR and
// the Warning CIDRNotAvailable at every retry of the work queue's back-off (5 ms doubling); it
// gets the first /24 once the big node is gone.
func TestControllerCIDRNotAvailable(t *testing.T) {
	h := newHarness(t)
	h.node("big", api.ClusterCIDR)
	h.node("small", "")
	h.run(100)
	n := h.e.Store().Get("Node", "small").(*api.Node)
	if n.Spec.PodCIDR != "" || len(n.Spec.PodCIDRs) != 0 {
		t.Fatalf("small got %s %v; want no podCIDR", n.Spec.PodCIDR, n.Spec.PodCIDRs)
	}
	var got []string
	for _, r := range h.e.Records() {
		if r.Event != nil {
			got = append(got, fmt.Sprintf("%s %s %s %s: %s", r.T.SecondsString(), r.Event.EventType, r.Event.Reason, r.Event.Object, r.Event.Message))
		}
	}
	// Retries at 5, 15, 35 and 75 ms.
	want := "0 Warning CIDRNotAvailable Node/small: Node small status is now: CIDRNotAvailable"
	if len(got) != 5 || got[0] != want || !strings.HasPrefix(got[4], "0.075 ") {
		t.Errorf("events:\n%s\nwant 5, the first %q, the last at 0.075", strings.Join(got, "\n"), want)
	}
	if err := h.e.ActionContext("test").Delete("Node", "big", sim.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	h.run(1000)
	if got, want := h.cidrs("small"), "small=10.244.0.0/24[10.244.0.0/24]"; got != want {
		t.Errorf("after deleting big: %s; want %s", got, want)
	}
}

func TestCIDRSetCloneIsDeep(t *testing.T) {
	var n int
	s := &CIDRSet{}
	deepcopytest.Fill(reflect.ValueOf(s).Elem(), &n)
	cp := s.CloneSelf()
	if !reflect.DeepEqual(s, cp) || deepcopytest.Shares(reflect.ValueOf(s), reflect.ValueOf(cp)) {
		t.Errorf("CIDRSet.CloneSelf is not a deep copy of every field:\n%+v\n%+v", s, cp)
	}
}
