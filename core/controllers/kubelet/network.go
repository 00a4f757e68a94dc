package kubelet

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// The pod network of a node, as the CNI configuration kubesim assumes sets it up: a bridge
// "cbr0" whose host-local IPAM hands out addresses from the node's spec.podCIDR (the layout of
// kubenet and of kind's kindnet). A node without a podCIDR has no CNI configuration, so the
// container runtime reports its network not ready.

// HostLocal is the host-local IPAM plugin's store on one node (its /var/lib/cni/networks
// directory): a file per address in use and the last address reserved.
type HostLocal struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	// LastReserved is the last address handed out (the last_reserved_ip.0 file).
	LastReserved string `json:"lastReserved,omitempty"`
	// Reserved are the addresses in use, each with the UID of the pod whose sandbox holds it.
	Reserved Reservations `json:"reserved,omitempty"`
}

// Reservations are reserved addresses sorted by address (as strings), one per address; the
// JSON is the address -> owner object a map would give. A slice, not a map: every sandbox
// created or torn down copies its node's store, and a map's copy cost more than the rest of
// the sandbox's bookkeeping.
type Reservations []Reservation

// Reservation is one address in use (a file of the host-local store).
type Reservation struct{ IP, Owner string }

// find returns where ip is or would be, and whether it is there.
func (r Reservations) find(ip string) (int, bool) {
	return slices.BinarySearchFunc(r, ip, func(e Reservation, ip string) int { return strings.Compare(e.IP, ip) })
}

