package kubectl_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/sim"
)

// limitWorld is a store (no controllers) at exactly api.MaxTotalPods: Deployment web (5000
// replicas, its ReplicaSets web-1 and web-2 counted in them), StatefulSet db (4999) and the
// bare Pod debug. It also holds objects the API would never have accepted, stored behind its
// back, so that a command which writes one of them without validating it is caught:
// Deployments broken and broken-paused (minReadySeconds -1), Nodes bad and bad-cordoned (taint
// effect "Sometimes"); web-1, revision 1 of web, has a template with containerPort 70000.
type limitWorld struct {
	e   *sim.Engine
	env *kubectl.Env
}

const limitMsg = "(at most 10000 pods in total: the replicas of every Deployment, ReplicaSet and StatefulSet, bare Pods and every HorizontalPodAutoscaler's maxReplicas, so the simulation stays fast in a browser tab)"

func template(app string) api.PodTemplateSpec {
	return api.PodTemplateSpec{ObjectMeta: api.ObjectMeta{Labels: map[string]string{"app": app}},
		Spec: api.PodSpec{Containers: []api.Container{{Name: app, Image: app + ":1"}}}}
}

func newLimitWorld(t *testing.T) *limitWorld {
	t.Helper()
	e := sim.New(sim.Options{Seed: 1})
	ctx := e.ActionContext("scenario")
	create := func(o api.Object) api.Object {
		t.Helper()
		api.Default(o)
		if err := ctx.Create(o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	tm := func(kind string) api.TypeMeta {
		return api.TypeMeta{APIVersion: api.Kinds[kind].APIVersion, Kind: kind}
	}
	meta := func(name string, labels map[string]string) api.ObjectMeta {
		return api.ObjectMeta{Namespace: "default", Name: name, Labels: labels}
	}
	sel := func(app string) *api.LabelSelector {
		return &api.LabelSelector{MatchLabels: map[string]string{"app": app}}
	}
	for _, n := range []struct {
		name string
		bad  bool
		cord bool
	}{{"node-1", false, false}, {"bad", true, false}, {"bad-cordoned", true, true}} {
		node := &api.Node{TypeMeta: tm("Node"), ObjectMeta: api.ObjectMeta{Name: n.name}}
		node.Spec.Unschedulable = n.cord
		if n.bad {
			node.Spec.Taints = []api.Taint{{Key: "k", Effect: "Sometimes"}}
		}
		create(node)
	}
	web := create(&api.Deployment{TypeMeta: tm("Deployment"), ObjectMeta: meta("web", map[string]string{"app": "web"}),
		Spec: api.DeploymentSpec{Replicas: api.Ptr(int32(5000)), Selector: sel("web"), Template: template("web")}})
	for rev, replicas := range map[int]int32{1: 0, 2: 5000} {
		rs := &api.ReplicaSet{TypeMeta: tm("ReplicaSet"), ObjectMeta: meta(fmt.Sprintf("web-%d", rev), map[string]string{"app": "web"}),
			Spec: api.ReplicaSetSpec{Replicas: api.Ptr(replicas), Selector: sel("web"), Template: template("web")}}
		rs.Annotations = map[string]string{api.RevisionAnnotation: fmt.Sprint(rev)}
		rs.OwnerReferences = []api.OwnerReference{api.NewControllerRef(web, "apps/v1")}
		if rev == 1 {
			rs.Spec.Template.Spec.Containers[0].Ports = []api.ContainerPort{{ContainerPort: 70000}}
		}
		create(rs)
	}
	create(&api.StatefulSet{TypeMeta: tm("StatefulSet"), ObjectMeta: meta("db", map[string]string{"app": "db"}),
		Spec: api.StatefulSetSpec{Replicas: api.Ptr(int32(4999)), ServiceName: "db", Selector: sel("db"), Template: template("db")}})
	for _, name := range []string{"broken", "broken-paused"} {
		create(&api.Deployment{TypeMeta: tm("Deployment"), ObjectMeta: meta(name, map[string]string{"app": name}),
			Spec: api.DeploymentSpec{Replicas: api.Ptr(int32(0)), MinReadySeconds: -1, Paused: name == "broken-paused",
				Selector: sel(name), Template: template(name)}})
	}
	create(&api.Pod{TypeMeta: tm("Pod"), ObjectMeta: meta("debug", nil),
		Spec: api.PodSpec{NodeName: "node-1", Containers: []api.Container{{Name: "sh", Image: "busybox"}}}})
	create(&api.PriorityClass{TypeMeta: api.TypeMeta{APIVersion: "scheduling.k8s.io/v1", Kind: "PriorityClass"},
		ObjectMeta: api.ObjectMeta{Name: "bronze"}, Value: 0, GlobalDefault: true})
	w := &limitWorld{e: e}
	manifests := map[string]api.Object{
		"api": &api.Deployment{TypeMeta: tm("Deployment"), ObjectMeta: meta("api", nil),
			Spec: api.DeploymentSpec{Replicas: api.Ptr(int32(1)), Selector: sel("api"), Template: template("api")}},
		"pod": &api.Pod{TypeMeta: tm("Pod"), ObjectMeta: meta("extra", nil),
			Spec: api.PodSpec{Containers: []api.Container{{Name: "sh", Image: "busybox"}}}},
		"pod-unknown-class": &api.Pod{TypeMeta: tm("Pod"), ObjectMeta: meta("vip", nil),
			Spec: api.PodSpec{PriorityClassName: "gold", Containers: []api.Container{{Name: "sh", Image: "busybox"}}}},
		"pc-too-high": &api.PriorityClass{TypeMeta: api.TypeMeta{APIVersion: "scheduling.k8s.io/v1", Kind: "PriorityClass"},
			ObjectMeta: api.ObjectMeta{Name: "gold"}, Value: 1000000001},
		"pc-system": &api.PriorityClass{TypeMeta: api.TypeMeta{APIVersion: "scheduling.k8s.io/v1", Kind: "PriorityClass"},
			ObjectMeta: api.ObjectMeta{Name: "system-gold"}, Value: 1},
		"pc-second-default": &api.PriorityClass{TypeMeta: api.TypeMeta{APIVersion: "scheduling.k8s.io/v1", Kind: "PriorityClass"},
			ObjectMeta: api.ObjectMeta{Name: "silver"}, Value: 1, GlobalDefault: true},
		"web": &api.Deployment{TypeMeta: tm("Deployment"), ObjectMeta: meta("web", map[string]string{"app": "web"}),
			Spec: api.DeploymentSpec{Replicas: api.Ptr(int32(5001)), Selector: sel("web"), Template: template("web")}},
	}
	w.env = &kubectl.Env{Ctx: e.ActionContext("user"), Manifests: func(name string) ([]api.Object, error) {
		if o, ok := manifests[name]; ok {
			return []api.Object{api.Clone(o)}, nil
		}
		return nil, fmt.Errorf("no manifest %q", name)
	}}
	return w
}

// TestEveryWriteIsValidated walks every registered command. A command that writes gets input
// that the API server's validation or kubesim's limits refuse, and must refuse it with the
// expected text and leave the store as it was (the store's resource version counts every
// write). A read-only command must not write. A new command without a case here fails.
// References: apimachinery NewInvalid and kubectl cmdutil.CheckErr (`The Deployment "web" is
// invalid: ...`), pkg/registry/*/strategy.go ValidateUpdate, the ResourceQuota admission
// plugin's `exceeded quota` wording for kubesim's MaxTotalPods.
func TestEveryWriteIsValidated(t *testing.T) {
	replicasMsg := func(kind, name string, n int64) string {
		return fmt.Sprintf(`The %s %q is invalid: spec.replicas: Invalid value: %d: must be no more than 5000 (kubesim limit: at most 5000 replicas per workload, so the simulation stays fast in a browser tab)`, kind, name, n)
	}
	const brokenMsg = `The Deployment "broken" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0`
	const badNode = `The Node "bad" is invalid: spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"`
	readOnly := ""
	const subdomainMsg = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`
	cases := map[string][]struct{ line, want string }{
		"get":             {{"get all -A", readOnly}},
		"describe":        {{"describe deployment web", readOnly}},
		"exec":            {{"exec debug -- getent hosts web", readOnly}, {"exec debug -- env", readOnly}, {"exec debug -- cat /etc/x", readOnly}},
		"logs":            {{"logs debug", readOnly}},
		"rollout status":  {{"rollout status deployment/web", readOnly}},
		"rollout history": {{"rollout history deployment/web", readOnly}},
		"scale": {
			{"scale deployment/web --replicas=5001", replicasMsg("Deployment", "web", 5001)},
			{"scale deployment/web --replicas=2147483647", replicasMsg("Deployment", "web", 2147483647)},
			{"scale rs web-2 --replicas=2147483648", `error: invalid argument "2147483648" for "--replicas" flag: strconv.ParseInt: parsing "2147483648": value out of range`},
			{"scale sts db --replicas=5000", `Error from server (Forbidden): statefulsets.apps "db" is forbidden: exceeded kubesim limit: requested: pods=1, used: pods=10000, limited: pods=10000 ` + limitMsg},
			{"scale deployment/broken --replicas=0", brokenMsg},
		},
		"patch": {
			{`patch deployment web -p '{"spec":{"replicas":2147483647}}'`, replicasMsg("Deployment", "web", 2147483647)},
			{`patch sts db -p '{"spec":{"serviceName":"other"}}'`, `The StatefulSet "db" is invalid: spec.serviceName: Invalid value: "other": field is immutable`},
			{`patch deploy web -p '{"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}}}}}'`,
				`The Deployment "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"x"}}: field is immutable`},
			{`patch pod debug -p '{"spec":{"nodeName":"bad"}}'`, "The Pod \"debug\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"},
			// Without its labels web-2 is released by web, which makes a replacement: its
			// 5000 replicas count on their own.
			{`patch rs web-2 -p '{"metadata":{"labels":null}}'`, `Error from server (Forbidden): replicasets.apps "web-2" is forbidden: exceeded kubesim limit: requested: pods=5000, used: pods=10000, limited: pods=10000 ` + limitMsg},
		},
		"set image": {
			{`set image pod/debug sh=' busybox'`, `The Pod "debug" is invalid: spec.containers[0].image: Invalid value: " busybox": must not have leading or trailing whitespace`},
			{"set image deployment/broken broken=broken:2", brokenMsg},
		},
		"label":           {{"label rs web-2 app-", `Error from server (Forbidden): replicasets.apps "web-2" is forbidden: exceeded kubesim limit: requested: pods=5000, used: pods=10000, limited: pods=10000 ` + limitMsg}},
		"annotate":        {{"annotate deployment broken note=x", brokenMsg}},
		"rollout pause":   {{"rollout pause deployment/broken", brokenMsg}},
		"rollout resume":  {{"rollout resume deployment/broken-paused", strings.Replace(brokenMsg, `"broken"`, `"broken-paused"`, 1)}},
		"rollout restart": {{"rollout restart deployment/broken", brokenMsg}},
		"rollout undo":    {{"rollout undo deployment/web", `The Deployment "web" is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`}},
		"cordon":          {{"cordon bad", `error: unable to cordon node "bad": ` + badNode}},
		"uncordon":        {{"uncordon bad-cordoned", `error: unable to uncordon node "bad-cordoned": ` + strings.Replace(badNode, `"bad"`, `"bad-cordoned"`, 1)}},
		"drain":           {{"drain bad --ignore-daemonsets", `error: unable to cordon node "bad": ` + badNode}},
		"apply": {
			{"apply -f web", replicasMsg("Deployment", "web", 5001)},
			{"apply -f api", `Error from server (Forbidden): deployments.apps "api" is forbidden: exceeded kubesim limit: requested: pods=1, used: pods=10000, limited: pods=10000 ` + limitMsg},
			{"apply -f pod", `Error from server (Forbidden): pods "extra" is forbidden: exceeded kubesim limit: requested: pods=1, used: pods=10000, limited: pods=10000 ` + limitMsg},
			// The Priority admission plugin (mutating) refuses before the limit (validating).
			{"apply -f pod-unknown-class", `Error from server (Forbidden): pods "vip" is forbidden: no PriorityClass with name gold was found`},
			{"apply -f pc-too-high", `The PriorityClass "gold" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000`},
			{"apply -f pc-system", `The PriorityClass "system-gold" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-gold is not a known system priority class`},
			{"apply -f pc-second-default", `Error from server (Forbidden): priorityclasses.scheduling.k8s.io "silver" is forbidden: PriorityClass bronze is already marked as default. Only one default can exist`},
		},
		// An HPA may add up to its maxReplicas to its target, so it counts against the total.
		"autoscale": {
			{"autoscale deployment web --max=10", `Error from server (Forbidden): horizontalpodautoscalers.autoscaling "web" is forbidden: exceeded kubesim limit: requested: pods=10, used: pods=10000, limited: pods=10000 ` + limitMsg},
			{"autoscale deployment web --min=3 --max=2", "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 3"},
			{"autoscale deployment web --max=6000", `The HorizontalPodAutoscaler "web" is invalid: spec.maxReplicas: Invalid value: 6000: must be no more than 5000 (kubesim limit: at most 5000 replicas per workload, so the simulation stays fast in a browser tab)`},
		},
		"top pod": {{"top pod", readOnly}}, "top pods": {{"top pods", readOnly}}, "top po": {{"top po", readOnly}},
		"top node": {{"top node", readOnly}}, "top nodes": {{"top nodes", readOnly}}, "top no": {{"top no", readOnly}},
		// The API server validates nothing on DELETE; a refused deletion must not write either.
		// kubectl's own checks (keys, literals) come first; the name is the API server's.
		"create configmap": {
			{"create configmap Bad_Name --from-literal=k=v", `The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ` + subdomainMsg},
			{"create configmap c --from-literal=k=1 --from-literal=k=2", `error: cannot add key "k", another key by that name already exists in Data for ConfigMap "c"`},
		},
		"create cm": {{"create cm c --from-literal=novalue", "error: invalid literal source novalue, expected key=value"}},
		"create secret generic": {
			{"create secret generic Bad_Name --from-literal=k=v", `The Secret "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ` + subdomainMsg},
			{"create secret generic s --from-literal='a b=1'", `error: "a b" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`},
		},
		"delete": {{"delete pod nope", `Error from server (NotFound): pods "nope" not found`}},
	}
	w := newLimitWorld(t)
	for _, path := range kubectl.Commands() {
		cs, ok := cases[path]
		if !ok {
			t.Errorf("command %q has no case here: give it input that must be refused (or a read-only run)", path)
			continue
		}
		delete(cases, path)
		for _, c := range cs {
			before := w.e.Store().ResourceVersion()
			start := time.Now()
			_, err := kubectl.Run(w.env, c.line)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%s took %v", c.line, d)
			}
			if after := w.e.Store().ResourceVersion(); after != before {
				t.Errorf("%s wrote to the store (resource version %d -> %d)", c.line, before, after)
			}
			if c.want == readOnly {
				continue
			}
			if err == nil || err.Error() != c.want {
				t.Errorf("%s:\n got %v\nwant %s", c.line, err, c.want)
			}
		}
	}
	for path := range cases {
		t.Errorf("case for %q, which is not a registered command", path)
	}
}

