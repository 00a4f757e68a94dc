package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// kubectl get, after k8s.io/kubectl pkg/cmd/get/get.go: one table per resource type in
// the order asked, a blank line between tables, `kind.group/name` names when more than one
// type was printed, a NAMESPACE column with -A, and "No resources found" when nothing
// matched.

func init() {
	Register(&Command{
		Path:  "get",
		Flags: []string{"o|output", "l|selector", "A|all-namespaces!", "show-labels!", "no-headers!", "ignore-not-found!", "sort-by"},
		Usage: "kubectl get TYPE[,TYPE...] [NAME...] [-o wide|name|yaml|json] [-l selector] [-A] [--show-labels]",
		Run:   runGet,
	})
}

func runGet(env *Env, inv *Invocation) (string, error) {
	output, _ := inv.Flag("output")
	switch output {
	case "", "wide", "name", "yaml", "json":
	default:
		return "", Errorf("unable to match a printer suitable for the output format %q, allowed formats are: json,name,wide,yaml", output)
	}
	allNS, err := boolFlag(inv, "all-namespaces")
	if err != nil {
		return "", err
	}
	showLabels, err := boolFlag(inv, "show-labels")
	if err != nil {
		return "", err
	}
	noHeaders, err := boolFlag(inv, "no-headers")
	if err != nil {
		return "", err
	}
	ignoreNotFound, err := boolFlag(inv, "ignore-not-found")
	if err != nil {
		return "", err
	}
	selStr, _ := inv.Flag("selector")
	sel, err := parseSelector(selStr)
	if err != nil {
		return "", err
	}
	if len(inv.Args) == 0 {
		return "", &Error{Msg: "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples"}
	}
	targets, err := parseTargets(inv.Args)
	if err != nil {
		return "", err
	}
	named := false
	for _, t := range targets {
		if len(t.names) > 0 {
			named = true
		}
	}
	if named && selStr != "" {
		return "", Errorf("selector (-l) may not be specified when requesting resources by name")
	}
	ns := inv.Namespace
	if allNS {
		if named {
			return "", Errorf("a resource cannot be retrieved by name across all namespaces")
		}
		ns = ""
	}
	sortBy, _ := inv.Flag("sort-by")

	// Collect the objects per type, in the order asked; NotFound errors follow the output.
	type group struct {
		kind string
		objs []api.Object
	}
	var groups []group
	var errs []error
	total := 0
	for _, t := range targets {
		objs, e := lookup(env, t, ns, sel)
		if !ignoreNotFound {
			errs = append(errs, e...)
		}
		if sortBy != "" {
			if err := sortObjects(objs, sortBy); err != nil {
				return "", err
			}
		}
		total += len(objs)
		if len(objs) > 0 {
			groups = append(groups, group{t.kind, objs})
		}
	}
	now := env.Ctx.Now()
	var out strings.Builder

	switch output {
	case "yaml", "json":
		var items []any
		for _, g := range groups {
			for _, o := range g.objs {
				items = append(items, Generic(o))
			}
		}
		// A single named object prints as itself; anything else as a v1 List.
		single := len(targets) == 1 && len(targets[0].names) == 1
		if single && len(items) == 0 {
			return "", joinErrors(errs)
		}
		var v any = listOf(items)
		if single {
			v = items[0]
		}
		var s string
		if output == "json" {
			s, err = printJSON(v)
		} else {
			s, err = printYAML(v)
		}
		if err != nil {
			return "", err
		}
		return s, joinErrors(errs)
	case "name":
		for _, g := range groups {
			for _, o := range g.objs {
				fmt.Fprintf(&out, "%s/%s\n", LowerKind(g.kind), o.Meta().Name)
			}
		}
		return out.String(), joinErrors(errs)
	}

	withKind := len(groups) > 1
	for i, g := range groups {
		p := PrinterFor(g.kind)
		if p == nil {
			p = defaultPrinter(g.kind)
		}
		wide := output == "wide"
		withNS := allNS && !IsClusterScoped(g.kind)
		var rows [][]string
		if !noHeaders {
			h := append([]string{}, headersFor(p, wide)...)
			if withNS {
				h = append([]string{"NAMESPACE"}, h...)
			}
			if showLabels {
				h = append(h, "LABELS")
			}
			rows = append(rows, h)
		}
		for _, o := range g.objs {
			cells := append([]string{}, p.Row(o, now, wide)...)
			if withKind && nameColumn(p) >= 0 {
				c := nameColumn(p)
				cells[c] = LowerKind(g.kind) + "/" + cells[c]
			}
			if withNS {
				cells = append([]string{o.Meta().Namespace}, cells...)
			}
			if showLabels {
				cells = append(cells, api.FormatLabels(o.Meta().Labels))
			}
			rows = append(rows, cells)
		}
		if i > 0 && !noHeaders {
			out.WriteString("\n")
		}
		out.WriteString(renderTable(rows))
	}
	if total == 0 && len(errs) == 0 && !ignoreNotFound {
		// kubectl writes this on stderr and exits 0; the simulator shows it as output.
		allNamespaced := !allNS
		for _, t := range targets {
			if IsClusterScoped(t.kind) {
				allNamespaced = false
			}
		}
		if allNamespaced {
			return fmt.Sprintf("No resources found in %s namespace.\n", inv.Namespace), nil
		}
		return "No resources found\n", nil
	}
	return out.String(), joinErrors(errs)
}

// nameColumn is the index of the NAME column (the Event table has it only with -o wide).
func nameColumn(p *TablePrinter) int {
	for i, h := range p.Headers {
		if h == "NAME" {
			return i
		}
	}
	return -1
}

// defaultPrinter is kubectl's fallback table for kinds without a printer: NAME and AGE.
func defaultPrinter(kind string) *TablePrinter {
	return &TablePrinter{Kind: kind, Headers: []string{"NAME", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			return []string{o.Meta().Name, age(o.Meta().CreationTimestamp, now)}
		}}
}

// sortObjects implements --sort-by for the fields people sort by in practice (a JSONPath
// of a string or time field).
func sortObjects(objs []api.Object, field string) error {
	path := strings.Trim(strings.TrimSpace(field), "{}")
	path = strings.TrimPrefix(path, ".")
	key := func(o api.Object) any {
		m := o.Meta()
		switch path {
		case "metadata.name":
			return m.Name
		case "metadata.namespace":
			return m.Namespace
		case "metadata.creationTimestamp":
			return int64(m.CreationTimestamp)
		}
		if e, ok := o.(*api.Event); ok {
			switch path {
			case "lastTimestamp":
				return int64(e.LastTimestamp)
			case "firstTimestamp":
				return int64(e.FirstTimestamp)
			case "count":
				return int64(e.Count)
			case "reason":
				return e.Reason
			case "type":
				return e.Type
			}
		}
		return nil
	}
	for _, o := range objs {
		if key(o) == nil {
			return Errorf("couldn't find any field with path %q in the list of objects", "{."+path+"}")
		}
	}
	sort.SliceStable(objs, func(i, j int) bool {
		a, b := key(objs[i]), key(objs[j])
		if x, ok := a.(int64); ok {
			return x < b.(int64)
		}
		return a.(string) < b.(string)
	})
	return nil
}
