package check

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Generate builds a random but valid scenario from a seed: 1 to 5 nodes, image behaviours
// with random pull and start times (some that crash, some that never pull, some whose probes
// start failing), Deployments with random strategies, sizes, maxSurge/maxUnavailable (ints
// and percentages) and minReadySeconds, StatefulSets with random pod management, update
// strategy, partition and PVC retention, Services (some publishing not-ready addresses),
// PVCs of a StorageClass, and a timeline of user actions and faults. The same seed gives the
// same model on every platform.
func Generate(seed uint64, until api.Duration) *Model {
	r := newRNG(seed)
	if until <= 0 {
		until = api.Duration(r.between(60, 300)) * api.Second
	}
	m := &Model{Seed: seed, Until: until}
	g := &gen{r: r, m: m}
	g.nodes()
	g.images()
	g.workloads()
	g.timeline()
	return m
}

type gen struct {
	r    *rng
	m    *Model
	deps []string // Deployment names
	stss []stsInfo
	pvcs []string
}

type stsInfo struct {
	name     string
	replicas int
}

var (
	goodImages = []string{"app:v1", "app:v2", "app:v3"}
	badImages  = []string{"app:crash", "app:missing", "app:unhealthy", "app:slowstop"}
)

func (g *gen) nodes() {
	n := g.r.between(1, 5)
	zones := g.r.between(1, 3)
	for i := range n {
		g.m.Nodes = append(g.m.Nodes, Node{
			Name:   fmt.Sprintf("node-%d", i+1),
			CPU:    pick(g.r, "1", "2", "4", "8"),
			Memory: pick(g.r, "2Gi", "4Gi", "8Gi", "16Gi"),
			Pods:   pick(g.r, 4, 10, 30, 110),
			Zone:   fmt.Sprintf("zone-%c", 'a'+i%zones),
		})
	}
}

// secs renders whole seconds as a duration literal.
func secs(n int) string { return fmt.Sprintf("%ds", n) }

func (g *gen) images() {
	r := g.r
	probes := "probes: {/broken: {unhealthyAfter: 0s}}"
	add := func(name, b string) { g.m.Images = append(g.m.Images, Image{Name: name, Behavior: "{" + b + "}"}) }
	add("app:v1", fmt.Sprintf("pull: %s, start: %s, %s", secs(r.between(0, 4)), secs(r.between(0, 4)), probes))
	add("app:v2", fmt.Sprintf("pull: %s, start: %s, healthyAfter: %s, %s", secs(r.between(0, 6)), secs(r.between(0, 5)), secs(r.between(0, 8)), probes))
	add("app:v3", fmt.Sprintf("pull: %s, start: %s, stopAfter: %s, %s", secs(r.between(0, 3)), secs(r.between(0, 3)), secs(r.between(0, 3)), probes))
	add("app:crash", fmt.Sprintf("pull: %s, start: %s, exitAfter: %s, exitCode: %d", secs(r.between(0, 3)), secs(r.between(0, 3)), secs(r.between(0, 20)), pick(r, 1, 2, 137)))
	add("app:missing", "missing: true")
	add("app:unhealthy", fmt.Sprintf("pull: %s, start: %s, unhealthyAt: %s", secs(r.between(0, 3)), secs(r.between(0, 3)), secs(r.between(10, int(g.m.Until/api.Second)))))
	add("app:slowstop", fmt.Sprintf("pull: %s, start: %s, stopAfter: %s, preStop: %s, sigtermExitCode: %d", secs(r.between(0, 3)), secs(r.between(0, 3)), secs(r.between(0, 40)), secs(r.between(0, 10)), pick(r, 0, 143)))
}

// intOrPercent returns a random maxSurge/maxUnavailable value and whether it is zero.
func (g *gen) intOrPercent() (string, bool) {
	if g.r.chance(50) {
		n := g.r.between(0, 3)
		return fmt.Sprint(n), n == 0
	}
	p := pick(g.r, 0, 10, 25, 33, 50, 100)
	return fmt.Sprintf("%q", fmt.Sprintf("%d%%", p)), p == 0
}

// podSpec renders a pod template spec indented for a workload template.
func (g *gen) podSpec(app, image string, extraVolumes string) string {
	r := g.r
	var b strings.Builder
	fmt.Fprintf(&b, "    metadata: {labels: {app: %s}}\n    spec:\n", app)
	fmt.Fprintf(&b, "      terminationGracePeriodSeconds: %d\n", pick(r, 0, 1, 5, 10, 30))
	b.WriteString("      containers:\n")
	fmt.Fprintf(&b, "        - name: app\n          image: %s\n          ports: [{containerPort: 8080}]\n", image)
	fmt.Fprintf(&b, "          resources: {requests: {cpu: %s, memory: %s}}\n", pick(r, "50m", "100m", "250m", "500m", "1", "1500m"), pick(r, "64Mi", "128Mi", "256Mi", "512Mi", "1Gi"))
	if r.chance(70) {
		fmt.Fprintf(&b, "          readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: %d, failureThreshold: %d}\n", r.between(1, 5), r.between(1, 3))
	}
	if r.chance(30) {
		fmt.Fprintf(&b, "          livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: %d, initialDelaySeconds: %d}\n", r.between(2, 10), r.between(0, 5))
	}
	if extraVolumes != "" {
		b.WriteString("          volumeMounts: [{name: data, mountPath: /data}]\n")
		b.WriteString(extraVolumes)
	}
	return b.String()
}

