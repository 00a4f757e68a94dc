package api

import (
	"strconv"
	"strings"
)

// Pod networking of the simulated cluster. kubesim simulates an IPv4 single-stack cluster
// set up the way kubeadm and kind set one up: kube-controller-manager's node IPAM controller
// (--allocate-node-cidrs, --cluster-cidr=10.244.0.0/16, --node-cidr-mask-size=24) gives each
// Node a /24 podCIDR, and the CNI plugin's host-local IPAM hands out pod IPs from it.
const (
	// ClusterCIDR is kube-controller-manager's --cluster-cidr.
	ClusterCIDR = "10.244.0.0/16"
	// NodeCIDRMaskSize is --node-cidr-mask-size (the IPv4 default, 24).
	NodeCIDRMaskSize = 24
)

// CheckClusterCIDR validates a --cluster-cidr for the node IPAM controller's cidrset
// (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go NewCIDRSet): an IPv4 network at least
// as large as a node's /24 and at most 16 bits larger (clusterSubnetMaxDiff). It returns ""
// when cidr is valid.
func CheckClusterCIDR(cidr string) string {
	c, ok := ParseCIDR(cidr)
	switch {
	case !ok:
		return "must be an IPv4 CIDR such as 10.0.0.0/14"
	case c.IP != c.Network():
		return "must be a network address (its host bits zero), such as " + CIDR{IP: c.Network(), Bits: c.Bits}.String()
	case c.Bits > NodeCIDRMaskSize:
		return "must be at least as large as a node's /24 podCIDR (a prefix of 24 or less)"
	case NodeCIDRMaskSize-c.Bits > 16:
		return "must hold at most 65,536 node /24s (a prefix of 8 or more)"
	}
	return ""
}

// IPv4 is an IPv4 address. core may not import net (arch_test.go), so addresses and CIDRs
// are these small values.
type IPv4 uint32

// ParseIPv4 parses a dotted-quad address. Like netutils.ParseIPSloppy it accepts leading
// zeros (as decimal).
func ParseIPv4(s string) (IPv4, bool) {
	// Four dot-separated parts of 1-3 decimal digits, each at most 255. Cut, not Split: the
	// kubelet parses an address at every pod sandbox.
	var ip uint32
	for i := 0; i < 4; i++ {
		p, rest, found := strings.Cut(s, ".")
		if found == (i == 3) || p == "" || len(p) > 3 {
			return 0, false
		}
		n := 0
		for j := 0; j < len(p); j++ {
			if p[j] < '0' || p[j] > '9' {
				return 0, false
			}
			n = n*10 + int(p[j]-'0')
		}
		if n > 255 {
			return 0, false
		}
		ip = ip<<8 | uint32(n)
		s = rest
	}
	return IPv4(ip), true
}

func (ip IPv4) String() string {
	return strconv.Itoa(int(ip>>24)) + "." + strconv.Itoa(int(ip>>16&255)) + "." + strconv.Itoa(int(ip>>8&255)) + "." + strconv.Itoa(int(ip&255))
}

// CIDR is an IPv4 prefix as written: IP may have host bits set (netutils.ParseCIDRSloppy
// accepts "10.244.1.5/24" and means 10.244.1.0/24).
type CIDR struct {
	IP   IPv4
	Bits int
}

// ParseCIDR parses "a.b.c.d/n".
func ParseCIDR(s string) (CIDR, bool) {
	addr, bits, ok := strings.Cut(s, "/")
	if !ok || bits == "" || len(bits) > 2 || strings.Trim(bits, "0123456789") != "" {
		return CIDR{}, false
	}
	n, _ := strconv.Atoi(bits)
	ip, ok := ParseIPv4(addr)
	if !ok || n > 32 {
		return CIDR{}, false
	}
	return CIDR{IP: ip, Bits: n}, true
}

// Mask is the prefix's netmask.
func (c CIDR) Mask() IPv4 {
	if c.Bits == 0 {
		return 0
	}
	return IPv4(^uint32(0) << (32 - c.Bits))
}

// Network is the prefix's first address, Broadcast its last.
func (c CIDR) Network() IPv4   { return c.IP & c.Mask() }
func (c CIDR) Broadcast() IPv4 { return c.Network() | ^c.Mask() }

// Contains reports whether ip is inside the prefix.
func (c CIDR) Contains(ip IPv4) bool { return ip&c.Mask() == c.Network() }

// String renders the prefix as net.IPNet does after ParseCIDR: the network address.
func (c CIDR) String() string { return c.Network().String() + "/" + strconv.Itoa(c.Bits) }

// validatePodCIDRs is ValidateNode's check of spec.podCIDRs (pkg/apis/core/validation,
// v1.37.2: each a valid CIDR, at most one per IP family), plus kubesim's limits: the cluster
// is IPv4 single-stack, and a node's podCIDR lies inside the cluster CIDR, since
// kube-controller-manager's node IPAM refuses to start with a node outside it
// (ipam/range_allocator.go NewCIDRRangeAllocator -> occupyCIDRs).
func validatePodCIDRs(cidrs []string) ErrorList {
	var errs ErrorList
	cluster, _ := ParseCIDR(ClusterCIDR)
	ipv6 := false
	for i, s := range cidrs {
		path := "spec.podCIDRs[" + strconv.Itoa(i) + "]"
		c, ok := ParseCIDR(s)
		switch {
		case strings.Contains(s, ":"):
			ipv6 = true
			errs = append(errs, Invalid(path, s, "must be an IPv4 CIDR (kubesim limit: the simulated cluster is IPv4 single-stack)"))
		case !ok:
			errs = append(errs, Invalid(path, s, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
		case c.Bits < cluster.Bits || !cluster.Contains(c.IP):
			errs = append(errs, Invalid(path, s, "must be inside the cluster CIDR "+ClusterCIDR+
				" (kubesim limit: kube-controller-manager runs with --cluster-cidr="+ClusterCIDR+" and does not start with a node outside it)"))
		}
	}
	if len(cidrs) > 1 && !ipv6 { // two IPv4 CIDRs (an IPv6 one is refused above)
		errs = append(errs, Invalid("spec.podCIDRs", cidrs, "may specify no more than one CIDR for each IP family"))
	}
	return errs
}
