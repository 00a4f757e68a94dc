package kubectl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// kubectl cordon, uncordon and drain, after k8s.io/kubectl pkg/cmd/drain/drain.go and
// pkg/drain (filters.go, drain.go). Drain cordons, selects the node's pods through the
// filters (skip-deleted, DaemonSet, mirror pod, local storage, unreplicated), refuses with
// kubectl's aggregate error when a filter fails, and otherwise evicts every selected pod.
//
// Upstream evicts concurrently and waits for each pod to disappear before printing
// `pod/NAME evicted`; the simulator runs a command at one instant, so it starts every
// eviction (pod-name order) and prints the whole transcript at once: the pods are then
// Terminating and the kubelet finishes them in virtual time. PodDisruptionBudgets are not
// simulated yet, so every eviction is admitted.

func init() {
	Register(&Command{Path: "cordon", Flags: []string{"l|selector"}, Usage: "kubectl cordon NODE", Run: func(env *Env, inv *Invocation) (string, error) {
		return runCordon(env, inv, true)
	}})
	Register(&Command{Path: "uncordon", Flags: []string{"l|selector"}, Usage: "kubectl uncordon NODE", Run: func(env *Env, inv *Invocation) (string, error) {
		return runCordon(env, inv, false)
	}})
	Register(&Command{
		Path: "drain",
		Flags: []string{"ignore-daemonsets!", "delete-emptydir-data!", "delete-local-data!", "force!", "grace-period",
			"timeout", "pod-selector", "l|selector", "disable-eviction!", "skip-wait-for-delete-timeout"},
		Usage: "kubectl drain NODE",
		Run:   runDrain,
	})
}

// nodesFor resolves the NODE argument (or -l selector) of cordon, uncordon and drain.
func nodesFor(env *Env, inv *Invocation, verb string) ([]*api.Node, error) {
	selStr, hasSel := inv.Flag("selector")
	if hasSel && len(inv.Args) > 0 {
		return nil, Errorf("cannot specify both a node name and a --selector option")
	}
	if !hasSel && len(inv.Args) != 1 {
		return nil, Errorf("USAGE: %s NODE [flags]\nSee 'kubectl %s -h' for help and examples", verb, verb)
	}
	var t target
	if hasSel {
		t = target{kind: "Node"}
	} else {
		name := inv.Args[0]
		if typ, n, ok := strings.Cut(name, "/"); ok {
			if k, _ := resolveKind(typ); k != "Node" {
				return nil, Errorf("expected resource of type node, got %q", typ)
			}
			name = n
		}
		t = target{kind: "Node", names: []string{name}}
	}
	sel, err := parseSelector(selStr)
	if err != nil {
		return nil, err
	}
	objs, errs := lookup(env, t, "", sel)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	var nodes []*api.Node
	for _, o := range objs {
		nodes = append(nodes, o.(*api.Node))
	}
	return nodes, nil
}

func runCordon(env *Env, inv *Invocation, desired bool) (string, error) {
	verb := map[bool]string{true: "cordon", false: "uncordon"}[desired]
	nodes, err := nodesFor(env, inv, verb)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	for _, n := range nodes {
		s, err := setUnschedulable(env, n, desired)
		if err != nil {
			return out.String(), err
		}
		out.WriteString(s)
	}
	return out.String(), nil
}

// setUnschedulable patches spec.unschedulable and returns `node/NAME cordoned` (or
// `already cordoned`, `uncordoned`, `already uncordoned`).
func setUnschedulable(env *Env, n *api.Node, desired bool) (string, error) {
	word := map[bool]string{true: "cordoned", false: "uncordoned"}[desired]
	if n.Spec.Unschedulable == desired {
		return fmt.Sprintf("node/%s already %s\n", n.Name, word), nil
	}
	cp := api.Clone(n)
	cp.Spec.Unschedulable = desired
	if _, err := updateObject(env, n, cp); err != nil {
		return "", Errorf("unable to %s node %q: %v", strings.TrimSuffix(word, "ed"), n.Name, err)
	}
	return fmt.Sprintf("node/%s %s\n", n.Name, word), nil
}

// Drain filter texts (pkg/drain/filters.go).
const (
	daemonSetFatal      = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
	daemonSetWarning    = "ignoring DaemonSet-managed Pods"
	localStorageFatal   = "Pods with local storage (use --delete-emptydir-data to override)"
	localStorageWarning = "deleting Pods with local storage"
	unmanagedFatal      = "Pods that declare no controller (use --force to override)"
	unmanagedWarning    = "deleting Pods that declare no controller"
)

