// Package metrics is metrics-server: every metric resolution (15 s by default) it scrapes
// each kubelet's resource metrics and serves the latest sample of every pod and node
// through the Metrics API (PodMetrics and NodeMetrics objects in the store), which is what
// `kubectl top` and the HPA controller read.
//
// CPU is a rate computed from two cumulative samples, so a pod (or a container that
// restarted) appears only at the second scrape that sees it running, with the window
// between the two (metrics-server pkg/storage/pod.go). Usage comes from the scenario's usage
// model (api.Usage per image, plus the requests of any Load spread over the target's ready
// pods), evaluated at the scrape instant.
package metrics

import (
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Resolution is metrics-server's --metric-resolution default.
const Resolution = 15 * api.Second

// StateKind is the hidden kind of the single object "metrics-server" that remembers what the
// previous scrape saw, so that snapshots carry it.
const StateKind = "MetricsServerState"

// failedAnnotation marks a node whose machine failed: its kubelet answers no scrape.
const failedAnnotation = "kubesim.dev/failed"

const scrapeKey = "scrape"

// State is what the previous scrape saw: per pod key, the pod UID and container start
// times (a changed signature means the cumulative CPU counter restarted); per node, true.
type State struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	Pods           map[string]string `json:"pods,omitempty"`
	Nodes          map[string]bool   `json:"nodes,omitempty"`
}

// Controller is metrics-server.
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return "metrics-server" }

// Watch starts the scrape loop when the cluster configuration appears with a metrics-server.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	if c.Kind == api.ClusterConfigKind && c.Type == store.Added && c.New.(*api.ClusterConfig).MetricsServer {
		ctx.Enqueue(scrapeKey)
	}
}

// Reconcile scrapes at every multiple of the resolution.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	if key != scrapeKey {
		return nil
	}
	cfg, _ := ctx.Store().Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig)
	if cfg == nil || !cfg.MetricsServer {
		return nil
	}
	now := ctx.Now()
	if rem := api.Duration(now) % Resolution; rem != 0 {
		ctx.EnqueueAt(scrapeKey, now.Add(Resolution-rem))
		return nil
	}
	ctx.EnqueueAfter(scrapeKey, Resolution)
	return scrape(ctx, cfg)
}

// sample is one pod's usage at a scrape.
type sample struct {
	pod        *api.Pod
	signature  string
	containers []api.ContainerMetrics
	cpu, mem   int64 // millicores, bytes
}

func scrape(ctx *sim.Context, cfg *api.ClusterConfig) error {
	s := ctx.Store()
	now := ctx.Now()
	prev, _ := s.Get(StateKind, "metrics-server").(*State)
	if prev == nil {
		prev = &State{}
	}
	next := &State{TypeMeta: api.TypeMeta{APIVersion: "kubesim.dev/v1alpha1", Kind: StateKind},
		ObjectMeta: api.ObjectMeta{Name: "metrics-server"}, Pods: map[string]string{}, Nodes: map[string]bool{}}
	shares := LoadShares(s, cfg)
	alive := map[string]bool{}
	for _, n := range store.ListAs[*api.Node](s, "Node", "") {
		if n.Annotations[failedAnnotation] != "true" {
			alive[n.Name] = true
		}
	}
	nodeUse := map[string][2]int64{}
	wantPods := map[string]*api.PodMetrics{}
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		if !alive[p.Spec.NodeName] {
			continue
		}
		sm, ok := podSample(cfg, p, now, shares[p.Key()])
		if !ok {
			continue
		}
		u := nodeUse[p.Spec.NodeName]
		nodeUse[p.Spec.NodeName] = [2]int64{u[0] + sm.cpu, u[1] + sm.mem}
		next.Pods[p.Key()] = sm.signature
		if prev.Pods[p.Key()] != sm.signature {
			continue // the first point of a rate: no metrics until the next scrape
		}
		wantPods[p.Key()] = &api.PodMetrics{TypeMeta: api.TypeMeta{APIVersion: "metrics.k8s.io/v1beta1", Kind: api.PodMetricsKind},
			ObjectMeta: api.ObjectMeta{Namespace: p.Namespace, Name: p.Name, Labels: p.Labels, CreationTimestamp: now},
			Timestamp:  now, Window: Resolution, Containers: sm.containers}
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
	for _, n := range store.ListAs[*api.Node](s, "Node", "") {
		if !alive[n.Name] {
			if s.Get(api.NodeMetricsKind, n.Name) != nil {
				if err := ctx.Remove(api.NodeMetricsKind, n.Name); err != nil {
					return err
				}
			}
			continue
		}
		next.Nodes[n.Name] = true
		if !prev.Nodes[n.Name] {
			continue
		}
		u := nodeUse[n.Name]
		nm := &api.NodeMetrics{TypeMeta: api.TypeMeta{APIVersion: "metrics.k8s.io/v1beta1", Kind: api.NodeMetricsKind},
			ObjectMeta: api.ObjectMeta{Name: n.Name, Labels: n.Labels, CreationTimestamp: now}, Timestamp: now, Window: Resolution,
			Usage: api.ResourceList{api.ResourceCPU: CPUQuantity(u[0]), api.ResourceMemory: MemoryQuantity(u[1])}}
		if err := put(ctx, nm); err != nil {
			return err
		}
	}
	return put(ctx, next)
}

