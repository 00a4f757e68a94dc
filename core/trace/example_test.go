package trace_test

import (
	"bytes"
	"fmt"
	"os"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// The same records in both encodings: JSONL, one object per record with t in seconds, where
// the first state record is full and the next a delta holding only what changed (web), and
// the text timeline, where a state record prints only the objects that changed since the
// previous one (at 2 s only web's line: db did not change).
func Example() {
	s := store.New()
	db := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "db"},
		Spec: api.PodSpec{NodeName: "node-2"}, Status: api.PodStatus{Phase: api.PodRunning}}
	pod := &api.Pod{TypeMeta: api.TypeMeta{Kind: "Pod"}, ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web"},
		Status: api.PodStatus{Phase: api.PodPending}}
	for _, p := range []*api.Pod{db, pod} {
		if err := s.Create(p); err != nil {
			fmt.Println(err)
			return
		}
	}
	pending := trace.BuildState(s)
	running := api.Clone(pod)
	running.Spec.NodeName, running.Status.Phase = "node-1", api.PodRunning
	if err := s.Update(running); err != nil {
		fmt.Println(err)
		return
	}
	recs := []trace.Record{
		{T: 0, Type: trace.TypeAction, Action: &trace.Action{Source: "scenario", Command: "apply all", Output: "pod/db created\npod/web created"}},
		{T: 0, Type: trace.TypeCaption, Caption: "Two pods; web waits for a node."},
		{T: 0, Type: trace.TypeState, State: pending},
		{T: 1500, Type: trace.TypeExplain, Explain: &trace.Explain{Controller: "default-scheduler", Object: "Pod/default/web", Message: "assigned to node-1"}},
		{T: 1500, Type: trace.TypeEvent, Event: &trace.Event{Reason: "Scheduled", EventType: api.EventNormal, Object: "Pod/default/web", Message: "Successfully assigned default/web to node-1"}},
		{T: 2000, Type: trace.TypeState, State: trace.BuildState(s)},
	}

	var jsonl bytes.Buffer
	if err := trace.WriteJSONL(&jsonl, recs); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(jsonl.String())

	tw := trace.NewTextWriter(os.Stdout)
	for _, r := range recs {
		if err := tw.Write(r); err != nil {
			fmt.Println(err)
			return
		}
	}
	// Output:
	// {"t":0,"type":"action","source":"scenario","command":"apply all","output":"pod/db created\npod/web created"}
	// {"t":0,"type":"caption","text":"Two pods; web waits for a node."}
	// {"t":0,"type":"state","deployments":[],"replicaSets":[],"statefulSets":[],"pods":[{"name":"db","owner":"","revision":0,"node":"node-2","phase":"Running","status":"Running","ready":false,"restarts":0,"terminating":false},{"name":"web","owner":"","revision":0,"node":"","phase":"Pending","status":"Pending","ready":false,"restarts":0,"terminating":false}],"pvcs":[],"dns":[]}
	// {"t":1.5,"type":"explain","controller":"default-scheduler","object":"Pod/default/web","message":"assigned to node-1"}
	// {"t":1.5,"type":"event","reason":"Scheduled","eventType":"Normal","object":"Pod/default/web","message":"Successfully assigned default/web to node-1"}
	// {"t":2,"type":"delta","pods":[{"name":"web","owner":"","revision":0,"node":"node-1","phase":"Running","status":"Running","ready":false,"restarts":0,"terminating":false}],"removed":{}}
	//        0.000s  $ apply all
	//                  pod/db created
	//                  pod/web created
	//        0.000s  # Two pods; web waits for a node.
	//        0.000s  pod/db  not-ready  Running  restarts 0  node-2
	//        0.000s  pod/web  not-ready  Pending  restarts 0  <none>
	//        1.500s  why     default-scheduler pod/web: assigned to node-1
	//        1.500s  Normal  Scheduled            pod/web  Successfully assigned default/web to node-1
	//        2.000s  pod/web  not-ready  Running  restarts 0  node-1
}
