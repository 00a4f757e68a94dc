// Package metrics is metrics-server: every metric resolution (15 s by default) it scrapes
// each kubelet's resource metrics and serves the latest sample of every pod and node
// through the Metrics API (PodMetrics and NodeMetrics objects in the store), which is what
// `kubectl top` and the HPA controller read.
//
// The kubelet reports each container's cumulative CPU time and its current memory working
// set. metrics-server turns two consecutive CPU points into a rate (metrics-server
// pkg/storage/pod.go), so a pod appears only at the second scrape that sees it running
// (and again only at the second one after a container restarted), and its CPU is the average
// over the window between the two scrapes; a container that started 10 to 15 s before a
// scrape counts from its start, so it appears at once. The cumulative CPU comes from the scenario's
// usage model: each image's Usage integrated over the container's age, plus the CPU of the
// requests of any Load spread over the target's ready pods, accounted every time the spread
// may change (a pod or the load changed), so the average is exact.
package metrics

import (
	"maps"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Resolution is metrics-server's --metric-resolution default.
const Resolution = 15 * api.Second

// freshContainerMinResolution is how long a container must have run for metrics-server to
// compute a rate from its start (freshContainerMinMetricsResolution).
const freshContainerMinResolution = 10 * api.Second

// StateKind is the hidden kind of the single object "metrics-server": the containers'
// cumulative CPU and the previous scrape, kept in the store so that snapshots carry them.
const StateKind = "MetricsServerState"

// failedAnnotation marks a node whose machine failed: its kubelet answers no scrape.
const failedAnnotation = "kubesim.dev/failed"

const (
	scrapeKey  = "scrape"
	accountKey = "account"
)

// State is the kubelets' CPU accounting and metrics-server's memory of the last scrape.
type State struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	// Pods are the running pods by key.
	Pods map[string]PodAccount `json:"pods,omitempty"`
	// Nodes are the nodes the last scrape reached.
	Nodes map[string]bool `json:"nodes,omitempty"`
}

// PodAccount is one running pod: its signature (UID and container start times; a new one
// restarts the counters) and its running containers.
type PodAccount struct {
	Signature  string                      `json:"signature"`
	Containers map[string]ContainerAccount `json:"containers"`
}

// ContainerAccount is one container's cumulative CPU (millicore-milliseconds since it was
// first accounted) up to At, the rate of its request CPU since At, and the cumulative value
// at the last scrape.
type ContainerAccount struct {
	Image     string   `json:"image"`
	Start     api.Time `json:"start"`
	At        api.Time `json:"at"`
	CPU       int64    `json:"cpu"`
	Requests  int64    `json:"requests"`
	Scraped   bool     `json:"scraped,omitempty"`
	ScrapeAt  api.Time `json:"scrapeAt,omitempty"`
	ScrapeCPU int64    `json:"scrapeCPU,omitempty"`
}

// Controller is metrics-server (and the kubelets' CPU accounting it reads).
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return "metrics-server" }

// OwnedKinds implements sim.KindOwner: the metrics server's state are this controller's own.
func (Controller) OwnedKinds() []string {
	return []string{StateKind}
}

// Watch starts the scrape loop when the cluster configuration appears with a metrics-server,
// and accounts CPU whenever what a pod uses may change: pods, loads, their targets.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case api.ClusterConfigKind:
		if c.New != nil && c.New.(*api.ClusterConfig).MetricsServer {
			if c.Type == store.Added {
				ctx.Enqueue(scrapeKey)
			}
			ctx.Enqueue(accountKey)
		}
	case "Pod", "Service", "Deployment", "StatefulSet":
		if c.Kind == "Pod" && c.Old != nil && c.New != nil && !usageMayChange(c.Old.(*api.Pod), c.New.(*api.Pod)) {
			return
		}
		if cfg, _ := ctx.Store().Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig); cfg != nil && cfg.MetricsServer {
			ctx.Enqueue(accountKey)
		}
	}
}

