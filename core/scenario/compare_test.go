package scenario_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
)

// base is a small catalogue for the comparison tests: a Deployment with a flow-style
// strategy, a Service, and a StatefulSet without podManagementPolicy.
var cmpBase = map[string]string{"base.yaml": `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: base}
seed: 7
timeline:
  - {at: 0s, apply: all}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  # the strategy is what the variants change
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  strategy:
    rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "web:1.0"}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db, app.kubernetes.io/name: db}}
    spec:
      containers: [{name: db, image: "db:1"}]
`, "other.yaml": `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: {name: other}
seed: 3
`}

func cmpRead(name string) ([]byte, error) {
	if s, ok := cmpBase[name]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

func cmpFile(variants string) string {
	return `apiVersion: kubesim.dev/v1alpha1
kind: Comparison
metadata: {name: c}
title: T
scenario: base.yaml
variants:
` + variants
}

func cmpResolve(t *testing.T, text string) *scenario.Resolution {
	t.Helper()
	c, err := scenario.ParseComparison("c.yaml", []byte(text))
	if err != nil {
		t.Fatalf("ParseComparison: %v", err)
	}
	r, err := c.Resolve(cmpRead)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return r
}

func sideDeployment(t *testing.T, text string) *api.Deployment {
	t.Helper()
	sc, err := scenario.Parse("side.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range sc.Manifests {
		if d, ok := m.Object.(*api.Deployment); ok {
			return d
		}
	}
	t.Fatal("no Deployment")
	return nil
}

func TestComparisonPatchesOneField(t *testing.T) {
	r := cmpResolve(t, cmpFile(`  - label: "no surge"
    set: ["Deployment/web:spec.strategy.rollingUpdate.maxSurge=0"]
  - set: ["deployment/web:spec.strategy.rollingUpdate.maxSurge=25%", "StatefulSet/db:spec.podManagementPolicy=Parallel"]
`))
	if r.Seed != 7 {
		t.Errorf("seed %d, want the first scenario's 7", r.Seed)
	}
	a, b := sideDeployment(t, r.Sides[0].Text), sideDeployment(t, r.Sides[1].Text)
	if got := a.Spec.Strategy.RollingUpdate.MaxSurge.String(); got != "0" {
		t.Errorf("A maxSurge %s, want 0", got)
	}
	if got := b.Spec.Strategy.RollingUpdate.MaxSurge.String(); got != "25%" {
		t.Errorf("B maxSurge %s, want 25%%", got)
	}
	if got := a.Spec.Strategy.RollingUpdate.MaxUnavailable.String(); got != "1" {
		t.Errorf("A maxUnavailable %s: the patch changed a neighbour", got)
	}
	// A created field: the StatefulSet had no podManagementPolicy.
	if !strings.Contains(r.Sides[1].Text, "podManagementPolicy: Parallel") {
		t.Errorf("B has no podManagementPolicy:\n%s", r.Sides[1].Text)
	}
	// Documents without a patch keep their text; the patched one keeps its comment.
	if !strings.Contains(r.Sides[0].Text, "kind: Service\nmetadata: {name: web}\n") || !strings.Contains(r.Sides[0].Text, "# the strategy is what") {
		t.Errorf("A lost text it did not patch:\n%s", r.Sides[0].Text)
	}
	if r.Sides[0].Label != "no surge" || r.Sides[1].Label != "maxSurge: 25%, podManagementPolicy: Parallel" {
		t.Errorf("labels %q, %q", r.Sides[0].Label, r.Sides[1].Label)
	}
	if want := "Deployment/web spec.strategy.rollingUpdate.maxSurge: 0"; r.Sides[0].Diff[0] != want {
		t.Errorf("diff %q, want %q", r.Sides[0].Diff, want)
	}
}

func TestComparisonSetPaths(t *testing.T) {
	for _, tc := range []struct{ set, want string }{
		{"Deployment/web:spec.template.spec.containers[0].image=web:2.0", "web:2.0"},
		{"StatefulSet/db:spec.template.metadata.labels[app.kubernetes.io/name]=other", "app.kubernetes.io/name: other"},
		{`Deployment/web:spec.template.metadata.labels.tier="1"`, `tier: "1"`},
		{"Deployment/web:spec.minReadySeconds=5", "minReadySeconds: 5"},
		{"Deployment/web:spec.strategy={type: Recreate}", "strategy: {type: Recreate}"},
	} {
		s, err := scenario.ParseSet(tc.set)
		if err != nil {
			t.Errorf("%s: %v", tc.set, err)
			continue
		}
		out, err := scenario.ApplySets(cmpBase["base.yaml"], []scenario.Set{s})
		if err != nil {
			t.Errorf("%s: %v", tc.set, err)
			continue
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("%s: no %q in\n%s", tc.set, tc.want, out)
		}
		if _, err := scenario.Parse("x.yaml", []byte(out)); err != nil {
			t.Errorf("%s: the patched scenario does not parse: %v", tc.set, err)
		}
	}
}

// Every bad patch is refused with the file, the line of the patch, its field path, and what
// is wrong, in kubectl's validation style.
func TestComparisonErrors(t *testing.T) {
	ok := `  - set: ["Deployment/web:spec.replicas=5"]
`
	for _, tc := range []struct{ name, text, want string }{
		{"syntax", cmpFile(`  - set: ["spec.replicas=5"]
` + ok), `c.yaml:7: Comparison "c": variants[0].set[0]: want KIND/NAME:FIELD.PATH=VALUE`},
		{"no value", cmpFile(`  - set: ["Deployment/web:spec.replicas="]
` + ok), `c.yaml:7: Comparison "c": variants[0].set[0]: Required value: a value after "spec.replicas="`},
		{"bad path", cmpFile(`  - set: ["Deployment/web:spec..replicas=1"]
` + ok), `variants[0].set[0]: Invalid value: "spec..replicas": an empty field name`},
		{"kind", cmpFile(`  - set: ["Deployment/web:kind=Pod"]
` + ok), `a variant cannot change what an object is`},
		{"unknown field", cmpFile(ok + `  - label: B
    set:
      - "Deployment/web:spec.strategy.rollingUpdate.maxSurgee=0"
`), `c.yaml:10: Comparison "c": variants[1].set[0]: Deployment "web": spec.strategy.rollingUpdate.maxSurgee: unknown field "maxSurgee": did you mean "maxSurge"?`},
		{"API validation", cmpFile(ok + `  - set: ["Deployment/web:spec.strategy.rollingUpdate.maxSurge=0", "Deployment/web:spec.strategy.rollingUpdate.maxUnavailable=0"]
`), `c.yaml:8: Comparison "c": variants[1].set[1]: Deployment "web": spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when ` + "`maxSurge`" + ` is 0`},
		{"no object", cmpFile(ok + `  - set: ["Deployment/api:spec.replicas=1"]
`), `variants[1].set[0]: NotFound: no Deployment/api in the scenario (its manifests: Deployment/web, Service/web, StatefulSet/db)`},
		{"no index", cmpFile(ok + `  - set: ["Deployment/web:spec.template.spec.containers[3].image=x"]
`), `variants[1].set[0]: Deployment/web: spec.template.spec.containers[3].image: index 3 out of range: spec.template.spec.containers has 1 items`},
		{"no scenario", cmpFile(ok + `  - {scenario: nope.yaml}
`), `c.yaml:8: Comparison "c": variants[1].scenario: NotFound: no scenario "nope.yaml" in the catalogue`},
		{"same", cmpFile(ok + ok), `variants: Invalid value: both variants give the same scenario: nothing to compare`},
		{"one variant", cmpFile(ok), `c.yaml:6: Comparison "c": variants: Invalid value: 1 variants: a comparison has exactly 2`},
		{"unknown field of the file", cmpFile(ok+ok) + "seeed: 1\n", `c.yaml:9: Comparison: seeed: unknown field "seeed": did you mean "seed"?`},
		{"kind", strings.Replace(cmpFile(ok+ok), "kind: Comparison", "kind: Scenario", 1), `c.yaml:2: kind: Unsupported value: "Scenario": a comparison file has kind: Comparison`},
		{"long label", cmpFile(ok + `  - label: "` + strings.Repeat("x", 81) + `"
`), `variants[1].label: Too long: 81 characters: at most 80`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := scenario.ParseComparison("c.yaml", []byte(tc.text))
			if err == nil {
				_, err = c.Resolve(cmpRead)
			}
			if err == nil {
				t.Fatalf("accepted:\n%s", tc.text)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error\n  %v\nwant it to contain\n  %s", err, tc.want)
			}
			var list scenario.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList", err)
			}
		})
	}
}

