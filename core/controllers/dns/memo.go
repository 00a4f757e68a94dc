package dns

import (
	"sort"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// scratch is the controller's working memory: per namespace, what its last reconcile
// computed, valid while the store's DNSRecords are what that reconcile left (ver). It only
// saves work: update takes it only when the result is provably the full recompute's.
type scratch struct {
	st    *store.Store
	ver   int64 // KindVersion("DNSRecord") after the last reconcile
	memos map[string]*nsMemo
}

// nsMemo is what a namespace's answers were built from, and the answers as a multiset of
// names (the namespace's DNSRecords are its keys).
type nsMemo struct {
	svcs    []*api.Service
	slices  []*api.EndpointSlice // in List order
	sa      []*sliceAnswers      // per slice; nil unless its Service is headless
	emitted [][]answer           // per slice: the answers taken from it
	count   map[string]int
	svc     map[string]*svcMemo // the headless Services, by name
	// dels and adds are update's result.
	dels []string
	adds []answer
}

// svcMemo counts, for one headless Service, the slices each ready address and SRV target is
// in, and the distinct targets of each SRV name (its weight).
type svcMemo struct {
	fqdn  string
	addrN map[string]int
	tgtN  map[srvTarget]int
	srvN  map[string]int
}

func newSvcMemo(fqdn string) *svcMemo {
	return &svcMemo{fqdn: fqdn, addrN: map[string]int{}, tgtN: map[srvTarget]int{}, srvN: map[string]int{}}
}

// add counts a slice's addresses and targets, once each per slice.
func (sm *svcMemo) add(sa *sliceAnswers) {
	for _, h := range sa.dHosts {
		sm.addrN[h.addr]++
	}
	for _, t := range sa.dTgts {
		if sm.tgtN[t] == 0 {
			sm.srvN[t.srv]++
		}
		sm.tgtN[t]++
	}
}

// distinct is the slice's addresses (at their first host entry) and SRV targets, without
// repeats, with the targets' indices in sa.srv.
func distinct(sa *sliceAnswers) ([]hostAddr, []srvTarget, []int) {
	var hosts []hostAddr
	seen := make(map[string]bool, len(sa.hosts))
	for _, h := range sa.hosts {
		if !seen[h.addr] {
			seen[h.addr] = true
			hosts = append(hosts, h)
		}
	}
	var tgts []srvTarget
	var idx []int
	seenT := make(map[srvTarget]bool, len(sa.srv))
	for j, t := range sa.srv {
		if !seenT[t] {
			seenT[t] = true
			tgts = append(tgts, t)
			idx = append(idx, j)
		}
	}
	return hosts, tgts, idx
}

// update brings m to the namespace's objects now and sets m.dels and m.adds to the names whose
// answers went and came, sorted, when that is exact: the Services and the slices' names are
// unchanged, and each changed slice's addresses and SRV targets, before and after, are in no
// other slice of its Service, and the weights the other slices' SRV answers carry stay. It
// reports false otherwise, leaving m unusable.
func (m *nsMemo) update(s *store.Store, ns string) bool {
	svcs := store.ListAs[*api.Service](s, "Service", ns)
	if len(svcs) != len(m.svcs) {
		return false
	}
	for i := range svcs {
		if svcs[i] != m.svcs[i] {
			return false
		}
	}
	slices := store.ListAs[*api.EndpointSlice](s, "EndpointSlice", ns)
	if len(slices) != len(m.slices) {
		return false
	}
	before := map[string]int{} // count of every touched name before this update
	recs := map[string]answer{}
	touch := func(name string, d int) {
		if _, ok := before[name]; !ok {
			before[name] = m.count[name]
		}
		if m.count[name] += d; m.count[name] == 0 {
			delete(m.count, name)
		}
	}
	for i, es := range slices {
		old := m.slices[i]
		if es == old {
			continue
		}
		if es.Name != old.Name {
			return false
		}
		svc := old.Labels[api.ServiceNameLabel]
		if es.Labels[api.ServiceNameLabel] != svc {
			return false
		}
		m.slices[i] = es
		sm := m.svc[svc]
		if svc == "" || sm == nil {
			continue // not a headless Service's: no answers
		}
		sa := sliceAnswersOf(s, es, sm.fqdn)
		oldHosts, oldTgts := m.sa[i].dHosts, m.sa[i].dTgts
		newHosts, newTgts := sa.dHosts, sa.dTgts
		for _, h := range oldHosts {
			if sm.addrN[h.addr] != 1 {
				return false
			}
			delete(sm.addrN, h.addr)
		}
		for _, h := range newHosts {
			if sm.addrN[h.addr] != 0 {
				return false
			}
			sm.addrN[h.addr] = 1
		}
		perSrv := map[string]int{} // new minus old targets
		var srvNames []string
		for _, t := range oldTgts {
			if sm.tgtN[t] != 1 {
				return false
			}
			delete(sm.tgtN, t)
			if _, ok := perSrv[t.srv]; !ok {
				srvNames = append(srvNames, t.srv)
			}
			perSrv[t.srv]--
		}
		for _, t := range newTgts {
			if sm.tgtN[t] != 0 {
				return false
			}
			sm.tgtN[t] = 1
			if _, ok := perSrv[t.srv]; !ok {
				srvNames = append(srvNames, t.srv)
			}
			perSrv[t.srv]++
		}
		for _, srv := range srvNames {
			n := sm.srvN[srv]
			n2 := n + perSrv[srv]
			others := n
			for _, t := range oldTgts {
				if t.srv == srv {
					others--
				}
			}
			if others > 0 && srvWeight(n2) != srvWeight(n) {
				return false // the other slices' SRV answers change
			}
			if n2 == 0 {
				delete(sm.srvN, srv)
			} else {
				sm.srvN[srv] = n2
			}
		}
		emitted := make([]answer, 0, len(m.emitted[i]))
		for _, h := range newHosts {
			emitted = append(emitted, h.svcA, h.hostA)
		}
		byW := map[int][]answer{}
		for k, t := range newTgts {
			w := srvWeight(sm.srvN[t.srv])
			as, ok := byW[w]
			if !ok {
				as = srvAnswersOf(s, es, sm.fqdn, w)
				byW[w] = as
			}
			emitted = append(emitted, as[sa.dSrv[k]])
		}
		// Only the answers between the common head and tail change (a slice's order is stable).
		was := m.emitted[i]
		p := 0
		for p < len(was) && p < len(emitted) && was[p].name == emitted[p].name {
			p++
		}
		q := 0
		for q < len(was)-p && q < len(emitted)-p && was[len(was)-1-q].name == emitted[len(emitted)-1-q].name {
			q++
		}
		for _, a := range was[p : len(was)-q] {
			touch(a.name, -1)
		}
		for _, a := range emitted[p : len(emitted)-q] {
			recs[a.name] = a
			touch(a.name, 1)
		}
		m.sa[i], m.emitted[i] = sa, emitted
	}
	m.dels, m.adds = nil, nil
	for name, b := range before {
		switch c := m.count[name]; {
		case b > 0 && c == 0:
			m.dels = append(m.dels, name)
		case b == 0 && c > 0:
			m.adds = append(m.adds, recs[name])
		}
	}
	sort.Strings(m.dels)
	sortByName(m.adds)
	return true
}
