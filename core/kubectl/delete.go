package kubectl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// kubectl delete, after k8s.io/kubectl pkg/cmd/delete/delete.go (v1.37): grace-period
// conversions of Complete, the --force checks of Validate, and PrintObj's
// `pod "web-0" deleted from default namespace` (the namespace suffix is new in 1.34).
// The simulator does not block a command in virtual time, so --wait has no effect: the
// deletion has started when the command returns, and a graceful pod shows Terminating.

// ForceDeleteWarning is printed (on stderr, prefixed "Warning: ") by --force --grace-period=0.
const ForceDeleteWarning = "Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely."

func init() {
	Register(&Command{
		Path:  "delete",
		Flags: []string{"grace-period", "force!", "now!", "l|selector", "all!", "wait!", "ignore-not-found!", "o|output", "cascade", "A|all-namespaces!", "timeout"},
		Usage: "kubectl delete TYPE NAME... | TYPE/NAME... | TYPE -l selector | TYPE --all",
		Run:   runDelete,
	})
}

func runDelete(env *Env, inv *Invocation) (string, error) {
	grace := -1
	if v, ok := inv.Flag("grace-period"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return "", Errorf("invalid argument %q for \"--grace-period\" flag: strconv.ParseInt: parsing %q: invalid syntax", v, v)
		}
		grace = n
	}
	force, err := boolFlag(inv, "force")
	if err != nil {
		return "", err
	}
	now, err := boolFlag(inv, "now")
	if err != nil {
		return "", err
	}
	all, err := boolFlag(inv, "all")
	if err != nil {
		return "", err
	}
	allNS, err := boolFlag(inv, "all-namespaces")
	if err != nil {
		return "", err
	}
	if _, err := boolFlag(inv, "wait"); err != nil {
		return "", err
	}
	selStr, hasSel := inv.Flag("selector")
	ignoreNotFound := all || hasSel
	if _, ok := inv.Flag("ignore-not-found"); ok {
		if ignoreNotFound, err = boolFlag(inv, "ignore-not-found"); err != nil {
			return "", err
		}
	}
	output, _ := inv.Flag("output")
	if output != "" && output != "name" {
		return "", Errorf("unexpected -o output mode: %v. We only support '-o name'", output)
	}
	if c, ok := inv.Flag("cascade"); ok {
		switch c {
		case "background", "foreground", "true":
		case "orphan", "false":
			return "", Errorf("--cascade=%s is not supported by the simulator (dependents are always garbage-collected)", c)
		default:
			return "", Errorf("invalid cascade value (%v). Must be \"background\", \"foreground\", or \"orphan\"", c)
		}
	}
	// Complete: --now is --grace-period=1; --grace-period=0 without --force becomes 1;
	// --force without a grace period means 0.
	if now {
		if grace != -1 {
			return "", Errorf("--now and --grace-period cannot be specified together")
		}
		grace = 1
	}
	if grace == 0 && !force {
		grace = 1
	}
	if force && grace < 0 {
		grace = 0
	}
	if all && hasSel {
		return "", Errorf("cannot set --all and --selector at the same time")
	}
	var out strings.Builder
	switch {
	case grace == 0 && force:
		out.WriteString("Warning: " + ForceDeleteWarning + "\n")
	case grace > 0 && force:
		return "", Errorf("--force and --grace-period greater than 0 cannot be specified together")
	}
	if len(inv.Args) == 0 {
		return "", Errorf("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
	}
	targets, err := parseTargets(inv.Args)
	if err != nil {
		return "", err
	}
	for _, t := range targets {
		if len(t.names) == 0 && !all && !hasSel {
			return "", Errorf("resource(s) were provided, but no name was specified")
		}
		if len(t.names) > 0 && (all || hasSel) {
			return "", Errorf("name cannot be provided when a selector is specified")
		}
	}
	sel, err := parseSelector(selStr)
	if err != nil {
		return "", err
	}
	ns := inv.Namespace
	if allNS {
		ns = ""
	}
	var opts sim.DeleteOptions
	if grace >= 0 {
		g := int64(grace)
		opts.GracePeriodSeconds = &g
	}
	var errs []error
	found := 0
	for _, t := range targets {
		objs, e := lookup(env, t, ns, sel)
		if !ignoreNotFound {
			errs = append(errs, e...)
		}
		for _, o := range objs {
			found++
			m := o.Meta()
			if pc, ok := o.(*api.PriorityClass); ok && env.Ctx.Store().Get("PriorityClass", pc.Name) == nil {
				// pkg/registry/scheduling/priorityclass/storage: the built-in classes stay.
				errs = append(errs, &Error{Msg: fmt.Sprintf("Error from server (Forbidden): priorityclasses.scheduling.k8s.io %q is forbidden: this is a system priority class and cannot be deleted", pc.Name)})
				continue
			}
			if err := env.Ctx.Delete(o.GetKind(), m.Key(), opts); err != nil {
				errs = append(errs, &Error{Msg: fmt.Sprintf("Error from server: %v", err)})
				continue
			}
			out.WriteString(deletedLine(o, grace, output))
		}
	}
	if found == 0 && len(errs) == 0 {
		out.WriteString("No resources found\n")
	}
	return out.String(), joinErrors(errs)
}

// deletedLine is delete's PrintObj: `pod "web-0" deleted from default namespace`,
// `force deleted` when the grace period is 0, `pod/web-0` with -o name.
func deletedLine(o api.Object, grace int, output string) string {
	kind := LowerKind(o.GetKind())
	if output == "name" {
		return kind + "/" + o.Meta().Name + "\n"
	}
	op := "deleted"
	if grace == 0 {
		op = "force deleted"
	}
	if ns := o.Meta().Namespace; ns != "" {
		op += " from " + ns + " namespace"
	}
	return fmt.Sprintf("%s %q %s\n", kind, o.Meta().Name, op)
}
