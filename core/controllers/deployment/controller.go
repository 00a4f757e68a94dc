package deployment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Controller is the Deployment controller. It keeps no state.
type Controller struct{}

// Name implements sim.Controller; it is also the event source.
func (Controller) Name() string { return "deployment-controller" }

// Watch enqueues the Deployment a change concerns: the Deployment itself, the owner of a
// ReplicaSet (or every Deployment whose selector matches an orphan RS), and for Recreate
// Deployments the owner of a deleted pod's ReplicaSet.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "Deployment":
		if c.Type != store.Deleted {
			ctx.Enqueue(c.Key)
		}
	case "ReplicaSet":
		for _, o := range []api.Object{c.Old, c.New} {
			if o == nil {
				continue
			}
			m := o.Meta()
			if r := api.ControllerOf(m); r != nil {
				if r.Kind == "Deployment" {
					ctx.Enqueue(m.Namespace + "/" + r.Name)
				}
				continue
			}
			for _, d := range store.ListAs[*api.Deployment](ctx.Store(), "Deployment", m.Namespace) {
				if !d.Spec.Selector.IsEmpty() && d.Spec.Selector.Matches(m.Labels) {
					ctx.Enqueue(d.Key())
				}
			}
		}
	case "Pod":
		if c.Type != store.Deleted {
			return
		}
		m := c.Old.Meta()
		r := api.ControllerOf(m)
		if r == nil || r.Kind != "ReplicaSet" {
			return
		}
		rs, ok := store.GetAs[*api.ReplicaSet](ctx.Store(), "ReplicaSet", m.Namespace+"/"+r.Name)
		if !ok {
			return
		}
		if dr := api.ControllerOf(&rs.ObjectMeta); dr != nil && dr.Kind == "Deployment" {
			d, ok := store.GetAs[*api.Deployment](ctx.Store(), "Deployment", m.Namespace+"/"+dr.Name)
			if ok && d.Spec.Strategy.Type == api.RecreateDeploymentStrategy {
				ctx.Enqueue(d.Key())
			}
		}
	}
}

// syncer carries one sync of one Deployment: d is the latest written copy (read-only).
type syncer struct {
	ctx *sim.Context
	d   *api.Deployment
	// blocker says why a rolling pass changed nothing; it is explained only when the pass
	// writes a new status (something the user can see changed), not on every resync.
	blocker string
}

// Reconcile is syncDeployment: the decision ladder of workloads.md §2.1.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	d, ok := store.GetAs[*api.Deployment](ctx.Store(), "Deployment", key)
	if !ok {
		return nil
	}
	s := &syncer{ctx: ctx, d: d}
	if d.Spec.Selector.IsEmpty() {
		ctx.Event(d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
		if d.Status.ObservedGeneration < d.Generation {
			cp := api.Clone(d)
			cp.Status.ObservedGeneration = d.Generation
			return ctx.Update(cp)
		}
		return nil
	}
	rsList, err := s.replicaSetsForDeployment()
	if err != nil {
		return err
	}
	if d.DeletionTimestamp != nil {
		return s.syncStatusOnly(rsList)
	}
	if err := s.checkPausedConditions(); err != nil {
		return err
	}
	if d.Spec.Paused {
		return s.sync(rsList)
	}
	if to, ok := rollbackTo(d); ok {
		return s.rollback(rsList, to)
	}
	scaling, err := s.isScalingEvent(rsList)
	if err != nil {
		return err
	}
	if scaling {
		return s.sync(rsList)
	}
	// isScalingEvent may have written the new RS's revision annotations: list again so the
	// strategy works on the stored objects (upstream would hit a conflict and requeue).
	if rsList, err = s.replicaSetsForDeployment(); err != nil {
		return err
	}
	switch s.d.Spec.Strategy.Type {
	case api.RecreateDeploymentStrategy:
		return s.rolloutRecreate(rsList)
	case api.RollingUpdateDeploymentStrategy:
		return s.rolloutRolling(rsList)
	}
	return fmt.Errorf("unexpected deployment strategy type: %s", s.d.Spec.Strategy.Type)
}

// replicaSetsForDeployment lists the RSes this Deployment controls, adopting orphans its
// selector matches and releasing owned ones it no longer matches (ClaimReplicaSets).
func (s *syncer) replicaSetsForDeployment() ([]*api.ReplicaSet, error) {
	d := s.d
	var out []*api.ReplicaSet
	for _, rs := range store.ListAs[*api.ReplicaSet](s.ctx.Store(), "ReplicaSet", d.Namespace) {
		ref := api.ControllerOf(&rs.ObjectMeta)
		matches := d.Spec.Selector.Matches(rs.Labels)
		switch {
		case ref != nil && ref.UID == d.UID:
			if matches || rs.DeletionTimestamp != nil {
				out = append(out, rs)
				continue
			}
			cp := api.Clone(rs)
			cp.OwnerReferences = slices.DeleteFunc(cp.OwnerReferences, func(r api.OwnerReference) bool { return r.UID == d.UID })
			if err := s.ctx.Update(cp); err != nil {
				return nil, err
			}
		case ref == nil && matches && d.DeletionTimestamp == nil && rs.DeletionTimestamp == nil:
			cp := api.Clone(rs)
			cp.OwnerReferences = append(cp.OwnerReferences, api.NewControllerRef(d, "apps/v1"))
			if err := s.ctx.Update(cp); err != nil {
				return nil, err
			}
			s.ctx.Explain(d, "adopted orphan replica set %s: its labels match the selector", rs.Name)
			out = append(out, cp)
		}
	}
	return out, nil
}

// updateDeployment writes cp (a changed clone of s.d) and makes it the current copy.
func (s *syncer) updateDeployment(cp *api.Deployment) error {
	if err := s.ctx.Update(cp); err != nil {
		return err
	}
	if s.blocker != "" {
		s.ctx.Explain(cp, "%s", strings.TrimPrefix(s.blocker, "; "))
		s.blocker = ""
	}
	s.d = cp
	return nil
}
