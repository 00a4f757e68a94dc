package kubectl

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// Describers for StatefulSet and Service, after k8s.io/kubectl v0.37.2 pkg/describe/describe.go
// (StatefulSetDescriber.Describe, describeVolumeClaimTemplates, ServiceDescriber.Describe with
// the EndpointSlice-based formatEndpointSlices).

func init() {
	RegisterTabbedDescriber("StatefulSet", describeStatefulSet)
	RegisterTabbedDescriber("Service", describeService)
}

func describeStatefulSet(env *Env, o api.Object, w *PrefixWriter) {
	s := o.(*api.StatefulSet)
	w.Write(0, "Name:\t%s\n", s.Name)
	w.Write(0, "Namespace:\t%s\n", s.Namespace)
	w.Write(0, "CreationTimestamp:\t%s\n", s.CreationTimestamp.RFC1123Z())
	w.Write(0, "Selector:\t%s\n", s.Spec.Selector.String())
	w.Labels("Labels", s.Labels)
	w.Annotations("Annotations", s.Annotations)
	w.Write(0, "Replicas:\t%d desired | %d total\n", api.Deref(s.Spec.Replicas, 1), s.Status.Replicas)
	w.Write(0, "Update Strategy:\t%s\n", s.Spec.UpdateStrategy.Type)
	if ru := s.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		w.Write(1, "Partition:\t%d\n", *ru.Partition)
		if ru.MaxUnavailable != nil {
			w.Write(1, "MaxUnavailable:\t%s\n", ru.MaxUnavailable.String())
		}
	}
	w.Write(0, "Pods Status:\t%s\n", podsStatus(env, s.UID))
	describePodTemplate(w, &s.Spec.Template)
	if len(s.Spec.VolumeClaimTemplates) == 0 {
		w.Write(0, "Volume Claims:\t<none>\n")
		return
	}
	w.Write(0, "Volume Claims:\n")
	for _, c := range s.Spec.VolumeClaimTemplates {
		w.Write(1, "Name:\t%s\n", c.Name)
		w.Write(1, "StorageClass:\t%s\n", api.Deref(c.Spec.StorageClassName, ""))
		w.Labels("  Labels", c.Labels)
		w.Annotations("  Annotations", c.Annotations)
		if q, ok := c.Spec.Resources.Requests["storage"]; ok {
			w.Write(1, "Capacity:\t%s\n", q.String())
		} else {
			w.Write(1, "Capacity:\t<default>\n")
		}
		w.Write(1, "Access Modes:\t%v\n", c.Spec.AccessModes)
	}
}

func describeService(env *Env, o api.Object, w *PrefixWriter) {
	s := o.(*api.Service)
	w.Write(0, "Name:\t%s\n", s.Name)
	w.Write(0, "Namespace:\t%s\n", s.Namespace)
	w.Labels("Labels", s.Labels)
	w.Annotations("Annotations", s.Annotations)
	w.Write(0, "Selector:\t%s\n", api.FormatLabels(s.Spec.Selector))
	typ := s.Spec.Type
	if typ == "" {
		typ = "ClusterIP"
	}
	w.Write(0, "Type:\t%s\n", typ)
	w.Write(0, "IP Family Policy:\tSingleStack\n")
	w.Write(0, "IP Families:\tIPv4\n")
	if s.Spec.ClusterIP != "" {
		w.Write(0, "IP:\t%s\n", s.Spec.ClusterIP)
		ips := s.Spec.ClusterIPs
		if len(ips) == 0 {
			ips = []string{s.Spec.ClusterIP}
		}
		w.Write(0, "IPs:\t%s\n", strings.Join(ips, ","))
	}
	if s.Spec.ExternalName != "" {
		w.Write(0, "External Name:\t%s\n", s.Spec.ExternalName)
	}
	var slices []*api.EndpointSlice
	for _, es := range store.ListAs[*api.EndpointSlice](env.Ctx.Store(), "EndpointSlice", s.Namespace) {
		if es.Labels[api.ServiceNameLabel] == s.Name {
			slices = append(slices, es)
		}
	}
	for _, p := range s.Spec.Ports {
		name := p.Name
		if name == "" {
			name = "<unset>"
		}
		proto := p.Protocol
		if proto == "" {
			proto = "TCP"
		}
		w.Write(0, "Port:\t%s\t%d/%s\n", name, p.Port, proto)
		if p.TargetPort.String() != "" && p.TargetPort.String() != "0" {
			w.Write(0, "TargetPort:\t%s/%s\n", p.TargetPort.String(), proto)
		} else {
			w.Write(0, "TargetPort:\t%d/%s\n", p.Port, proto)
		}
		if p.NodePort != 0 {
			w.Write(0, "NodePort:\t%s\t%d/%s\n", name, p.NodePort, proto)
		}
		w.Write(0, "Endpoints:\t%s\n", formatSliceEndpoints(slices, p.Name))
	}
	affinity := s.Spec.SessionAffinity
	if affinity == "" {
		affinity = "None"
	}
	w.Write(0, "Session Affinity:\t%s\n", affinity)
	if s.Spec.InternalTrafficPolicy != nil {
		w.Write(0, "Internal Traffic Policy:\t%s\n", *s.Spec.InternalTrafficPolicy)
	} else if typ != "ExternalName" {
		w.Write(0, "Internal Traffic Policy:\tCluster\n")
	}
}

// formatSliceEndpoints is formatEndpointSlices: the ready addresses with the port of that
// name, the first three, then `+ N more...`; `<none>` when there are none.
func formatSliceEndpoints(slices []*api.EndpointSlice, portName string) string {
	var list []string
	for _, es := range slices {
		var port *int32
		for _, p := range es.Ports {
			if api.Deref(p.Name, "") == portName {
				port = p.Port
			}
		}
		for _, e := range es.Endpoints {
			if e.Conditions.Ready != nil && !*e.Conditions.Ready {
				continue
			}
			for _, a := range e.Addresses {
				if port != nil {
					list = append(list, fmt.Sprintf("%s:%d", a, *port))
				} else {
					list = append(list, a)
				}
			}
		}
	}
	if len(list) == 0 {
		return "<none>"
	}
	if len(list) > 3 {
		return strings.Join(list[:3], ",") + fmt.Sprintf(" + %d more...", len(list)-3)
	}
	return strings.Join(list, ",")
}
