package cluster

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// TestControllersWireEveryPackage: every controller package under core/controllers has a
// controller in the list (a new package cannot be forgotten), each once, with distinct names.
func TestControllersWireEveryPackage(t *testing.T) {
	const prefix = "github.com/kubesim/kubesim/core/controllers/"
	wired := map[string]bool{}
	names := map[string]bool{}
	for _, c := range controllers() {
		pkg := strings.TrimPrefix(reflect.TypeOf(c).PkgPath(), prefix)
		wired[pkg] = true
		if names[c.Name()] {
			t.Errorf("controller name %q registered twice", c.Name())
		}
		names[c.Name()] = true
	}
	dirs, err := os.ReadDir("../controllers")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && !wired[d.Name()] {
			t.Errorf("package controllers/%s has no controller in controllers()", d.Name())
		}
	}
	// The order is the engine's wake order, part of the trace's determinism.
	var got []string
	for _, c := range controllers() {
		got = append(got, c.Name())
	}
	want := "garbage-collector default-scheduler kubelet node-controller taint-eviction-controller cidrAllocator " +
		"replicaset-controller deployment-controller statefulset-controller persistentvolume-controller " +
		"endpointslice-controller coredns metrics-server horizontal-pod-autoscaler controllermanager kubectl-drain"
	if strings.Join(got, " ") != want {
		t.Errorf("controllers in order:\n%s\nwant:\n%s", strings.Join(got, " "), want)
	}
}

// tiny exercises every controller: a Deployment behind a ClusterIP Service, a StatefulSet
// with a claim from a WaitForFirstConsumer class behind a headless Service.
const tiny = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: tiny}
seed: 3
until: 120s
nodes:
  - {name: node-1, labels: {topology.kubernetes.io/zone: a}}
images:
  web:1: {pull: 2s, start: 1s}
