package invariant

import (
	"errors"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// Builders for the small stores below. Each test case builds a store that keeps or breaks
// exactly one rule and runs that rule by name, so the case also proves the rule is registered.

func node(name, cpu, mem string, pods int64) *api.Node {
	n := &api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"}, ObjectMeta: api.ObjectMeta{Name: name}}
	n.Status.Allocatable = api.ResourceList{api.ResourceCPU: api.MustQuantity(cpu), api.ResourceMemory: api.MustQuantity(mem),
		api.ResourcePods: api.MustQuantity(strings.TrimSpace(itoa(pods)))}
	return n
}

// stoppedKubelet marks a node whose kubelet `fail node/...` stopped.
func stoppedKubelet(n *api.Node) *api.Node {
	n.Annotations = map[string]string{"kubesim.dev/failed": "true"}
	return n
}

// withCIDR gives a node its podCIDR, as the node IPAM controller does.
func withCIDR(n *api.Node, cidr string) *api.Node {
	n.Spec.PodCIDR, n.Spec.PodCIDRs = cidr, []string{cidr}
	return n
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

type podOpt func(*api.Pod)

func pod(name string, opts ...podOpt) *api.Pod {
	p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{"app": "web"}}}
	p.Spec.Containers = []api.Container{{Name: "app", Image: "web:1.0"}}
	p.Status.Phase = api.PodRunning
	for _, o := range opts {
		o(p)
	}
	return p
}

// allocated reports the kubelet's allocation of the pod's container (in-place resize).
func allocated(cpu, mem string) podOpt {
	return func(p *api.Pod) {
		p.Status.ContainerStatuses = []api.ContainerStatus{{Name: "app",
			AllocatedResources: api.ResourceList{api.ResourceCPU: api.MustQuantity(cpu), api.ResourceMemory: api.MustQuantity(mem)}}}
	}
}

func on(n string) podOpt { return func(p *api.Pod) { p.Spec.NodeName = n } }
func requests(cpu, mem string) podOpt {
	return func(p *api.Pod) {
		p.Spec.Containers[0].Resources.Requests = api.ResourceList{api.ResourceCPU: api.MustQuantity(cpu), api.ResourceMemory: api.MustQuantity(mem)}
	}
}
func phase(ph string) podOpt { return func(p *api.Pod) { p.Status.Phase = ph } }
func ip(a string) podOpt     { return func(p *api.Pod) { p.Status.PodIP = a } }
func readyAt(t api.Time) podOpt {
	return func(p *api.Pod) {
		p.Status.Conditions = append(p.Status.Conditions, api.PodCondition{Type: api.PodReady, Status: api.ConditionTrue, LastTransitionTime: t})
	}
}
func terminating() podOpt {
	return func(p *api.Pod) { t := api.Time(99_000); p.DeletionTimestamp = &t }
}
func ownedBy(uid string) podOpt {
	return func(p *api.Pod) {
		p.OwnerReferences = []api.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-1", UID: uid, Controller: api.Ptr(true)}}
	}
}

func service(pnra bool) *api.Service {
	return &api.Service{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Service"}, ObjectMeta: api.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: api.ServiceSpec{Selector: map[string]string{"app": "web"}, PublishNotReadyAddresses: pnra}}
}

type ep struct {
	pod, addr                 string
	ready, serving, terminate bool
}

func slice(eps ...ep) *api.EndpointSlice {
	sl := &api.EndpointSlice{TypeMeta: api.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"},
		ObjectMeta:  api.ObjectMeta{Name: "web-abcde", Namespace: "default", Labels: map[string]string{serviceNameLabel: "web"}},
		AddressType: "IPv4"}
	for _, e := range eps {
		sl.Endpoints = append(sl.Endpoints, api.Endpoint{Addresses: []string{e.addr},
			Conditions: api.EndpointConditions{Ready: api.Ptr(e.ready), Serving: api.Ptr(e.serving), Terminating: api.Ptr(e.terminate)},
			TargetRef:  &api.ObjectReference{Kind: "Pod", Namespace: "default", Name: e.pod}})
	}
	return sl
}

func replicaSet(uid string, minReady int32, replicas, ready, available int32, term *int32) *api.ReplicaSet {
	rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: api.ObjectMeta{Name: "web-1", Namespace: "default", UID: uid},
		Spec:       api.ReplicaSetSpec{Replicas: api.Ptr(replicas), MinReadySeconds: minReady}}
	rs.Status = api.ReplicaSetStatus{Replicas: replicas, ReadyReplicas: ready, AvailableReplicas: available, TerminatingReplicas: term, ObservedGeneration: 1}
	return rs
}