// usageMayChange reports whether a pod update can change what it, or the other ready pods
// of a load, use: its readiness, phase, deletion, labels or running containers.
func usageMayChange(old, cur *api.Pod) bool {
	if old.Status.Phase != cur.Status.Phase || old.IsReady() != cur.IsReady() || old.IsTerminating() != cur.IsTerminating() ||
		old.Spec.NodeName != cur.Spec.NodeName || !maps.Equal(old.Labels, cur.Labels) {
		return true
	}
	ro, rc := runningContainers(old), runningContainers(cur)
	return signature(old, ro) != signature(cur, rc)
}

// Reconcile accounts CPU up to now, and scrapes at every multiple of the resolution.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	cfg, _ := ctx.Store().Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig)
	if cfg == nil || !cfg.MetricsServer {
		return nil
	}
	now := ctx.Now()
	switch key {
	case accountKey:
		st := account(ctx.Store(), cfg, now)
		return put(ctx, st)
	case scrapeKey:
		if rem := api.Duration(now) % Resolution; rem != 0 {
			ctx.EnqueueAt(scrapeKey, now.Add(Resolution-rem))
			return nil
		}
		ctx.EnqueueAfter(scrapeKey, Resolution)
		return scrape(ctx, cfg, account(ctx.Store(), cfg, now))
	}
	return nil
}

// account brings every running container's cumulative CPU up to now (with the request rate
// it had since the last accounting) and takes the request rates from now on.
func account(s *store.Store, cfg *api.ClusterConfig, now api.Time) *State {
	prev, _ := s.Get(StateKind, "metrics-server").(*State)
	st := &State{TypeMeta: api.TypeMeta{APIVersion: "kubesim.dev/v1alpha1", Kind: StateKind},
		ObjectMeta: api.ObjectMeta{Name: "metrics-server"}, Pods: map[string]PodAccount{}, Nodes: map[string]bool{}}
	if prev != nil {
		for n := range prev.Nodes {
			st.Nodes[n] = true
		}
	}
	shares := LoadShares(s, cfg)
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		running := runningContainers(p)
		if len(running) == 0 {
			continue
		}
		sig := signature(p, running)
		old, ok := PodAccount{}, false
		if prev != nil {
			old, ok = prev.Pods[p.Key()]
		}
		if ok && old.Signature != sig {
			ok = false // a restarted container: the counters start again
		}
		acct := PodAccount{Signature: sig, Containers: map[string]ContainerAccount{}}
		for _, rc := range running {
			b := cfg.Behavior(rc.image)
			c := ContainerAccount{Image: rc.image, Start: rc.start, At: now}
			if o, found := old.Containers[rc.name]; ok && found {
				c = o
				// Accounting runs at every scrape, so (At, now] lies within one window.
				used := b.CPU.Integral(c.At.Sub(c.Start), now.Sub(c.Start)) + c.Requests*int64(now.Sub(c.At))
				c.CPU += b.CPU.NoiseFactor(used, cfg.Seed, p.UID+"/"+rc.name, int64(c.At)/int64(Resolution))
				c.At = now
			}
			c.Requests = 0
			if b.CPUPerRequest != nil {
				for _, sh := range shares[p.Key()] {
					c.Requests += b.CPUPerRequest.Milli * sh.RPS / sh.N
				}
			}
			acct.Containers[rc.name] = c
		}
		st.Pods[p.Key()] = acct
	}
	return st
}

type runningContainer struct {
	name, image string
	start       api.Time
}

