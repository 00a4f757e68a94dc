package dns

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// ClusterDomain is the cluster's DNS domain.
const ClusterDomain = "cluster.local"

// Controller maintains DNSRecord objects, one reconcile per namespace.
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return "coredns" }

// Watch enqueues the namespace of every changed Service or EndpointSlice.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	if c.Kind == "Service" || c.Kind == "EndpointSlice" {
		ctx.Enqueue(c.Object().Meta().Namespace)
	}
}

// Record is one answer: a name, a type and the data.
type Record struct{ FQDN, Type, Data string }

// Reconcile makes the namespace's DNSRecord objects equal to the computed answers.
func (Controller) Reconcile(ctx *sim.Context, ns string) error {
	want := map[string]Record{}
	for _, r := range Records(ctx.Store(), ns) {
		want[recordName(r)] = r
	}
	have := map[string]bool{}
	for _, o := range store.ListAs[*api.DNSRecord](ctx.Store(), "DNSRecord", ns) {
		if _, ok := want[o.Name]; !ok {
			if err := ctx.Remove("DNSRecord", o.Key()); err != nil {
				return err
			}
			continue
		}
		have[o.Name] = true
	}
	for _, name := range api.SortedKeys(want) {
		if have[name] {
			continue
		}
		r := want[name]
		o := &api.DNSRecord{TypeMeta: api.TypeMeta{APIVersion: "kubesim.dev/v1alpha1", Kind: "DNSRecord"},
			ObjectMeta: api.ObjectMeta{Namespace: ns, Name: name}, FQDN: r.FQDN, Type: r.Type, Data: r.Data}
		if err := ctx.Create(o); err != nil {
			return err
		}
	}
	return nil
}

// recordName names the object deterministically after its content.
func recordName(r Record) string { return api.DNSRecordName(r.FQDN, r.Type, r.Data) }

// ServiceFQDN is <svc>.<ns>.svc.cluster.local.
func ServiceFQDN(name, ns string) string { return name + "." + ns + ".svc." + ClusterDomain }

func endpointReady(ep *api.Endpoint) bool { return ep.Conditions.Ready == nil || *ep.Conditions.Ready }

// endpointHostname is CoreDNS's endpointHostname: the hostname, else the dashed IP.
func endpointHostname(ep *api.Endpoint, addr string) string {
	if ep.Hostname != nil && *ep.Hostname != "" {
		return *ep.Hostname
	}
	return strings.NewReplacer(".", "-", ":", "-").Replace(addr)
}

// Records computes the answers for a namespace, sorted by name, type and data.
func Records(s *store.Store, ns string) []Record {
	var out []Record
	slicesBySvc := map[string][]*api.EndpointSlice{}
	for _, es := range store.ListAs[*api.EndpointSlice](s, "EndpointSlice", ns) {
		if svc := es.Labels[api.ServiceNameLabel]; svc != "" {
			slicesBySvc[svc] = append(slicesBySvc[svc], es)
		}
	}
	for _, svc := range store.ListAs[*api.Service](s, "Service", ns) {
		fqdn := ServiceFQDN(svc.Name, ns)
		switch {
		case svc.Spec.Type == "ExternalName":
			out = append(out, Record{fqdn, "CNAME", svc.Spec.ExternalName})
		case svc.Spec.ClusterIP == api.ClusterIPNone:
			// Answered from the slices (findServices): an A record per ready address, and an
			// SRV per ready address and named slice port, whose number is the port the
			// endpoints serve (the resolved targetPort), not the Service's port.
			type target struct {
				host string
				port int32
			}
			srvs := map[string][]target{}
			seen := map[string]bool{}
			for _, es := range slicesBySvc[svc.Name] {
				for i := range es.Endpoints {
					ep := &es.Endpoints[i]
					if !endpointReady(ep) {
						continue
					}
					for _, a := range ep.Addresses {
						host := endpointHostname(ep, a) + "." + fqdn
						if !seen[a] {
							seen[a] = true
							out = append(out, Record{fqdn, "A", a}, Record{host, "A", a})
						}
						for _, p := range es.Ports {
							if api.Deref(p.Name, "") == "" || p.Port == nil {
								continue
							}
							srv := "_" + *p.Name + "._" + strings.ToLower(api.Deref(p.Protocol, "TCP")) + "." + fqdn
							t := target{host, *p.Port}
							if !slices.Contains(srvs[srv], t) {
								srvs[srv] = append(srvs[srv], t)
							}
						}
					}
				}
			}
			for _, srv := range api.SortedKeys(srvs) {
				for _, t := range srvs[srv] {
					out = append(out, Record{srv, "SRV", fmt.Sprintf("0 %d %d %s.", srvWeight(len(srvs[srv])), t.port, t.host)})
				}
			}
		case svc.Spec.ClusterIP != "":
			out = append(out, Record{fqdn, "A", svc.Spec.ClusterIP})
			for _, p := range svc.Spec.Ports {
				if p.Name != "" {
					out = append(out, Record{"_" + p.Name + "._" + strings.ToLower(p.Protocol) + "." + fqdn, "SRV", fmt.Sprintf("0 100 %d %s.", p.Port, fqdn)})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.FQDN != b.FQDN {
			return a.FQDN < b.FQDN
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Data < b.Data
	})
	return out
}

// srvWeight is CoreDNS's weight for n SRV answers of equal priority: 100/n, rounded down,
// and at least 1 (plugin/backend_lookup.go SRV).
func srvWeight(n int) int {
	return max(1, 100/max(n, 1))
}
