package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("pod-ip-in-node-cidr", podIPsInNodeCIDRs)
}

// podIPsInNodeCIDRs: a live pod's IP (pods that reached Succeeded or Failed have given theirs
// back, though their status still shows it) is an address its node's host-local IPAM can hand
// out: inside the node's podCIDR, not its network, gateway (.1) or broadcast address; and no
// two live pods share one. Pods on a node that no longer exists are left to
// pod-bound-to-existing-node.
func podIPsInNodeCIDRs(s *store.Store, _ api.Time) error {
	holder := map[api.IPv4]string{}
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		if p.Status.PodIP == "" || p.IsTerminal() {
			continue
		}
		ip, ok := api.ParseIPv4(p.Status.PodIP)
		if !ok {
			return objErr("Pod", p.Key(), "pod %s has IP %q, not an IPv4 address", p.Key(), p.Status.PodIP)
		}
		if other, dup := holder[ip]; dup {
			return objErr("Pod", p.Key(), "pods %s and %s both have IP %s", other, p.Key(), ip)
		}
		holder[ip] = p.Key()
		n, ok := store.GetAs[*api.Node](s, "Node", p.Spec.NodeName)
		if !ok {
			continue
		}
		c, ok := api.ParseCIDR(n.Spec.PodCIDR)
		if !ok {
			return objErr("Pod", p.Key(), "pod %s has IP %s but its node %s has no podCIDR", p.Key(), ip, n.Name)
		}
		switch {
		case !c.Contains(ip):
			return objErr("Pod", p.Key(), "pod %s has IP %s, outside its node %s's podCIDR %s", p.Key(), ip, n.Name, c)
		case ip == c.Network(), ip == c.Network()+1, ip == c.Broadcast():
			return objErr("Pod", p.Key(), "pod %s has IP %s, the network, gateway or broadcast address of its node %s's podCIDR %s", p.Key(), ip, n.Name, c)
		}
	}
	return nil
}
