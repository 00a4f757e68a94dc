package dns_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/dns"
	"github.com/kubesim/kubesim/core/store"
)

// TestFastPathEqualsFullRecompute drives two clusters through the same random changes of
// headless Services and their slices, one reconciling on the fast path where it can and one
// always recomputing: the DNSRecord writes must be the same, in the same order, and the
// records what Records computes from scratch.
func TestFastPathEqualsFullRecompute(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		fastVsFull(t, seed)
	}
}

func fastVsFull(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	fast, full := newEnv(t), newEnv(t)
	var logs [2][]string
	for i, v := range []*env{fast, full} {
		i := i
		v.e.Store().Listen(func(c store.Change) {
			if c.Kind == "DNSRecord" {
				logs[i] = append(logs[i], c.Type.String()+" "+c.Key)
			}
		})
	}
	const ns = "a"
	nSlices := 4
	// An endpoint's address: mostly from its slice's own range, now and then from another's.
	addr := func(j int) string {
		if rng.IntN(20) == 0 {
			j = rng.IntN(nSlices)
		}
		return fmt.Sprintf("10.0.%d.%d", j, rng.IntN(12))
	}
	mkSlice := func(svc string, j int) func() *api.EndpointSlice {
		var ports []api.EndpointPort
		if rng.IntN(4) != 0 {
			ports = append(ports, port("http", 8080))
		}
		if rng.IntN(6) == 0 {
			ports = append(ports, port("grpc", int32(9000+rng.IntN(2))))
		}
		var eps []ep
		for range rng.IntN(10) {
			e := ep{ip: addr(j)}
			if rng.IntN(3) == 0 {
				e.hostname = fmt.Sprintf("h%d", rng.IntN(15))
			}
			switch rng.IntN(6) {
			case 0:
				e.ready = no
			case 1:
				e.ready = yes
			}
			eps = append(eps, e)
		}
		name := fmt.Sprintf("%s-%d", svc, j)
		return func() *api.EndpointSlice { return slice(ns, svc, name, ports, eps...) }
	}
	mkService := func(name string) func() *api.Service {
		ip := api.ClusterIPNone
		switch rng.IntN(8) {
		case 0:
			ip = "10.96.0.9"
		case 1:
			ip = ""
		}
		p := int32(80 + rng.IntN(2))
		return func() *api.Service { return service(ns, name, ip, api.ServicePort{Name: "http", Port: p}) }
	}
	// put creates or updates o in both clusters.
	put := func(mk func() api.Object) {
		for _, v := range []*env{fast, full} {
			o := mk()
			if cur := v.e.Store().Get(o.GetKind(), o.Meta().Key()); cur != nil {
				o.Meta().ResourceVersion = cur.Meta().ResourceVersion
				o.Meta().UID = cur.Meta().UID
				if err := v.ctx().Update(o); err != nil {
					t.Fatal(err)
				}
			} else if err := v.ctx().Create(o); err != nil {
				t.Fatal(err)
			}
		}
	}
	remove := func(kind, key string) {
		for _, v := range []*env{fast, full} {
			if v.e.Store().Get(kind, key) != nil {
				if err := v.ctx().Remove(kind, key); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	settle := func() {
		dns.SetFast(true)
		fast.settle()
		dns.SetFast(false)
		full.settle()
		dns.SetFast(true)
	}
	start := dns.SetFast(true)
	for _, svc := range []string{"web", "db"} {
		mk := mkService(svc)
		put(func() api.Object { return mk() })
	}
	settle()
	for step := range 400 {
		svc := "web"
		if rng.IntN(5) == 0 {
			svc = "db"
		}
		// Most steps change one slice; a few change more before the controllers run.
		touched := false // someone else wrote a record: no reconcile follows
		for range 1 + rng.IntN(2)*rng.IntN(3) {
			switch r := rng.IntN(40); {
			case r == 0:
				mk := mkService(svc)
				put(func() api.Object { return mk() })
			case r == 1:
				remove("EndpointSlice", ns+"/"+fmt.Sprintf("%s-%d", svc, rng.IntN(nSlices)))
			case r == 2:
				touched = true
				// someone else's record
				name := fmt.Sprintf("x%d", rng.IntN(3))
				put(func() api.Object {
					return &api.DNSRecord{TypeMeta: api.TypeMeta{APIVersion: "kubesim.dev/v1alpha1", Kind: "DNSRecord"},
						ObjectMeta: api.ObjectMeta{Namespace: ns, Name: name}, FQDN: name + ".example", Type: "A", Data: "1.2.3.4"}
				})
			case r == 3:
				touched = true
				if rs := store.ListAs[*api.DNSRecord](full.e.Store(), "DNSRecord", ns); len(rs) > 0 {
					remove("DNSRecord", rs[rng.IntN(len(rs))].Key())
				}
			default:
				mk := mkSlice(svc, rng.IntN(nSlices))
				put(func() api.Object { return mk() })
			}
		}
		settle()
		if a, b := strings.Join(logs[0], "\n"), strings.Join(logs[1], "\n"); a != b {
			t.Fatalf("seed %d step %d: writes differ:\nfast:\n%s\nfull:\n%s", seed, step, a, b)
		}
		logs[0], logs[1] = logs[0][:0], logs[1][:0]
		var got []string
		for _, r := range store.ListAs[*api.DNSRecord](fast.e.Store(), "DNSRecord", ns) {
			got = append(got, r.FQDN+" "+r.Type+" "+r.Data)
		}
		if a, b := strings.Join(fast.records(ns), "\n"), strings.Join(full.records(ns), "\n"); a != b {
			t.Fatalf("seed %d step %d: records differ:\nfast:\n%s\nfull:\n%s", seed, step, a, b)
		}
		var want []string
		for _, r := range dns.Records(fast.e.Store(), ns) {
			want = append(want, r.FQDN+" "+r.Type+" "+r.Data)
		}
		if strings.Join(sortedCopy(got), "\n") != strings.Join(sortedCopy(want), "\n") && !touched && !hasForeign(fast, ns) {
			t.Fatalf("seed %d step %d: records are not Records:\ngot:\n%s\nwant:\n%s", seed, step, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if n := dns.SetFast(true) - start; n < 30 {
		t.Errorf("seed %d: only %d fast reconciles", seed, n)
	}
}

// hasForeign reports whether a record someone else made survived (until the next change of
// the namespace, as with the full recompute).
func hasForeign(v *env, ns string) bool {
	for _, r := range store.ListAs[*api.DNSRecord](v.e.Store(), "DNSRecord", ns) {
		if strings.HasSuffix(r.FQDN, ".example") {
			return true
		}
	}
	return false
}
