package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// kubectl label and annotate, after k8s.io/kubectl pkg/cmd/label/label.go and
// pkg/cmd/annotate/annotate.go: `KEY=VALUE` sets, `KEY-` removes, --overwrite allows
// changing an existing value; the result line is `pod/web-0 labeled` (or unlabeled,
// modified, not labeled) and `pod/web-0 annotated`.

func init() {
	for _, annotate := range []bool{false, true} {
		annotate := annotate
		path := map[bool]string{false: "label", true: "annotate"}[annotate]
		Register(&Command{
			Path:  path,
			Flags: []string{"overwrite!", "l|selector", "all!", "A|all-namespaces!", "o|output"},
			Usage: "kubectl " + path + " TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N",
			Run: func(env *Env, inv *Invocation) (string, error) {
				return runLabel(env, inv, annotate)
			},
		})
	}
}

func runLabel(env *Env, inv *Invocation, annotate bool) (string, error) {
	what := map[bool]string{false: "label", true: "annotation"}[annotate]
	// Resource arguments come first; KEY=VALUE and KEY- arguments follow.
	var resArgs, specs []string
	for i, a := range inv.Args {
		if i > 0 && (strings.Contains(a, "=") || strings.HasSuffix(a, "-")) {
			specs = append(specs, a)
		} else if len(specs) > 0 {
			return "", Errorf("all resources must be specified before %s changes: %s", what, a)
		} else {
			resArgs = append(resArgs, a)
		}
	}
	if len(specs) == 0 {
		return "", Errorf("at least one %s update is required", what)
	}
	if len(resArgs) == 0 {
		return "", Errorf("one or more resources must be specified as <resource> <name> or <resource>/<name>")
	}
	set := map[string]string{}
	var remove []string
	for _, s := range specs {
		if k, v, ok := strings.Cut(s, "="); ok {
			if !validLabelKey(k) {
				return "", Errorf("invalid %s spec: %v", what, s)
			}
			if !annotate && strings.ContainsAny(v, " =,()!") {
				return "", Errorf("invalid label value: %q: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", s)
			}
			set[k] = v
			continue
		}
		k := strings.TrimSuffix(s, "-")
		if !validLabelKey(k) {
			return "", Errorf("unknown %s spec: %v", what, s)
		}
		remove = append(remove, k)
	}
	for _, k := range remove {
		if _, dup := set[k]; dup {
			return "", Errorf("can not both modify and remove %s in the same command", map[bool]string{false: "a label", true: "an annotation"}[annotate])
		}
	}
	overwrite, err := boolFlag(inv, "overwrite")
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
	selStr, hasSel := inv.Flag("selector")
	if all && hasSel {
		return "", Errorf("cannot set --all and --selector at the same time")
	}
	sel, err := parseSelector(selStr)
	if err != nil {
		return "", err
	}
	targets, err := parseTargets(resArgs)
	if err != nil {
		return "", err
	}
	ns := inv.Namespace
	if allNS {
		ns = ""
	}
	output, _ := inv.Flag("output")
	for _, t := range targets {
		if len(t.names) == 0 && !all && !hasSel {
			return "", Errorf("resource(s) were provided, but no name was specified")
		}
	}
	out, errs := visit(env, targets, ns, sel, func(o api.Object) (string, error) {
		return applyLabels(env, o, set, remove, overwrite, annotate, output)
	})
	return out, joinErrors(errs)
}

func applyLabels(env *Env, o api.Object, set map[string]string, remove []string, overwrite, annotate bool, output string) (string, error) {
	cur := o.Meta().Labels
	if annotate {
		cur = o.Meta().Annotations
	}
	if !overwrite {
		var conflicts []string
		for _, k := range api.SortedKeys(set) {
			if v, ok := cur[k]; ok && v != set[k] {
				if annotate {
					conflicts = append(conflicts, fmt.Sprintf("'%s' already has a value (%s)", k, v))
				} else {
					conflicts = append(conflicts, fmt.Sprintf("'%s' already has a value (%s), and --overwrite is false", k, v))
				}
			}
		}
		if len(conflicts) > 0 {
			if annotate {
				return "", Errorf("--overwrite is false but found the following declared annotation(s): %s", strings.Join(conflicts, "; "))
			}
			return "", Errorf("%s", aggregate(conflicts))
		}
	}
	var notFound strings.Builder
	next := map[string]string{}
	for k, v := range cur {
		next[k] = v
	}
	added, removed := 0, 0
	for k, v := range set {
		if old, ok := cur[k]; !ok || old != v {
			added++
		}
		next[k] = v
	}
	sort.Strings(remove)
	for _, k := range remove {
		if _, ok := cur[k]; ok {
			removed++
			delete(next, k)
		} else if !annotate {
			fmt.Fprintf(&notFound, "label %q not found.\n", k)
		}
	}
	if added+removed > 0 {
		cp := api.Clone(o)
		if len(next) == 0 {
			next = nil
		}
		if annotate {
			cp.Meta().Annotations = next
		} else {
			cp.Meta().Labels = next
		}
		if _, err := updateObject(env, o, cp); err != nil {
			return notFound.String(), err
		}
	}
	msg := "annotated"
	if !annotate {
		switch {
		case added > 0 && removed > 0:
			msg = "modified"
		case added > 0:
			msg = "labeled"
		case removed > 0:
			msg = "unlabeled"
		default:
			msg = "not labeled"
		}
	}
	ref := LowerKind(o.GetKind()) + "/" + o.Meta().Name
	if output == "name" {
		return notFound.String() + ref + "\n", nil
	}
	return notFound.String() + ref + " " + msg + "\n", nil
}