// pvc is also used by claims_test.go.
func pvc(name, volume, phase string) *api.PersistentVolumeClaim {
	c := &api.PersistentVolumeClaim{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: "default", UID: "uid-" + name}}
	c.Spec.VolumeName = volume
	c.Status.Phase = phase
	return c
}

// build puts objects into a fresh store whose clock reads `at` (creation timestamps).
func build(t *testing.T, at api.Time, objs ...api.Object) *store.Store {
	t.Helper()
	s := store.New()
	s.Clock = func() api.Time { return at }
	for _, o := range objs {
		if err := s.Create(o); err != nil {
			t.Fatalf("create %s %s: %v", o.GetKind(), o.Meta().Name, err)
		}
	}
	return s
}

func TestRulesFire(t *testing.T) {
	const now = api.Time(60_000)
	three := int32(3)
	tests := []struct {
		name string
		rule string
		objs []api.Object
		at   api.Time // creation time stamped by the store (default 0)
		want string   // substring of the error; "" means the rule must hold
	}{
		// node-not-overcommitted (pods.md §10.4)
		{"pods fit", "node-not-overcommitted", []api.Object{node("n1", "1", "1Gi", 110),
			pod("a", on("n1"), requests("500m", "256Mi")), pod("b", on("n1"), requests("500m", "256Mi"))}, 0, ""},
		{"cpu overcommitted", "node-not-overcommitted", []api.Object{node("n1", "1", "1Gi", 110),
			pod("a", on("n1"), requests("700m", "1Mi")), pod("b", on("n1"), requests("500m", "1Mi"))}, 0, "pods request 1200m cpu, more than its allocatable 1000m"},
		{"memory overcommitted", "node-not-overcommitted", []api.Object{node("n1", "4", "1Gi", 110),
			pod("a", on("n1"), requests("1", "600Mi")), pod("b", on("n1"), requests("1", "600Mi"))}, 0, "more than its allocatable 1073741824"},
		{"a Deferred resize asks for more than allocatable; the allocations fit", "node-not-overcommitted", []api.Object{node("n1", "1", "1Gi", 110),
			pod("a", on("n1"), requests("800m", "1Mi"), allocated("500m", "1Mi")), pod("b", on("n1"), requests("500m", "1Mi"))}, 0, ""},
		{"allocations overcommitted", "node-not-overcommitted", []api.Object{node("n1", "1", "1Gi", 110),
			pod("a", on("n1"), requests("500m", "1Mi"), allocated("800m", "1Mi")), pod("b", on("n1"), requests("500m", "1Mi"))}, 0, "pods request 1300m cpu"},
		{"too many pods", "node-not-overcommitted", []api.Object{node("n1", "4", "1Gi", 1), pod("a", on("n1")), pod("b", on("n1"))}, 0, "2 pods bound, more than its allocatable 1 pods"},
		{"a pod resized on a stopped kubelet that never admitted it holds nothing", "node-not-overcommitted", []api.Object{stoppedKubelet(node("n1", "1", "1Gi", 110)),
			pod("a", on("n1"), requests("2", "1Mi")), pod("b", on("n1"), requests("500m", "1Mi"), allocated("500m", "1Mi"))}, 0, ""},
		{"a stopped kubelet's admitted pods still count", "node-not-overcommitted", []api.Object{stoppedKubelet(node("n1", "1", "1Gi", 110)),
			pod("a", on("n1"), requests("700m", "1Mi"), allocated("700m", "1Mi")), pod("b", on("n1"), requests("500m", "1Mi"), allocated("500m", "1Mi"))}, 0, "1200m"},
		{"terminal pods release resources", "node-not-overcommitted", []api.Object{node("n1", "1", "1Gi", 110),
			pod("a", on("n1"), requests("700m", "1Mi"), phase(api.PodFailed)), pod("b", on("n1"), requests("500m", "1Mi"))}, 0, ""},
		{"terminating pods still hold resources", "node-not-overcommitted", []api.Object{node("n1", "1", "1Gi", 110),
			pod("a", on("n1"), requests("700m", "1Mi"), terminating()), pod("b", on("n1"), requests("500m", "1Mi"))}, 0, "1200m"},

		// endpointslices-match-pods (pods.md §12)
		{"slices match", "endpointslices-match-pods", []api.Object{service(false),
			pod("a", ip("10.0.0.1"), readyAt(0)), pod("b", ip("10.0.0.2")), pod("c", ip("10.0.0.3"), readyAt(0), terminating()), pod("d"),
			slice(ep{"a", "10.0.0.1", true, true, false}, ep{"b", "10.0.0.2", false, false, false}, ep{"c", "10.0.0.3", false, true, true})}, 0, ""},
		{"ready endpoint for an unready pod", "endpointslices-match-pods", []api.Object{service(false),
			pod("b", ip("10.0.0.2")), slice(ep{"b", "10.0.0.2", true, false, false})}, 0, "has ready=true, want false"},
		{"terminating pod listed as ready", "endpointslices-match-pods", []api.Object{service(false),
			pod("c", ip("10.0.0.3"), readyAt(0), terminating()), slice(ep{"c", "10.0.0.3", true, true, true})}, 0, "has ready=true, want false"},
		{"publishNotReadyAddresses makes every endpoint ready", "endpointslices-match-pods", []api.Object{service(true),
			pod("b", ip("10.0.0.2")), slice(ep{"b", "10.0.0.2", false, false, false})}, 0, "has ready=false, want true"},
		{"missing pod", "endpointslices-match-pods", []api.Object{service(false),
			pod("a", ip("10.0.0.1"), readyAt(0)), pod("b", ip("10.0.0.2"), readyAt(0)), slice(ep{"a", "10.0.0.1", true, true, false})}, 0, "selects pod b (IP 10.0.0.2, ready=true) but no EndpointSlice lists it"},
		{"terminal pod still listed", "endpointslices-match-pods", []api.Object{service(false),
			pod("a", ip("10.0.0.1"), phase(api.PodSucceeded)), slice(ep{"a", "10.0.0.1", false, false, false})}, 0, "lists pod a, which is gone, terminal"},
		{"wrong address", "endpointslices-match-pods", []api.Object{service(false),
			pod("a", ip("10.0.0.1"), readyAt(0)), slice(ep{"a", "10.0.0.9", true, true, false})}, 0, "has addresses [10.0.0.9], want [10.0.0.1]"},
		{"no controller, no slices: skipped", "endpointslices-match-pods", []api.Object{service(false), pod("a", ip("10.0.0.1"), readyAt(0))}, 0, ""},

		// replicaset-status-matches-pods (workloads.md §2.4, §7.1)
		{"status matches", "replicaset-status-matches-pods", []api.Object{replicaSet("rs1", 10, 2, 2, 1, api.Ptr(int32(1))),
			pod("a", ownedBy("rs1"), readyAt(0)), pod("b", ownedBy("rs1"), readyAt(55_000)), pod("c", ownedBy("rs1"), terminating()), pod("d", ownedBy("rs1"), phase(api.PodFailed))}, 0, ""},
		{"replicas counts terminating pod", "replicaset-status-matches-pods", []api.Object{replicaSet("rs1", 0, 2, 1, 1, nil),
			pod("a", ownedBy("rs1"), readyAt(0)), pod("c", ownedBy("rs1"), terminating())}, 0, "status.replicas is 2 but it has 1 active pods"},
		{"stale readyReplicas", "replicaset-status-matches-pods", []api.Object{replicaSet("rs1", 0, 1, 0, 0, nil),
			pod("a", ownedBy("rs1"), readyAt(0))}, 0, "status.readyReplicas is 0 but 1 of its active pods are Ready"},
		{"available before minReadySeconds", "replicaset-status-matches-pods", []api.Object{replicaSet("rs1", 10, 1, 1, 1, nil),
			pod("a", ownedBy("rs1"), readyAt(55_000))}, 0, "status.availableReplicas is 1 but 0 of its active pods are available (minReadySeconds 10)"},
		{"available exactly at the threshold either way", "replicaset-status-matches-pods", []api.Object{replicaSet("rs1", 10, 1, 1, 0, nil),
			pod("a", ownedBy("rs1"), readyAt(50_000))}, 0, ""},
		{"terminatingReplicas wrong", "replicaset-status-matches-pods", []api.Object{replicaSet("rs1", 0, 0, 0, 0, &three),
			pod("c", ownedBy("rs1"), terminating())}, 0, "status.terminatingReplicas is 3 but 1 of its pods are terminating"},

		// pod-ip-in-node-cidr (host-local IPAM on the node's podCIDR)
		{"IPs in the podCIDRs, unique", "pod-ip-in-node-cidr", []api.Object{withCIDR(node("n1", "4", "1Gi", 110), "10.244.0.0/24"),
			withCIDR(node("n2", "4", "1Gi", 110), "10.244.1.0/24"), pod("a", on("n1"), ip("10.244.0.2")), pod("b", on("n1"), ip("10.244.0.254")),
			pod("c", on("n2"), ip("10.244.1.2")), pod("d", on("n1"))}, 0, ""},
		{"terminal pod keeps showing a reused IP", "pod-ip-in-node-cidr", []api.Object{withCIDR(node("n1", "4", "1Gi", 110), "10.244.0.0/24"),
			pod("a", on("n1"), ip("10.244.0.2"), phase(api.PodSucceeded)), pod("b", on("n1"), ip("10.244.0.2"))}, 0, ""},
		{"two live pods, one IP", "pod-ip-in-node-cidr", []api.Object{withCIDR(node("n1", "4", "1Gi", 110), "10.244.0.0/24"),
			pod("a", on("n1"), ip("10.244.0.7")), pod("b", on("n1"), ip("10.244.0.7"), terminating())}, 0, "pods default/a and default/b both have IP 10.244.0.7"},
		{"IP past the podCIDR (the old counter's 10.244.1.271)", "pod-ip-in-node-cidr", []api.Object{withCIDR(node("n1", "4", "1Gi", 110), "10.244.1.0/24"),
			pod("a", on("n1"), ip("10.244.1.271"))}, 0, `has IP "10.244.1.271", not an IPv4 address`},
		{"IP of another node's podCIDR", "pod-ip-in-node-cidr", []api.Object{withCIDR(node("n1", "4", "1Gi", 110), "10.244.0.0/24"),
			pod("a", on("n1"), ip("10.244.2.5"))}, 0, "outside its node n1's podCIDR 10.244.0.0/24"},
		{"network address", "pod-ip-in-node-cidr", []api.Object{withCIDR(node("n1", "4", "1Gi", 110), "10.244.0.0/24"),
			pod("a", on("n1"), ip("10.244.0.0"))}, 0, "the network, gateway or broadcast address"},
		{"gateway address", "pod-ip-in-node-cidr", []api.Object{withCIDR(node("n1", "4", "1Gi", 110), "10.244.0.0/24"),
			pod("a", on("n1"), ip("10.244.0.1"))}, 0, "the network, gateway or broadcast address"},
		{"broadcast address", "pod-ip-in-node-cidr", []api.Object{withCIDR(node("n1", "4", "1Gi", 110), "10.244.0.0/28"),
			pod("a", on("n1"), ip("10.244.0.15"))}, 0, "the network, gateway or broadcast address of its node n1's podCIDR 10.244.0.0/28"},
		{"IP on a node without a podCIDR", "pod-ip-in-node-cidr", []api.Object{node("n1", "4", "1Gi", 110),
			pod("a", on("n1"), ip("10.244.0.2"))}, 0, "its node n1 has no podCIDR"},

		// no-timestamp-in-the-future
		{"timestamps in the past", "no-timestamp-in-the-future", []api.Object{pod("a", readyAt(now))}, now, ""},
		{"created in the future", "no-timestamp-in-the-future", []api.Object{pod("a")}, now + 1, "was created at t=60.001s, after now (t=60s)"},
		{"condition in the future", "no-timestamp-in-the-future", []api.Object{pod("a", readyAt(now+5000))}, 0, "condition Ready lastTransitionTime is t=65s"},
		{"event last before first", "no-timestamp-in-the-future", []api.Object{&api.Event{TypeMeta: api.TypeMeta{Kind: "Event"},
			ObjectMeta: api.ObjectMeta{Name: "e", Namespace: "default"}, FirstTimestamp: 30_000, LastTimestamp: 20_000}}, 0, "firstTimestamp t=30s is after lastTimestamp t=20s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rule, ok := checks[tc.rule]
			if !ok {
				t.Fatalf("rule %q is not registered", tc.rule)
			}
			err := rule(build(t, tc.at, tc.objs...), now)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("rule fired on a valid store: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("rule did not fire; want an error containing %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %q; want it to contain %q", err, tc.want)
			}
			var oe *ObjectError
			if err != nil && !errors.As(err, &oe) {
				t.Fatalf("error %v does not name its object (ObjectError)", err)
			}
		})
	}
}
