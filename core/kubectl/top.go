package kubectl

import (
	"fmt"
	"sort"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// `kubectl top pod|node` (k8s.io/kubectl v0.37.2 pkg/cmd/top/top_pod.go, top_node.go and
// pkg/metricsutil/metrics_printer.go): the Metrics API's latest samples, CPU in millicores
// and memory in Mi, nodes as a percentage of allocatable.

// metricsCreationDelay is top_pod.go's grace for pods too young to have metrics.
const metricsCreationDelay = 2 * api.Minute

func init() {
	for _, w := range []string{"pod", "pods", "po"} {
		Register(&Command{Path: "top " + w, Flags: []string{"l|selector", "A|all-namespaces!", "containers!", "sort-by", "no-headers!"},
			Usage: "kubectl top pod [NAME | -l label] [--containers] [--sort-by=cpu|memory]", Run: runTopPod})
	}
	for _, w := range []string{"node", "nodes", "no"} {
		Register(&Command{Path: "top " + w, Flags: []string{"l|selector", "sort-by", "no-headers!"},
			Usage: "kubectl top node [NAME | -l label] [--sort-by=cpu|memory]", Run: runTopNode})
	}
}

func metricsAPIAvailable(env *Env) bool {
	cfg, _ := env.Ctx.Store().Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig)
	return cfg != nil && cfg.MetricsServer
}

func topCPU(q api.Quantity) string { return fmt.Sprintf("%dm", q.Milli) }
func topMem(q api.Quantity) string { return fmt.Sprintf("%dMi", q.Value()/(1024*1024)) }

func sortByFlag(inv *Invocation) (string, error) {
	s, _ := inv.Flag("sort-by")
	switch s {
	case "", "cpu", "memory":
		return s, nil
	}
	return "", Errorf("--sort-by accepts only cpu or memory")
}

// topSelector reads the NAME-or-selector choice shared by `top pod` and `top node`.
func topSelector(inv *Invocation) (selector, error) {
	if len(inv.Args) > 0 {
		if _, ok := inv.Flag("selector"); ok {
			return selector{}, Errorf("only one of NAME or --selector can be provided")
		}
	}
	selStr, _ := inv.Flag("selector")
	return parseSelector(selStr)
}

// topOutput reads --no-headers and --sort-by, then checks that the Metrics API answers, in
// the order both top commands need.
func topOutput(env *Env, inv *Invocation) (noHeaders bool, sortBy string, err error) {
	if noHeaders, err = boolFlag(inv, "no-headers"); err != nil {
		return false, "", err
	}
	if sortBy, err = sortByFlag(inv); err != nil {
		return false, "", err
	}
	if !metricsAPIAvailable(env) {
		return false, "", Errorf("Metrics API not available")
	}
	return noHeaders, sortBy, nil
}

func runTopPod(env *Env, inv *Invocation) (string, error) {
	sel, err := topSelector(inv)
	if err != nil {
		return "", err
	}
	allNS, err := boolFlag(inv, "all-namespaces")
	if err != nil {
		return "", err
	}
	containers, err := boolFlag(inv, "containers")
	if err != nil {
		return "", err
	}
	noHeaders, sortBy, err := topOutput(env, inv)
	if err != nil {
		return "", err
	}
	s := env.Ctx.Store()
	ns := inv.Namespace
	if allNS {
		ns = ""
	}
	var items []*api.PodMetrics
	if len(inv.Args) > 0 {
		name := inv.Args[0]
		m, _ := s.Get(api.PodMetricsKind, ns+"/"+name).(*api.PodMetrics)
		if m == nil {
			p, _ := s.Get("Pod", inv.Namespace+"/"+name).(*api.Pod)
			if p == nil {
				return "", &Error{Msg: fmt.Sprintf("Error from server (NotFound): pods %q not found", name)}
			}
			return "", checkPodAge(env, p)
		}
		items = append(items, m)
	} else {
		for _, m := range store.ListAs[*api.PodMetrics](s, api.PodMetricsKind, ns) {
			if sel.Matches(m.Labels) {
				items = append(items, m)
			}
		}
		if len(items) == 0 {
			// verifyEmptyMetrics: young pods are expected to lack metrics.
			var pods []*api.Pod
			for _, p := range store.ListAs[*api.Pod](s, "Pod", ns) {
				if sel.Matches(p.Labels) {
					pods = append(pods, p)
				}
			}
			if len(pods) == 0 {
				if allNS {
					return "No resources found\n", nil
				}
				return fmt.Sprintf("No resources found in %s namespace.\n", inv.Namespace), nil
			}
			for _, p := range pods {
				if err := checkPodAge(env, p); err.Error() != "error: metrics not available yet" {
					return "", err
				}
			}
			return "", Errorf("metrics not available yet")
		}
	}
	type row struct {
		cells    []string
		cpu, mem int64
		ns, name string
	}
	var rows []row
	for _, m := range items {
		if containers {
			for _, c := range m.Containers {
				r := row{cells: []string{m.Name, c.Name, topCPU(c.Usage[api.ResourceCPU]), topMem(c.Usage[api.ResourceMemory])},
					cpu: c.Usage[api.ResourceCPU].Milli, mem: c.Usage[api.ResourceMemory].Milli, ns: m.Namespace, name: m.Name}
				if allNS {
					r.cells = append([]string{m.Namespace}, r.cells...)
				}
				rows = append(rows, r)
			}
			continue
		}
		var cpu, mem int64
		for _, c := range m.Containers {
			cpu += c.Usage[api.ResourceCPU].Milli
			mem += c.Usage[api.ResourceMemory].Milli
		}
		r := row{cells: []string{m.Name, topCPU(api.Quantity{Milli: cpu}), topMem(api.Quantity{Milli: mem})}, cpu: cpu, mem: mem, ns: m.Namespace, name: m.Name}
		if allNS {
			r.cells = append([]string{m.Namespace}, r.cells...)
		}
		rows = append(rows, r)
	}
	// PodMetricsSorter: by cpu or memory, highest first, else by namespace (with -A) and name.
	sort.SliceStable(rows, func(i, j int) bool {
		switch sortBy {
		case "cpu":
			return rows[i].cpu > rows[j].cpu
		case "memory":
			return rows[i].mem > rows[j].mem
		}
		if allNS && rows[i].ns != rows[j].ns {
			return rows[i].ns < rows[j].ns
		}
		return rows[i].name < rows[j].name
	})
	var table [][]string
	if !noHeaders {
		h := []string{"NAME", "CPU(cores)", "MEMORY(bytes)"}
		if containers {
			h = []string{"POD", "NAME", "CPU(cores)", "MEMORY(bytes)"}
		}
		if allNS {
			h = append([]string{"NAMESPACE"}, h...)
		}
		table = append(table, h)
	}
	for _, r := range rows {
		table = append(table, r.cells)
	}
	return renderTable(table), nil
}

