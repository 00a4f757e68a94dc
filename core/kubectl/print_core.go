package kubectl

import (
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Table printers for the core/v1 kinds, after the server-side printers of
// k8s.io/kubernetes pkg/printers/internalversion/printers.go (printPod, printNode,
// printEvent, printConfigMap, printSecret, printNamespace).

// KubeletVersion is what every simulated node reports (the simulator's Kubernetes version).
const KubeletVersion = "v1.37.2"

// age renders an AGE cell: translateTimestampSince, i.e. HumanDuration(now - t).
func age(t, now api.Time) string { return api.HumanDuration(now.Sub(t)) }

func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

// wideLayouts gives the full -o wide column order of printers whose wide columns are not
// simply appended (the Event table puts SUBOBJECT and SOURCE before MESSAGE). Row returns
// the cells in this order when wide.
var wideLayouts = map[string][]string{
	"Event": {"LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"},
}

// headersFor returns a printer's column headers.
func headersFor(p *TablePrinter, wide bool) []string {
	if !wide {
		return p.Headers
	}
	if l, ok := wideLayouts[p.Kind]; ok {
		return l
	}
	return append(append([]string{}, p.Headers...), p.WideHeaders...)
}

func init() {
	RegisterPrinter(&TablePrinter{
		Kind:        "Pod",
		Headers:     []string{"NAME", "READY", "STATUS", "RESTARTS", "AGE"},
		WideHeaders: []string{"IP", "NODE", "NOMINATED NODE", "READINESS GATES"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			p := o.(*api.Pod)
			row := []string{p.Name, api.PodReadyColumn(p), api.PodStatusColumn(p), api.PodRestartsColumn(p, now), age(p.CreationTimestamp, now)}
			if wide {
				// The simulated PodSpec has no readinessGates, so READINESS GATES is always <none>.
				row = append(row, orNone(p.Status.PodIP), orNone(p.Spec.NodeName), orNone(p.Status.NominatedNodeName), "<none>")
			}
			return row
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:        "Node",
		Headers:     []string{"NAME", "STATUS", "ROLES", "AGE", "VERSION"},
		WideHeaders: []string{"INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			n := o.(*api.Node)
			row := []string{n.Name, NodeStatusColumn(n), strings.Join(nodeRolesOrNone(n), ","), age(n.CreationTimestamp, now), KubeletVersion}
			if wide {
				// The simulator models no NodeSystemInfo: the printer's "<unknown>" fallbacks.
				row = append(row, nodeAddress(n, "InternalIP"), nodeAddress(n, "ExternalIP"), "<unknown>", "<unknown>", "<unknown>")
			}
			return row
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:    "Event",
		Headers: []string{"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"},
		// With -o wide the order is wideLayouts["Event"].
		WideHeaders: []string{"SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			e := o.(*api.Event)
			last := age(e.LastTimestamp, now)
			target := strings.ToLower(e.InvolvedObject.Kind)
			if e.InvolvedObject.Name != "" {
				target += "/" + e.InvolvedObject.Name
			}
			msg := strings.TrimSpace(e.Message)
			if !wide {
				return []string{last, e.Type, e.Reason, target, msg}
			}
			count := e.Count
			if count == 0 {
				count = 1
			}
			return []string{last, e.Type, e.Reason, target, e.FieldPath, EventSource(e.Source), msg,
				age(e.FirstTimestamp, now), strconv.Itoa(int(count)), e.Name}
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:    "ConfigMap",
		Headers: []string{"NAME", "DATA", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			c := o.(*api.ConfigMap)
			return []string{c.Name, strconv.Itoa(len(c.Data) + len(c.BinaryData)), age(c.CreationTimestamp, now)}
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:    "Secret",
		Headers: []string{"NAME", "TYPE", "DATA", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			s := o.(*api.Secret)
			n := len(s.Data)
			for k := range s.StringData {
				if _, dup := s.Data[k]; !dup {
					n++ // the API server merges stringData into data
				}
			}
			typ := s.Type
			if typ == "" {
				typ = "Opaque"
			}
			return []string{s.Name, typ, strconv.Itoa(n), age(s.CreationTimestamp, now)}
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:    "Namespace",
		Headers: []string{"NAME", "STATUS", "AGE"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			n := o.(*api.Namespace)
			status := "Active"
			if n.DeletionTimestamp != nil {
				status = "Terminating"
			}
			return []string{n.Name, status, age(n.CreationTimestamp, now)}
		},
	})
}

// NodeStatusColumn renders the STATUS column of `kubectl get nodes`: the Ready condition as
// Ready or NotReady (an Unknown condition status prints NotReady too), Unknown when the node
// has no Ready condition, then ",SchedulingDisabled" when cordoned (printNode).
func NodeStatusColumn(n *api.Node) string {
	status := "Unknown"
	for _, c := range n.Status.Conditions {
		if c.Type == "Ready" {
			if c.Status == api.ConditionTrue {
				status = "Ready"
			} else {
				status = "NotReady"
			}
			break
		}
	}
	if n.Spec.Unschedulable {
		status += ",SchedulingDisabled"
	}
	return status
}

// nodeRoles lists the roles of a node from its node-role.kubernetes.io/ROLE labels and the
// kubernetes.io/role label, sorted (findNodeRoles).
func nodeRoles(n *api.Node) []string {
	set := map[string]bool{}
	for k, v := range n.Labels {
		switch {
		case strings.HasPrefix(k, "node-role.kubernetes.io/"):
			if r := strings.TrimPrefix(k, "node-role.kubernetes.io/"); r != "" {
				set[r] = true
			}
		case k == "kubernetes.io/role" && v != "":
			set[v] = true
		}
	}
	return api.SortedKeys(set)
}

func nodeRolesOrNone(n *api.Node) []string {
	if r := nodeRoles(n); len(r) > 0 {
		return r
	}
	return []string{"<none>"}
}

func nodeAddress(n *api.Node, typ string) string {
	for _, a := range n.Status.Addresses {
		if a.Type == typ {
			return a.Address
		}
	}
	return "<none>"
}

// eventSources maps the simulator's controller names to the component names upstream
// components put in event.source.component (the FROM column of describe).
var eventSources = map[string]string{
	"scheduler":     "default-scheduler",
	"replicaset":    "replicaset-controller",
	"deployment":    "deployment-controller",
	"statefulset":   "statefulset-controller",
	"nodelifecycle": "node-controller",
	"endpointslice": "endpointslice-controller",
	"volume":        "persistentvolume-controller",
	"gc":            "garbage-collector-controller",
}

// EventSource returns the upstream component name of an event source.
func EventSource(src string) string {
	if c, ok := eventSources[src]; ok {
		return c
	}
	return src
}