// A comparison in a URL: errors name the URL option.
func TestComparisonFromQuery(t *testing.T) {
	c, err := scenario.FromQuery(scenario.ComparisonQuery{Scenario: "base", B: "other"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Resolve(cmpRead)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sides[0].Name != "base.yaml" || r.Sides[1].Name != "other.yaml" || r.Seed != 7 {
		t.Errorf("sides %s, %s, seed %d", r.Sides[0].Name, r.Sides[1].Name, r.Seed)
	}
	if r.Title != "base.yaml vs other.yaml" && !strings.Contains(r.Title, " vs ") {
		t.Errorf("title %q", r.Title)
	}
	for _, tc := range []struct {
		q    scenario.ComparisonQuery
		want string
	}{
		{scenario.ComparisonQuery{}, "URL: scenario: Required value"},
		{scenario.ComparisonQuery{Scenario: "base", SetB: []string{"x"}}, "URL: setb[0]: want KIND/NAME:FIELD.PATH=VALUE"},
		{scenario.ComparisonQuery{Scenario: "base", SetB: []string{"Deployment/web:spec.replicas=-1"}}, `URL: setb[0]: Deployment "web": spec.replicas: Invalid value: -1`},
		{scenario.ComparisonQuery{Scenario: "base"}, "URL: setb: Invalid value: both variants give the same scenario"},
		{scenario.ComparisonQuery{Scenario: "base", B: "gone"}, `URL: b: NotFound: no scenario "gone.yaml"`},
	} {
		c, err := scenario.FromQuery(tc.q)
		if err == nil {
			_, err = c.Resolve(cmpRead)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.q, err, tc.want)
		}
	}
}

// Every catalogue comparison resolves, and its two sides differ.
func TestCatalogueComparisons(t *testing.T) {
	names := scenarios.ComparisonNames()
	if len(names) < 2 {
		t.Fatalf("comparisons: %v, want at least 2", names)
	}
	for _, n := range names {
		data, _ := scenarios.ReadComparison(n)
		c, err := scenario.ParseComparison(n, data)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name+".yaml" != n {
			t.Errorf("%s: metadata.name %q, want the file's name", n, c.Name)
		}
		r, err := c.Resolve(scenarios.Read)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range r.Sides {
			if s.Label == "" || len(s.Diff) == 0 {
				t.Errorf("%s side %d: no label or difference: %+v", n, i, s)
			}
		}
	}
}

// FuzzComparison: no patch text makes the parser or the patcher panic, and a patched
// scenario that parses is valid YAML the parser reads again the same.
func FuzzComparison(f *testing.F) {
	for _, s := range []string{"Deployment/web:spec.strategy.rollingUpdate.maxSurge=0", "StatefulSet/db:spec.template.metadata.labels[a.b/c]=x",
		"Deployment/web:spec.template.spec.containers[0].image=web:2", "Deployment/web:spec={a: [1, *x]}", "a/b:[0]=1", "Service/web:spec.ports[0]=&a 1",
		"Deployment/web:spec.strategy=null", "Deployment/web:metadata.name=api"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := scenario.ParseSet(text)
		if err != nil {
			return
		}
		_ = s.String()
		out, err := scenario.ApplySets(cmpBase["base.yaml"], []scenario.Set{s})
		if err != nil {
			return
		}
		_, _ = scenario.Parse("fuzz.yaml", []byte(out))
	})
}