// MarshalJSON writes the address -> owner object.
func (r Reservations) MarshalJSON() ([]byte, error) {
	m := make(map[string]string, len(r))
	for _, e := range r {
		m[e.IP] = e.Owner
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the address -> owner object.
func (r *Reservations) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*r = nil
	if m != nil {
		*r = make(Reservations, 0, len(m))
		for _, ip := range api.SortedKeys(m) {
			*r = append(*r, Reservation{ip, m[ip]})
		}
	}
	return nil
}

// Allocate reserves an address of subnet for owner the way host-local's IPAllocator.Get does
// (containernetworking/plugins plugins/ipam/host-local/backend/allocator/allocator.go, one
// range with the defaults of range.go Canonicalize: gateway and range start are the network
// address + 1, range end the broadcast address - 1). The search is round-robin: it starts
// right after the last reserved address (at the range start if there is none, or it is not
// in the range), wraps from the range end to the range start, skips the gateway and every
// address in use, and gives up when it is back where it started. The error is the plugin's.
func (h *HostLocal) Allocate(subnet, owner string) (string, error) {
	c, ok := api.ParseCIDR(subnet)
	switch {
	case !ok:
		return "", fmt.Errorf("invalid CIDR address: %s", subnet)
	case c.Bits > 30:
		return "", fmt.Errorf("invalid range set 0: Network %s/%d too small to allocate from", c.IP, c.Bits)
	case c.IP != c.Network():
		return "", fmt.Errorf("invalid range set 0: Network has host bits set. For a subnet mask of length %d the network address is %s", c.Bits, c.Network())
	}
	start, end := c.Network()+1, c.Broadcast()-1
	gateway := start
	// RangeIter: cur is the position, first the address where the search began.
	var cur, first api.IPv4
	begun, haveFirst := false, false
	if last, ok := api.ParseIPv4(h.LastReserved); ok && last >= start && last <= end {
		cur, begun = last, true // the first Next returns last + 1
	}
	next := func() (api.IPv4, bool) {
		for {
			if !begun {
				cur, begun = start, true
				first, haveFirst = cur, true
			} else {
				if cur == end {
					cur = start
				} else {
					cur++
				}
				if !haveFirst {
					first, haveFirst = cur, true
				} else if cur == first {
					return 0, false
				}
			}
			if cur != gateway {
				return cur, true
			}
		}
	}
	for {
		ip, ok := next()
		if !ok {
			return "", fmt.Errorf("failed to allocate for range 0: no IP addresses available in range set: %s-%s", start, end)
		}
		a := ip.String()
		i, used := h.Reserved.find(a)
		if used {
			continue
		}
		h.Reserved = slices.Insert(h.Reserved, i, Reservation{a, owner})
		h.LastReserved = a
		return a, nil
	}
}

// Release frees owner's address (ReleaseByID); the last reserved address stays.
func (h *HostLocal) Release(ip, owner string) {
	if i, ok := h.Reserved.find(ip); ok && h.Reserved[i].Owner == owner {
		h.Reserved = slices.Delete(h.Reserved, i, i+1)
	}
}

// hostLocal returns the node's host-local store to change (a clone, written back by
// saveHostLocal).
func (s *syncer) hostLocal() *HostLocal {
	if s.hl == nil {
		s.hl = loadHostLocal(s.ctx, s.rt.Node)
	}
	return s.hl
}

// clone is a deep copy of h, the same as api.Clone(h) without reflection: every pod
// sandbox created or torn down copies its node's store.
func (h *HostLocal) clone() *HostLocal {
	cp := *h
	cp.ObjectMeta = h.ObjectMeta.DeepCopy()
	if h.Reserved != nil {
		// Room for the address a new sandbox reserves.
		cp.Reserved = append(make(Reservations, 0, len(h.Reserved)+1), h.Reserved...)
	}
	return &cp
}

func loadHostLocal(ctx *sim.Context, node string) *HostLocal {
	if o := ctx.Store().Get(HostLocalKind, node); o != nil {
		return o.(*HostLocal).clone()
	}
	// Bookkeeping, not an API object: its own UID, so that the API objects' UIDs (uid-NNNNNN)
	// do not depend on it.
	return &HostLocal{TypeMeta: api.TypeMeta{Kind: HostLocalKind}, ObjectMeta: api.ObjectMeta{Name: node, UID: "host-local-" + node}}
}

func saveHostLocal(ctx *sim.Context, h *HostLocal) error {
	if ctx.Store().Get(HostLocalKind, h.Name) == nil {
		return ctx.Create(h)
	}
	return ctx.Update(h)
}

// releaseIP is the CNI DEL of the pod's sandbox being torn down: its address goes back to
// the node's pool (the pod status keeps showing it, as upstream's does for a finished pod).
func (s *syncer) releaseIP() {
	if s.rt.PodIP == "" {
		return
	}
	s.hostLocal().Release(s.rt.PodIP, s.rt.PodUID)
	s.hlChanged = true
	s.rt.PodIP = ""
}

// releaseStored releases the address of a runtime whose pod is gone.
func releaseStored(ctx *sim.Context, rt *PodRuntime) error {
	if rt.PodIP == "" {
		return nil
	}
	h := loadHostLocal(ctx, rt.Node)
	h.Release(rt.PodIP, rt.PodUID)
	return saveHostLocal(ctx, h)
}

// networkNotReady is the error of kubelet SyncPod for a pod on a node whose runtime reports
// NetworkReady=false: containerd without a CNI configuration (pkg/kubelet/kubelet.go
// NetworkNotReadyErrorMsg, updateRuntimeUp).
const networkNotReady = "network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"

// networkReady reports whether the node has its pod network (a podCIDR); if not, the sync
// fails with event NetworkNotReady. Upstream's pod worker retries such a sync after 1 s;
// kubesim syncs the node's pods again when the podCIDR arrives (Watch) instead.
func (s *syncer) networkReady() bool {
	if s.node.Spec.PodCIDR != "" {
		return true
	}
	s.ctx.EventAt(s.pod, "", "Warning", "NetworkNotReady", networkNotReady)
	s.ctx.Explain(s.pod, "node %s has no podCIDR, so no pod network: the pod waits for one", s.node.Name)
	return false
}

// createSandbox runs the pod sandbox: the CNI ADD reserves the pod's IP from the node's
// podCIDR. When that fails the kubelet emits FailedCreatePodSandBox with the runtime's error
// (kuberuntime_manager.go SyncPod; containerd "failed to setup network for sandbox", libcni
// "plugin ... failed (add)") and the pod worker retries after its 10 s back-off.
func (s *syncer) createSandbox() bool {
	if s.now < s.rt.ResyncAt {
		return false // a retry is already due
	}
	h := s.hostLocal()
	ip, err := h.Allocate(s.node.Spec.PodCIDR, s.rt.PodUID)
	if err != nil {
		s.ctx.EventAt(s.pod, "", "Warning", "FailedCreatePodSandBox", fmt.Sprintf(
			"Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox %q: plugin type=\"bridge\" name=\"cbr0\" failed (add): %v",
			s.sandboxID(), err))
		s.ctx.Explain(s.pod, "host-local IPAM: no address for the pod in %s on %s (%d in use); the pod worker retries in %s",
			s.node.Spec.PodCIDR, s.node.Name, len(h.Reserved), errorResync)
		s.rt.ResyncAt = s.now.Add(errorResync)
		return false
	}
	s.hlChanged = true
	s.rt.PodIP = ip
	s.pod.Status.PodIP = ip
	return true
}

// sandboxID is the 64-hex-digit ID containerd gives a sandbox, derived from the pod and the
// attempt's time so that it is deterministic and differs between attempts.
func (s *syncer) sandboxID() string {
	sum := sha256.Sum256([]byte(s.pod.UID + "/" + strconv.FormatInt(int64(s.now), 10)))
	return hex.EncodeToString(sum[:])
}
