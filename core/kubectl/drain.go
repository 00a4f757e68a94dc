package kubectl

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// kubectl drain in virtual time, after k8s.io/kubectl pkg/cmd/drain/drain.go RunDrain and
// pkg/drain/drain.go evictPods, deletePods and waitForDelete (v1.37).
//
// Upstream drains the nodes one after the other. For each node it evicts every selected pod
// concurrently: a goroutine per pod prints `evicting pod NS/NAME` and POSTs an Eviction; a 429
// (a PodDisruptionBudget refused) prints `error when evicting pods/"NAME" -n "NS" (will retry
// after 5s): ...` and tries again 5 s later; an admitted eviction is followed by a poll every
// second (the first one at once) until the pod is gone, which prints `pod/NAME evicted`. When
// every pod is done the node is `drained`. --timeout bounds each node's evictions.
//
// A command runs at one instant, so the drain keeps what it is waiting for in a hidden
// DrainKind object; the drain controller below picks it up at the next retry or poll and
// appends what kubectl would print then to the trace as the command's continued output. The
// goroutines of one instant run in pod-name order.

// DrainKind is the hidden kind of a running `kubectl drain`, one object per command.
const DrainKind = "KubectlDrain"

// Drain is a kubectl drain still waiting for pods.
type Drain struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	// Source and Command are the action's, for the continued output records.
	Source  string `json:"source"`
	Command string `json:"command"`
	Opts    Opts   `json:"opts"`
	// Nodes are the nodes still to drain; Nodes[0] is being drained.
	Nodes []string `json:"nodes"`
	// Running is set once Nodes[0]'s pods were selected, at Started (for --timeout).
	Running bool     `json:"running,omitempty"`
	Started api.Time `json:"started"`
	// Pods are Nodes[0]'s pods not done yet.
	Pods []DrainPod `json:"pods,omitempty"`
	// Errors are Nodes[0]'s pod errors so far.
	Errors []string `json:"errors,omitempty"`
	// Pending are the nodes that failed, with their errors, for the final message.
	Pending []string `json:"pending,omitempty"`
	Fatal   []string `json:"fatal,omitempty"`
}

// Opts are the drain flags that matter after the command started.
type Opts struct {
	Force           bool         `json:"force,omitempty"`
	IgnoreDS        bool         `json:"ignoreDaemonSets,omitempty"`
	EmptyDir        bool         `json:"deleteEmptyDirData,omitempty"`
	DisableEviction bool         `json:"disableEviction,omitempty"`
	Grace           int          `json:"gracePeriod"`
	Timeout         api.Duration `json:"timeout,omitempty"`
	PodSelector     string       `json:"podSelector,omitempty"`
}

// DrainPod is one pod of the node being drained.
type DrainPod struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	UID       string `json:"uid"`
	// Waiting is set once the eviction (or deletion) was accepted: then At is the next poll;
	// before, At is the next eviction attempt.
	Waiting bool     `json:"waiting,omitempty"`
	At      api.Time `json:"at"`
}

// evictRetry is EvictErrorRetryDelay (pkg/cmd/drain: 5 s); pollInterval is waitForDelete's.
const (
	evictRetry   = 5 * api.Second
	pollInterval = api.Second
)