// TestTotalPodsLimit: the limit counts the cluster after the write and judges only writes that
// raise the count, so a cluster at the limit can shrink and then grow back to it.
func TestTotalPodsLimit(t *testing.T) {
	w := newLimitWorld(t)
	for _, s := range []struct{ line, want string }{
		{"scale deployment/web --replicas=4000", "deployment.apps/web scaled\n"},
		{"scale sts db --replicas=5000", "statefulset.apps/db scaled\n"},
		{"scale deployment/web --replicas=5000", "ERR: Error from server (Forbidden): deployments.apps \"web\" is forbidden: exceeded kubesim limit: requested: pods=1000, used: pods=9001, limited: pods=10000 " + limitMsg + "\n"},
		{"scale deployment/web --replicas=4999", "deployment.apps/web scaled\n"},
		// A label that keeps web-2 selected changes nothing in the count.
		{"label rs web-2 tier=front", "replicaset.apps/web-2 labeled\n"},
		// A terminating pod still counts, as it does for a ResourceQuota; a pod that is gone does not.
		{"delete pod debug", "pod \"debug\" deleted from default namespace\n"},
		{"apply -f pod", "ERR: Error from server (Forbidden): pods \"extra\" is forbidden: exceeded kubesim limit: requested: pods=1, used: pods=10000, limited: pods=10000 " + limitMsg + "\n"},
		{"delete pod debug --force --grace-period=0", "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\npod \"debug\" force deleted from default namespace\n"},
		{"apply -f pod", "pod/extra created"},
	} {
		out, err := kubectl.Run(w.env, s.line)
		if err != nil {
			out += "ERR: " + err.Error() + "\n"
		}
		if out != s.want {
			t.Errorf("%s:\n got %q\nwant %q", s.line, out, s.want)
		}
	}
}

