package trace

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func pod(name, status string) PodState {
	return PodState{Name: name, Owner: "ReplicaSet/web-1", Revision: 1, Node: "node-1", Phase: "Running", Status: status}
}

func dns(name, typ, data string) DNSState { return DNSState{Name: name, Type: typ, Data: data} }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDiffApplyRoundTrip: Diff(a, b).Apply(a) is b for additions, changes, removals and
// reorderings within store order, including namespaced names (store key "ns/name" sorts
// before "default/…"'s plain names only by namespace) and DNS answers sharing an FQDN.
func TestDiffApplyRoundTrip(t *testing.T) {
	base := func() *State {
		return &State{
			Deployments:  []DeploymentState{{Name: "web", Replicas: 3, Conditions: []ConditionState{{"Available", "True", "MinimumReplicasAvailable"}}}},
			ReplicaSets:  []ReplicaSetState{{Name: "web-1", Owner: "Deployment/web", Revision: 1, Images: []string{"web:1"}, SpecReplicas: 3}},
			StatefulSets: []StatefulSetState{},
			Pods:         []PodState{pod("db", "Running"), pod("web-a", "Running"), pod("web-b", "Pending"), pod("kube-system/dns-1", "Running")},
			PVCs:         []PVCState{{Name: "data-db-0", Phase: "Bound", Volume: "pv-1"}},
			DNS: []DNSState{dns("web.default.svc.cluster.local", "A", "10.0.0.1"),
				dns("web.default.svc.cluster.local", "A", "10.0.0.2")},
		}
	}
	tests := []struct {
		name        string
		edit        func(*State)
		wantChanged string // the delta's JSON
	}{
		{"nothing", func(*State) {}, `{"removed":{}}`},
		{"one pod changes", func(s *State) { s.Pods[2].Status = "Running" },
			`{"pods":[{"name":"web-b","owner":"ReplicaSet/web-1","revision":1,"node":"node-1","phase":"Running","status":"Running","ready":false,"restarts":0,"terminating":false}],"removed":{}}`},
		{"pod removed, pod added in the middle", func(s *State) {
			s.Pods = []PodState{pod("db", "Running"), pod("web-a", "Running"), pod("web-aa", "Pending"), pod("kube-system/dns-1", "Running")}
		}, `{"pods":[{"name":"web-aa","owner":"ReplicaSet/web-1","revision":1,"node":"node-1","phase":"Running","status":"Pending","ready":false,"restarts":0,"terminating":false}],"removed":{"pods":["web-b"]}}`},
		{"everything removed", func(s *State) {
			s.Deployments, s.ReplicaSets, s.Pods, s.PVCs, s.DNS = []DeploymentState{}, []ReplicaSetState{}, []PodState{}, []PVCState{}, []DNSState{}
		}, `{"removed":{"deployments":["web"],"replicaSets":["web-1"],"pods":["db","web-a","web-b","kube-system/dns-1"],"pvcs":["data-db-0"],"dns":["web.default.svc.cluster.local A 10.0.0.1","web.default.svc.cluster.local A 10.0.0.2"]}}`},
		{"condition and image change", func(s *State) {
			s.Deployments[0].Conditions = []ConditionState{{"Available", "False", "MinimumReplicasUnavailable"}}
			s.ReplicaSets = append(s.ReplicaSets, ReplicaSetState{Name: "web-2", Owner: "Deployment/web", Revision: 2, Images: []string{"web:2"}})
		}, `{"deployments":[{"name":"web","replicas":3,"updated":0,"ready":0,"available":0,"unavailable":0,"conditions":[{"type":"Available","status":"False","reason":"MinimumReplicasUnavailable"}]}],"replicaSets":[{"name":"web-2","owner":"Deployment/web","revision":2,"images":["web:2"],"specReplicas":0,"replicas":0,"ready":0,"available":0}],"removed":{}}`},
		{"DNS answer replaced", func(s *State) {
			s.DNS = []DNSState{dns("web.default.svc.cluster.local", "A", "10.0.0.1"), dns("web.default.svc.cluster.local", "A", "10.0.0.3")}
		}, `{"dns":[{"name":"web.default.svc.cluster.local","type":"A","data":"10.0.0.3"}],"removed":{"dns":["web.default.svc.cluster.local A 10.0.0.2"]}}`},
		{"HPA and PDB appear", func(s *State) {
			u := int32(50)
			s.HPAs = []HPAState{{Name: "web", Reference: "Deployment/web", Targets: "cpu: <unknown>/50%", MinReplicas: 1, MaxReplicas: 5, TargetUtilization: &u}}
			s.PDBs = []PDBState{{Name: "web", DesiredHealthy: 2}}
		}, `{"hpas":[{"name":"web","reference":"Deployment/web","targets":"cpu: \u003cunknown\u003e/50%","minReplicas":1,"maxReplicas":5,"currentReplicas":0,"desiredReplicas":0,"targetUtilization":50}],"pdbs":[{"name":"web","currentHealthy":0,"desiredHealthy":2,"expectedPods":0,"disruptionsAllowed":0}],"removed":{}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := base(), base()
			tc.edit(b)
			if !a.inStoreOrder() || !b.inStoreOrder() {
				t.Fatal("test states are not in store order")
			}
			d := Diff(a, b)
			if got := mustJSON(t, d); got != tc.wantChanged {
				t.Errorf("delta\n got %s\nwant %s", got, tc.wantChanged)
			}
			got, err := d.Apply(a)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := mustJSON(t, got), mustJSON(t, b); g != w {
				t.Errorf("Apply(Diff(a, b)) != b\n got %s\nwant %s", g, w)
			}
			if mustJSON(t, a) != mustJSON(t, base()) {
				t.Error("Apply changed its argument")
			}
			// And back: the removals of one direction are the additions of the other.
			back, err := Diff(b, a).Apply(b)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := mustJSON(t, back), mustJSON(t, a); g != w {
				t.Errorf("Apply(Diff(b, a)) != a\n got %s\nwant %s", g, w)
			}
		})
	}
}

// TestApplyRejectsBadDeltas: a delta that does not fit the previous state is an error that
// names the list and the entry, never a silently different state.
func TestApplyRejectsBadDeltas(t *testing.T) {
	prev := &State{Pods: []PodState{pod("web-a", "Running")}}
	tests := []struct {
		name string
		d    Delta
		want string
	}{
		{"unknown removal", Delta{Removed: Removed{Pods: []string{"web-z"}}}, `removed.pods: "web-z" is not in the previous state`},
		{"removed twice", Delta{Removed: Removed{Pods: []string{"web-a", "web-a"}}}, `removed.pods: "web-a" is listed twice`},
		{"changed and removed", Delta{Pods: []PodState{pod("web-a", "Pending")}, Removed: Removed{Pods: []string{"web-a"}}}, `pods: "web-a" is both changed and removed`},
		{"listed twice", Delta{Pods: []PodState{pod("web-b", "Pending"), pod("web-b", "Running")}}, `pods: "web-b" is both changed and removed, or listed twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.d.Apply(prev)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestJSONLWriterFullEvery: the first state record and every FullEvery-th are full, the
// others deltas; with fullStates every one is full; a state out of store order is written
// whole and the one after it too (a delta against it could not be rebuilt).
func TestJSONLWriterFullEvery(t *testing.T) {
	var recs []Record
	for i := 0; i < 2*FullEvery+1; i++ {
		st := &State{Pods: []PodState{pod("web-a", "Running")}}
		st.Pods[0].Restarts = int32(i)
		st.fillLists()
		recs = append(recs, Record{T: 0, Type: TypeState, State: st})
	}
	unsorted := &State{Pods: []PodState{pod("web-b", "Running"), pod("web-a", "Running")}}
	unsorted.fillLists()
	recs = append(recs, Record{Type: TypeState, State: unsorted}, Record{Type: TypeState, State: recs[0].State})
	kinds := func(full bool) string {
		var b bytes.Buffer
		jw := NewJSONLWriter(&b, full)
		for _, r := range recs {
			if err := jw.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		var out strings.Builder
		for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			if strings.Contains(l, `"type":"delta"`) {
				out.WriteByte('d')
			} else {
				out.WriteByte('F')
			}
		}
		expanded, err := ExpandJSONL(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		var fullB bytes.Buffer
		if err := WriteFullJSONL(&fullB, recs); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(expanded, fullB.Bytes()) {
			t.Error("ExpandJSONL differs from WriteFullJSONL")
		}
		return out.String()
	}
	want := "F" + strings.Repeat("d", FullEvery-1) + "F" + strings.Repeat("d", FullEvery-1) + "F" + "FF"
	if got := kinds(false); got != want {
		t.Errorf("deltas: got %s\nwant %s", got, want)
	}
	if got := kinds(true); got != strings.Repeat("F", len(recs)) {
		t.Errorf("full states: got %s", got)
	}
}

// TestReaderErrors: a broken trace is an error naming its line and what is wrong.
func TestReaderErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"t":1,"type":"delta","removed":{}}`, `line 1: a delta record before the first state record`},
		{"{\"t\":0,\"type\":\"caption\",\"text\":\"x\"}\n{\"t\":1.2345,\"type\":\"caption\"}", `line 2: t: "1.2345": want seconds such as 12 or 12.345`},
		{`{"t":-1,"type":"caption"}`, `line 1: t: "-1"`},
		{`{"type":"caption"}`, `line 1: missing "t"`},
		{`{"t":1}`, `line 1: missing "type"`},
		{`{"t":1,"type":"bogus"}`, `line 1: type "bogus": want one of event, action, explain, caption, state, delta`},
		{`{"t":1,"type":"state","pods":[]}` + "\n" + `{"t":2,"type":"delta","removed":{"pods":["web"]}}`, `line 2: removed.pods: "web" is not in the previous state`},
		{`not json`, `line 1: invalid character`},
	}
	for _, tc := range tests {
		rd := NewReader(strings.NewReader(tc.in))
		var err error
		for err == nil {
			_, err = rd.Next()
		}
		if err == io.EOF || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.want)
		}
	}
}

// FuzzReader: any input reads without a panic, and a trace that reads is re-encoded to
// itself: ExpandJSONL of it, read again and expanded again, gives the same bytes.
func FuzzReader(f *testing.F) {
	f.Add([]byte(`{"t":0,"type":"state","deployments":[],"replicaSets":[],"statefulSets":[],"pods":[{"name":"a"}],"pvcs":[],"dns":[]}` + "\n" +
		`{"t":1.5,"type":"delta","pods":[{"name":"b"}],"removed":{"pods":["a"]}}` + "\n" +
		`{"t":2,"type":"event","reason":"R","eventType":"Normal","object":"Pod/default/b","message":"m"}`))
	f.Add([]byte(`{"t":0,"type":"caption","text":"x"}`))
	f.Add([]byte(`{"t":0,"type":"state","dns":[{"name":"a.ns.svc.cluster.local","type":"A","data":"1"}]}` + "\n" + `{"t":1,"type":"delta","dns":[{"name":"b.ns.svc.cluster.local","type":"A","data":"1"}],"removed":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		once, err := ExpandJSONL(data)
		if err != nil {
			return
		}
		twice, err := ExpandJSONL(once)
		if err != nil {
			t.Fatalf("the expanded trace does not read: %v\n%s", err, once)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("expanding twice differs:\n%s\n%s", once, twice)
		}
	})
}

// TestAppendOrderIsOrder: the allocation-free keys sorted compares are the order keys.
func TestAppendOrderIsOrder(t *testing.T) {
	for _, d := range []DNSState{{"web.default.svc.cluster.local", "A", "10.0.0.1"},
		{"_web._tcp.nginx.prod.svc.cluster.local", "SRV", "0 1 80 web-0.nginx.prod.svc.cluster.local."},
		{"Web.Default.svc.cluster.local", "CNAME", "Example.COM."}, {"x.local", "A", "a b c"},
		{"ÄBC.default.svc.cluster.local", "A", "İ x"}, {"", "", ""}} {
		if got, want := string(dnsOps.appendOrder([]byte("junk"), d)), "junk"+dnsOrder(d); got != want {
			t.Errorf("appendDNSOrder(%v) = %q; want %q", d, got, want)
		}
	}
	for _, name := range []string{"web", "prod/web", ""} {
		p := PodState{Name: name}
		if got, want := string(podOps.appendOrder(nil, p)), podOps.order(p); got != want {
			t.Errorf("appendOrder(%q) = %q; want %q", name, got, want)
		}
	}
}
