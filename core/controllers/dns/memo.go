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
	emitted [][]string           // per slice: names of the answers taken from it
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
	hosts, tgts := distinct(sa)
	for _, a := range addrsOf(hosts) {
		sm.addrN[a]++
	}
	for _, t := range tgts {
		if sm.tgtN[t] == 0 {
			sm.srvN[t.srv]++
		}
		sm.tgtN[t]++
	}
}

// distinct is the slice's addresses (at their first host entry) and SRV targets, without repeats.
func distinct(sa *sliceAnswers) ([]hostAddr, []srvTarget) {
	var hosts []hostAddr
	seen := make(map[string]bool, len(sa.hosts))
	for _, h := range sa.hosts {
		if !seen[h.addr] {
			seen[h.addr] = true
			hosts = append(hosts, h)
		}
	}
	var tgts []srvTarget
	seenT := make(map[srvTarget]bool, len(sa.srv))
	for _, t := range sa.srv {
		if !seenT[t] {
			seenT[t] = true
			tgts = append(tgts, t)
		}
	}
	return hosts, tgts
}

func addrsOf(hs []hostAddr) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.addr
	}
	return out
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
		oldHosts, oldTgts := distinct(m.sa[i])
		newHosts, newTgts := distinct(sa)
		for _, a := range addrsOf(oldHosts) {
			if sm.addrN[a] != 1 {
				return false
			}
			delete(sm.addrN, a)
		}
		for _, a := range addrsOf(newHosts) {
			if sm.addrN[a] != 0 {
				return false
			}
			sm.addrN[a] = 1
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
		for _, name := range m.emitted[i] {
			touch(name, -1)
		}
		var emitted []string
		for _, h := range newHosts {
			for _, a := range []answer{h.svcA, h.hostA} {
				emitted = append(emitted, a.name)
				recs[a.name] = a
				touch(a.name, 1)
			}
		}
		byW := map[int][]answer{}
		seenT := make(map[srvTarget]bool, len(sa.srv))
		for j, t := range sa.srv {
			if seenT[t] {
				continue // taken at its first occurrence
			}
			seenT[t] = true
			w := srvWeight(sm.srvN[t.srv])
			as, ok := byW[w]
			if !ok {
				as = srvAnswersOf(s, es, sm.fqdn, w)
				byW[w] = as
			}
			emitted = append(emitted, as[j].name)
			recs[as[j].name] = as[j]
			touch(as[j].name, 1)
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
