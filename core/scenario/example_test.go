package scenario_test

import (
	"errors"
	"fmt"

	"github.com/kubesim/kubesim/core/scenario"
)

// Parse reads the Scenario document and the manifests after it; the timeline comes out as
// engine commands at virtual times (milliseconds).
func ExampleParse() {
	data := []byte(`apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: hello}
until: 30s
nodes: [{name: node-1, cpu: "2"}]
timeline:
  - {at: 0s, apply: all}
  - {at: 10s, kubectl: "scale deployment/web --replicas=3"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1.0"}]
`)
	sc, err := scenario.Parse("hello.yaml", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sc.Name, sc.Until, len(sc.Nodes), "node")
	for _, m := range sc.Manifests {
		fmt.Printf("line %d: %s %s\n", m.Line, m.Object.GetKind(), m.Object.Meta().Name)
	}
	for _, s := range sc.Timeline {
		fmt.Printf("at %dms: %s\n", s.At, s.Command)
	}
	// Output:
	// hello 30s 1 node
	// line 10: Deployment web
	// at 0ms: apply all
	// at 10000ms: kubectl scale deployment/web --replicas=3
}

// A bad file gives every problem at once, each naming the file, line, object and field
// path; errors.As reaches the parts.
func ExampleParse_error() {
	data := []byte(`apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: bad}
timeline:
  - {at: 0s, apply: all}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: -1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1.0", imagePullPolicy: Sometimes}]
`)
	_, err := scenario.Parse("bad.yaml", data)
	fmt.Println(err)
	var e *scenario.Error
	if errors.As(err, &e) {
		fmt.Printf("file %s, line %d, path %s\n", e.File, e.Line, e.Path)
	}
	// Output:
	// bad.yaml:11: Deployment "web": spec.replicas: Invalid value: -1: must be greater than or equal to 0
	// bad.yaml:16: Deployment "web": spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"
	// file bad.yaml, line 11, path spec.replicas
}