func runDrain(env *Env, inv *Invocation) (string, error) {
	d := &Drain{TypeMeta: api.TypeMeta{Kind: DrainKind}, Source: env.Ctx.Name(), Command: "kubectl " + inv.Line}
	o := &d.Opts
	var err error
	if o.Force, err = boolFlag(inv, "force"); err != nil {
		return "", err
	}
	if o.IgnoreDS, err = boolFlag(inv, "ignore-daemonsets"); err != nil {
		return "", err
	}
	if o.EmptyDir, err = boolFlag(inv, "delete-emptydir-data"); err != nil {
		return "", err
	}
	if legacy, err := boolFlag(inv, "delete-local-data"); err != nil {
		return "", err
	} else if legacy {
		o.EmptyDir = true
	}
	if o.DisableEviction, err = boolFlag(inv, "disable-eviction"); err != nil {
		return "", err
	}
	o.Grace = -1
	if g, ok := inv.Flag("grace-period"); ok {
		if o.Grace, err = strconv.Atoi(g); err != nil {
			return "", Errorf("invalid argument %q for \"--grace-period\" flag: strconv.ParseInt: parsing %q: invalid syntax", g, g)
		}
	}
	if t, ok := inv.Flag("timeout"); ok {
		if o.Timeout, err = api.ParseDuration(t); err != nil {
			return "", Errorf("invalid argument %q for \"--timeout\" flag: %v", t, err)
		}
	}
	o.PodSelector, _ = inv.Flag("pod-selector")
	if _, err := parseSelector(o.PodSelector); err != nil {
		return "", Errorf("--pod-selector=<pod_selector> must be a valid label selector")
	}
	nodes, err := nodesFor(env, inv, "drain")
	if err != nil {
		return "", err
	}
	var out, errOut strings.Builder
	// RunCordonOrUncordon(true) for every node first.
	for _, n := range nodes {
		s, err := setUnschedulable(env, n, true)
		if err != nil {
			return out.String(), err
		}
		out.WriteString(s)
		d.Nodes = append(d.Nodes, n.Name)
	}
	if !d.advance(env, &out, &errOut) {
		d.Name = "drain-" + strconv.FormatInt(env.Ctx.Store().ResourceVersion()+1, 10)
		if err := env.Ctx.Create(d); err != nil {
			return out.String(), err
		}
	}
	if errOut.Len() > 0 {
		return out.String(), &Error{Msg: strings.TrimSuffix(errOut.String(), "\n")}
	}
	return out.String(), nil
}

// advance runs the drain as far as it gets at the current instant, printing what kubectl
// prints; it reports whether the command has finished.
func (d *Drain) advance(env *Env, out, errOut *strings.Builder) bool {
	now := env.Ctx.Now()
	for len(d.Nodes) > 0 {
		if !d.Running && !d.startNode(env, out, errOut) {
			continue // the filters refused the node
		}
		if d.Opts.DisableEviction {
			d.pollDeletes(env, now, out)
		} else {
			d.stepEvictions(env, now, out)
		}
		if len(d.Pods) > 0 {
			return false
		}
		d.finishNode(env, out, errOut)
	}
	if len(d.Pending) > 0 {
		errOut.WriteString("There are pending nodes to be drained:\n")
		for _, p := range d.Pending {
			fmt.Fprintf(errOut, " %s\n", p)
		}
		errOut.WriteString("error: " + aggregate(d.Fatal))
	}
	return true
}

// startNode selects Nodes[0]'s pods through the filters (deleteOrEvictPodsSimple). It
// returns false when they refuse, having recorded the node as pending.
func (d *Drain) startNode(env *Env, out, errOut *strings.Builder) bool {
	node := d.Nodes[0]
	pods, warnings, fatal := d.podsForDeletion(env, node)
	if fatal != "" {
		d.failNode(fatal, errOut)
		return false
	}
	if warnings != "" {
		out.WriteString("Warning: " + warnings + "\n") // stderr, in order
	}
	now := env.Ctx.Now()
	d.Running, d.Started = true, now
	for _, p := range pods {
		d.Pods = append(d.Pods, DrainPod{Namespace: p.Namespace, Name: p.Name, UID: p.UID, At: now})
	}
	if d.Opts.DisableEviction {
		// deletePods: delete them all, then wait for them together.
		for i := range d.Pods {
			dp := &d.Pods[i]
			if err := env.Ctx.Delete("Pod", dp.Namespace+"/"+dp.Name, d.deleteOptions()); err != nil && !errors.Is(err, store.ErrNotFound) {
				d.Errors = append(d.Errors, err.Error())
				d.Pods = nil
				return true
			}
			dp.Waiting = true
		}
	}
	return true
}

func (d *Drain) deleteOptions() sim.DeleteOptions {
	var opts sim.DeleteOptions
	if d.Opts.Grace >= 0 {
		g := int64(d.Opts.Grace)
		opts.GracePeriodSeconds = &g
	}
	return opts
}

