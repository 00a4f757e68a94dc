package kubectl

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// Every command that changes an object writes through createObject or updateObject, which
// stand for one API request: the API server's defaulting, its validation (on update also
// against the stored object, for immutable fields), the stored status kept (users write spec
// and metadata: the strategies' PrepareForUpdate), and kubesim's limits, all before the store
// is touched, so a refused command leaves the cluster as it was. Deletions go straight to
// Ctx.Delete: the API server validates nothing on DELETE and a deletion never raises a limit.

// createObject creates o as a POST would.
func createObject(env *Env, o api.Object) error {
	api.Default(o)
	if err := invalidError(o, api.Validate(o)); err != nil {
		return err
	}
	// The Priority plugin mutates before any validating admission (the pod limit stands for
	// a ResourceQuota); the store's Create runs it again, to the same result.
	if p, ok := o.(*api.Pod); ok {
		if msg := api.AdmitPodPriority(env.Ctx.Store(), p); msg != "" {
			return &Error{Msg: fmt.Sprintf("Error from server (Forbidden): pods %q is forbidden: %s", p.Name, msg)}
		}
	}
	if err := admitPods(env, nil, o); err != nil {
		return err
	}
	if err := env.Ctx.Create(o); err != nil {
		return serverError(o, err)
	}
	return nil
}

// updateObject replaces live, the stored object, with next, a changed copy of it, as a PUT
// or PATCH would. It returns false without writing when next, defaulted and with live's
// status, equals live: the API server does not write a no-op update either.
func updateObject(env *Env, live, next api.Object) (bool, error) {
	api.Default(next)
	if f := reflect.ValueOf(next).Elem().FieldByName("Status"); f.IsValid() {
		f.Set(reflect.ValueOf(live).Elem().FieldByName("Status"))
	}
	if err := invalidError(next, api.ValidateUpdate(next, live)); err != nil {
		return false, err
	}
	if reflect.DeepEqual(next, live) {
		return false, nil
	}
	if err := admitPods(env, live, next); err != nil {
		return false, err
	}
	if err := env.Ctx.Update(next); err != nil {
		return false, serverError(next, err)
	}
	return true, nil
}

// resizePod replaces the stored pod live with next through the pods/resize subresource
// (pkg/registry/core/pod/strategy.go podResizeStrategy): the status is kept and
// api.ValidatePodResize decides, in place of the pod update validation. A resize never
// changes the number of pods, so no limit applies.
func resizePod(env *Env, live, next *api.Pod) (bool, error) {
	api.Default(next)
	next.Status = live.Status
	if err := invalidError(next, api.ValidatePodResize(next, live)); err != nil {
		return false, err
	}
	if reflect.DeepEqual(next, live) {
		return false, nil
	}
	if err := env.Ctx.Update(next); err != nil {
		return false, serverError(next, err)
	}
	return true, nil
}

// invalidError is kubectl's rendering of a 422 Invalid response.
func invalidError(o api.Object, errs api.ErrorList) error {
	if err := api.InvalidObjectError(o.GetKind(), o.Meta().Name, errs); err != nil {
		return &Error{Msg: err.Error()}
	}
	return nil
}

func serverError(o api.Object, err error) error {
	var se *sim.StatusError
	switch {
	case errors.As(err, &se) && se.Reason == "Forbidden":
		return &Error{Msg: "Error from server (Forbidden): " + se.Message}
	case errors.Is(err, store.ErrNotFound):
		return NotFoundError(o.GetKind(), o.Meta().Name)
	case errors.Is(err, store.ErrAlreadyExists):
		return &Error{Msg: fmt.Sprintf("Error from server (AlreadyExists): %s %q already exists", resourcePlural(o.GetKind()), o.Meta().Name)}
	case errors.Is(err, store.ErrConflict):
		return &Error{Msg: "Error from server (Conflict): " + err.Error()}
	}
	return &Error{Msg: "Error from server: " + err.Error()}
}

// admitPods refuses a write that would make the workloads ask for more than api.MaxTotalPods
// pods in total, counted over the whole cluster as it would be after the write. Like a
// ResourceQuota, it judges only writes that raise the count, so a cluster over the limit can
// always shrink, and its refusal is a 403 Forbidden with the quota's numbers.
func admitPods(env *Env, live, next api.Object) error {
	st := env.Ctx.Store()
	requested := podsAskedFor(st, next) - podsAskedFor(st, live)
	if requested <= 0 {
		return nil
	}
	if !env.usedKnown || env.usedAt != st.ResourceVersion() {
		env.used, env.usedAt, env.usedKnown = 0, st.ResourceVersion(), true
		for _, kind := range []string{"Deployment", "ReplicaSet", "StatefulSet", "Pod", "HorizontalPodAutoscaler"} {
			for _, o := range st.List(kind, "") {
				env.used += podsAskedFor(st, o)
			}
		}
	}
	used := env.used
	if used+requested <= api.MaxTotalPods {
		// Only next's own share changes (selectors and UIDs, which decide its dependents'
		// shares, are immutable), so the count stays valid across the write that follows.
		env.used, env.usedAt = used+requested, st.ResourceVersion()+1
		return nil
	}
	return &Error{Msg: fmt.Sprintf("Error from server (Forbidden): %s %q is forbidden: exceeded kubesim limit: "+
		"requested: pods=%d, used: pods=%d, limited: pods=%d (at most %d pods in total: the replicas of every "+
		"Deployment, ReplicaSet and StatefulSet, bare Pods and every HorizontalPodAutoscaler's maxReplicas, "+
		"so the simulation stays fast in a browser tab)",
		resourcePlural(next.GetKind()), next.Meta().Name, requested, used, api.MaxTotalPods, api.MaxTotalPods)}
}

// podsAskedFor is what o adds to the cluster's total: api.PodsAskedFor, or 0 for a ReplicaSet
// or Pod whose controller counts it already (the controller exists and selects it) or whose
// controller is gone (the garbage collector deletes it). A dependent its controller no longer
// selects is counted: the controller releases it and makes a replacement.
func podsAskedFor(st *store.Store, o api.Object) int64 {
	if o == nil {
		return 0
	}
	n := api.PodsAskedFor(o)
	ref := api.ControllerOf(o.Meta())
	if n == 0 || ref == nil {
		return n
	}
	owner := st.Get(ref.Kind, o.Meta().Namespace+"/"+ref.Name)
	if owner == nil || owner.Meta().UID != ref.UID {
		return 0
	}
	var sel *api.LabelSelector
	switch w := owner.(type) {
	case *api.Deployment:
		sel = w.Spec.Selector
	case *api.ReplicaSet:
		sel = w.Spec.Selector
	case *api.StatefulSet:
		sel = w.Spec.Selector
	}
	if sel != nil && !sel.Matches(o.Meta().Labels) {
		return n
	}
	return 0
}
