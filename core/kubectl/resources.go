package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// This file holds what get, describe, delete, drain and label share: resource names as the
// API server spells them in errors, label selectors, and the object lookups.

// resourcePlural returns the resource name used in API errors, e.g. `pods`,
// `deployments.apps`, `storageclasses.storage.k8s.io`.
func resourcePlural(kind string) string {
	lower := strings.ToLower(kind)
	plural := lower + "s"
	switch {
	case strings.HasSuffix(lower, "s"):
		plural = lower + "es"
	case strings.HasSuffix(lower, "y"):
		plural = lower[:len(lower)-1] + "ies"
	}
	lk := LowerKind(kind)
	if _, group, ok := strings.Cut(lk, "."); ok {
		return plural + "." + group
	}
	return plural
}

// NotFoundError is the API server's 404 as kubectl prints it:
// `Error from server (NotFound): pods "web-0" not found`.
func NotFoundError(kind, name string) error {
	return &Error{Msg: fmt.Sprintf("Error from server (NotFound): %s %q not found", resourcePlural(kind), name)}
}

// extraAliases are resource names this package accepts on top of KindOf's.
var extraAliases = map[string]string{"namespace": "Namespace", "namespaces": "Namespace", "ns": "Namespace"}

// resolveKind maps a resource word to a kind, or returns kubectl's error for an unknown type.
func resolveKind(typ string) (string, error) {
	if k, ok := KindOf(typ); ok {
		return k, nil
	}
	if k, ok := extraAliases[strings.ToLower(typ)]; ok {
		return k, nil
	}
	return "", &Error{Msg: fmt.Sprintf("error: the server doesn't have a resource type %q", typ)}
}

// allCategory is kubectl's `all` category, in the order kubectl prints it (the kinds the
// simulator has): pods, services, deployments, replicasets, statefulsets,
// horizontalpodautoscalers.
var allCategory = []string{"Pod", "Service", "Deployment", "ReplicaSet", "StatefulSet", "HorizontalPodAutoscaler"}

// target is one resource request of a command line: a kind and, optionally, names.
type target struct {
	kind  string
	names []string
}

// parseTargets reads kubectl's resource arguments: `TYPE[,TYPE...] [NAME...]` or
// `TYPE/NAME...` (the two forms cannot be mixed).
func parseTargets(args []string) ([]target, error) {
	if len(args) == 0 {
		return nil, nil
	}
	if strings.Contains(args[0], "/") {
		var out []target
		for _, a := range args {
			typ, name, ok := strings.Cut(a, "/")
			if !ok {
				return nil, Errorf("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
			}
			if name == "" || typ == "" {
				return nil, Errorf("arguments in resource/name form must have a single resource and name")
			}
			kind, err := resolveKind(typ)
			if err != nil {
				return nil, err
			}
			if n := len(out); n > 0 && out[n-1].kind == kind {
				out[n-1].names = append(out[n-1].names, name)
			} else {
				out = append(out, target{kind: kind, names: []string{name}})
			}
		}
		return out, nil
	}
	for _, a := range args[1:] {
		if strings.Contains(a, "/") {
			return nil, Errorf("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
		}
	}
	var out []target
	seen := map[string]bool{}
	for _, typ := range strings.Split(args[0], ",") {
		if typ == "" {
			continue
		}
		kinds := allCategory
		if strings.ToLower(typ) != "all" {
			k, err := resolveKind(typ)
			if err != nil {
				return nil, err
			}
			kinds = []string{k}
		}
		for _, k := range kinds {
			if !seen[k] {
				seen[k] = true
				out = append(out, target{kind: k, names: args[1:]})
			}
		}
	}
	if len(out) == 0 {
		return nil, Errorf("you must specify the type of resource to get")
	}
	return out, nil
}

// selector is a parsed label selector (k8s.io/apimachinery/pkg/labels.Parse): requirements
// joined by commas, each `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
type selector []api.LabelSelectorRequirement

// parseSelector parses a -l value. The empty string selects everything.
func parseSelector(s string) (selector, error) {
	var reqs selector
	rest := strings.TrimSpace(s)
	for rest != "" {
		// Split at the next comma outside parentheses.
		depth, end := 0, len(rest)
		for i := 0; i < len(rest); i++ {
			switch rest[i] {
			case '(':
				depth++
			case ')':
				depth--
			case ',':
				if depth == 0 && end == len(rest) {
					end = i
				}
			}
		}
		part := strings.TrimSpace(rest[:end])
		if end < len(rest) {
			rest = strings.TrimSpace(rest[end+1:])
			if rest == "" {
				return nil, selectorError(s, "found '', expected: identifier")
			}
		} else {
			rest = ""
		}
		r, err := parseRequirement(part)
		if err != nil {
			return nil, selectorError(s, err.Error())
		}
		reqs = append(reqs, r)
	}
	return reqs, nil
}

func selectorError(s, detail string) error {
	return Errorf("unable to parse requirement: %s (in selector %q)", detail, s)
}

func validLabelKey(k string) bool {
	if k == "" || len(k) > 316 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./", c)) {
			return false
		}
	}
	return true
}