type podVerdict struct {
	pod     *api.Pod
	delete  bool
	warning string // non-empty: a warning to print
	fatal   string // non-empty: an error that stops the drain
}

type drainOptions struct {
	force, ignoreDS, emptyDir bool
	grace                     int
	podSel                    selector
}

// filterPod runs a pod through drain's filters in upstream order; the first filter that
// does not let the pod through decides.
func filterPod(env *Env, p *api.Pod, o drainOptions) podVerdict {
	v := podVerdict{pod: p, delete: true}
	finished := p.IsTerminal()
	// daemonSetFilter
	if ref := api.ControllerOf(&p.ObjectMeta); ref != nil && ref.Kind == "DaemonSet" && !finished {
		if env.Ctx.Store().Get("DaemonSet", p.Namespace+"/"+ref.Name) == nil {
			msg := fmt.Sprintf("daemonsets.apps %q not found", ref.Name)
			if o.force {
				v.warning = msg
			} else {
				return podVerdict{pod: p, fatal: msg}
			}
		} else if !o.ignoreDS {
			return podVerdict{pod: p, fatal: daemonSetFatal}
		} else {
			return podVerdict{pod: p, warning: daemonSetWarning}
		}
	}
	// mirrorPodFilter
	if _, ok := p.Annotations["kubernetes.io/config.mirror"]; ok {
		return podVerdict{pod: p}
	}
	// localStorageFilter
	hasEmptyDir := false
	for _, vol := range p.Spec.Volumes {
		if vol.EmptyDir != nil {
			hasEmptyDir = true
		}
	}
	if hasEmptyDir && !finished {
		if !o.emptyDir {
			return podVerdict{pod: p, fatal: localStorageFatal}
		}
		v.warning = localStorageWarning
	}
	// unreplicatedFilter
	if !finished && api.ControllerOf(&p.ObjectMeta) == nil {
		if !o.force {
			return podVerdict{pod: p, fatal: unmanagedFatal}
		}
		v.warning = unmanagedWarning
	}
	return v
}

func runDrain(env *Env, inv *Invocation) (string, error) {
	var o drainOptions
	var err error
	if o.force, err = boolFlag(inv, "force"); err != nil {
		return "", err
	}
	if o.ignoreDS, err = boolFlag(inv, "ignore-daemonsets"); err != nil {
		return "", err
	}
	if o.emptyDir, err = boolFlag(inv, "delete-emptydir-data"); err != nil {
		return "", err
	}
	if legacy, err := boolFlag(inv, "delete-local-data"); err != nil {
		return "", err
	} else if legacy {
		o.emptyDir = true
	}
	o.grace = -1
	if g, ok := inv.Flag("grace-period"); ok {
		if o.grace, err = strconv.Atoi(g); err != nil {
			return "", Errorf("invalid argument %q for \"--grace-period\" flag: strconv.ParseInt: parsing %q: invalid syntax", g, g)
		}
	}
	if t, ok := inv.Flag("timeout"); ok {
		if _, err := api.ParseDuration(t); err != nil {
			return "", Errorf("invalid argument %q for \"--timeout\" flag: %v", t, err)
		}
	}
	ps, _ := inv.Flag("pod-selector")
	if o.podSel, err = parseSelector(ps); err != nil {
		return "", Errorf("--pod-selector=<pod_selector> must be a valid label selector")
	}
	nodes, err := nodesFor(env, inv, "drain")
	if err != nil {
		return "", err
	}
	var out, stderr strings.Builder
	// RunCordonOrUncordon(true) for every node first.
	for _, n := range nodes {
		s, err := setUnschedulable(env, n, true)
		if err != nil {
			return out.String(), err
		}
		out.WriteString(s)
	}
	var fatal []string
	var pending []string
	for _, n := range nodes {
		if err := drainNode(env, n, o, &out, &stderr); err != "" {
			fmt.Fprintf(&stderr, "error: unable to drain node %q due to error: %s, continuing command...\n", n.Name, err)
			fatal = append(fatal, err)
			pending = append(pending, n.Name)
			continue
		}
		fmt.Fprintf(&out, "node/%s drained\n", n.Name)
	}
	if len(pending) > 0 {
		stderr.WriteString("There are pending nodes to be drained:\n")
		for _, p := range pending {
			fmt.Fprintf(&stderr, " %s\n", p)
		}
		stderr.WriteString("error: " + aggregate(fatal))
		return out.String(), &Error{Msg: stderr.String()}
	}
	if stderr.Len() > 0 {
		return out.String(), &Error{Msg: strings.TrimSuffix(stderr.String(), "\n")}
	}
	return out.String(), nil
}

