package check

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// configs gives some seeds, from their own random stream, a Deployment "cfg" whose pods
// consume ConfigMaps and a Secret (env, envFrom, a configMap or projected volume, some refs
// optional) that exist from the start, appear late or never (CreateContainerConfigError,
// FailedMount back-off), and that later change (files follow at the periodic sync, env
// does not) or are immutable.
func (g *gen) configs(r *rng) {
	if !r.chance(30) {
		return
	}
	until := int(g.m.Until / api.Second)
	immutable := r.chance(30)
	files := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg-files}\ndata: {app.conf: v1}\n"
	if immutable {
		files += "immutable: true\n"
	}
	// Each object exists from the start (a manifest), is created late (kubectl create) or never.
	for _, o := range []struct{ kind, name, yaml, create string }{
		{"ConfigMap", "cfg-env", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg-env}\ndata: {mode: fast}\n",
			"create configmap cfg-env --from-literal=mode=" + pick(r, "fast", "slow")},
		{"ConfigMap", "cfg-files", files, "create configmap cfg-files --from-literal=app.conf=v1"},
		{"Secret", "cfg-secret", "apiVersion: v1\nkind: Secret\nmetadata: {name: cfg-secret}\nstringData: {password: pw}\n",
			"create secret generic cfg-secret --from-literal=password=pw"},
	} {
		switch r.intn(3) {
		case 0:
			g.m.Objects = append(g.m.Objects, Object{Kind: o.kind, Name: o.name, YAML: o.yaml})
		case 1:
			g.insertStep(Step{At: api.Duration(r.between(1, until-1)) * api.Second, Verb: "kubectl", Arg: o.create})
		}
	}
	opt := func() string { return fmt.Sprint(r.chance(30)) }
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cfg}\nspec:\n  replicas: %d\n", r.between(1, 3))
	b.WriteString("  selector: {matchLabels: {app: cfg}}\n  template:\n    metadata: {labels: {app: cfg}}\n    spec:\n      containers:\n")
	b.WriteString("        - name: app\n          image: app:v1\n")
	fmt.Fprintf(&b, "          env:\n            - {name: MODE, valueFrom: {configMapKeyRef: {name: cfg-env, key: mode, optional: %s}}}\n", opt())
	fmt.Fprintf(&b, "          envFrom: [{secretRef: {name: cfg-secret, optional: %s}}]\n", opt())
	b.WriteString("          volumeMounts: [{name: files, mountPath: /etc/cfg}]\n      volumes:\n")
	if r.chance(50) {
		fmt.Fprintf(&b, "        - name: files\n          configMap: {name: cfg-files, optional: %s}\n", opt())
	} else {
		fmt.Fprintf(&b, "        - name: files\n          projected: {sources: [{configMap: {name: cfg-files, optional: %s}}, {secret: {name: cfg-secret, optional: %s}}]}\n", opt(), opt())
	}
	g.m.Objects = append(g.m.Objects, Object{Kind: "Deployment", Name: "cfg", YAML: b.String()})
	// Later changes: a data update (refused when cfg-files is immutable) or a deletion.
	for range r.between(0, 2) {
		at := api.Duration(r.between(1, until-1)) * api.Second
		switch r.intn(3) {
		case 0:
			g.insertStep(Step{At: at, Verb: "kubectl", Arg: fmt.Sprintf(`patch configmap cfg-files -p '{"data":{"app.conf":"v%d"}}'`, r.between(2, 9))})
		case 1:
			g.insertStep(Step{At: at, Verb: "kubectl", Arg: `patch configmap cfg-env -p '{"data":{"mode":"other"}}'`})
		case 2:
			g.insertStep(Step{At: at, Verb: "kubectl", Arg: "delete configmap cfg-env"})
		}
	}
}
