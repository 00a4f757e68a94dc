package dns

import (
	"fmt"
	"sort"
	"strconv"
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

// Reconcile makes the namespace's DNSRecord objects equal to the computed answers. The
// records are the last reconcile's answers unless someone else wrote one, so when only a few
// slices changed it diffs just their answers (fast); otherwise it recomputes all.
func (Controller) Reconcile(ctx *sim.Context, ns string) error {
	st := ctx.Store()
	sc := ctx.Scratch(func() any { return &scratch{memos: map[string]*nsMemo{}} }).(*scratch)
	if sc.st != st || sc.ver != st.KindVersion("DNSRecord") {
		// Records were written by someone else (or the store restored): no memo holds.
		sc.st, sc.memos = st, map[string]*nsMemo{}
	}
	m := sc.memos[ns]
	delete(sc.memos, ns) // kept again only once the records match it
	var dels []string
	var adds []answer
	if m != nil && !disableFast && m.update(st, ns) {
		dels, adds = m.dels, m.adds
		fastReconciles++
	} else {
		existing := store.ListAs[*api.DNSRecord](st, "DNSRecord", ns)
		m = &nsMemo{}
		answers := m.build(st, ns)
		want := make(map[string]Record, len(answers))
		for _, a := range answers {
			want[a.name] = a.Record
		}
		for _, o := range existing {
			if _, ok := want[o.Name]; !ok {
				dels = append(dels, o.Name)
				continue
			}
			delete(want, o.Name) // what is left is missing
		}
		// Created in name order; most answers exist already, so only the missing names are sorted.
		adds = make([]answer, 0, len(want))
		for name, r := range want {
			adds = append(adds, answer{r, name})
		}
		sortByName(adds)
	}
	for _, name := range dels {
		key := name
		if ns != "" {
			key = ns + "/" + name
		}
		if err := ctx.Remove("DNSRecord", key); err != nil {
			return err
		}
	}
	for _, a := range adds {
		o := &api.DNSRecord{TypeMeta: api.TypeMeta{APIVersion: "kubesim.dev/v1alpha1", Kind: "DNSRecord"},
			ObjectMeta: api.ObjectMeta{Namespace: ns, Name: a.name}, FQDN: a.FQDN, Type: a.Type, Data: a.Data}
		if err := ctx.Create(o); err != nil {
			return err
		}
	}
	m.dels, m.adds = nil, nil
	sc.memos[ns] = m
	sc.ver = st.KindVersion("DNSRecord")
	return nil
}

// disableFast makes every reconcile recompute all answers, and fastReconciles counts the
// others: tests compare the two.
var (
	disableFast    bool
	fastReconciles int
)

func sortByName(as []answer) { sort.Slice(as, func(i, j int) bool { return as[i].name < as[j].name }) }

// recordName names the object deterministically after its content.
func recordName(r Record) string { return api.DNSRecordName(r.FQDN, r.Type, r.Data) }

// answer is a Record and the name of the DNSRecord object that holds it (recordName).
type answer struct {
	Record
	name string
}

func newAnswer(fqdn, typ, data string) answer {
	r := Record{fqdn, typ, data}
	return answer{r, recordName(r)}
}

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
	as := answers(s, ns)
	sort.Slice(as, func(i, j int) bool {
		a, b := as[i], as[j]
		if a.FQDN != b.FQDN {
			return a.FQDN < b.FQDN
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Data < b.Data
	})
	out := make([]Record, len(as))
	for i, a := range as {
		out[i] = a.Record
	}
	return out
}

// answers is Records with each answer's object name, unsorted (Reconcile needs only the
// set, and a sort of every answer per sync was a third of its time). The answers of a headless Service's
// slices, names included, are derived once per slice version: a sync re-reads the unchanged
// slices.
func answers(s *store.Store, ns string) []answer { return (*nsMemo)(nil).build(s, ns) }

// build is answers, filling m (when not nil) with what update needs to follow slice changes.
func (m *nsMemo) build(s *store.Store, ns string) []answer {
	var out []answer
	type sliceRef struct {
		es *api.EndpointSlice
		i  int // in m.slices
	}
	slicesBySvc := map[string][]sliceRef{}
	all := store.ListAs[*api.EndpointSlice](s, "EndpointSlice", ns)
	for i, es := range all {
		if svc := es.Labels[api.ServiceNameLabel]; svc != "" {
			slicesBySvc[svc] = append(slicesBySvc[svc], sliceRef{es, i})
		}
	}
	svcs := store.ListAs[*api.Service](s, "Service", ns)
	if m != nil {
		*m = nsMemo{svcs: svcs, slices: all, sa: make([]*sliceAnswers, len(all)), emitted: make([][]answer, len(all)),
			svc: map[string]*svcMemo{}}
	}
	for _, svc := range svcs {
		fqdn := ServiceFQDN(svc.Name, ns)
		switch {
		case svc.Spec.Type == "ExternalName":
			out = append(out, newAnswer(fqdn, "CNAME", svc.Spec.ExternalName))
		case svc.Spec.ClusterIP == api.ClusterIPNone:
			// Answered from the slices (findServices): an A record per ready address, and an
			// SRV per ready address and named slice port, whose number is the port the
			// endpoints serve (the resolved targetPort), not the Service's port.
			type srvRef struct {
				es  *api.EndpointSlice
				i   int // index into the slice's srv targets
				idx int // in m.slices
			}
			srvs := map[string][]srvRef{}
			var srvOrder []string
			seenAddr, seenTarget := map[string]bool{}, map[srvTarget]bool{}
			var sm *svcMemo
			if m != nil {
				sm = newSvcMemo(fqdn)
				m.svc[svc.Name] = sm
			}
			for _, ref := range slicesBySvc[svc.Name] {
				es := ref.es
				// The answers depend on the slice and the name they are under (fqdn, part of the key).
				sa := sliceAnswersOf(s, es, fqdn)
				if m != nil {
					m.sa[ref.i] = sa
					sm.add(sa)
				}
				for _, h := range sa.hosts {
					if !seenAddr[h.addr] {
						seenAddr[h.addr] = true
						out = append(out, h.svcA, h.hostA)
						if m != nil {
							m.emitted[ref.i] = append(m.emitted[ref.i], h.svcA, h.hostA)
						}
					}
				}
				for i, t := range sa.srv {
					if !seenTarget[t] {
						seenTarget[t] = true
						if srvs[t.srv] == nil {
							srvOrder = append(srvOrder, t.srv)
						}
						srvs[t.srv] = append(srvs[t.srv], srvRef{es, i, ref.i})
					}
				}
			}
			sort.Strings(srvOrder)
			for _, srv := range srvOrder {
				w := srvWeight(len(srvs[srv]))
				for _, ref := range srvs[srv] {
					a := srvAnswersOf(s, ref.es, fqdn, w)[ref.i]
					out = append(out, a)
					if m != nil {
						m.emitted[ref.idx] = append(m.emitted[ref.idx], a)
					}
				}
			}
		case svc.Spec.ClusterIP != "":
			out = append(out, newAnswer(fqdn, "A", svc.Spec.ClusterIP))
			for _, p := range svc.Spec.Ports {
				if p.Name != "" {
					out = append(out, newAnswer("_"+p.Name+"._"+strings.ToLower(p.Protocol)+"."+fqdn, "SRV", fmt.Sprintf("0 100 %d %s.", p.Port, fqdn)))
				}
			}
		}
	}
	if m != nil {
		m.count = make(map[string]int, len(out))
		for _, a := range out {
			m.count[a.name]++
		}
	}
	return out
}

func sliceAnswersOf(s *store.Store, es *api.EndpointSlice, fqdn string) *sliceAnswers {
	return s.Derived(es, "dns/answers "+fqdn, func(o api.Object) any { return answersOf(o.(*api.EndpointSlice), fqdn) }).(*sliceAnswers)
}

// srvAnswersOf is srvAnswers of the slice: the SRV answers' data holds the weight, so they
// are derived per slice and weight.
func srvAnswersOf(s *store.Store, es *api.EndpointSlice, fqdn string, w int) []answer {
	return s.Derived(es, "dns/srv "+fqdn+" "+strconv.Itoa(w), func(o api.Object) any {
		return srvAnswers(sliceAnswersOf(s, o.(*api.EndpointSlice), fqdn), w)
	}).([]answer)
}

// sliceAnswers is what one EndpointSlice of a headless Service contributes, in the order
// Records walks it: the ready addresses with their host names, and the SRV targets. It is
// derived once per slice version (store.Derived): a sync re-reads the unchanged slices.
type sliceAnswers struct {
	hosts []hostAddr
	srv   []srvTarget
	// distinct is the hosts at their addresses' first entry and the targets without repeats
	// (the fast path's, derived with the rest).
	dHosts []hostAddr
	dTgts  []srvTarget
	dSrv   []int // the dTgts' indices in srv
}

// hostAddr is a ready address and its two A answers: under the Service's name and under the
// endpoint's host name.
type hostAddr struct {
	addr        string
	svcA, hostA answer
}

// srvTarget is one SRV answer before its weight is known: the SRV name, host and port.
type srvTarget struct {
	srv, host string
	port      int32
}

func answersOf(es *api.EndpointSlice, fqdn string) *sliceAnswers {
	sa := &sliceAnswers{}
	// The SRV name of each named slice port ("" for the ports that give none).
	srvNames := make([]string, len(es.Ports))
	for j, p := range es.Ports {
		if api.Deref(p.Name, "") != "" && p.Port != nil {
			srvNames[j] = "_" + *p.Name + "._" + strings.ToLower(api.Deref(p.Protocol, "TCP")) + "." + fqdn
		}
	}
	for i := range es.Endpoints {
		ep := &es.Endpoints[i]
		if !endpointReady(ep) {
			continue
		}
		for _, a := range ep.Addresses {
			host := endpointHostname(ep, a) + "." + fqdn
			sa.hosts = append(sa.hosts, hostAddr{a, newAnswer(fqdn, "A", a), newAnswer(host, "A", a)})
			for j, p := range es.Ports {
				if srvNames[j] != "" {
					sa.srv = append(sa.srv, srvTarget{srvNames[j], host, *p.Port})
				}
			}
		}
	}
	sa.dHosts, sa.dTgts, sa.dSrv = distinct(sa)
	return sa
}

// srvAnswers are the SRV answers of a slice's targets when their SRV name has weight w.
func srvAnswers(sa *sliceAnswers, w int) []answer {
	out := make([]answer, len(sa.srv))
	for i, t := range sa.srv {
		out[i] = newAnswer(t.srv, "SRV", "0 "+strconv.Itoa(w)+" "+strconv.Itoa(int(t.port))+" "+t.host+".")
	}
	return out
}

// srvWeight is CoreDNS's weight for n SRV answers of equal priority: 100/n, rounded down,
// and at least 1 (plugin/backend_lookup.go SRV).
func srvWeight(n int) int {
	return max(1, 100/max(n, 1))
}