func (g *gen) workloads() {
	r := g.r
	g.m.Objects = append(g.m.Objects, Object{Kind: "StorageClass", Name: "standard", YAML: fmt.Sprintf(
		"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: standard}\nprovisioner: kubesim.dev/disk\nreclaimPolicy: %s\nvolumeBindingMode: %s\n",
		pick(r, "Delete", "Retain"), pick(r, "WaitForFirstConsumer", "Immediate"))})
	for i := range r.between(0, 2) {
		name := fmt.Sprintf("claim-%d", i)
		g.pvcs = append(g.pvcs, name)
		g.m.Objects = append(g.m.Objects, Object{Kind: "PersistentVolumeClaim", Name: name, YAML: fmt.Sprintf(
			"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: %s}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: standard\n  resources: {requests: {storage: %s}}\n",
			name, pick(r, "1Gi", "5Gi"))})
	}
	for i := range r.between(1, 3) {
		g.deployment(fmt.Sprintf("web-%d", i))
	}
	for i := range r.between(0, 2) {
		g.statefulSet(fmt.Sprintf("db-%d", i))
	}
}

func (g *gen) deployment(name string) {
	r := g.r
	g.deps = append(g.deps, name)
	replicas := pick(r, 0, 1, 2, 3, 4, 6, 10)
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s, labels: {app: %s}}\nspec:\n  replicas: %d\n", name, name, replicas)
	minReady := 0
	if r.chance(40) {
		minReady = r.between(1, 10)
		fmt.Fprintf(&b, "  minReadySeconds: %d\n", minReady)
	}
	if r.chance(30) {
		fmt.Fprintf(&b, "  progressDeadlineSeconds: %d\n", minReady+r.between(5, 60))
	}
	if r.chance(30) {
		fmt.Fprintf(&b, "  revisionHistoryLimit: %d\n", r.between(0, 3))
	}
	if r.chance(25) {
		b.WriteString("  strategy: {type: Recreate}\n")
	} else if r.chance(80) {
		surge, sz := g.intOrPercent()
		unavail, uz := g.intOrPercent()
		if sz && uz {
			unavail = "1"
		}
		fmt.Fprintf(&b, "  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: %s, maxUnavailable: %s}\n", surge, unavail)
	}
	fmt.Fprintf(&b, "  selector: {matchLabels: {app: %s}}\n  template:\n", name)
	vol := ""
	if len(g.pvcs) > 0 && r.chance(30) {
		vol = fmt.Sprintf("      volumes: [{name: data, persistentVolumeClaim: {claimName: %s}}]\n", pick(r, g.pvcs...))
	}
	b.WriteString(g.podSpec(name, pick(r, "app:v1", "app:v1", "app:v2", "app:crash", "app:unhealthy"), vol))
	g.m.Objects = append(g.m.Objects, Object{Kind: "Deployment", Name: name, YAML: b.String()})

	svc := fmt.Sprintf("apiVersion: v1\nkind: Service\nmetadata: {name: %s}\nspec:\n  selector: {app: %s}\n  ports: [{port: 80, targetPort: 8080}]\n", name, name)
	if r.chance(20) {
		svc += "  publishNotReadyAddresses: true\n"
	}
	g.m.Objects = append(g.m.Objects, Object{Kind: "Service", Name: name, YAML: svc})
}

func (g *gen) statefulSet(name string) {
	r := g.r
	replicas := pick(r, 0, 1, 2, 3, 5)
	g.stss = append(g.stss, stsInfo{name, replicas})
	g.m.Objects = append(g.m.Objects, Object{Kind: "Service", Name: name, YAML: fmt.Sprintf(
		"apiVersion: v1\nkind: Service\nmetadata: {name: %s}\nspec:\n  clusterIP: None\n  publishNotReadyAddresses: %v\n  selector: {app: %s}\n  ports: [{port: 5432, targetPort: 8080}]\n",
		name, r.chance(50), name)})
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: %s}\nspec:\n  serviceName: %s\n  replicas: %d\n", name, name, replicas)
	fmt.Fprintf(&b, "  podManagementPolicy: %s\n", pick(r, "OrderedReady", "Parallel"))
	if r.chance(30) {
		fmt.Fprintf(&b, "  minReadySeconds: %d\n", r.between(1, 8))
	}
	if r.chance(25) {
		b.WriteString("  updateStrategy: {type: OnDelete}\n")
	} else {
		var ru []string
		if r.chance(50) {
			ru = append(ru, fmt.Sprintf("partition: %d", r.between(0, replicas)))
		}
		if r.chance(40) {
			ru = append(ru, fmt.Sprintf("maxUnavailable: %s", pick(r, "1", "2", `"50%"`)))
		}
		fmt.Fprintf(&b, "  updateStrategy: {type: RollingUpdate, rollingUpdate: {%s}}\n", strings.Join(ru, ", "))
	}
	if r.chance(50) {
		fmt.Fprintf(&b, "  persistentVolumeClaimRetentionPolicy: {whenDeleted: %s, whenScaled: %s}\n", pick(r, "Retain", "Delete"), pick(r, "Retain", "Delete"))
	}
	fmt.Fprintf(&b, "  selector: {matchLabels: {app: %s}}\n  template:\n", name)
	b.WriteString(g.podSpec(name, pick(r, "app:v1", "app:v1", "app:v2", "app:slowstop"), ""))
	if r.chance(70) {
		b.WriteString("  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], storageClassName: standard, resources: {requests: {storage: 1Gi}}}\n")
	}
	g.m.Objects = append(g.m.Objects, Object{Kind: "StatefulSet", Name: name, YAML: b.String()})
}