// deadline reports whether --timeout has run out for the node being drained.
func (d *Drain) deadline(now api.Time) (api.Time, bool) {
	if d.Opts.Timeout <= 0 {
		return 0, false
	}
	at := d.Started.Add(d.Opts.Timeout)
	return at, now >= at
}

// stepEvictions runs the goroutines of evictPods whose time has come, in pod-name order.
func (d *Drain) stepEvictions(env *Env, now api.Time, out *strings.Builder) {
	var left []DrainPod
	for _, dp := range d.Pods {
		if dp.At > now {
			left = append(left, dp)
			continue
		}
		if dp.Waiting {
			if d.gone(env, dp) {
				fmt.Fprintf(out, "pod/%s evicted\n", dp.Name)
				continue
			}
			if _, over := d.deadline(now); over {
				d.Errors = append(d.Errors, fmt.Sprintf("error when waiting for pod %q in namespace %q to terminate: context deadline exceeded", dp.Name, dp.Namespace))
				continue
			}
			dp.At = d.nextPoll(now)
			left = append(left, dp)
			continue
		}
		// After a 429 upstream refreshes the pod by name (a StatefulSet's replacement has
		// the same name and a new UID) and waits for that one.
		if o := env.Ctx.Store().Get("Pod", dp.Namespace+"/"+dp.Name); o != nil {
			dp.UID = o.Meta().UID
		}
		fmt.Fprintf(out, "evicting pod %s/%s\n", dp.Namespace, dp.Name)
		if _, over := d.deadline(now); over {
			d.Errors = append(d.Errors, fmt.Sprintf("error when evicting pods/%q -n %q: global timeout reached: %s", dp.Name, dp.Namespace, d.Opts.Timeout))
			continue
		}
		err := env.Ctx.Evict(dp.Namespace, dp.Name, d.deleteOptions())
		se, _ := err.(*sim.StatusError)
		switch {
		case err == nil:
			// waitForDelete polls at once, then every second.
			if d.gone(env, dp) {
				fmt.Fprintf(out, "pod/%s evicted\n", dp.Name)
				continue
			}
			dp.Waiting, dp.At = true, d.nextPoll(now)
			left = append(left, dp)
		case se != nil && se.Code == 404:
			// The pod is gone: done, silently.
		case se != nil && se.Code == 429:
			// stderr upstream; kept in order with the rest, as a terminal shows it (like the
			// Warning line): the command has not failed.
			fmt.Fprintf(out, "error when evicting pods/%q -n %q (will retry after %s): %v\n", dp.Name, dp.Namespace, evictRetry, err)
			dp.At = now.Add(evictRetry)
			left = append(left, dp)
		default:
			d.Errors = append(d.Errors, fmt.Sprintf("error when evicting pods/%q -n %q: %v", dp.Name, dp.Namespace, err))
		}
	}
	d.Pods = left
}

// nextPoll is the next waitForDelete poll, or the deadline if that comes first (the poll
// watches the context).
func (d *Drain) nextPoll(now api.Time) api.Time {
	next := now.Add(pollInterval)
	if at, _ := d.deadline(now); d.Opts.Timeout > 0 && at < next {
		return at
	}
	return next
}

// pollDeletes is deletePods' waitForDelete over all the node's pods.
func (d *Drain) pollDeletes(env *Env, now api.Time, out *strings.Builder) {
	if len(d.Pods) == 0 || d.Pods[0].At > now {
		return
	}
	var left []DrainPod
	for _, dp := range d.Pods {
		if d.gone(env, dp) {
			fmt.Fprintf(out, "pod/%s deleted\n", dp.Name)
			continue
		}
		left = append(left, dp)
	}
	if _, over := d.deadline(now); over && len(left) > 0 {
		d.Errors = append(d.Errors, "context deadline exceeded")
		left = nil
	}
	for i := range left {
		left[i].At = d.nextPoll(now)
	}
	d.Pods = left
}