// checkPodAge is top_pod.go checkPodAge: a pod older than 2 minutes should have metrics.
func checkPodAge(env *Env, p *api.Pod) error {
	age := env.Ctx.Now().Sub(p.CreationTimestamp)
	if age > metricsCreationDelay {
		return Errorf("Metrics not available for pod %s/%s, age: %s", p.Namespace, p.Name, age)
	}
	return Errorf("metrics not available yet")
}

func runTopNode(env *Env, inv *Invocation) (string, error) {
	sel, err := topSelector(inv)
	if err != nil {
		return "", err
	}
	noHeaders, sortBy, err := topOutput(env, inv)
	if err != nil {
		return "", err
	}
	s := env.Ctx.Store()
	var nodes []*api.Node
	if len(inv.Args) > 0 {
		n, _ := s.Get("Node", inv.Args[0]).(*api.Node)
		if n == nil {
			return "", &Error{Msg: fmt.Sprintf("Error from server (NotFound): nodes %q not found", inv.Args[0])}
		}
		if s.Get(api.NodeMetricsKind, n.Name) == nil {
			return "", Errorf("metrics not available yet")
		}
		nodes = append(nodes, n)
	} else {
		for _, n := range store.ListAs[*api.Node](s, "Node", "") {
			if sel.Matches(n.Labels) {
				nodes = append(nodes, n)
			}
		}
		any := false
		for _, n := range nodes {
			if s.Get(api.NodeMetricsKind, n.Name) != nil {
				any = true
			}
		}
		if !any {
			return "", Errorf("metrics not available yet")
		}
	}
	type row struct {
		cells    []string
		cpu, mem int64
		name     string
	}
	var rows, missing []row
	for _, n := range nodes {
		m, _ := s.Get(api.NodeMetricsKind, n.Name).(*api.NodeMetrics)
		if m == nil {
			// printMissingMetricsNodeLine, after the nodes with metrics.
			missing = append(missing, row{cells: []string{n.Name, "<unknown>", "<unknown>", "<unknown>", "<unknown>"}})
			continue
		}
		cpu, mem := m.Usage[api.ResourceCPU], m.Usage[api.ResourceMemory]
		acpu, amem := n.Status.Allocatable[api.ResourceCPU], n.Status.Allocatable[api.ResourceMemory]
		rows = append(rows, row{cells: []string{n.Name, topCPU(cpu), percentOf(cpu, acpu), topMem(mem), percentOf(mem, amem)},
			cpu: cpu.Milli, mem: mem.Milli, name: n.Name})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		switch sortBy {
		case "cpu":
			return rows[i].cpu > rows[j].cpu
		case "memory":
			return rows[i].mem > rows[j].mem
		}
		return rows[i].name < rows[j].name
	})
	var table [][]string
	if !noHeaders {
		table = append(table, []string{"NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"})
	}
	for _, r := range append(rows, missing...) {
		table = append(table, r.cells)
	}
	return renderTable(table), nil
}

func percentOf(used, available api.Quantity) string {
	if available.Milli == 0 {
		return "0%"
	}
	return fmt.Sprintf("%d%%", used.Milli*100/available.Milli)
}