// TestTotalPodsLimitWithinOneCommand: a command writing many objects counts each write, so
// releasing pods from their ReplicaSet (each becomes a bare pod and gets a replacement) stops
// exactly at the limit.
func TestTotalPodsLimitWithinOneCommand(t *testing.T) {
	w := newLimitWorld(t)
	if _, err := kubectl.Run(w.env, "scale deployment/web --replicas=4990"); err != nil {
		t.Fatal(err)
	}
	ctx := w.e.ActionContext("scenario")
	rs := w.e.Store().Get("ReplicaSet", "default/web-2")
	for i := range 20 {
		p := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: api.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("web-2-%02d", i), Labels: map[string]string{"app": "web"},
				OwnerReferences: []api.OwnerReference{api.NewControllerRef(rs, "apps/v1")}},
			Spec: api.PodSpec{NodeName: "node-1", Containers: []api.Container{{Name: "web", Image: "web:1"}}}}
		api.Default(p)
		if err := ctx.Create(p); err != nil {
			t.Fatal(err)
		}
	}
	out, err := kubectl.Run(w.env, "label pods -l app=web app-")
	if got := strings.Count(out, " unlabeled\n"); got != 10 {
		t.Errorf("%d pods released, want 10 (9990 asked for before):\n%s", got, out)
	}
	if err == nil || strings.Count(err.Error(), "exceeded kubesim limit") != 10 {
		t.Errorf("want 10 refusals, got %v", err)
	}
}