timeline:
  - {at: 0s, apply: all}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1", ports: [{name: http, containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: sql, port: 3306}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: "web:1"
          ports: [{name: sql, containerPort: 3306}]
          volumeMounts: [{name: data, mountPath: /var/lib/mysql}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
`

func newTiny(t *testing.T, seed uint64) *Cluster {
	t.Helper()
	sc, err := scenario.Parse("tiny.yaml", []byte(tiny))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(sc, Options{Seed: seed, RecordState: true})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func jsonl(t *testing.T, c *Cluster) string {
	t.Helper()
	var b bytes.Buffer
	if err := trace.WriteJSONL(&b, c.Records()); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestTinyScenarioSettles: the scenario reaches its steady state (every pod Running and
// Ready, the claim Bound, endpoints and DNS answers in place) and then stops changing.
func TestTinyScenarioSettles(t *testing.T) {
	c := newTiny(t, 0)
	if err := c.AdvanceTo(api.Time(30 * api.Second)); err != nil {
		t.Fatal(err)
	}
	st := c.Store()
	pods := store.ListAs[*api.Pod](st, "Pod", "default")
	if len(pods) != 3 {
		t.Fatalf("%d pods, want 2 web + db-0", len(pods))
	}
	for _, p := range pods {
		if p.Status.Phase != api.PodRunning || !p.IsReady() || p.Spec.NodeName != "node-1" {
			t.Errorf("pod %s: phase %s ready %v node %q, want Running, Ready, node-1", p.Name, p.Status.Phase, p.IsReady(), p.Spec.NodeName)
		}
	}
	d, _ := store.GetAs[*api.Deployment](st, "Deployment", "default/web")
	if d.Status.AvailableReplicas != 2 || d.Status.UpdatedReplicas != 2 {
		t.Errorf("deployment status %+v, want 2 available and updated", d.Status)
	}
	pvc, ok := store.GetAs[*api.PersistentVolumeClaim](st, "PersistentVolumeClaim", "default/data-db-0")
	if !ok || pvc.Status.Phase != api.ClaimBound {
		t.Errorf("claim data-db-0: %+v, want Bound", pvc)
	}
	var dns []string
	for _, r := range store.ListAs[*api.DNSRecord](st, "DNSRecord", "default") {
		dns = append(dns, r.FQDN+" "+r.Type)
	}
	for _, want := range []string{"web.default.svc.cluster.local A", "_http._tcp.web.default.svc.cluster.local SRV",
		"db.default.svc.cluster.local A", "db-0.db.default.svc.cluster.local A", "_sql._tcp.db.default.svc.cluster.local SRV"} {
		if !strings.Contains(strings.Join(dns, "\n")+"\n", want+"\n") {
			t.Errorf("no DNS record %q in:\n%s", want, strings.Join(dns, "\n"))
		}
	}
	settled := trace.BuildState(st)
	nRecords := len(c.Records())
	if err := c.AdvanceTo(api.Time(120 * api.Second)); err != nil {
		t.Fatal(err)
	}
	if later := trace.BuildState(c.Store()); !reflect.DeepEqual(settled, later) {
		t.Errorf("state changed after settling:\n%+v\n%+v", settled, later)
	}
	for _, r := range c.Records()[nRecords:] {
		if r.Type == trace.TypeState || r.Type == trace.TypeEvent {
			t.Errorf("record after settling: %s", trace.TextLine(r))
		}
	}
}

// TestDeterminism: same scenario and seed, the same trace byte for byte; another seed
// changes the random pod-name suffixes.
func TestDeterminism(t *testing.T) {
	a, b, other := newTiny(t, 0), newTiny(t, 0), newTiny(t, 4)
	for _, c := range []*Cluster{a, b, other} {
		if err := c.AdvanceTo(api.Time(60 * api.Second)); err != nil {
			t.Fatal(err)
		}
	}
	ja, jb := jsonl(t, a), jsonl(t, b)
	if ja != jb {
		t.Fatal("two runs with the same seed gave different traces")
	}
	if ja == jsonl(t, other) {
		t.Fatal("seeds 3 and 4 gave the same trace")
	}
}

func TestActions(t *testing.T) {
	c := newTiny(t, 0)
	tests := []struct{ command, wantErr string }{
		{"fail node-1", `want node/NAME, got "node-1"`},
		{"fail node/nope", `node "nope" not found`},
		{"reboot node/node-1", `unknown action "reboot"`},
		{"apply Deployment/nope", `the scenario has no manifest "Deployment/nope"`},
	}
	for _, tc := range tests {
		if _, err := c.Do(tc.command); err != nil {
			t.Fatalf("%s: engine error %v", tc.command, err)
		}
		if got := lastAction(c); got == nil || got.Command != tc.command || !strings.Contains(got.Error, tc.wantErr) {
			t.Errorf("%s: action record %+v, want error containing %q", tc.command, got, tc.wantErr)
		}
	}
	if _, err := c.Do("fail node/node-1"); err != nil {
		t.Fatal(err)
	}
	n, _ := store.GetAs[*api.Node](c.Store(), "Node", "node-1")
	if n.Annotations[FailedAnnotation] != "true" {
		t.Errorf("fail node/node-1: annotations %v", n.Annotations)
	}
	if _, err := c.Do("recover node/node-1"); err != nil {
		t.Fatal(err)
	}
	n, _ = store.GetAs[*api.Node](c.Store(), "Node", "node-1")
	if _, ok := n.Annotations[FailedAnnotation]; ok {
		t.Errorf("recover node/node-1: annotations %v", n.Annotations)
	}
	// apply accepts kubectl's lower-case kind/name as well as Kind/name.
	for _, name := range []string{"all", "Deployment/web", "deployment/web", "statefulset/db"} {
		if objs, err := c.Manifests(name); err != nil || len(objs) == 0 {
			t.Errorf("Manifests(%q) = %d objects, %v", name, len(objs), err)
		}
	}
}

func lastAction(c *Cluster) *trace.Action {
	recs := c.Records()
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Type == trace.TypeAction {
			return recs[i].Action
		}
	}
	return nil
}