// timeline: apply everything at 0s, then random actions at random whole-or-half seconds.
func (g *gen) timeline() {
	r := g.r
	g.m.Steps = append(g.m.Steps, Step{At: 0, Verb: "apply", Arg: "all"})
	n := r.between(2, 20)
	end := int(g.m.Until / (500 * api.Millisecond))
	var steps []Step
	for range n {
		at := api.Duration(r.between(1, end-1)) * 500 * api.Millisecond
		verb, arg := g.action()
		steps = append(steps, Step{At: at, Verb: verb, Arg: arg})
	}
	// Stable sort by time keeps generation order among equal times.
	for i := 1; i < len(steps); i++ {
		for j := i; j > 0 && steps[j].At < steps[j-1].At; j-- {
			steps[j], steps[j-1] = steps[j-1], steps[j]
		}
	}
	g.m.Steps = append(g.m.Steps, steps...)
}

func (g *gen) node() string { return g.m.Nodes[g.r.intn(len(g.m.Nodes))].Name }

// action returns one random timeline action.
func (g *gen) action() (verb, arg string) {
	r := g.r
	dep := pick(r, g.deps...)
	switch r.intn(22) {
	case 0, 1:
		img := pick(r, goodImages...)
		if r.chance(30) {
			img = pick(r, badImages...)
		}
		return "kubectl", fmt.Sprintf("set image deployment/%s app=%s", dep, img)
	case 2:
		return "kubectl", fmt.Sprintf("scale deployment/%s --replicas=%d", dep, pick(r, 0, 1, 2, 3, 5, 8, 12))
	case 3:
		return "kubectl", fmt.Sprintf("rollout undo deployment/%s", dep)
	case 4:
		return "kubectl", fmt.Sprintf("rollout pause deployment/%s", dep)
	case 5:
		return "kubectl", fmt.Sprintf("rollout resume deployment/%s", dep)
	case 6:
		return "kubectl", fmt.Sprintf("rollout restart deployment/%s", dep)
	case 7:
		return "kubectl", fmt.Sprintf("delete pods -l app=%s", dep)
	case 8:
		return "kubectl", fmt.Sprintf("cordon %s", g.node())
	case 9:
		return "kubectl", fmt.Sprintf("uncordon %s", g.node())
	case 10:
		return "kubectl", fmt.Sprintf("drain %s --ignore-daemonsets --delete-emptydir-data", g.node())
	case 11, 12:
		return "fail", "node/" + g.node()
	case 13, 14:
		return "recover", "node/" + g.node()
	case 15:
		// A patch that makes the readiness probe fail: every image marks /broken unhealthy.
		return "kubectl", fmt.Sprintf(`patch deployment %s -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","readinessProbe":{"httpGet":{"path":"/broken","port":8080}}}]}}}}'`, dep)
	case 16:
		return "apply", "all"
	}
	if len(g.stss) == 0 {
		return "kubectl", fmt.Sprintf("scale deployment/%s --replicas=%d", dep, r.between(0, 6))
	}
	s := pick(r, g.stss...)
	switch r.intn(6) {
	case 0:
		return "kubectl", fmt.Sprintf("scale statefulset/%s --replicas=%d", s.name, r.between(0, 5))
	case 1:
		return "kubectl", fmt.Sprintf("set image statefulset/%s app=%s", s.name, pick(r, "app:v1", "app:v2", "app:v3", "app:crash", "app:slowstop"))
	case 2:
		return "kubectl", fmt.Sprintf("delete pod %s-%d", s.name, r.between(0, max(s.replicas, 1)-1))
	case 3:
		return "kubectl", fmt.Sprintf("rollout restart statefulset/%s", s.name)
	case 4:
		return "kubectl", fmt.Sprintf("rollout undo statefulset/%s", s.name)
	}
	return "kubectl", fmt.Sprintf(`patch statefulset %s -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":%d}}}}'`, s.name, r.between(0, 3))
}
