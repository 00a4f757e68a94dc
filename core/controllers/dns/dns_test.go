package dns_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/dns"
	"github.com/kubesim/kubesim/core/controllers/endpointslice"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// The expected answers follow the Kubernetes DNS specification
// (github.com/kubernetes/dns docs/specification.md §2.3-2.5) and what CoreDNS v1.14.7 answers
// (plugin/kubernetes/kubernetes.go findServices, endpointHostname; object/endpoint.go
// endpointSliceToEndpoints; plugin/backend_lookup.go SRV for the weights); pods.md §13.

type env struct {
	t *testing.T
	e *sim.Engine
}

func newEnv(t *testing.T, ctrls ...sim.Controller) *env {
	e := sim.New(sim.Options{Seed: 1})
	for _, c := range ctrls {
		e.Register(c)
	}
	e.Register(dns.Controller{})
	return &env{t: t, e: e}
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

func (v *env) update(o api.Object) {
	v.t.Helper()
	if err := v.ctx().Update(o); err != nil {
		v.t.Fatal(err)
	}
	v.settle()
}

// records lists the namespace's DNSRecord objects as "name TYPE data", sorted.
func (v *env) records(ns string) []string {
	var out []string
	for _, r := range store.ListAs[*api.DNSRecord](v.e.Store(), "DNSRecord", ns) {
		out = append(out, r.FQDN+" "+r.Type+" "+r.Data)
	}
	return sortedCopy(out)
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	want = sortedCopy(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func service(ns, name, clusterIP string, ports ...api.ServicePort) *api.Service {
	s := &api.Service{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Service"}, ObjectMeta: api.ObjectMeta{Namespace: ns, Name: name},
		Spec: api.ServiceSpec{ClusterIP: clusterIP, Ports: ports}}
	api.DefaultService(s)
	return s
}

type ep struct {
	ip, hostname string
	ready        *bool
}

func slice(ns, svc, name string, ports []api.EndpointPort, eps ...ep) *api.EndpointSlice {
	s := &api.EndpointSlice{TypeMeta: api.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"},
		ObjectMeta:  api.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{api.ServiceNameLabel: svc}},
		AddressType: "IPv4", Ports: ports, Endpoints: []api.Endpoint{}}
	for _, e := range eps {
		x := api.Endpoint{Addresses: []string{e.ip}, Conditions: api.EndpointConditions{Ready: e.ready}}
		if e.hostname != "" {
			x.Hostname = api.Ptr(e.hostname)
		}
		s.Endpoints = append(s.Endpoints, x)
	}
	return s
}

func port(name string, n int32) api.EndpointPort {
	return api.EndpointPort{Name: api.Ptr(name), Protocol: api.Ptr("TCP"), Port: api.Ptr(n)}
}

var (
	yes = api.Ptr(true)
	no  = api.Ptr(false)
)

// §2.3: a ClusterIP Service has an A record for its ClusterIP whatever its endpoints, and an
// SRV per named port targeting the Service name; unnamed ports get none.
func TestClusterIPService(t *testing.T) {
	v := newEnv(t)
	v.create(service("default", "web", "10.96.3.4",
		api.ServicePort{Name: "http", Port: 80, TargetPort: api.FromInt(8080)},
		api.ServicePort{Name: "dns", Port: 53, Protocol: "UDP"},
		api.ServicePort{Port: 9000}))
	// No endpoints at all: the ClusterIP still answers.
	equal(t, "records", v.records("default"), []string{
		"web.default.svc.cluster.local A 10.96.3.4",
		"_http._tcp.web.default.svc.cluster.local SRV 0 100 80 web.default.svc.cluster.local.",
		"_dns._udp.web.default.svc.cluster.local SRV 0 100 53 web.default.svc.cluster.local.",
	})
	// A Service whose ClusterIP is not allocated yet has no records.
	v.create(service("default", "new", ""))
	if got := v.records("default"); len(got) != 3 {
		t.Errorf("unallocated ClusterIP answered: %v", got)
	}
}

// §2.4.1: a headless Service answers one A record per ready endpoint, and one per ready
// endpoint's hostname (the endpoint's hostname, else CoreDNS's dashed IP); endpoints whose
// ready condition is false are left out, a missing condition counts as ready.
func TestHeadlessServiceReadyEndpointsOnly(t *testing.T) {
	v := newEnv(t)
	v.create(service("default", "nginx", api.ClusterIPNone, api.ServicePort{Name: "web", Port: 80}))
	// §2.4.1: no ready endpoints, NXDOMAIN: no record at all.
	v.create(slice("default", "nginx", "nginx-a", []api.EndpointPort{port("web", 80)},
		ep{ip: "10.244.0.5", hostname: "web-0", ready: no}))
	equal(t, "no ready endpoint", v.records("default"), nil)

	s, _ := store.GetAs[*api.EndpointSlice](v.e.Store(), "EndpointSlice", "default/nginx-a")
	cp := api.Clone(s)
	cp.Endpoints = slice("default", "nginx", "x", nil,
		ep{ip: "10.244.0.5", hostname: "web-0", ready: yes},
		ep{ip: "10.244.0.6", hostname: "web-1", ready: no},
		ep{ip: "10.244.0.7"}).Endpoints // no hostname, ready unset
	v.update(cp)
	equal(t, "two ready endpoints", v.records("default"), []string{
		"nginx.default.svc.cluster.local A 10.244.0.5",
		"nginx.default.svc.cluster.local A 10.244.0.7",
		"web-0.nginx.default.svc.cluster.local A 10.244.0.5",
		"10-244-0-7.nginx.default.svc.cluster.local A 10.244.0.7",
		// §2.4.2: N ready endpoints × M named ports; CoreDNS weights 100/N.
		"_web._tcp.nginx.default.svc.cluster.local SRV 0 50 80 web-0.nginx.default.svc.cluster.local.",
		"_web._tcp.nginx.default.svc.cluster.local SRV 0 50 80 10-244-0-7.nginx.default.svc.cluster.local.",
	})

	// The endpoint turning not ready removes its records (and re-weights the rest).
	s, _ = store.GetAs[*api.EndpointSlice](v.e.Store(), "EndpointSlice", "default/nginx-a")
	cp = api.Clone(s)
	cp.Endpoints[2].Conditions.Ready = no
	v.update(cp)
	equal(t, "one ready endpoint", v.records("default"), []string{
		"nginx.default.svc.cluster.local A 10.244.0.5",
		"web-0.nginx.default.svc.cluster.local A 10.244.0.5",
		"_web._tcp.nginx.default.svc.cluster.local SRV 0 100 80 web-0.nginx.default.svc.cluster.local.",
	})

	// Deleting the Service removes every record of it.
	if err := v.ctx().Remove("Service", "default/nginx"); err != nil {
		t.Fatal(err)
	}
	v.settle()
	equal(t, "service deleted", v.records("default"), nil)
}

// The SRV port of a headless Service is the port the slice lists, i.e. the Service's
// targetPort resolved against the pod (CoreDNS reads msg.Service.Port from the EndpointSlice
// port), and a named port the slice does not list has no SRV record; unnamed ports none either.
func TestHeadlessSRVUsesEndpointPorts(t *testing.T) {
	v := newEnv(t)
	v.create(service("default", "db", api.ClusterIPNone,
		api.ServicePort{Name: "sql", Port: 3306, TargetPort: api.FromString("mysql")},
		api.ServicePort{Name: "metrics", Port: 9104, TargetPort: api.FromString("nope")},
		api.ServicePort{Port: 4444}))
	v.create(slice("default", "db", "db-a", []api.EndpointPort{port("sql", 13306), port("", 4444)},
		ep{ip: "10.244.1.2", hostname: "db-0", ready: yes}))
	equal(t, "records", v.records("default"), []string{
		"db.default.svc.cluster.local A 10.244.1.2",
		"db-0.db.default.svc.cluster.local A 10.244.1.2",
		"_sql._tcp.db.default.svc.cluster.local SRV 0 100 13306 db-0.db.default.svc.cluster.local.",
	})
}

// CoreDNS's SRV weight is floor(100/n), but at least 1: with 101 ready endpoints every
// answer has weight 1, not 0.
func TestSRVWeightAtLeastOne(t *testing.T) {
	v := newEnv(t)
	v.create(service("default", "big", api.ClusterIPNone, api.ServicePort{Name: "p", Port: 1}))
	var eps []ep
	for i := range 101 {
		eps = append(eps, ep{ip: fmt.Sprintf("10.244.%d.%d", i/200, i%200+2), ready: yes})
	}
	v.create(slice("default", "big", "big-a", []api.EndpointPort{port("p", 1)}, eps...))
	n := 0
	for _, r := range v.records("default") {
		if strings.Contains(r, " SRV ") {
			n++
			if !strings.HasPrefix(strings.SplitN(r, " SRV ", 2)[1], "0 1 1 ") {
				t.Fatalf("record %s: want weight 1", r)
			}
		}
	}
	if n != 101 {
		t.Errorf("%d SRV records, want 101", n)
	}
}

// §2.5: an ExternalName Service is a CNAME; records are per namespace.
func TestExternalNameAndNamespaces(t *testing.T) {
	v := newEnv(t)
	ext := service("shop", "pay", "")
	ext.Spec.Type, ext.Spec.ExternalName = "ExternalName", "pay.example.com"
	v.create(ext)
	v.create(service("default", "pay", "10.96.0.20"))
	equal(t, "shop", v.records("shop"), []string{"pay.shop.svc.cluster.local CNAME pay.example.com"})
	equal(t, "default", v.records("default"), []string{"pay.default.svc.cluster.local A 10.96.0.20"})
}

// With the EndpointSlice controller in front: per-pod records <hostname>.<subdomain> exist for
// pods whose spec.subdomain names the headless Service, only while the pod is ready, unless
// the Service sets publishNotReadyAddresses (endpointslice utils.go podToEndpoint: ready =
// publishNotReadyAddresses || (serving && !terminating)).
func TestPodHostnameSubdomainRecords(t *testing.T) {
	v := newEnv(t, endpointslice.Controller{})
	svc := service("default", "nginx", api.ClusterIPNone, api.ServicePort{Name: "web", Port: 80})
	svc.Spec.Selector = map[string]string{"app": "nginx"}
	v.create(svc)
	mk := func(name, hostname, subdomain, ip string, ready bool) {
		st := api.ConditionFalse
		if ready {
			st = api.ConditionTrue
		}
		v.create(&api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name, Labels: map[string]string{"app": "nginx"}},
			Spec:       api.PodSpec{Hostname: hostname, Subdomain: subdomain, Containers: []api.Container{{Name: "c", Image: "nginx"}}},
			Status: api.PodStatus{Phase: api.PodRunning, PodIP: ip,
				Conditions: []api.PodCondition{{Type: api.PodReady, Status: st}}}})
	}
	mk("web-0", "web-0", "nginx", "10.244.0.10", true)
	mk("web-1", "web-1", "nginx", "10.244.0.11", false)
	mk("other", "other", "elsewhere", "10.244.0.12", true) // subdomain names another Service
	equal(t, "ready pods", v.records("default"), []string{
		"nginx.default.svc.cluster.local A 10.244.0.10",
		"nginx.default.svc.cluster.local A 10.244.0.12",
		"web-0.nginx.default.svc.cluster.local A 10.244.0.10",
		"10-244-0-12.nginx.default.svc.cluster.local A 10.244.0.12",
		"_web._tcp.nginx.default.svc.cluster.local SRV 0 50 80 web-0.nginx.default.svc.cluster.local.",
		"_web._tcp.nginx.default.svc.cluster.local SRV 0 50 80 10-244-0-12.nginx.default.svc.cluster.local.",
	})

	cp := api.Clone(svc)
	got, _ := store.GetAs[*api.Service](v.e.Store(), "Service", "default/nginx")
	cp.ResourceVersion = got.ResourceVersion
	cp.Spec.PublishNotReadyAddresses = true
	v.update(cp)
	recs := strings.Join(v.records("default"), "\n")
	for _, want := range []string{"web-1.nginx.default.svc.cluster.local A 10.244.0.11", "nginx.default.svc.cluster.local A 10.244.0.11",
		"_web._tcp.nginx.default.svc.cluster.local SRV 0 33 80 web-1.nginx.default.svc.cluster.local."} {
		if !strings.Contains(recs, want) {
			t.Errorf("publishNotReadyAddresses: no %q in\n%s", want, recs)
		}
	}
}