// runningContainers lists a running pod's running containers and sidecars, by name.
func runningContainers(p *api.Pod) []runningContainer {
	if p.Status.Phase != api.PodRunning || p.Spec.NodeName == "" {
		return nil
	}
	images := map[string]string{}
	for _, c := range p.Spec.Containers {
		images[c.Name] = c.Image
	}
	for _, c := range p.Spec.InitContainers {
		images[c.Name] = c.Image
	}
	var out []runningContainer
	for _, list := range [][]api.ContainerStatus{p.Status.ContainerStatuses, p.Status.InitContainerStatuses} {
		for _, cs := range list {
			if cs.State.Running != nil {
				out = append(out, runningContainer{cs.Name, images[cs.Name], cs.State.Running.StartedAt})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func signature(p *api.Pod, running []runningContainer) string {
	var b strings.Builder
	b.WriteString(p.UID)
	for _, rc := range running {
		b.WriteString("|" + rc.name + "@" + strconv.FormatInt(int64(rc.start), 10))
	}
	return b.String()
}

// scrape is one metric-resolution tick: every reachable kubelet's pods with two points get
// their average CPU over the window and their memory now; nodes get their pods' sums.
func scrape(ctx *sim.Context, cfg *api.ClusterConfig, st *State) error {
	s := ctx.Store()
	now := ctx.Now()
	alive := map[string]bool{}
	for _, n := range store.ListAs[*api.Node](s, "Node", "") {
		if n.Annotations[failedAnnotation] != "true" {
			alive[n.Name] = true
		}
	}
	nodeUse := map[string][2]int64{}
	wantPods := map[string]*api.PodMetrics{}
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		acct, ok := st.Pods[p.Key()]
		if !ok || !alive[p.Spec.NodeName] {
			continue
		}
		var containers []api.ContainerMetrics
		complete := true
		var podCPU, podMem int64
		var window api.Duration
		for _, name := range api.SortedKeys(acct.Containers) {
			c := acct.Containers[name]
			b := cfg.Behavior(c.Image)
			mem := b.Memory.At(now.Sub(c.Start)) / 1000 // thousandths of a byte
			var cpu int64
			w := api.Duration(0)
			age := now.Sub(c.Start)
			switch {
			case c.Scraped && now > c.ScrapeAt:
				w = now.Sub(c.ScrapeAt)
				cpu = (c.CPU - c.ScrapeCPU) / int64(w)
			case age >= freshContainerMinResolution && age < Resolution:
				// A container that started within the last resolution, but at least 10 s
				// ago, gets a first point of zero CPU at its start (metrics-server
				// podStorage.Store, freshContainerMinMetricsResolution).
				w = age
				cpu = c.CPU / int64(w)
			default:
				complete = false // the first point of a rate
				// The node's own counter needs no window: count what it uses now.
				cpu = b.CPU.At(now.Sub(c.Start)) + c.Requests
			}
			if window == 0 {
				window = w
			}
			c.Scraped, c.ScrapeAt, c.ScrapeCPU = true, now, c.CPU
			acct.Containers[name] = c
			podCPU += cpu
			podMem += mem
			containers = append(containers, api.ContainerMetrics{Name: name,
				Usage: api.ResourceList{api.ResourceCPU: CPUQuantity(cpu), api.ResourceMemory: MemoryQuantity(mem)}})
		}
		u := nodeUse[p.Spec.NodeName]
		nodeUse[p.Spec.NodeName] = [2]int64{u[0] + podCPU, u[1] + podMem}
		if !complete {
			continue
		}
		wantPods[p.Key()] = &api.PodMetrics{TypeMeta: api.TypeMeta{APIVersion: "metrics.k8s.io/v1beta1", Kind: api.PodMetricsKind},
			ObjectMeta: api.ObjectMeta{Namespace: p.Namespace, Name: p.Name, Labels: p.Labels, CreationTimestamp: now},
			Timestamp:  now, Window: window, Containers: containers}
	}
	for _, o := range store.ListAs[*api.PodMetrics](s, api.PodMetricsKind, "") {
		if wantPods[o.Key()] == nil {
			if err := ctx.Remove(api.PodMetricsKind, o.Key()); err != nil {
				return err
			}
		}
	}
	for _, k := range api.SortedKeys(wantPods) {
		if err := put(ctx, wantPods[k]); err != nil {
			return err
		}
	}
	reached := map[string]bool{}
	for _, n := range store.ListAs[*api.Node](s, "Node", "") {
		if !alive[n.Name] {
			if s.Get(api.NodeMetricsKind, n.Name) != nil {
				if err := ctx.Remove(api.NodeMetricsKind, n.Name); err != nil {
					return err
				}
			}
			continue
		}
		reached[n.Name] = true
		if !st.Nodes[n.Name] {
			continue // a node's rate needs two points too
		}
		u := nodeUse[n.Name]
		nm := &api.NodeMetrics{TypeMeta: api.TypeMeta{APIVersion: "metrics.k8s.io/v1beta1", Kind: api.NodeMetricsKind},
			ObjectMeta: api.ObjectMeta{Name: n.Name, Labels: n.Labels, CreationTimestamp: now}, Timestamp: now, Window: Resolution,
			Usage: api.ResourceList{api.ResourceCPU: CPUQuantity(u[0]), api.ResourceMemory: MemoryQuantity(u[1])}}
		if err := put(ctx, nm); err != nil {
			return err
		}
	}
	st.Nodes = reached
	return put(ctx, st)
}

// put creates o, or replaces the stored object of its key (keeping its identity) when it
// changed.
func put(ctx *sim.Context, o api.Object) error {
	old := ctx.Store().Get(o.GetKind(), o.Meta().Key())
	if old == nil {
		return ctx.Create(o)
	}
	m, om := o.Meta(), old.Meta()
	m.UID, m.ResourceVersion, m.Generation, m.CreationTimestamp = om.UID, om.ResourceVersion, om.Generation, om.CreationTimestamp
	if st, ok := o.(*State); ok && sameState(st, old.(*State)) {
		return nil
	}
	return ctx.Update(o)
}

func sameState(a, b *State) bool {
	if len(a.Pods) != len(b.Pods) || len(a.Nodes) != len(b.Nodes) {
		return false
	}
	for k, pa := range a.Pods {
		pb, ok := b.Pods[k]
		if !ok || pa.Signature != pb.Signature || len(pa.Containers) != len(pb.Containers) {
			return false
		}
		for n, ca := range pa.Containers {
			if pb.Containers[n] != ca {
				return false
			}
		}
	}
	for n := range a.Nodes {
		if !b.Nodes[n] {
			return false
		}
	}
	return true
}

// Share is one load's part of a pod's requests: RPS requests per second over N ready pods.
type Share struct{ RPS, N int64 }

// LoadShares spreads every load over its target's ready, non-terminating pods (a Service's
// ready endpoints), by pod key.
func LoadShares(s *store.Store, cfg *api.ClusterConfig) map[string][]Share {
	out := map[string][]Share{}
	for _, l := range cfg.Loads {
		ns := l.NamespaceOrDefault()
		kind, name := l.Target()
		var match func(map[string]string) bool
		switch o := s.Get(kind, ns+"/"+name).(type) {
		case *api.Service:
			if len(o.Spec.Selector) == 0 {
				continue
			}
			match = func(lb map[string]string) bool { return api.SelectorMatchesMap(o.Spec.Selector, lb) }
		case *api.Deployment:
			match = o.Spec.Selector.Matches
		case *api.StatefulSet:
			match = o.Spec.Selector.Matches
		default:
			continue
		}
		var ready []string
		for _, p := range store.ListAs[*api.Pod](s, "Pod", ns) {
			if p.Status.Phase == api.PodRunning && p.IsReady() && !p.IsTerminating() && match(p.Labels) {
				ready = append(ready, p.Key())
			}
		}
		for _, k := range ready {
			out[k] = append(out[k], Share{RPS: l.RPS, N: int64(len(ready))})
		}
	}
	return out
}

// CPUQuantity is n millicores as a quantity ("250m").
func CPUQuantity(milli int64) api.Quantity {
	return api.Quantity{Text: strconv.FormatInt(milli, 10) + "m", Milli: milli}
}

// MemoryQuantity is n bytes as a quantity ("52428800"; metrics-server serves Ki, kubectl
// top prints Mi either way).
func MemoryQuantity(bytes int64) api.Quantity {
	return api.Quantity{Text: strconv.FormatInt(bytes, 10), Milli: bytes * 1000}
}
