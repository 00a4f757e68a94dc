package endpointslice_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/endpointslice"
	"github.com/kubesim/kubesim/core/controllers/gc"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// Expected slices follow the EndpointSlice controller at v1.37.2 (staging/src/k8s.io/endpointslice
// utils.go podToEndpoint and getEndpointPorts, util/controller_utils.go ShouldPodBeInEndpoints,
// ShouldSetHostname and FindPort, reconciler.go); pods.md §12.

type env struct {
	t *testing.T
	e *sim.Engine
}

func newEnv(t *testing.T) *env {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(gc.Controller{})
	e.Register(endpointslice.Controller{})
	v := &env{t: t, e: e}
	v.create(&api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"},
		ObjectMeta: api.ObjectMeta{Name: "node-1", Labels: map[string]string{"topology.kubernetes.io/zone": "zone-a"}}})
	return v
}

func (v *env) ctx() *sim.Context { return v.e.ActionContext("test") }

func (v *env) settle() {
	v.t.Helper()
	if err := v.e.AdvanceTo(v.e.Now()); err != nil {
		v.t.Fatal(err)
	}
}

func (v *env) create(o api.Object) {
	v.t.Helper()
	if err := v.ctx().Create(o); err != nil {
		v.t.Fatal(err)
	}
	v.settle()
}

// change applies fn to a fresh copy of the stored object and writes it back.
func change[T api.Object](v *env, kind, key string, fn func(T)) {
	v.t.Helper()
	o, ok := store.GetAs[T](v.e.Store(), kind, key)
	if !ok {
		v.t.Fatalf("%s %s not found", kind, key)
	}
	cp := api.Clone(o)
	fn(cp)
	if err := v.ctx().Update(cp); err != nil {
		v.t.Fatal(err)
	}
	v.settle()
}

func (v *env) slices(svc string) []*api.EndpointSlice {
	var out []*api.EndpointSlice
	for _, s := range store.ListAs[*api.EndpointSlice](v.e.Store(), "EndpointSlice", "default") {
		if s.Labels[api.ServiceNameLabel] == svc {
			out = append(out, s)
		}
	}
	return out
}

// endpoints renders the Service's endpoints as "pod ready/serving/terminating", by pod name.
func (v *env) endpoints(svc string) []string {
	var out []string
	for _, s := range v.slices(svc) {
		for _, ep := range s.Endpoints {
			b := func(p *bool) string {
				if p == nil {
					return "nil"
				}
				return fmt.Sprint(*p)
			}
			out = append(out, fmt.Sprintf("%s %s/%s/%s", ep.TargetRef.Name, b(ep.Conditions.Ready), b(ep.Conditions.Serving), b(ep.Conditions.Terminating)))
		}
	}
	return out
}

func (v *env) ports(svc string) string {
	var parts []string
	for _, s := range v.slices(svc) {
		for _, p := range s.Ports {
			parts = append(parts, fmt.Sprintf("%s/%s:%d", api.Deref(p.Name, ""), api.Deref(p.Protocol, ""), api.Deref(p.Port, 0)))
		}
	}
	return strings.Join(parts, " ")
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func service(name string, selector map[string]string, ports ...api.ServicePort) *api.Service {
	s := &api.Service{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Service"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name},
		Spec: api.ServiceSpec{Selector: selector, Ports: ports}}
	api.DefaultService(s)
	return s
}

// pod is a running pod on node-1 with IP 10.244.0.<n>, ready or not.
func pod(name string, n int, ready bool, labels map[string]string) *api.Pod {
	st := api.ConditionFalse
	if ready {
		st = api.ConditionTrue
	}
	p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name, Labels: labels},
		Spec: api.PodSpec{NodeName: "node-1", Containers: []api.Container{{Name: "app", Image: "app:1",
			Ports: []api.ContainerPort{{Name: "http", ContainerPort: 8080}, {Name: "dns", ContainerPort: 5353, Protocol: "UDP"}}}}},
		Status: api.PodStatus{Phase: api.PodRunning, PodIP: fmt.Sprintf("10.244.0.%d", n),
			Conditions: []api.PodCondition{{Type: api.PodReady, Status: st}}}}
	api.DefaultPod(p)
	return p
}

