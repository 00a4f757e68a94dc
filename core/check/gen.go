package check

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Generate builds a random but valid scenario from a seed: 1 to 5 nodes, image behaviours
// with random pull and start times (some that crash, some that never pull, some whose probes
// start failing), Deployments with random strategies, sizes, maxSurge/maxUnavailable (ints
// and percentages) and minReadySeconds, PodDisruptionBudgets (int or percent, either bound,
// sometimes two for one Deployment), StatefulSets with random pod management, update
// strategy, partition and PVC retention, Services (some publishing not-ready addresses),
// PVCs of a StorageClass, a timeline of user actions and faults, and, for some seeds, a
// usage model with request load and HorizontalPodAutoscalers, and leaking pods that bring
// nodes under memory pressure or hit their memory limit, in-place pod resizes, and
// ConfigMaps and Secrets that a Deployment consumes, created late or never and changed later,
// and PriorityClasses with a high-priority Deployment scaled up late that may preempt (each drawn from its own random stream, so the rest of a seed's model is the same with or
// without them). The same seed
// gives the same model on every platform.
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
	g.autoscaling(newRNG(seed ^ 0x4a7c15))
	g.memoryPressure(newRNG(seed ^ 0x3e3041))
	g.resizes(newRNG(seed ^ 0x7e512e))
	g.configs(newRNG(seed ^ 0x5c0f19))
	g.priorities(newRNG(seed ^ 0x9a1051))
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
	if r.chance(25) {
		b.WriteString(g.spreadConstraint(app))
	}
	if r.chance(25) {
		b.WriteString(g.podAffinity(app))
	}
	return b.String()
}

// podAffinity renders a pod affinity or anti-affinity term, required or preferred, by node or
// zone, towards the app's own pods or an earlier workload's (so required affinity can also
// leave pods Pending), sometimes with matchLabelKeys or a namespaceSelector.
func (g *gen) podAffinity(app string) string {
	r := g.r
	target := app
	if len(g.deps) > 0 && r.chance(30) {
		target = g.deps[r.intn(len(g.deps))]
	}
	kind := pick(r, "podAffinity", "podAntiAffinity", "podAntiAffinity")
	term := fmt.Sprintf("{topologyKey: %s, labelSelector: {matchLabels: {app: %s}}", pick(r, "topology.kubernetes.io/zone", "kubernetes.io/hostname"), target)
	if r.chance(20) {
		term += ", matchLabelKeys: [pod-template-hash]"
	}
	if r.chance(15) {
		term += ", namespaceSelector: {}"
	}
	term += "}"
	if r.chance(50) {
		return fmt.Sprintf("      affinity:\n        %s:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - %s\n", kind, term)
	}
	return fmt.Sprintf("      affinity:\n        %s:\n          preferredDuringSchedulingIgnoredDuringExecution:\n            - {weight: %d, podAffinityTerm: %s}\n", kind, r.between(1, 100), term)
}

// spreadConstraint renders one topologySpreadConstraints entry over the app's pods: by zone
// or by node, hard or soft, sometimes with minDomains, matchLabelKeys or nodeTaintsPolicy.
func (g *gen) spreadConstraint(app string) string {
	r := g.r
	when := pick(r, api.DoNotSchedule, api.ScheduleAnyway)
	var b strings.Builder
	fmt.Fprintf(&b, "      topologySpreadConstraints:\n        - {maxSkew: %d, topologyKey: %s, whenUnsatisfiable: %s, labelSelector: {matchLabels: {app: %s}}",
		r.between(1, 2), pick(r, "topology.kubernetes.io/zone", "kubernetes.io/hostname"), when, app)
	if when == api.DoNotSchedule && r.chance(30) {
		fmt.Fprintf(&b, ", minDomains: %d", r.between(1, 4))
	}
	if r.chance(30) {
		b.WriteString(", matchLabelKeys: [pod-template-hash]")
	}
	if r.chance(20) {
		fmt.Fprintf(&b, ", nodeTaintsPolicy: %s", pick(r, api.PolicyHonor, api.PolicyIgnore))
	}
	b.WriteString("}\n")
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
	if r.chance(50) {
		g.pdb(name, name, replicas)
		if r.chance(10) {
			g.pdb(name+"-extra", name, replicas) // two budgets: evictions answer 500
		}
	}
}

// pdb adds a PodDisruptionBudget selecting app=app: minAvailable or maxUnavailable, an int
// (sometimes more than the replicas) or a percentage, sometimes with an
// unhealthyPodEvictionPolicy.
func (g *gen) pdb(name, app string, replicas int) {
	r := g.r
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: %s}\nspec:\n", name)
	field := pick(r, "minAvailable", "maxUnavailable")
	if r.chance(50) {
		fmt.Fprintf(&b, "  %s: %d\n", field, r.between(0, replicas+1))
	} else {
		fmt.Fprintf(&b, "  %s: %q\n", field, fmt.Sprintf("%d%%", pick(r, 0, 25, 50, 75, 100)))
	}
	if r.chance(30) {
		fmt.Fprintf(&b, "  unhealthyPodEvictionPolicy: %s\n", pick(r, "IfHealthyBudget", "AlwaysAllow"))
	}
	fmt.Fprintf(&b, "  selector: {matchLabels: {app: %s}}\n", app)
	g.m.Objects = append(g.m.Objects, Object{Kind: "PodDisruptionBudget", Name: name, YAML: b.String()})
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
		cmd := fmt.Sprintf("drain %s --ignore-daemonsets --delete-emptydir-data", g.node())
		if r.chance(30) {
			cmd += fmt.Sprintf(" --timeout=%ds", r.between(1, 40))
		}
		if r.chance(15) {
			cmd += " --disable-eviction"
		}
		if r.chance(20) {
			cmd += fmt.Sprintf(" --grace-period=%d", r.between(0, 10))
		}
		return "kubectl", cmd
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

