package nodeipam

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// releasePrefix marks the key of a podCIDR to release: a deleted node is gone from the
// store by the time the key is reconciled, so the key carries the CIDR.
const releasePrefix = "\x00release/"

// Controller is the node IPAM controller. It keeps no state in memory.
type Controller struct{}

// Name implements sim.Controller; it is the source of its events, as upstream's recorder
// component "cidrAllocator".
func (Controller) Name() string { return "cidrAllocator" }

// OwnedKinds implements sim.KindOwner: the CIDR set are this controller's own.
func (Controller) OwnedKinds() []string {
	return []string{CIDRSetKind}
}

// Watch enqueues a node that was added or updated without a podCIDR (upstream queues every
// add and update; one that has its podCIDR only gets it occupied again), and the podCIDRs of
// a deleted node for release.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	if c.Kind != "Node" {
		return
	}
	switch c.Type {
	case store.Added:
		ctx.Enqueue(c.Key)
	case store.Modified:
		o, n := c.Old.(*api.Node), c.New.(*api.Node)
		if len(n.Spec.PodCIDRs) == 0 || !slices.Equal(o.Spec.PodCIDRs, n.Spec.PodCIDRs) {
			ctx.Enqueue(c.Key)
		}
	case store.Deleted:
		for _, cidr := range c.Old.(*api.Node).Spec.PodCIDRs {
			ctx.Enqueue(releasePrefix + cidr)
		}
	}
}

// Reconcile is syncNode: occupy a node's podCIDR, or allocate one; or release a deleted
// node's.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	set, created := load(ctx)
	before := api.Clone(set)
	err := reconcile(ctx, set, key)
	if err2 := save(ctx, set, before, created); err == nil {
		err = err2
	}
	return err
}

func reconcile(ctx *sim.Context, set *CIDRSet, key string) error {
	if cidr, ok := strings.CutPrefix(key, releasePrefix); ok {
		if c, ok := api.ParseCIDR(cidr); ok {
			set.Release(c)
		}
		return nil
	}
	o := ctx.Store().Get("Node", key)
	if o == nil {
		return nil
	}
	n := o.(*api.Node)
	if len(n.Spec.PodCIDRs) > 0 {
		occupy(set, n)
		return nil
	}
	c, ok := set.AllocateNext()
	if !ok {
		// controllerutil.RecordNodeStatusChange(..., v1.EventTypeWarning, "CIDRNotAvailable")
		ctx.Eventf(n, "Warning", "CIDRNotAvailable", "Node %s status is now: CIDRNotAvailable", n.Name)
		return fmt.Errorf("failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range")
	}
	cp := api.Clone(n)
	cp.Spec.PodCIDR, cp.Spec.PodCIDRs = c.String(), []string{c.String()}
	return ctx.Update(cp)
}

func occupy(set *CIDRSet, n *api.Node) {
	for _, s := range n.Spec.PodCIDRs {
		if c, ok := api.ParseCIDR(s); ok { // validation keeps every podCIDR inside the cluster CIDR
			set.Occupy(c)
		}
	}
}

// load returns a copy of the cidrset to change. The first time, it is set up as the
// controller does at start: every existing node's podCIDR is occupied first, so a scenario
// node that brings its own podCIDR never has it handed to another.
func load(ctx *sim.Context) (set *CIDRSet, created bool) {
	st := ctx.Store()
	if o := st.Get(CIDRSetKind, "cluster"); o != nil {
		return api.Clone(o.(*CIDRSet)), false
	}
	cfg, _ := st.Get(api.ClusterConfigKind, "cluster").(*api.ClusterConfig)
	cidr := ""
	if cfg != nil {
		cidr = cfg.ClusterCIDR
	}
	set = newCIDRSet(cidr)
	for _, n := range store.ListAs[*api.Node](st, "Node", "") {
		occupy(set, n)
	}
	return set, true
}

func save(ctx *sim.Context, set, before *CIDRSet, created bool) error {
	switch {
	case created:
		return ctx.Create(set)
	case !slices.Equal(set.Used, before.Used) || set.NextCandidate != before.NextCandidate || set.Allocated != before.Allocated:
		return ctx.Update(set)
	}
	return nil
}
