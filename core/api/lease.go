package api

// LeaseKind is the node heartbeat (coordination.k8s.io/v1 Lease in kube-node-lease), kept
// hidden: kubectl does not show it and it is not part of the trace.
const (
	LeaseKind           = "Lease"
	NodeLeaseNamespace  = "kube-node-lease"
	NodeLeaseRenewEvery = 10 * Second // leaseDuration 40 s x renewInterval fraction 0.25
)

// Lease is the heartbeat of one node's kubelet (pods.md §8). To keep the store quiet, a
// kubelet that is alive does not rewrite it every 10 s: while Renewing is set the lease counts
// as renewed at RenewTime + k x 10 s up to now. A node without a Lease object has been renewing
// since the Node was created. The kubelet of a failed node writes its last renewal and clears
// Renewing; when it comes back it renews at once and sets Renewing again.
type Lease struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	// HolderIdentity is the node name.
	HolderIdentity string `json:"holderIdentity"`
	// RenewTime is the last renewal written (the anchor of the 10 s renewals while Renewing).
	RenewTime Time `json:"renewTime"`
	// Renewing is set while the kubelet runs.
	Renewing bool `json:"renewing,omitempty"`
}

// LastRenewal is the time of the newest renewal at or before now.
func (l *Lease) LastRenewal(now Time) Time {
	if !l.Renewing || now < l.RenewTime {
		return l.RenewTime
	}
	return l.RenewTime.Add((now.Sub(l.RenewTime) / NodeLeaseRenewEvery) * NodeLeaseRenewEvery)
}

// NodeLease returns the lease of a node as it stands: the stored one, or (none stored) one
// renewing since the node's creation.
func NodeLease(n *Node, stored *Lease) *Lease {
	if stored != nil {
		return stored
	}
	return &Lease{TypeMeta: TypeMeta{APIVersion: "coordination.k8s.io/v1", Kind: LeaseKind},
		ObjectMeta:     ObjectMeta{Namespace: NodeLeaseNamespace, Name: n.Name},
		HolderIdentity: n.Name, RenewTime: n.CreationTimestamp, Renewing: true}
}
