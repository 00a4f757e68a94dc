package kubectl

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// kubectl cordon, uncordon and drain, after k8s.io/kubectl pkg/cmd/drain/drain.go and
// pkg/drain (filters.go, drain.go). Drain cordons, selects the node's pods through the
// filters (skip-deleted, DaemonSet, mirror pod, local storage, unreplicated), refuses with
// kubectl's aggregate error when a filter fails, and otherwise evicts every selected pod.
//
// Evicting and waiting for the pods to go is in drain.go.

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

// aggregate renders errors like utilerrors.NewAggregate: one message, or "[a, b]".
func aggregate(msgs []string) string {
	if len(msgs) == 1 {
		return msgs[0]
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}