// autoscaling gives some seeds a usage model (every image uses CPU and memory, requests cost
// CPU), a load on one or two Deployments or StatefulSets that changes over time, and an HPA
// on each loaded workload, as a manifest (random targets, sometimes a behavior or a memory
// metric) or by `kubectl autoscale`.
func (g *gen) autoscaling(r *rng) {
	if !r.chance(40) {
		return
	}
	for i := range g.m.Images {
		im := &g.m.Images[i]
		if im.Name == "app:missing" {
			continue
		}
		usage := fmt.Sprintf(", cpu: %dm, cpuPerRequest: %dm, memory: {from: %dMi, leakPerMinute: %dMi}",
			r.between(5, 100), r.between(1, 5), r.between(20, 200), r.between(0, 8))
		if r.chance(30) {
			usage = fmt.Sprintf(", cpu: {from: %dm, to: %dm, over: %ds, noise: %d}, cpuPerRequest: %dm, memory: %dMi", r.between(5, 50), r.between(50, 800), r.between(10, 120), r.between(0, 30), r.between(1, 5), r.between(20, 200))
		}
		im.Behavior = strings.TrimSuffix(im.Behavior, "}") + usage + "}"
	}
	type target struct{ kind, name string }
	var targets []target
	for _, d := range g.deps {
		targets = append(targets, target{"Deployment", d})
	}
	for _, s := range g.stss {
		targets = append(targets, target{"StatefulSet", s.name})
	}
	end := int(g.m.Until / api.Second)
	for n := r.between(1, min(2, len(targets))); n > 0 && len(targets) > 0; n-- {
		i := r.intn(len(targets))
		t := targets[i]
		targets = append(targets[:i], targets[i+1:]...)
		lower := strings.ToLower(t.kind)
		g.insertStep(Step{At: 0, Verb: "load", Arg: fmt.Sprintf("%s/%s %d", lower, t.name, r.between(0, 200))})
		for range r.between(1, 4) {
			at := api.Duration(r.between(1, max(end-1, 1))) * api.Second
			g.insertStep(Step{At: at, Verb: "load", Arg: fmt.Sprintf("%s/%s %d", lower, t.name, pick(r, 0, 10, 50, 200, 500, 1000, 3000))})
		}
		minR := r.between(1, 3)
		maxR := minR + r.between(0, 8)
		target := pick(r, 20, 50, 60, 80, 100, 150)
		if r.chance(25) {
			g.insertStep(Step{At: api.Duration(r.between(0, max(end/2, 1))) * api.Second, Verb: "kubectl",
				Arg: fmt.Sprintf("autoscale %s %s --min=%d --max=%d --cpu-percent=%d", lower, t.name, minR, maxR, target)})
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: %s}\nspec:\n", t.name)
		fmt.Fprintf(&b, "  scaleTargetRef: {apiVersion: apps/v1, kind: %s, name: %s}\n  minReplicas: %d\n  maxReplicas: %d\n", t.kind, t.name, minR, maxR)
		fmt.Fprintf(&b, "  metrics:\n    - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: %d}}}\n", target)
		if r.chance(25) {
			fmt.Fprintf(&b, "    - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: %dMi}}}\n", r.between(50, 400))
		}
		if r.chance(50) {
			policy := func() string {
				if r.chance(50) {
					return fmt.Sprintf("{type: Pods, value: %d, periodSeconds: %d}", r.between(1, 4), pick(r, 15, 30, 60))
				}
				return fmt.Sprintf("{type: Percent, value: %d, periodSeconds: %d}", pick(r, 10, 50, 100, 200), pick(r, 15, 30, 60))
			}
			fmt.Fprintf(&b, "  behavior:\n    scaleUp: {stabilizationWindowSeconds: %d, selectPolicy: %s, policies: [%s, %s]}\n",
				pick(r, 0, 0, 15, 60), pick(r, "Max", "Min", "Max"), policy(), policy())
			fmt.Fprintf(&b, "    scaleDown: {stabilizationWindowSeconds: %d, selectPolicy: %s, policies: [%s]}\n",
				pick(r, 0, 30, 60, 300), pick(r, "Max", "Min", "Disabled", "Max"), policy())
		}
		g.m.Objects = append(g.m.Objects, Object{Kind: "HorizontalPodAutoscaler", Name: t.name, YAML: b.String()})
	}
}

// insertStep adds a step after the steps at the same or earlier times.
func (g *gen) insertStep(st Step) {
	i := len(g.m.Steps)
	for i > 0 && g.m.Steps[i-1].At > st.At {
		i--
	}
	g.m.Steps = append(g.m.Steps[:i], append([]Step{st}, g.m.Steps[i:]...)...)
}