var app = map[string]string{"app": "web"}

// A Service gets a ClusterIP from 10.96.0.0/12, never the kubernetes (10.96.0.1) or kube-dns
// (10.96.0.10) address; headless and ExternalName Services get none.
func TestClusterIPAllocation(t *testing.T) {
	v := newEnv(t)
	v.create(service("web", app, api.ServicePort{Port: 80}))
	headless := service("db", app, api.ServicePort{Port: 3306})
	headless.Spec.ClusterIP = api.ClusterIPNone
	v.create(headless)
	ext := service("pay", nil)
	ext.Spec.Type, ext.Spec.ExternalName = "ExternalName", "pay.example.com"
	v.create(ext)
	got := map[string]string{}
	for _, s := range store.ListAs[*api.Service](v.e.Store(), "Service", "default") {
		got[s.Name] = s.Spec.ClusterIP
	}
	ip := got["web"]
	if !strings.HasPrefix(ip, "10.") || ip == "10.96.0.1" || ip == "10.96.0.10" {
		t.Errorf("web ClusterIP %q", ip)
	}
	var a, b, c int
	if _, err := fmt.Sscanf(ip, "10.%d.%d.%d", &a, &b, &c); err != nil || a < 96 || a > 111 {
		t.Errorf("web ClusterIP %q is outside 10.96.0.0/12", ip)
	}
	if got["db"] != api.ClusterIPNone || got["pay"] != "" {
		t.Errorf("headless %q, ExternalName %q: want None and no address", got["db"], got["pay"])
	}
	// Deterministic: the same Service in a fresh cluster gets the same address.
	if again := endpointslice.AllocateClusterIP(store.New(), service("web", app)); again != ip {
		t.Errorf("allocation not deterministic: %s then %s", ip, again)
	}
	found := false
	for _, r := range v.e.Records() {
		if r.Type == trace.TypeExplain && r.Explain.Message == "allocated ClusterIP "+ip+" from 10.96.0.0/12" {
			found = true
		}
	}
	if !found {
		t.Error("no explanation for the allocation")
	}
}

