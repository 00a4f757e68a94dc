package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
)

const header = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
nodes: [{name: node-1}]
timeline:
  - {at: 0s, apply: all}
---
`

func TestParseRollingUpdate(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/rolling-update.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse("rolling-update.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "rolling-update" || len(sc.Nodes) != 3 || len(sc.Manifests) != 1 {
		t.Fatalf("got name %q, %d nodes, %d manifests", sc.Name, len(sc.Nodes), len(sc.Manifests))
	}
	d, ok := sc.Manifests[0].Object.(*api.Deployment)
	if !ok {
		t.Fatalf("manifest 0 decoded as %T; want *api.Deployment", sc.Manifests[0].Object)
	}
	if *d.Spec.Replicas != 4 || d.Spec.Strategy.RollingUpdate.MaxSurge.IntVal != 1 || d.Namespace != "default" {
		t.Fatalf("deployment decoded wrong: %+v", d.Spec)
	}
	if sc.Manifests[0].Line != 28 {
		t.Errorf("manifest line = %d; want 28", sc.Manifests[0].Line)
	}
	if sc.TitleZh != "滚动更新：maxSurge 1，maxUnavailable 1" || !strings.HasPrefix(sc.DescriptionZh, "web 的 4 个副本") ||
		sc.Timeline[1].Command != "caption Four replicas of web:1.0 start up." || sc.Timeline[1].CaptionZh != "web:1.0 的 4 个副本启动。" {
		t.Errorf("the Chinese texts: title %q, description %q, step 1 %+v", sc.TitleZh, sc.DescriptionZh, sc.Timeline[1])
	}
	if got := sc.Config.Images["web:2.0"].Pull; got != 2*api.Second {
		t.Errorf("web:2.0 pull = %v; want 2s", got)
	}
	if n := sc.Nodes[0]; n.Status.Capacity["cpu"].Milli != 4000 || n.Labels[api.LabelHostname] != "node-1" {
		t.Errorf("node-1 = %+v", n)
	}
	if len(sc.Timeline) != 6 || sc.Timeline[2].Command != "kubectl set image deployment/web web=web:2.0" || sc.Timeline[2].At != 30000 {
		t.Errorf("timeline = %+v", sc.Timeline)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // substrings of the error text
	}{
		{"unknown field with suggestion", header + `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: nginx
      imagePullPolicyy: Always
`, []string{"t.yaml:15: Pod \"p\": spec.containers[0].imagePullPolicyy: unknown field \"imagePullPolicyy\": did you mean \"imagePullPolicy\"?"}},
		{"wrong type", header + `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: four