// gone is waitForDelete's test: the pod is not found, or a new pod has its name.
func (d *Drain) gone(env *Env, dp DrainPod) bool {
	o := env.Ctx.Store().Get("Pod", dp.Namespace+"/"+dp.Name)
	return o == nil || o.Meta().UID != dp.UID
}

// finishNode prints the end of Nodes[0] (RunDrain): drained, or the error.
func (d *Drain) finishNode(env *Env, out, errOut *strings.Builder) {
	node := d.Nodes[0]
	if len(d.Errors) == 0 {
		fmt.Fprintf(out, "node/%s drained\n", node)
		d.nextNode()
		return
	}
	err := aggregate(d.Errors)
	// deleteOrEvictPodsSimple lists the pods still to go.
	if pods, _, _ := d.podsForDeletion(env, node); len(pods) > 0 {
		fmt.Fprintf(errOut, "There are pending pods in node %q when an error occurred: %s\n", node, err)
		for _, p := range pods {
			fmt.Fprintf(errOut, "pod/%s\n", p.Name)
		}
	}
	d.failNode(err, errOut)
}

func (d *Drain) failNode(err string, errOut *strings.Builder) {
	fmt.Fprintf(errOut, "error: unable to drain node %q due to error: %s, continuing command...\n", d.Nodes[0], err)
	d.Pending = append(d.Pending, d.Nodes[0])
	d.Fatal = append(d.Fatal, err)
	d.nextNode()
}

func (d *Drain) nextNode() {
	d.Nodes = d.Nodes[1:]
	d.Running, d.Started, d.Pods, d.Errors = false, 0, nil, nil
}

// podsForDeletion is GetPodsForDeletion: the node's pods through the filters, the warnings
// line, or the aggregated error of the filters that refuse.
func (d *Drain) podsForDeletion(env *Env, node string) (pods []*api.Pod, warnings, fatal string) {
	sel, _ := parseSelector(d.Opts.PodSelector)
	o := drainOptions{force: d.Opts.Force, ignoreDS: d.Opts.IgnoreDS, emptyDir: d.Opts.EmptyDir, podSel: sel}
	var verdicts []podVerdict
	for _, x := range env.Ctx.Store().ByIndex("node", "Pod", node) {
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
		return nil, "", aggregate(msgs)
	}
	if keys, by := group(func(v podVerdict) string { return v.warning }); len(keys) > 0 {
		var msgs []string
		for _, k := range keys {
			msgs = append(msgs, fmt.Sprintf("%s: %s", k, strings.Join(by[k], ", ")))
		}
		warnings = strings.Join(msgs, "; ")
	}
	for _, v := range verdicts {
		if v.delete {
			pods = append(pods, v.pod)
		}
	}
	return pods, warnings, ""
}

// DrainController carries running drains forward in virtual time: at each retry or poll it
// does what kubectl's goroutines would and appends the output to the trace.
type DrainController struct{}

// Name implements sim.Controller.
func (DrainController) Name() string { return "kubectl-drain" }

// Watch enqueues a drain when its object is written (the command created it, or the
// controller moved it on and must schedule its next wake-up).
func (DrainController) Watch(ctx *sim.Context, c store.Change) {
	if c.Kind == DrainKind && c.New != nil {
		ctx.Enqueue(c.Key)
	}
}

// Reconcile runs the drain's due steps and schedules the next.
func (DrainController) Reconcile(ctx *sim.Context, key string) error {
	o := ctx.Store().Get(DrainKind, key)
	if o == nil {
		return nil
	}
	d := api.Clone(o.(*Drain))
	next := api.Time(-1)
	for _, p := range d.Pods {
		if next < 0 || p.At < next {
			next = p.At
		}
	}
	if next > ctx.Now() {
		ctx.EnqueueAt(key, next)
		return nil
	}
	var out, errOut strings.Builder
	env := &Env{Ctx: ctx}
	done := d.advance(env, &out, &errOut)
	if out.Len() > 0 || errOut.Len() > 0 {
		ctx.ActionOutput(d.Source, d.Command, out.String(), strings.TrimSuffix(errOut.String(), "\n"))
	}
	if done {
		return ctx.Remove(DrainKind, key)
	}
	return ctx.Update(d)
}
