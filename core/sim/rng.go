package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// streams holds named random streams. Each is a PCG seeded from (seed, name), so adding a
// new stream never shifts the numbers another stream produces. PCG is a plain value, which
// makes streams cheap to snapshot.
type streams struct {
	seed uint64
	m    map[string]*rand.PCG
}

func newStreams(seed uint64) *streams { return &streams{seed: seed, m: map[string]*rand.PCG{}} }

func (s *streams) get(name string) *rand.PCG {
	if p, ok := s.m[name]; ok {
		return p
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	p := rand.NewPCG(s.seed, h.Sum64())
	s.m[name] = p
	return p
}

func (s *streams) clone() *streams {
	c := &streams{seed: s.seed, m: make(map[string]*rand.PCG, len(s.m))}
	for k, p := range s.m {
		cp := *p
		c.m[k] = &cp
	}
	return c
}