// put creates o, or replaces the stored object of its key (keeping its identity).
func put(ctx *sim.Context, o api.Object) error {
	old := ctx.Store().Get(o.GetKind(), o.Meta().Key())
	if old == nil {
		return ctx.Create(o)
	}
	m, om := o.Meta(), old.Meta()
	m.UID, m.ResourceVersion, m.Generation, m.CreationTimestamp = om.UID, om.ResourceVersion, om.Generation, om.CreationTimestamp
	return ctx.Update(o)
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

// podSample is the usage of a pod's running containers (regular containers and running
// sidecars) at now; false when none runs.
func podSample(cfg *api.ClusterConfig, p *api.Pod, now api.Time, shares []Share) (sample, bool) {
	if p.Status.Phase != api.PodRunning {
		return sample{}, false
	}
	sm := sample{pod: p}
	var sig strings.Builder
	sig.WriteString(p.UID)
	statuses := append(append([]api.ContainerStatus(nil), p.Status.ContainerStatuses...), p.Status.InitContainerStatuses...)
	images := map[string]string{}
	for _, c := range p.Spec.Containers {
		images[c.Name] = c.Image
	}
	for _, c := range p.Spec.InitContainers {
		images[c.Name] = c.Image
	}
	for _, cs := range statuses {
		r := cs.State.Running
		if r == nil {
			continue
		}
		b := cfg.Behavior(images[cs.Name])
		cpu := b.CPU.At(now.Sub(r.StartedAt)) // thousandths of a core: millicores
		if b.CPUPerRequest != nil {
			for _, sh := range shares {
				cpu += b.CPUPerRequest.Milli * sh.RPS / sh.N
			}
		}
		mem := b.Memory.At(now.Sub(r.StartedAt)) / 1000 // thousandths of a byte
		sm.cpu += cpu
		sm.mem += mem
		sm.containers = append(sm.containers, api.ContainerMetrics{Name: cs.Name,
			Usage: api.ResourceList{api.ResourceCPU: CPUQuantity(cpu), api.ResourceMemory: MemoryQuantity(mem)}})
		sig.WriteString("|" + cs.Name + "@" + strconv.FormatInt(int64(r.StartedAt), 10))
	}
	if len(sm.containers) == 0 {
		return sample{}, false
	}
	sort.Slice(sm.containers, func(i, j int) bool { return sm.containers[i].Name < sm.containers[j].Name })
	sm.signature = sig.String()
	return sm, true
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
