package kubectl

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// kubectl describe, after k8s.io/kubectl pkg/cmd/describe/describe.go and
// pkg/describe/describe.go: the kind's describer (DescriberFor) followed by the Events
// section. Several objects are separated by two blank lines.

func init() {
	Register(&Command{
		Path:  "describe",
		Flags: []string{"l|selector", "A|all-namespaces!", "show-events!"},
		Usage: "kubectl describe TYPE [NAME_PREFIX | -l label] | TYPE/NAME",
		Run:   runDescribe,
	})
}

func runDescribe(env *Env, inv *Invocation) (string, error) {
	if len(inv.Args) == 0 {
		return "", &Error{Msg: "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples"}
	}
	targets, err := parseTargets(inv.Args)
	if err != nil {
		return "", err
	}
	selStr, _ := inv.Flag("selector")
	sel, err := parseSelector(selStr)
	if err != nil {
		return "", err
	}
	allNS, err := boolFlag(inv, "all-namespaces")
	if err != nil {
		return "", err
	}
	showEvents := true
	if _, ok := inv.Flag("show-events"); ok {
		if showEvents, err = boolFlag(inv, "show-events"); err != nil {
			return "", err
		}
	}
	ns := inv.Namespace
	if allNS {
		ns = ""
	}
	var objs []api.Object
	var errs []error
	for _, t := range targets {
		if len(t.names) == 0 {
			o, _ := lookup(env, t, ns, sel)
			objs = append(objs, o...)
			continue
		}
		// describe TYPE NAME falls back to a name-prefix match when there is no exact match.
		for _, name := range t.names {
			found, e := lookup(env, target{kind: t.kind, names: []string{name}}, ns, sel)
			if len(found) == 0 && len(e) > 0 {
				all, _ := lookup(env, target{kind: t.kind}, ns, sel)
				for _, o := range all {
					if strings.HasPrefix(o.Meta().Name, name) {
						found = append(found, o)
					}
				}
				if len(found) == 0 {
					errs = append(errs, e...)
				}
			}
			objs = append(objs, found...)
		}
	}
	if len(objs) == 0 && len(errs) == 0 {
		if allNS || IsClusterScoped(targets[0].kind) {
			return "No resources found\n", nil
		}
		return fmt.Sprintf("No resources found in %s namespace.\n", inv.Namespace), nil
	}
	var out strings.Builder
	for i, o := range objs {
		s, err := DescribeObject(env, o, showEvents)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if i > 0 {
			out.WriteString("\n\n")
		}
		out.WriteString(s)
	}
	return out.String(), joinErrors(errs)
}

// DescribeObject renders one object with its kind's describer and the Events section.
func DescribeObject(env *Env, o api.Object, withEvents bool) (string, error) {
	if o.GetKind() == "Secret" {
		withEvents = false // describeSecret lists no events
	}
	if raw, ok := tabbedDescribers[o.GetKind()]; ok {
		// Upstream writes the body and the events through one tabwriter: `Events:\t<none>`
		// is aligned with the body's last block, while an events table starts after a flush.
		return TabbedString(func(w *PrefixWriter) {
			raw(env, o, w)
			if withEvents {
				writeEvents(env, o, w)
			}
		}), nil
	}
	d := DescriberFor(o.GetKind())
	if d == nil {
		d = func(env *Env, o api.Object) (string, error) {
			return TabbedString(func(w *PrefixWriter) { describeGeneric(env, o, w) }), nil
		}
	}
	body, err := d(env, o)
	if err != nil {
		return "", err
	}
	if !withEvents {
		return body, nil
	}
	return body + DescribeEvents(env, o), nil
}

var tabbedDescribers = map[string]func(env *Env, o api.Object, w *PrefixWriter){}

// RegisterTabbedDescriber registers a describer that writes into describe's tabwriter, so
// that the Events section aligns exactly as upstream's (DescriberFor still returns it as a
// plain Describer).
func RegisterTabbedDescriber(kind string, fn func(env *Env, o api.Object, w *PrefixWriter)) {
	tabbedDescribers[kind] = fn
	RegisterDescriber(kind, func(env *Env, o api.Object) (string, error) {
		return TabbedString(func(w *PrefixWriter) { fn(env, o, w) }), nil
	})
}

// describeGeneric is the fallback for kinds without a describer.
func describeGeneric(env *Env, o api.Object, w *PrefixWriter) {
	m := o.Meta()
	w.Write(0, "Name:\t%s\n", m.Name)
	if m.Namespace != "" {
		w.Write(0, "Namespace:\t%s\n", m.Namespace)
	}
	w.Labels("Labels", m.Labels)
	w.Annotations("Annotations", m.Annotations)
}

// ObjectEvents returns the events whose involvedObject is o, sorted by lastTimestamp
// (event.SortableEvents; ties keep creation order so the output is deterministic).
func ObjectEvents(env *Env, o api.Object) []*api.Event {
	m := o.Meta()
	var evs []*api.Event
	for _, x := range env.Ctx.Store().List("Event", "") {
		e := x.(*api.Event)
		r := e.InvolvedObject
		if r.Kind != o.GetKind() || r.Name != m.Name || r.Namespace != m.Namespace {
			continue
		}
		if r.UID != "" && m.UID != "" && r.UID != m.UID {
			continue
		}
		evs = append(evs, e)
	}
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].LastTimestamp != evs[j].LastTimestamp {
			return evs[i].LastTimestamp < evs[j].LastTimestamp
		}
		return evs[i].CreationTimestamp < evs[j].CreationTimestamp
	})
	return evs
}

