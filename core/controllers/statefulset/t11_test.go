package statefulset_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/dns"
	"github.com/kubesim/kubesim/core/controllers/endpointslice"
	"github.com/kubesim/kubesim/core/controllers/volume"
	"github.com/kubesim/kubesim/core/invariant"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/store"
)

func headless() *api.Service {
	return &api.Service{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "nginx"},
		Spec: api.ServiceSpec{ClusterIP: api.ClusterIPNone, Selector: map[string]string{"app": "nginx"},
			Ports: []api.ServicePort{{Name: "web", Port: 80}}}}
}

func wffcClass() *api.StorageClass {
	return &api.StorageClass{TypeMeta: api.TypeMeta{APIVersion: "storage.k8s.io/v1", Kind: "StorageClass"},
		ObjectMeta:        api.ObjectMeta{Name: "standard", Annotations: map[string]string{api.DefaultStorageClassAnnotation: "true"}},
		Provisioner:       "rancher.io/local-path",
		VolumeBindingMode: api.Ptr(api.VolumeBindingWaitForFirstConsumer)}
}

func (v *env) dnsNames() []string {
	var out []string
	for _, r := range store.ListAs[*api.DNSRecord](v.e.Store(), "DNSRecord", "") {
		if r.Type == "A" {
			out = append(out, r.FQDN)
		}
	}
	return out
}

func (v *env) claims() string {
	var out []string
	for _, c := range store.ListAs[*api.PersistentVolumeClaim](v.e.Store(), "PersistentVolumeClaim", "") {
		out = append(out, c.Name+":"+c.Status.Phase)
	}
	return strings.Join(out, " ")
}

// pods.md T11: StatefulSet web (OrderedReady, serviceName nginx, volumeClaimTemplate www)
// scale 0→3→1; pods Ready 10 s after creation, exit 2 s after SIGTERM; WaitForFirstConsumer
// storage; headless DNS names follow readiness.
func TestT11StatefulSetWithStorageAndDNS(t *testing.T) {
	v := newEnv(t, fakeKubelet{ready: api.Seconds(10), exit: api.Seconds(2), waitForClaims: true},
		volume.Controller{}, endpointslice.Controller{}, dns.Controller{})
	v.create(wffcClass())
	v.create(headless())
	v.create(web(3))
	check := func(at int64, wantPods, wantClaims string, wantDNS ...string) {
		t.Helper()
		v.run(sec(at))
		if err := invariant.CheckAll(v.e.Store(), v.e.Now()); err != nil {
			t.Errorf("t%d: %v", at, err)
		}
		if got := v.pods(); got != wantPods {
			t.Errorf("t%d pods: %s, want %s", at, got, wantPods)
		}
		if got := v.claims(); got != wantClaims {
			t.Errorf("t%d claims: %s, want %s", at, got, wantClaims)
		}
		var hosts []string
		for _, n := range v.dnsNames() {
			if n != "nginx.default.svc.cluster.local" {
				hosts = append(hosts, strings.TrimSuffix(n, ".nginx.default.svc.cluster.local"))
			}
		}
		if fmt.Sprint(hosts) != fmt.Sprint(wantDNS) {
			t.Errorf("t%d DNS hosts: %v, want %v", at, hosts, wantDNS)
		}
	}
	check(0, "web-0(r1,notready)", "www-web-0:Bound")
	check(10, "web-0(r1,ready) web-1(r1,notready)", "www-web-0:Bound www-web-1:Bound", "web-0")
	check(20, "web-0(r1,ready) web-1(r1,ready) web-2(r1,notready)", "www-web-0:Bound www-web-1:Bound www-web-2:Bound", "web-0", "web-1")
	check(30, "web-0(r1,ready) web-1(r1,ready) web-2(r1,ready)", "www-web-0:Bound www-web-1:Bound www-web-2:Bound", "web-0", "web-1", "web-2")
	kc := func(line string) string {
		out, err := kubectl.Run(&kubectl.Env{Ctx: v.ctx()}, line)
		if err != nil {
			out += "ERR: " + err.Error() + "\n"
		}
		return out
	}
	p1, _ := store.GetAs[*api.Pod](v.e.Store(), "Pod", "default/web-1")
	if got, want := kc("exec web-0 -- nslookup web-1.nginx"), "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb-1.nginx.default.svc.cluster.local\nAddress: "+p1.Status.PodIP+"\n\n"; got != want {
		t.Errorf("nslookup:\n%q\nwant\n%q", got, want)
	}
	if got := kc("exec web-0 -- nslookup web-7.nginx"); !strings.Contains(got, "** server can't find web-7.nginx: NXDOMAIN") || !strings.Contains(got, "command terminated with exit code 1") {
		t.Errorf("nslookup NXDOMAIN: %q", got)
	}
	if got := kc("exec web-0 -- nslookup nginx"); strings.Count(got, "Address: ") != 3 {
		t.Errorf("headless service answers: %q", got)
	}
	if got, want := kc("get sts web"), "NAME   READY   AGE\nweb    3/3     30s\n"; got != want {
		t.Errorf("get sts:\n%q want %q", got, want)
	}
	if got, want := kc("rollout status sts/web"), "partitioned roll out complete: 3 new pods have been updated...\n"; got != want && !strings.Contains(got, "unknown command") {
		t.Errorf("rollout status: %q", got)
	}
	if got := kc("get pvc www-web-0"); !strings.Contains(got, "Bound") || !strings.Contains(got, "1Gi        RWO            standard") {
		t.Errorf("get pvc:\n%s", got)
	}
	v.run(sec(100))
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.Replicas = api.Ptr[int32](1) })
	check(100, "web-0(r1,ready) web-1(r1,ready) web-2(r1,term)", "www-web-0:Bound www-web-1:Bound www-web-2:Bound", "web-0", "web-1")
	check(102, "web-0(r1,ready) web-1(r1,term)", "www-web-0:Bound www-web-1:Bound www-web-2:Bound", "web-0")
	check(104, "web-0(r1,ready)", "www-web-0:Bound www-web-1:Bound www-web-2:Bound", "web-0")
	equalLines(t, "deletions", v.events("SuccessfulDelete"), []string{
		"100 Delete Pod web-2 in StatefulSet web successful",
		"102 Delete Pod web-1 in StatefulSet web successful",
	})
	got := v.events("WaitForFirstConsumer", "WaitForPodScheduled", "ExternalProvisioning", "Provisioning", "ProvisioningSucceeded")
	if len(got) < 3 || !strings.Contains(got[len(got)-1], "Successfully provisioned volume pvc-") {
		t.Errorf("volume events: %v", got)
	}
	// The kept claims are reused on scale-up: no claim is created again.
	n := len(v.events("SuccessfulCreate"))
	v.mutate("web", func(s *api.StatefulSet) { s.Spec.Replicas = api.Ptr[int32](3) })
	v.run(sec(200))
	for _, e := range v.events("SuccessfulCreate")[n:] {
		if strings.Contains(e, "Claim") {
			t.Errorf("claim re-created: %s", e)
		}
	}
}
