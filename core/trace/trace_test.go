package trace

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// The JSONL form is the tools' contract (design.md "The trace", README "JSONL output"): every
// line has t (seconds, millisecond precision, trailing zeros trimmed) and type first, then the
// type's fields under their documented names; optional fields are left out when empty.
func TestJSONLRecords(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
		want string
	}{
		{"event with fieldPath",
			Record{T: 12_400, Type: TypeEvent, Event: &Event{Reason: "Pulling", EventType: "Normal",
				Object: "Pod/default/web-0", FieldPath: "spec.containers{app}", Message: `Pulling image "web:1"`}},
			`{"t":12.4,"type":"event","reason":"Pulling","eventType":"Normal","object":"Pod/default/web-0","fieldPath":"spec.containers{app}","message":"Pulling image \"web:1\""}`},
		{"event without fieldPath",
			Record{T: 0, Type: TypeEvent, Event: &Event{Reason: "ScalingReplicaSet", EventType: "Normal",
				Object: "Deployment/default/web", Message: "Scaled up replica set web-5d8f7c9b4 from 0 to 4"}},
			`{"t":0,"type":"event","reason":"ScalingReplicaSet","eventType":"Normal","object":"Deployment/default/web","message":"Scaled up replica set web-5d8f7c9b4 from 0 to 4"}`},
		{"action with output",
			Record{T: 30_000, Type: TypeAction, Action: &Action{Source: "scenario", Command: "kubectl scale deployment/web --replicas=6",
				Output: "deployment.apps/web scaled\n"}},
			`{"t":30,"type":"action","source":"scenario","command":"kubectl scale deployment/web --replicas=6","output":"deployment.apps/web scaled\n"}`},
		{"failed user action",
			Record{T: 1, Type: TypeAction, Action: &Action{Source: "user", Command: "kubectl get foo",
				Error: `error: the server doesn't have a resource type "foo"`}},
			`{"t":0.001,"type":"action","source":"user","command":"kubectl get foo","error":"error: the server doesn't have a resource type \"foo\""}`},
		{"explain",
			Record{T: 123_456, Type: TypeExplain, Explain: &Explain{Controller: "replicaset-controller",
				Object: "ReplicaSet/default/web-1", Message: "0 active pods, 4 desired: create 4"}},
			`{"t":123.456,"type":"explain","controller":"replicaset-controller","object":"ReplicaSet/default/web-1","message":"0 active pods, 4 desired: create 4"}`},
		{"caption",
			Record{T: 32_050, Type: TypeCaption, Caption: "Watch the new ReplicaSet"},
			`{"t":32.05,"type":"caption","text":"Watch the new ReplicaSet"}`},
		// Every state field is always present, empty lists as [], so tools can rely on them.
		{"empty state",
			Record{T: 90_000, Type: TypeState, State: BuildState(store.New())},
			`{"t":90,"type":"state","deployments":[],"replicaSets":[],"statefulSets":[],"pods":[],"pvcs":[],"dns":[]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.rec.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
			if !json.Valid(b) {
				t.Errorf("not valid JSON: %s", b)
			}
		})
	}
}

// TestJSONLTimes pins the t column: float seconds, exact to the millisecond, no exponent.
func TestJSONLTimes(t *testing.T) {
	for ms, want := range map[api.Time]string{0: "0", 1: "0.001", 10: "0.01", 999: "0.999", 1000: "1",
		55_500: "55.5", 300_000: "300", 86_400_000: "86400", 86_399_999: "86399.999"} {
		b, err := Record{T: ms, Type: TypeCaption, Caption: "x"}.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if got := string(b); got != `{"t":`+want+`,"type":"caption","text":"x"}` {
			t.Errorf("t=%dms: %s, want t %s", ms, got, want)
		}
	}
}

func TestJSONLUnknownType(t *testing.T) {
	var b bytes.Buffer
	err := WriteJSONL(&b, []Record{{Type: TypeCaption, Caption: "ok"}, {Type: "bogus"}})
	if err == nil || !strings.Contains(err.Error(), `unknown record type "bogus"`) {
		t.Fatalf("err = %v, want unknown record type", err)
	}
}

func TestWriteJSONLOneLinePerRecord(t *testing.T) {
	recs := []Record{
		{T: 0, Type: TypeCaption, Caption: "a"},
		{T: 1500, Type: TypeAction, Action: &Action{Source: "scenario", Command: "apply all", Output: "pod/p created\npod/q created\n"}},
	}
	var b bytes.Buffer
	if err := WriteJSONL(&b, recs); err != nil {
		t.Fatal(err)
	}
	want := `{"t":0,"type":"caption","text":"a"}` + "\n" +
		`{"t":1.5,"type":"action","source":"scenario","command":"apply all","output":"pod/p created\npod/q created\n"}` + "\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestTextLines pins the text timeline's line forms: an 8.3 time column, then kubectl's
// `get events` order (type, reason, object as kubectl names it, message).
func TestTextLines(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
		want string
	}{
		{"event in default namespace",
			Record{T: 5_000, Type: TypeEvent, Event: &Event{Reason: "Started", EventType: "Normal", Object: "Pod/default/web-0", Message: "Container started"}},
			"       5.000s  Normal  Started              pod/web-0  Container started"},
		{"event in another namespace",
			Record{T: 61_250, Type: TypeEvent, Event: &Event{Reason: "BackOff", EventType: "Warning", Object: "Pod/shop/cart-0", Message: "Back-off restarting failed container app in pod cart-0_shop(uid-000001)"}},
			"      61.250s  Warning BackOff              pod/shop/cart-0  Back-off restarting failed container app in pod cart-0_shop(uid-000001)"},
		{"event on a cluster-scoped object",
			Record{T: 0, Type: TypeEvent, Event: &Event{Reason: "NodeNotReady", EventType: "Normal", Object: "Node/node-1", Message: "Node node-1 status is now: NodeNotReady"}},
			"       0.000s  Normal  NodeNotReady         node/node-1  Node node-1 status is now: NodeNotReady"},
		{"scenario action with output, blank lines kept",
			Record{T: 30_000, Type: TypeAction, Action: &Action{Source: "scenario", Command: "kubectl get deploy,rs",
				Output: "NAME  READY\ndeployment.apps/web  4/4\n\nNAME  DESIRED\nreplicaset.apps/web-1  4\n"}},
			"      30.000s  $ kubectl get deploy,rs\n" +
				"                 NAME  READY\n" +
				"                 deployment.apps/web  4/4\n" +
				"\n" +
				"                 NAME  DESIRED\n" +
				"                 replicaset.apps/web-1  4"},
		{"user action with error",
			Record{T: 1, Type: TypeAction, Action: &Action{Source: "user", Command: "kubectl delete pod nope", Error: `Error from server (NotFound): pods "nope" not found`}},
			"       0.001s  $ kubectl delete pod nope   (user)\n" +
				`                 Error from server (NotFound): pods "nope" not found`},
		{"explain",
			Record{T: 0, Type: TypeExplain, Explain: &Explain{Controller: "deployment-controller", Object: "ReplicaSet/default/web-1", Message: "scale up"}},
			"       0.000s  why     deployment-controller replicaset/web-1: scale up"},
		{"caption",
			Record{T: 32_000, Type: TypeCaption, Caption: "Watch the new ReplicaSet scale up by one (maxSurge)"},
			"      32.000s  # Watch the new ReplicaSet scale up by one (maxSurge)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := TextLine(tc.rec); got != tc.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tc.want)
			}
		})
	}
}

func stateWith(lines func(*State)) Record {
	st := BuildState(store.New())
	lines(st)
	return Record{Type: TypeState, State: st}
}

// TestTextWriterStateDiffs: state records print like `kubectl get -w`, only the lines of
// objects that changed since the previous state, and "(deleted)" for objects that are gone.
func TestTextWriterStateDiffs(t *testing.T) {
	var b bytes.Buffer
	tw := NewTextWriter(&b)
	pod := func(name, status string, ready bool) PodState {
		return PodState{Name: name, Node: "node-1", Phase: "Running", Status: status, Ready: ready}
	}
	steps := []Record{
		stateWith(func(s *State) {
			s.Pods = []PodState{pod("a", "ContainerCreating", false), pod("b", "ContainerCreating", false)}
			s.DNS = []DNSState{{Name: "web.default.svc.cluster.local", Type: "A", Data: "10.96.0.5"}}
		}),
		stateWith(func(s *State) {
			s.Pods = []PodState{pod("a", "Running", true), pod("b", "ContainerCreating", false)}
			s.DNS = []DNSState{{Name: "web.default.svc.cluster.local", Type: "A", Data: "10.96.0.5"}}
		}),
		stateWith(func(s *State) {
			s.Pods = []PodState{pod("a", "Running", true)}
		}),
	}
	steps[0].T, steps[1].T, steps[2].T = 0, 5_000, 9_500
	// A caption command's action is not printed: the caption record that follows says it.
	caption := Record{T: 9_500, Type: TypeAction, Action: &Action{Source: "scenario", Command: "caption hello"}}
	for _, r := range append(steps, caption) {
		if err := tw.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	want := "" +
		"       0.000s  pod/a  not-ready  ContainerCreating  restarts 0  node-1\n" +
		"       0.000s  pod/b  not-ready  ContainerCreating  restarts 0  node-1\n" +
		"       0.000s  dns web.default.svc.cluster.local A 10.96.0.5\n" +
		"       5.000s  pod/a  ready  Running  restarts 0  node-1\n" +
		"       9.500s  dns web.default.svc.cluster.local A 10.96.0.5  (deleted)\n" +
		"       9.500s  pod/b  (deleted)\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func create(t *testing.T, s *store.Store, o api.Object) {
	t.Helper()
	if err := s.Create(o); err != nil {
		t.Fatal(err)
	}
}

// fill stores one object of every summarised kind, in the order given.
func fill(t *testing.T, s *store.Store, reverse bool) {
	d := &api.Deployment{TypeMeta: api.TypeMeta{Kind: "Deployment"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web", UID: "d1"},
		Spec: api.DeploymentSpec{Replicas: api.Ptr(int32(2))},
		Status: api.DeploymentStatus{UpdatedReplicas: 2, ReadyReplicas: 1, AvailableReplicas: 1, UnavailableReplicas: 1,
			Conditions: []api.DeploymentCondition{{Type: "Available", Status: "False", Reason: "MinimumReplicasUnavailable"}}}}
	rs := &api.ReplicaSet{TypeMeta: api.TypeMeta{Kind: "ReplicaSet"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web-abc", UID: "rs1",
		Annotations: map[string]string{RevisionAnnotation: "3"}, OwnerReferences: []api.OwnerReference{api.NewControllerRef(d, "apps/v1")}},
		Spec:   api.ReplicaSetSpec{Replicas: api.Ptr(int32(2)), Template: api.PodTemplateSpec{Spec: api.PodSpec{Containers: []api.Container{{Image: "web:2"}, {Image: "log:1"}}}}},
		Status: api.ReplicaSetStatus{Replicas: 2, ReadyReplicas: 1, AvailableReplicas: 1}}
	ss := &api.StatefulSet{TypeMeta: api.TypeMeta{Kind: "StatefulSet"}, ObjectMeta: api.ObjectMeta{Namespace: "db", Name: "mysql", UID: "ss1"},
		Spec:   api.StatefulSetSpec{Replicas: api.Ptr(int32(1))},
		Status: api.StatefulSetStatus{ReadyReplicas: 1, CurrentReplicas: 1, UpdatedReplicas: 1, CurrentRevision: "mysql-7f", UpdateRevision: "mysql-7f"}}
	cr := &api.ControllerRevision{TypeMeta: api.TypeMeta{Kind: "ControllerRevision"}, ObjectMeta: api.ObjectMeta{Namespace: "db", Name: "mysql-7f"}, Revision: 2}
	p1 := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web-abc-x",
		OwnerReferences: []api.OwnerReference{api.NewControllerRef(rs, "apps/v1")}},
		Spec: api.PodSpec{NodeName: "node-1", Containers: []api.Container{{Name: "web"}}},
		Status: api.PodStatus{Phase: api.PodRunning, Conditions: []api.PodCondition{{Type: api.PodReady, Status: api.ConditionTrue}},
			ContainerStatuses: []api.ContainerStatus{{Name: "web", Ready: true, RestartCount: 2, State: api.ContainerState{Running: &api.ContainerStateRunning{}}}}}}
	p2 := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Namespace: "db", Name: "mysql-0",
		Labels: map[string]string{ControllerRevisionHashLabel: "mysql-7f"}, OwnerReferences: []api.OwnerReference{api.NewControllerRef(ss, "apps/v1")}},
		Spec: api.PodSpec{Containers: []api.Container{{Name: "mysql"}}}, Status: api.PodStatus{Phase: api.PodPending}}
	pvc := &api.PersistentVolumeClaim{TypeMeta: api.TypeMeta{Kind: "PersistentVolumeClaim"}, ObjectMeta: api.ObjectMeta{Namespace: "db", Name: "data-mysql-0"},
		Spec: api.PersistentVolumeClaimSpec{VolumeName: "pvc-1"}, Status: api.PersistentVolumeClaimStatus{Phase: api.ClaimBound}}
	dns := &api.DNSRecord{TypeMeta: api.TypeMeta{Kind: "DNSRecord"}, ObjectMeta: api.ObjectMeta{Namespace: "db", Name: "r"},
		FQDN: "mysql-0.mysql.db.svc.cluster.local", Type: "A", Data: "10.244.0.7"}
	objs := []api.Object{d, rs, ss, cr, p1, p2, pvc, dns}
	if reverse {
		for i, j := 0, len(objs)-1; i < j; i, j = i+1, j-1 {
			objs[i], objs[j] = objs[j], objs[i]
		}
	}
	for _, o := range objs {
		create(t, s, o)
	}
}

// TestBuildState pins the state record's content and its order: lists come from the store
// sorted by namespace/name, whatever order the objects were written in, so the same cluster
// always gives the same bytes.
func TestBuildState(t *testing.T) {
	a, b := store.New(), store.New()
	fill(t, a, false)
	fill(t, b, true)
	ja, err := Record{T: 1000, Type: TypeState, State: BuildState(a)}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	jb, _ := Record{T: 1000, Type: TypeState, State: BuildState(b)}.MarshalJSON()
	if string(ja) != string(jb) {
		t.Fatalf("state depends on write order:\n%s\n%s", ja, jb)
	}
	want := `{"t":1,"type":"state",` +
		`"deployments":[{"name":"web","replicas":2,"updated":2,"ready":1,"available":1,"unavailable":1,"conditions":[{"type":"Available","status":"False","reason":"MinimumReplicasUnavailable"}]}],` +
		`"replicaSets":[{"name":"web-abc","owner":"Deployment/web","revision":3,"images":["web:2","log:1"],"specReplicas":2,"replicas":2,"ready":1,"available":1}],` +
		`"statefulSets":[{"name":"db/mysql","replicas":1,"ready":1,"current":1,"updated":1,"currentRevision":"mysql-7f","updateRevision":"mysql-7f"}],` +
		`"pods":[{"name":"db/mysql-0","owner":"StatefulSet/mysql","revision":2,"node":"","phase":"Pending","status":"Pending","ready":false,"restarts":0,"terminating":false},` +
		`{"name":"web-abc-x","owner":"ReplicaSet/web-abc","revision":3,"node":"node-1","phase":"Running","status":"Running","ready":true,"restarts":2,"terminating":false}],` +
		`"pvcs":[{"name":"db/data-mysql-0","phase":"Bound","volume":"pvc-1"}],` +
		`"dns":[{"name":"mysql-0.mysql.db.svc.cluster.local","type":"A","data":"10.244.0.7"}]}`
	if string(ja) != want {
		t.Errorf("got:\n%s\nwant:\n%s", ja, want)
	}
	lines := BuildState(a).TextLines()
	wantLines := []string{
		"deploy/web  ready 1/2  up-to-date 2  available 1",
		"rs/web-abc  rev 3  desired 2  current 2  ready 1  web:2,log:1",
		"sts/db/mysql  ready 1/1  current 1  updated 1",
		"pod/db/mysql-0  not-ready  Pending  restarts 0  <none>",
		"pod/web-abc-x  ready  Running  restarts 2  node-1",
		"pvc/db/data-mysql-0  Bound  pvc-1",
		"dns mysql-0.mysql.db.svc.cluster.local A 10.244.0.7",
	}
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("text lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
}