// pods.md §12: serving = pod Ready; terminating = deletionTimestamp set; ready = serving and
// not terminating, or always with publishNotReadyAddresses. Terminating pods stay listed;
// pods without an IP and terminal pods do not.
func TestEndpointConditions(t *testing.T) {
	for _, publish := range []bool{false, true} {
		t.Run(fmt.Sprintf("publishNotReadyAddresses=%v", publish), func(t *testing.T) {
			v := newEnv(t)
			svc := service("web", app, api.ServicePort{Port: 80})
			svc.Spec.PublishNotReadyAddresses = publish
			v.create(svc)
			v.create(pod("a-ready", 2, true, app))
			v.create(pod("b-unready", 3, false, app))
			v.create(pod("c-ready-terminating", 4, true, app))
			v.create(pod("d-unready-terminating", 5, false, app))
			noIP := pod("e-no-ip", 6, false, app)
			noIP.Status.PodIP = ""
			v.create(noIP)
			done := pod("f-succeeded", 7, false, app)
			done.Status.Phase = api.PodSucceeded
			v.create(done)
			for _, name := range []string{"c-ready-terminating", "d-unready-terminating"} {
				if err := v.ctx().Delete("Pod", "default/"+name, sim.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			v.settle()
			want := []string{"a-ready true/true/false", "b-unready false/false/false",
				"c-ready-terminating false/true/true", "d-unready-terminating false/false/true"}
			if publish {
				want = []string{"a-ready true/true/false", "b-unready true/false/false",
					"c-ready-terminating true/true/true", "d-unready-terminating true/false/true"}
			}
			equal(t, "endpoints", v.endpoints("web"), want)

			// Readiness changes move the endpoint's conditions.
			change(v, "Pod", "default/b-unready", func(p *api.Pod) { p.Status.Conditions[0].Status = api.ConditionTrue })
			if got := v.endpoints("web")[1]; got != "b-unready true/true/false" {
				t.Errorf("after b became ready: %s", got)
			}
		})
	}
}

// The endpoint carries targetRef, nodeName, the node's zone, and hostname only when the pod's
// subdomain is this Service (ShouldSetHostname); the slice carries the Service's labels, the
// controller's, the headless label, and the Service as controller owner.
func TestEndpointAndSliceFields(t *testing.T) {
	v := newEnv(t)
	svc := service("nginx", app, api.ServicePort{Name: "web", Port: 80})
	svc.Spec.ClusterIP = api.ClusterIPNone
	svc.Labels = map[string]string{"team": "a"}
	v.create(svc)
	p := pod("web-0", 2, true, app)
	p.Spec.Hostname, p.Spec.Subdomain = "web-0", "nginx"
	v.create(p)
	q := pod("other", 3, true, app)
	q.Spec.Hostname, q.Spec.Subdomain = "other", "elsewhere"
	v.create(q)
	ss := v.slices("nginx")
	if len(ss) != 1 {
		t.Fatalf("%d slices, want 1", len(ss))
	}
	s := ss[0]
	if !strings.HasPrefix(s.Name, "nginx-") || len(s.Name) != len("nginx-")+5 || s.GenerateName != "nginx-" || s.AddressType != "IPv4" {
		t.Errorf("slice name %q generateName %q addressType %q", s.Name, s.GenerateName, s.AddressType)
	}
	wantLabels := map[string]string{api.ServiceNameLabel: "nginx", api.ManagedByLabel: api.EndpointSliceControllerName,
		"service.kubernetes.io/headless": "", "team": "a"}
	if fmt.Sprint(s.Labels) != fmt.Sprint(wantLabels) {
		t.Errorf("labels %v, want %v", s.Labels, wantLabels)
	}
	svcNow, _ := store.GetAs[*api.Service](v.e.Store(), "Service", "default/nginx")
	if r := api.ControllerOf(&s.ObjectMeta); r == nil || r.Kind != "Service" || r.UID != svcNow.UID {
		t.Errorf("owner %+v, want the Service", s.OwnerReferences)
	}
	byPod := map[string]api.Endpoint{}
	for _, ep := range s.Endpoints {
		byPod[ep.TargetRef.Name] = ep
	}
	e0 := byPod["web-0"]
	if api.Deref(e0.Hostname, "") != "web-0" || api.Deref(e0.NodeName, "") != "node-1" || api.Deref(e0.Zone, "") != "zone-a" ||
		e0.Addresses[0] != "10.244.0.2" || e0.TargetRef.Kind != "Pod" || e0.TargetRef.Namespace != "default" {
		t.Errorf("endpoint of web-0: %+v", e0)
	}
	if h := byPod["other"].Hostname; h != nil {
		t.Errorf("pod with another subdomain got hostname %q", *h)
	}
}

// Selector and label changes move pods in and out; a deleted pod's endpoint goes; a Service
// with no endpoints keeps one empty slice; deleting the Service lets the garbage collector
// remove its slices.
func TestMembership(t *testing.T) {
	v := newEnv(t)
	v.create(service("web", app, api.ServicePort{Port: 80}))
	v.create(pod("a", 2, true, app))
	v.create(pod("b", 3, true, map[string]string{"app": "web", "track": "canary"}))
	v.create(pod("c", 4, true, map[string]string{"app": "other"}))
	equal(t, "initial", v.endpoints("web"), []string{"a true/true/false", "b true/true/false"})

	change(v, "Service", "default/web", func(s *api.Service) { s.Spec.Selector = map[string]string{"track": "canary"} })
	equal(t, "selector track=canary", v.endpoints("web"), []string{"b true/true/false"})

	change(v, "Pod", "default/c", func(p *api.Pod) { p.Labels["track"] = "canary" })
	equal(t, "c labelled canary", v.endpoints("web"), []string{"b true/true/false", "c true/true/false"})

	change(v, "Pod", "default/b", func(p *api.Pod) { delete(p.Labels, "track") })
	equal(t, "b unlabelled", v.endpoints("web"), []string{"c true/true/false"})

	if err := v.ctx().Remove("Pod", "default/c"); err != nil {
		t.Fatal(err)
	}
	v.settle()
	equal(t, "c gone", v.endpoints("web"), nil)
	if n := len(v.slices("web")); n != 1 {
		t.Errorf("%d slices for a Service without endpoints, want 1 (empty)", n)
	}

	if err := v.ctx().Remove("Service", "default/web"); err != nil {
		t.Fatal(err)
	}
	v.settle()
	if n := len(v.slices("web")); n != 0 {
		t.Errorf("%d slices left after the Service was deleted", n)
	}
}

// FindPort: a numeric targetPort is used as is; a named one is the first container port of
// that name and the Service port's protocol, in containers and then sidecars; a port that
// resolves nowhere is left out of the slice.
func TestPortMappingByName(t *testing.T) {
	v := newEnv(t)
	v.create(service("web", app,
		api.ServicePort{Name: "http", Port: 80, TargetPort: api.FromString("http")},
		api.ServicePort{Name: "dns-tcp", Port: 53, TargetPort: api.FromString("dns")}, // the pod's dns port is UDP
		api.ServicePort{Name: "dns", Port: 53, Protocol: "UDP", TargetPort: api.FromString("dns")},
		api.ServicePort{Name: "metrics", Port: 9090, TargetPort: api.FromString("metrics")},
		api.ServicePort{Name: "raw", Port: 7000, TargetPort: api.FromInt(7001)}))
	p := pod("a", 2, true, app)
	p.Spec.Containers = append(p.Spec.Containers, api.Container{Name: "second", Image: "x",
		Ports: []api.ContainerPort{{Name: "http", ContainerPort: 9999, Protocol: "TCP"}}})
	p.Spec.InitContainers = []api.Container{
		{Name: "init", Image: "x", Ports: []api.ContainerPort{{Name: "metrics", ContainerPort: 1111, Protocol: "TCP"}}},
		{Name: "sidecar", Image: "x", RestartPolicy: api.Ptr(api.RestartAlways),
			Ports: []api.ContainerPort{{Name: "metrics", ContainerPort: 9102, Protocol: "TCP"}}},
	}
	v.create(p)
	if got, want := v.ports("web"), "http/TCP:8080 dns/UDP:5353 metrics/TCP:9102 raw/TCP:7001"; got != want {
		t.Errorf("ports %s, want %s", got, want)
	}
}

// Up to 100 endpoints per slice (--max-endpoints-per-slice); more spill into another slice.
func TestMaxEndpointsPerSlice(t *testing.T) {
	v := newEnv(t)
	v.create(service("web", app, api.ServicePort{Port: 80}))
	for i := range 101 {
		v.create(pod(fmt.Sprintf("p%03d", i), i+2, true, app))
	}
	ss := v.slices("web")
	if len(ss) != 2 {
		t.Fatalf("%d slices, want 2", len(ss))
	}
	n := []int{len(ss[0].Endpoints), len(ss[1].Endpoints)}
	if n[0]+n[1] != 101 || max(n[0], n[1]) != 100 {
		t.Errorf("endpoints per slice %v, want 100 and 1", n)
	}
}

// A Service without a selector is left alone: its endpoints are the user's.
func TestServiceWithoutSelector(t *testing.T) {
	v := newEnv(t)
	v.create(service("manual", nil, api.ServicePort{Port: 80}))
	v.create(pod("a", 2, true, app))
	if n := len(v.slices("manual")); n != 0 {
		t.Errorf("%d slices for a Service without selector", n)
	}
}
