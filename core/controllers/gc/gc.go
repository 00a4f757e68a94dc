// Package gc is the garbage collector: when an owner is deleted, it deletes the objects
// whose controller owner reference points at it (background propagation, the default of
// `kubectl delete`; pkg/controller/garbagecollector).
package gc

import (
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// dependentKinds are the kinds that carry controller owner references in the simulator.
var dependentKinds = []string{"ReplicaSet", "Pod", "ControllerRevision", "PersistentVolumeClaim", "EndpointSlice"}

// Controller is the garbage collector.
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return "garbage-collector" }

// Watch enqueues the dependents of every deleted object, as "Kind|namespace/name".
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	if c.Type != store.Deleted {
		return
	}
	uid := c.Old.Meta().UID
	for _, kind := range dependentKinds {
		for _, o := range ctx.Store().ByIndex("owner", kind, uid) {
			ctx.Enqueue(kind + "|" + o.Meta().Key())
		}
	}
}

// Reconcile deletes the dependent if its controller owner is gone.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	kind, objKey, _ := strings.Cut(key, "|")
	o := ctx.Store().Get(kind, objKey)
	if o == nil || o.Meta().DeletionTimestamp != nil {
		return nil
	}
	ref := api.ControllerOf(o.Meta())
	if ref == nil {
		return nil
	}
	ownerKey := ref.Name
	if ns := o.Meta().Namespace; ns != "" && ref.Kind != "Node" {
		ownerKey = ns + "/" + ref.Name
	}
	if owner := ctx.Store().Get(ref.Kind, ownerKey); owner != nil && owner.Meta().UID == ref.UID {
		return nil
	}
	return ctx.Delete(kind, objKey, sim.DeleteOptions{})
}