func parseRequirement(p string) (api.LabelSelectorRequirement, error) {
	var r api.LabelSelectorRequirement
	if p == "" {
		return r, fmt.Errorf("found '', expected: !, identifier, or 'end of string'")
	}
	if strings.HasPrefix(p, "!") {
		k := strings.TrimSpace(p[1:])
		if !validLabelKey(k) {
			return r, fmt.Errorf("invalid label key %q", k)
		}
		return api.LabelSelectorRequirement{Key: k, Operator: "DoesNotExist"}, nil
	}
	for _, op := range []struct{ tok, name string }{{"!=", "NotIn"}, {"==", "In"}, {"=", "In"}} {
		if k, v, ok := strings.Cut(p, op.tok); ok {
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if !validLabelKey(k) {
				return r, fmt.Errorf("invalid label key %q", k)
			}
			if strings.ContainsAny(v, "=!() ") {
				return r, fmt.Errorf("invalid label value: %q", v)
			}
			return api.LabelSelectorRequirement{Key: k, Operator: op.name, Values: []string{v}}, nil
		}
	}
	fields := strings.Fields(p)
	if len(fields) == 1 {
		if !validLabelKey(fields[0]) {
			return r, fmt.Errorf("invalid label key %q", fields[0])
		}
		return api.LabelSelectorRequirement{Key: fields[0], Operator: "Exists"}, nil
	}
	k := fields[0]
	restStr := strings.TrimSpace(strings.TrimPrefix(p, k))
	var opName string
	switch {
	case strings.HasPrefix(restStr, "notin"):
		opName, restStr = "NotIn", strings.TrimSpace(restStr[len("notin"):])
	case strings.HasPrefix(restStr, "in"):
		opName, restStr = "In", strings.TrimSpace(restStr[len("in"):])
	default:
		return r, fmt.Errorf("found '%s', expected: in, notin, =, ==, !=, gt, lt", strings.Fields(restStr)[0])
	}
	if !strings.HasPrefix(restStr, "(") || !strings.HasSuffix(restStr, ")") {
		return r, fmt.Errorf("found '%s', expected: '('", restStr)
	}
	var vals []string
	for _, v := range strings.Split(restStr[1:len(restStr)-1], ",") {
		vals = append(vals, strings.TrimSpace(v))
	}
	if !validLabelKey(k) {
		return r, fmt.Errorf("invalid label key %q", k)
	}
	return api.LabelSelectorRequirement{Key: k, Operator: opName, Values: vals}, nil
}

// Matches reports whether labels satisfy every requirement.
func (s selector) Matches(labels map[string]string) bool {
	ls := &api.LabelSelector{MatchExpressions: s}
	return ls.Matches(labels)
}

// lookup returns the objects a target names in ns ("" = all namespaces), or every object of
// the kind matching sel when it names none. Missing names produce NotFound errors.
func lookup(env *Env, t target, ns string, sel selector) ([]api.Object, []error) {
	st := env.Ctx.Store()
	if IsClusterScoped(t.kind) {
		ns = ""
	}
	list := st.List
	if t.kind == "PriorityClass" {
		list = func(string, string) []api.Object { return priorityClassObjects(st) }
	}
	if len(t.names) == 0 {
		var out []api.Object
		for _, o := range list(t.kind, ns) {
			if sel.Matches(o.Meta().Labels) {
				out = append(out, o)
			}
		}
		if ns == "" && !IsClusterScoped(t.kind) {
			// The API server lists across namespaces by namespace, then name.
			sort.SliceStable(out, func(i, j int) bool { return out[i].Meta().Key() < out[j].Meta().Key() })
		}
		return out, nil
	}
	var out []api.Object
	var errs []error
	for _, name := range t.names {
		o := st.Get(t.kind, Key(t.kind, ns, name))
		if pc := api.LookupPriorityClass(st, name); t.kind == "PriorityClass" && pc != nil {
			o = pc
		}
		if o == nil {
			errs = append(errs, NotFoundError(t.kind, name))
			continue
		}
		if sel.Matches(o.Meta().Labels) {
			out = append(out, o)
		}
	}
	return out, errs
}

// joinErrors renders several kubectl errors one per line, as kubectl prints them on stderr.
// visit applies fn to every object the targets name, like kubectl's resource visitor: the
// lines fn returns are concatenated in order, and lookup errors (NotFound) and fn's errors are
// collected, so one missing object does not stop the others.
func visit(env *Env, targets []target, ns string, sel selector, fn func(api.Object) (string, error)) (string, []error) {
	var out strings.Builder
	var errs []error
	for _, t := range targets {
		objs, lerrs := lookup(env, t, ns, sel)
		errs = append(errs, lerrs...)
		for _, o := range objs {
			line, err := fn(o)
			out.WriteString(line)
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return out.String(), errs
}

func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return &Error{Msg: strings.Join(msgs, "\n")}
}

// boolFlag reads a boolean flag ("true"/"false"; given without a value means true).
func boolFlag(inv *Invocation, name string) (bool, error) {
	v, ok := inv.Flag(name)
	if !ok {
		return false, nil
	}
	switch strings.ToLower(v) {
	case "true", "1", "t":
		return true, nil
	case "false", "0", "f":
		return false, nil
	}
	return false, Errorf("invalid argument %q for \"--%s\" flag: strconv.ParseBool: parsing %q: invalid syntax", v, name, v)
}
