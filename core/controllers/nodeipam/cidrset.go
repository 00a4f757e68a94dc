package nodeipam

import (
	"slices"

	"github.com/kubesim/kubesim/core/api"
)

// CIDRSetKind is the hidden kind of the allocator's single object "cluster".
const CIDRSetKind = "NodeCIDRSet"

// CIDRSet is cidrset.CidrSet (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go): the node
// CIDRs of the cluster CIDR, which are used, and where the next allocation starts looking.
type CIDRSet struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	ClusterCIDR    string `json:"clusterCIDR"`
	NodeMaskSize   int    `json:"nodeMaskSize"`
	// NextCandidate is the index of the node CIDR AllocateNext tries first.
	NextCandidate int `json:"nextCandidate"`
	// Allocated counts the used node CIDRs.
	Allocated int `json:"allocated"`
	// Used is the bitmap of used node CIDRs, index i at bit i%64 of word i/64.
	Used []uint64 `json:"used"`
}

// CloneSelf is api.Clone's copy without reflection: every node's sync copies the set, whose
// bitmap has a word per 64 node CIDRs (1,024 of them for the default /8). Every field is a
// plain value but Used, a slice of plain values.
func (s *CIDRSet) CloneSelf() *CIDRSet {
	if s == nil {
		return nil
	}
	cp := *s
	cp.ObjectMeta = s.ObjectMeta.DeepCopy()
	cp.Used = slices.Clone(s.Used)
	return &cp
}

// newCIDRSet is the cidrset of clusterCIDR ("" for the default api.ClusterCIDR).
func newCIDRSet(clusterCIDR string) *CIDRSet {
	if clusterCIDR == "" {
		clusterCIDR = api.ClusterCIDR
	}
	// Bookkeeping, not an API object: its own UID, so that the API objects' UIDs (uid-NNNNNN)
	// do not depend on it.
	s := &CIDRSet{TypeMeta: api.TypeMeta{Kind: CIDRSetKind}, ObjectMeta: api.ObjectMeta{Name: "cluster", UID: "node-cidr-set"},
		ClusterCIDR: clusterCIDR, NodeMaskSize: api.NodeCIDRMaskSize}
	s.Used = make([]uint64, (s.max()+63)/64)
	return s
}

func (s *CIDRSet) cluster() api.CIDR {
	c, _ := api.ParseCIDR(s.ClusterCIDR)
	return c
}

// max is maxCIDRs: 2^(node mask - cluster mask), 256 /24s in a /16.
func (s *CIDRSet) max() int { return 1 << (s.NodeMaskSize - s.cluster().Bits) }

func (s *CIDRSet) used(i int) bool { return s.Used[i/64]&(1<<(i%64)) != 0 }

func (s *CIDRSet) set(i int, on bool) {
	if on {
		s.Used[i/64] |= 1 << (i % 64)
	} else {
		s.Used[i/64] &^= 1 << (i % 64)
	}
}

// block is indexToCIDRBlock: the i-th node CIDR.
func (s *CIDRSet) block(i int) api.CIDR {
	return api.CIDR{IP: s.cluster().Network() | api.IPv4(uint32(i)<<(32-s.NodeMaskSize)), Bits: s.NodeMaskSize}
}

// AllocateNext marks the first free node CIDR at or after NextCandidate used and returns it;
// ok is false when none is left (ErrCIDRRangeNoCIDRsRemaining).
func (s *CIDRSet) AllocateNext() (cidr api.CIDR, ok bool) {
	if s.Allocated == s.max() {
		return api.CIDR{}, false
	}
	c := s.NextCandidate
	for range s.max() {
		if !s.used(c) {
			break
		}
		c = (c + 1) % s.max()
	}
	s.NextCandidate = (c + 1) % s.max()
	s.set(c, true)
	s.Allocated++
	return s.block(c), true
}

// indices is getBeginningAndEndIndices: the node CIDRs a prefix inside the cluster CIDR
// covers (one for a /24 or smaller, several for a larger prefix).
func (s *CIDRSet) indices(c api.CIDR) (begin, end int) {
	cl := s.cluster()
	if c.Bits <= cl.Bits {
		return 0, s.max() - 1
	}
	index := func(ip api.IPv4) int { return int(uint32(ip^cl.Network()) >> (32 - s.NodeMaskSize)) }
	return index(c.Network()), index(c.Broadcast())
}

// Occupy marks the node CIDRs of c used (a node that already has its podCIDR).
func (s *CIDRSet) Occupy(c api.CIDR) {
	b, e := s.indices(c)
	for i := b; i <= e; i++ {
		if !s.used(i) {
			s.set(i, true)
			s.Allocated++
		}
	}
}

// Release marks the node CIDRs of c free again (the node was deleted). NextCandidate stays.
func (s *CIDRSet) Release(c api.CIDR) {
	b, e := s.indices(c)
	for i := b; i <= e; i++ {
		if s.used(i) {
			s.set(i, false)
			s.Allocated--
		}
	}
}