`, []string{"t.yaml:12: Deployment \"web\": spec.replicas: Invalid value: \"four\": expected an integer"}},
		{"bad yaml", header + "kind: Pod\n  metadata: x: y\n", []string{"t.yaml:", "invalid YAML"}},
		{"unsupported kind", header + "apiVersion: v1\nkind: Gizmo\nmetadata: {name: g}\n", []string{"t.yaml:9: kind: Unsupported value: \"Gizmo\""}},
		{"wrong apiVersion", header + "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: g}\n", []string{"t.yaml:8: Deployment: apiVersion: Unsupported value: \"extensions/v1beta1\""}},
		{"no scenario", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n", []string{"no Scenario document"}},
		{"step with two actions", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
timeline:
  - {at: 1s, apply: all, caption: hi}
`, []string{"t.yaml:5: Scenario: timeline[0]: Invalid value: a step has exactly one of"}},
		{"captionZh without caption", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
timeline:
  - {at: 1s, apply: all, captionZh: 你好}
`, []string{"t.yaml:5: Scenario: timeline[0].captionZh: Invalid value: captionZh translates a caption: give it beside caption, in the same step"}},
		{"misspelt titleZh", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
titleZH: 你好
`, []string{`t.yaml:4: Scenario: titleZH: unknown field "titleZH": did you mean "titleZh"?`, "description, descriptionZh,", "title, titleZh, until"}},
		{"step without time", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
timeline:
  - {caption: hi}
`, []string{"timeline[0].at: Required value"}},
		{"bad duration", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
until: 10 minutes
`, []string{"t.yaml:4: Scenario: until: Invalid value: \"10 minutes\""}},
		{"apply of a missing manifest", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
timeline:
  - {at: 1s, apply: Deployment/nope}
`, []string{"t.yaml:5: Scenario: timeline: apply \"Deployment/nope\""}},
		{"fail of a missing node", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
timeline:
  - {at: 1s, fail: node/nope}
`, []string{"fail \"node/nope\""}},
		{"labels must be strings", header + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {a: 1}\n", []string{"t.yaml:12: ConfigMap \"c\": metadata.labels[a]: Invalid value: 1: expected a string, got number"}},
		{"duplicate", header + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", []string{"defined twice (first at line 8)"}},
		{"priority class field", header + "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: gold}\nvaleu: 10\n",
			[]string{`t.yaml:11: PriorityClass "gold": valeu: unknown field "valeu": did you mean "value"? (allowed: description, globalDefault, metadata, preemptionPolicy, value)`}},
		{"priority class value", header + "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: gold}\nvalue: 1000000001\npreemptionPolicy: Sometimes\n",
			[]string{`t.yaml:11: PriorityClass "gold": value: Forbidden: maximum allowed value of a user defined priority is 1000000000`,
				`t.yaml:12: PriorityClass "gold": preemptionPolicy: Unsupported value: "Sometimes": supported values: "Never", "PreemptLowerPriority"`}},
		{"priority class system name", header + "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: system-gold}\nvalue: 1\n",
			[]string{`PriorityClass "system-gold": metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-gold is not a known system priority class`}},
		{"priority class built-in", header + "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: system-cluster-critical}\nvalue: 2000000000\n",
			[]string{`t.yaml:8: PriorityClass "system-cluster-critical": metadata.name: AlreadyExists: system-cluster-critical is a built-in PriorityClass of every cluster`}},
		{"two default priority classes", header + "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: a}\nvalue: 1\nglobalDefault: true\n---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: b}\nvalue: 2\nglobalDefault: true\n",
			[]string{`t.yaml:18: PriorityClass "b": globalDefault: Forbidden: PriorityClass a is already marked as default. Only one default can exist (line 8)`}},
		{"pod priority class name", header + "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  priorityClassName: Gold\n  containers: [{name: app, image: app}]\n",
			[]string{`t.yaml:12: Pod "p": spec.priorityClassName: Invalid value: "Gold": a lowercase RFC 1123 subdomain`}},
		{"too big", strings.Repeat("#", scenario.MaxFileBytes+1), []string{"a scenario may be at most 1048576 bytes"}},
		{"usage: unknown field", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
images:
  web:1.0:
    cpu: {from: 100m, too: 200m}
`, []string{"t.yaml:6: Scenario: images[web:1.0].cpu: Invalid value: ", `unknown field "too" (allowed: from, to, over, leakPerMinute, noise)`}},
		{"usage: ramp without duration", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
images:
  web:1.0: {memory: {from: 64Mi, to: 128Mi}}
`, []string{"t.yaml:5: Scenario: images[web:1.0].memory: Invalid value: ", "to and over go together"}},
		{"usage: bad quantity", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
images:
  web:1.0: {cpu: lots}
`, []string{"images[web:1.0].cpu: Invalid value: \"lots\": a usage is a quantity"}},
		{"load: two targets", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
load:
  - {service: web, deployment: web, rps: 5}
`, []string{"t.yaml:5: Scenario: load[0]: a load names exactly one of service, deployment, statefulSet (found 2)"}},
		{"load: missing target", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
load:
  - {service: web, rps: 5}
`, []string{"t.yaml:5: Scenario: load[0]: load: no manifest in this file is Service \"web\" in namespace \"default\""}},
		{"load step: negative rps", `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
timeline:
  - {at: 5s, load: {service: web, rps: -1}}
`, []string{"t.yaml:5: Scenario: timeline[0].load: rps: Invalid value: -1: must be between 0 and 10000000"}},
		{"hpa: upstream validation", header + `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 2
  metrics:
    - type: Pods
`, []string{"spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`", "spec.metrics[0].type: Unsupported value: \"Pods\""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenario.Parse("t.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("Parse succeeded; want an error")
			}
			var list scenario.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, not an ErrorList", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

// FuzzParse: no input makes the parser panic. Seeded with every scenario in the catalogue.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../scenarios/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(header + "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n"))
	f.Add([]byte("apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: u}\nimages:\n  a: {cpu: {from: 1m, to: 2m, over: 1s, noise: 5}, memory: {from: 1Mi, leakPerMinute: 1Ki}, cpuPerRequest: 1m}\nload: [{deployment: d, rps: 1}]\ntimeline: [{at: 1s, load: {service: s, rps: 2}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := scenario.Parse("fuzz.yaml", data)
		if err == nil && sc == nil {
			t.Fatal("nil scenario without an error")
		}
	})
}

// Nodes written in the shorthand get the API's validation, reported at the shorthand field.
func TestNodeShorthandIsValidated(t *testing.T) {
	_, err := scenario.Parse("n.yaml", []byte(`apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: shorthand}
nodes:
  - {name: Node_1}
  - name: node-2
    taints: [{key: dedicated, effect: Sometimes}]
  - {name: node-3, cpu: "-1"}
`))
	if err == nil {
		t.Fatal("Parse accepted invalid nodes")
	}
	for _, want := range []string{
		`n.yaml:5: Scenario: nodes[0].name: Invalid value: "Node_1": a lowercase RFC 1123 subdomain`,
		`n.yaml:7: Scenario: nodes[1].taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"`,
		`n.yaml:8: Scenario: nodes[2].cpu: Invalid value: "-1": must be greater than or equal to 0`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// Every error carries its field path in Error.Path, the API's validation errors too (they
// used to leave it empty and put the path in Msg), so tools need not parse the message.
func TestErrorsCarryTheirFieldPath(t *testing.T) {
	_, err := scenario.Parse("p.yaml", []byte(`apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: paths}
nodes: [{name: node-1, cpu: "-1"}]
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
      containers: [{name: web, image: "web:1.0"}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, labels: {a: 1}}
`))
	var list scenario.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v is %T, not an ErrorList", err, err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Path)
		if want := e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Object + ": " + e.Path + ": " + e.Msg; e.Error() != want {
			t.Errorf("Error() = %q; want the parts joined: %q", e.Error(), want)
		}
	}
	want := []string{"nodes[0].cpu", "spec.replicas", "metadata.labels[a]"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paths = %q; want %q", got, want)
	}
}

// An autoscaling/v1 HPA is converted to autoscaling/v2: its CPU target becomes a Resource
// metric.
func TestHPAv1IsConverted(t *testing.T) {
	sc, err := scenario.Parse("v1.yaml", []byte(header+`apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  targetCPUUtilizationPercentage: 65
`))
	if err != nil {
		t.Fatal(err)
	}
	h := sc.Manifests[0].Object.(*api.HorizontalPodAutoscaler)
	if h.APIVersion != "autoscaling/v2" || api.HPATargets(h) != "cpu: <unknown>/65%" || *h.Spec.MinReplicas != 1 {
		t.Errorf("converted to %s, targets %q, min %d", h.APIVersion, api.HPATargets(h), *h.Spec.MinReplicas)
	}
}
