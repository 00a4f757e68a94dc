// Package cluster assembles a simulated cluster from a scenario: an engine with every
// controller registered in a fixed order, the scenario's nodes and image behaviours in the
// store, and its timeline scheduled as actions. It also carries out actions: kubectl
// commands, applying manifests, failing and recovering nodes, captions.
package cluster

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/sim"
)

// Options configure a cluster.
type Options struct {
	// Seed overrides the scenario's seed when non-zero.
	Seed uint64
	// RecordState writes "state" trace records (on for the CLI and the page).
	RecordState bool
}

// Cluster is a running simulation of one scenario.
type Cluster struct {
	*sim.Engine
	Scenario *scenario.Scenario
}

// FailedAnnotation marks a Node whose machine has failed (set by `fail node/NAME`): its
// kubelet stops and its heartbeats stop. Removing it (`recover node/NAME`) restarts them.
const FailedAnnotation = "kubesim.dev/failed"

// New builds the cluster at t=0 with the timeline scheduled but not yet run.
func New(sc *scenario.Scenario, opts Options) (*Cluster, error) {
	seed := sc.Seed
	if opts.Seed != 0 {
		seed = opts.Seed
	}
	e := sim.New(sim.Options{Seed: seed, RecordState: opts.RecordState})
	c := &Cluster{Engine: e, Scenario: sc}
	for _, ctrl := range controllers() {
		e.Register(ctrl)
	}
	e.SetActionHandler(c.handle)
	ctx := e.ActionContext("scenario")
	cfg := sc.Config
	if cfg == nil {
		cfg = &api.ClusterConfig{}
	}
	cfg = api.Clone(cfg)
	cfg.TypeMeta = api.TypeMeta{APIVersion: scenario.APIVersion, Kind: api.ClusterConfigKind}
	cfg.ObjectMeta = api.ObjectMeta{Name: "cluster"}
	cfg.Seed = seed
	if err := ctx.Create(cfg); err != nil {
		return nil, err
	}
	for _, n := range sc.Nodes {
		if err := ctx.Create(api.Clone(n)); err != nil {
			return nil, fmt.Errorf("node %s: %w", n.Name, err)
		}
	}
	for _, st := range sc.Timeline {
		e.Schedule(sim.Action{At: st.At, Source: "scenario", Command: st.Command})
	}
	return c, nil
}

// Do schedules a user command at the current time and runs that instant. (One Step is not
// enough: with work left by writes outside a step, Step only drains that work.)
func (c *Cluster) Do(command string) (*sim.Action, error) {
	a := sim.Action{At: c.Now(), Source: "user", Command: command}
	c.Schedule(a)
	return &a, c.AdvanceTo(c.Now())
}

// Manifests resolves the name of an `apply` step: "all", or "kind/name" of one manifest.
func (c *Cluster) Manifests(name string) ([]api.Object, error) {
	var out []api.Object
	for _, m := range c.Scenario.Manifests {
		o := m.Object
		if name == "all" || strings.EqualFold(o.GetKind()+"/"+o.Meta().Name, name) ||
			strings.EqualFold(kubectlName(o), name) {
			out = append(out, api.Clone(o))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the scenario has no manifest %q (use \"all\" or kind/name)", name)
	}
	return out, nil
}

func kubectlName(o api.Object) string {
	return strings.ToLower(o.GetKind()) + "/" + o.Meta().Name
}

// handle carries out one action command.
func (c *Cluster) handle(ctx *sim.Context, a sim.Action) (string, error) {
	verb, rest, _ := strings.Cut(strings.TrimSpace(a.Command), " ")
	rest = strings.TrimSpace(rest)
	env := &kubectl.Env{Ctx: ctx, Manifests: c.Manifests}
	switch verb {
	case "kubectl":
		return kubectl.Run(env, rest)
	case "apply":
		return kubectl.Run(env, "apply -f "+rest)
	case "caption":
		ctx.Caption(rest)
		return "", nil
	case "fail", "recover":
		return "", setNodeFailed(ctx, rest, verb == "fail")
	case "load":
		return "", setLoad(ctx, rest)
	}
	return "", fmt.Errorf("unknown action %q: want kubectl, apply, fail, recover, load or caption", verb)
}

func setNodeFailed(ctx *sim.Context, ref string, failed bool) error {
	name, ok := strings.CutPrefix(ref, "node/")
	if !ok {
		return fmt.Errorf("want node/NAME, got %q", ref)
	}
	o := ctx.Store().Get("Node", name)
	if o == nil {
		return fmt.Errorf("node %q not found", name)
	}
	n := api.Clone(o.(*api.Node))
	if n.Annotations == nil {
		n.Annotations = map[string]string{}
	}
	if failed {
		n.Annotations[FailedAnnotation] = "true"
	} else {
		delete(n.Annotations, FailedAnnotation)
	}
	return ctx.Update(n)
}

// setLoad changes the request rate sent to a Service or workload (a timeline `load` step).
func setLoad(ctx *sim.Context, arg string) error {
	l, err := scenario.ParseLoadCommand(arg)
	if err != nil {
		return err
	}
	o := ctx.Store().Get(api.ClusterConfigKind, "cluster")
	if o == nil {
		return fmt.Errorf("no cluster configuration")
	}
	cfg := api.Clone(o.(*api.ClusterConfig))
	kind, name := l.Target()
	for i, prev := range cfg.Loads {
		if k, n := prev.Target(); k == kind && n == name && prev.NamespaceOrDefault() == l.NamespaceOrDefault() {
			cfg.Loads[i].RPS = l.RPS
			return ctx.Update(cfg)
		}
	}
	cfg.Loads = append(cfg.Loads, l)
	return ctx.Update(cfg)
}