// DescribeEvents renders the Events section of describe on its own (for describers that
// return finished text).
func DescribeEvents(env *Env, o api.Object) string {
	return TabbedString(func(w *PrefixWriter) { writeEvents(env, o, w) })
}

// writeEvents writes the Events section (pkg/describe DescribeEvents): `Events:\t<none>`,
// or, after a flush, a table Type/Reason/Age/From/Message whose Age is `10s (x3 over 40s)`
// for repeated events and whose message is prefixed with the involvedObject.fieldPath
// ("spec.containers{app}: Container started", kubectl >= 1.35).
func writeEvents(env *Env, o api.Object, w *PrefixWriter) {
	evs := ObjectEvents(env, o)
	now := env.Ctx.Now()
	if len(evs) == 0 {
		w.Write(0, "Events:\t<none>\n")
		return
	}
	w.Flush()
	w.Write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
	w.Write(1, "----\t------\t----\t----\t-------\n")
	for _, e := range evs {
		interval := age(e.FirstTimestamp, now)
		if e.Count > 1 {
			interval = fmt.Sprintf("%s (x%d over %s)", age(e.LastTimestamp, now), e.Count, age(e.FirstTimestamp, now))
		}
		msg := strings.TrimSpace(e.Message)
		if e.FieldPath != "" {
			msg = e.FieldPath + ": " + msg
		}
		w.Write(1, "%v\t%v\t%s\t%v\t%v\n", e.Type, e.Reason, interval, EventSource(e.Source), msg)
	}
}

// PrefixWriter writes describe lines indented by level (two spaces a level) into a
// tabwriter, like pkg/describe's prefixWriter.
type PrefixWriter struct{ out io.Writer }

// Write writes a formatted line at an indentation level.
func (pw *PrefixWriter) Write(level int, format string, a ...any) {
	fmt.Fprintf(pw.out, strings.Repeat("  ", level)+format, a...)
}

// Flush ends the current column block: later lines are aligned on their own.
func (pw *PrefixWriter) Flush() {
	if tw, ok := pw.out.(*tabwriter.Writer); ok {
		tw.Flush()
	}
}

// WriteLine writes its arguments and a newline.
func (pw *PrefixWriter) WriteLine(a ...any) { fmt.Fprintln(pw.out, a...) }

// Labels prints `Title:  k=v` lines, sorted, or `<none>` (printLabelsMultiline).
func (pw *PrefixWriter) Labels(title string, labels map[string]string) {
	pw.Write(0, "%s:\t", title)
	if len(labels) == 0 {
		pw.WriteLine("<none>")
		return
	}
	for i, k := range api.SortedKeys(labels) {
		if i != 0 {
			pw.Write(0, "\t")
		}
		pw.Write(0, "%s=%s\n", k, labels[k])
	}
}

// maxAnnotationLen is where describe breaks long annotation values (pkg/describe).
const maxAnnotationLen = 140

// Annotations prints `Title:  k: v` lines, sorted, long or multi-line values on their own
// lines, kubectl.kubernetes.io/last-applied-configuration skipped (printAnnotationsMultiline).
func (pw *PrefixWriter) Annotations(title string, annotations map[string]string) {
	pw.Write(0, "%s:\t", title)
	var keys []string
	for _, k := range api.SortedKeys(annotations) {
		if k != "kubectl.kubernetes.io/last-applied-configuration" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		pw.WriteLine("<none>")
		return
	}
	for i, k := range keys {
		if i != 0 {
			pw.Write(0, "\t")
		}
		v := strings.TrimSuffix(annotations[k], "\n")
		if len(v)+len(k)+2 > maxAnnotationLen || strings.Contains(v, "\n") {
			pw.Write(0, "%s:\n", k)
			for _, s := range strings.Split(v, "\n") {
				if len(s) > maxAnnotationLen-2 {
					s = s[:maxAnnotationLen-2] + "..."
				}
				pw.Write(0, "\t  %s\n", s)
			}
		} else {
			pw.Write(0, "%s: %s\n", k, v)
		}
	}
}

// TabbedString runs f with a PrefixWriter over describe's tabwriter (minwidth 0,
// tabwidth 8, padding 2, spaces) and returns the aligned text.
func TabbedString(f func(w *PrefixWriter)) string {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 8, 2, ' ', 0)
	f(&PrefixWriter{out: tw})
	tw.Flush()
	return buf.String()
}

// podsStatus is describe's getPodStatusForController: the controller's pods counted by phase,
// "3 Running / 0 Waiting / 0 Succeeded / 0 Failed".
func podsStatus(env *Env, ownerUID string) string {
	var running, waiting, succeeded, failed int
	for _, p := range store.ByIndexAs[*api.Pod](env.Ctx.Store(), "owner", "Pod", ownerUID) {
		switch p.Status.Phase {
		case api.PodRunning:
			running++
		case api.PodPending:
			waiting++
		case api.PodSucceeded:
			succeeded++
		case api.PodFailed:
			failed++
		}
	}
	return fmt.Sprintf("%d Running / %d Waiting / %d Succeeded / %d Failed", running, waiting, succeeded, failed)
}