// aggregate renders errors like utilerrors.NewAggregate: one message, or "[a, b]".
func aggregate(msgs []string) string {
	if len(msgs) == 1 {
		return msgs[0]
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// drainNode evicts the node's pods; it returns the error text when the filters refuse.
func drainNode(env *Env, n *api.Node, o drainOptions, out, stderr *strings.Builder) string {
	var verdicts []podVerdict
	for _, x := range env.Ctx.Store().ByIndex("node", "Pod", n.Name) {
		p := x.(*api.Pod)
		if !o.podSel.Matches(p.Labels) {
			continue
		}
		verdicts = append(verdicts, filterPod(env, p, o))
	}
	sort.SliceStable(verdicts, func(i, j int) bool { return verdicts[i].pod.Meta().Key() < verdicts[j].pod.Meta().Key() })
	// list.errors(): pods grouped by message, messages sorted for determinism.
	group := func(get func(podVerdict) string) ([]string, map[string][]string) {
		by := map[string][]string{}
		for _, v := range verdicts {
			if m := get(v); m != "" {
				by[m] = append(by[m], v.pod.Namespace+"/"+v.pod.Name)
			}
		}
		return api.SortedKeys(by), by
	}
	if keys, by := group(func(v podVerdict) string { return v.fatal }); len(keys) > 0 {
		var msgs []string
		for _, k := range keys {
			msgs = append(msgs, fmt.Sprintf("cannot delete %s: %s", k, strings.Join(by[k], ", ")))
		}
		return aggregate(msgs)
	}
	if keys, by := group(func(v podVerdict) string { return v.warning }); len(keys) > 0 {
		var msgs []string
		for _, k := range keys {
			msgs = append(msgs, fmt.Sprintf("%s: %s", k, strings.Join(by[k], ", ")))
		}
		out.WriteString("Warning: " + strings.Join(msgs, "; ") + "\n") // stderr, in order
	}
	var evicted []*api.Pod
	for _, v := range verdicts {
		if !v.delete {
			continue
		}
		fmt.Fprintf(out, "evicting pod %s/%s\n", v.pod.Namespace, v.pod.Name)
		if err := evict(env, v.pod, o.grace); err != nil {
			fmt.Fprintf(stderr, "error when evicting pods/%q -n %q: %v\n", v.pod.Name, v.pod.Namespace, err)
			continue
		}
		evicted = append(evicted, v.pod)
	}
	for _, p := range evicted {
		fmt.Fprintf(out, "pod/%s evicted\n", p.Name)
	}
	return ""
}

// evict is the Eviction subresource without PodDisruptionBudgets (pods.md §15.2): a pod
// that is pending, finished or already terminating is simply deleted; otherwise it gets the
// DisruptionTarget condition (reason EvictionByEvictionAPI) and is deleted gracefully.
func evict(env *Env, p *api.Pod, grace int) error {
	var opts sim.DeleteOptions
	if grace >= 0 {
		g := int64(grace)
		opts.GracePeriodSeconds = &g
	}
	if p.Status.Phase != api.PodPending && !p.IsTerminal() && p.DeletionTimestamp == nil {
		cp := api.Clone(p)
		cond := api.PodCondition{Type: api.DisruptionTarget, Status: api.ConditionTrue,
			Reason: "EvictionByEvictionAPI", Message: "Eviction API: evicting", LastTransitionTime: env.Ctx.Now()}
		if c := cp.GetCondition(api.DisruptionTarget); c != nil {
			*c = cond
		} else {
			cp.Status.Conditions = append(cp.Status.Conditions, cond)
		}
		// The Eviction subresource writes this condition itself, as the API server: it is not
		// a user's update, so it does not go through updateObject.
		if err := env.Ctx.Update(cp); err != nil {
			return err
		}
	}
	return env.Ctx.Delete("Pod", p.Namespace+"/"+p.Name, opts)
}
