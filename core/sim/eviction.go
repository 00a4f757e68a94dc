package sim

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
)

// The Eviction subresource (pkg/registry/core/pod/storage/eviction.go, v1.37.2): an eviction
// is a graceful delete that PodDisruptionBudgets may refuse.

// StatusError is an API error with its HTTP code, as apimachinery's StatusError: Error()
// is the message, which is what kubectl prints after "error when evicting ...".
type StatusError struct {
	Code   int    // 404, 429, 500
	Reason string // NotFound, TooManyRequests, InternalError, Forbidden
	// Message is metav1.Status.message.
	Message string
	// Cause is the DisruptionBudget cause's message, if any (details.causes[0]).
	Cause string
}

func (e *StatusError) Error() string { return e.Message }

// violatesBudget is the 429 message of checkAndDecrement and createTooManyRequestsError.
const violatesBudget = "Cannot evict pod as it would violate the pod's disruption budget."

// MatchingPDBs returns the budgets in the pod's namespace whose selector matches its labels
// (getPodDisruptionBudgets: a nil selector matches nothing, an empty one everything).
func MatchingPDBs(c *Context, p *api.Pod) []*api.PodDisruptionBudget {
	var out []*api.PodDisruptionBudget
	for _, o := range c.Store().List("PodDisruptionBudget", p.Namespace) {
		pdb := o.(*api.PodDisruptionBudget)
		if pdb.Spec.Selector.Matches(p.Labels) {
			out = append(out, pdb)
		}
	}
	return out
}

// Evict is POST pods/NAME/eviction with the given delete options. It returns nil when the
// eviction was admitted (the pod got the DisruptionTarget condition and a graceful delete),
// or a *StatusError: 404 for a missing pod, 429 when a budget refuses, 500 when the pod has
// several budgets. The explanation of a refusal or of a consumed budget goes to the trace.
func (c *Context) Evict(ns, name string, opts DeleteOptions) error {
	o := c.Store().Get("Pod", ns+"/"+name)
	if o == nil {
		return &StatusError{Code: 404, Reason: "NotFound", Message: fmt.Sprintf("pods %q not found", name)}
	}
	p := o.(*api.Pod)
	// canIgnorePDB: a pod that is finished, pending or already being deleted has disrupted
	// nothing that a budget protects.
	if p.IsTerminal() || p.Status.Phase == api.PodPending || p.DeletionTimestamp != nil {
		return c.addConditionAndDelete(p, opts)
	}
	pdbs := MatchingPDBs(c, p)
	if len(pdbs) > 1 {
		return &StatusError{Code: 500, Reason: "InternalError", Message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."}
	}
	if len(pdbs) == 0 {
		return c.addConditionAndDelete(p, opts)
	}
	pdb := pdbs[0]
	if !p.IsReady() {
		pol := api.Deref(pdb.Spec.UnhealthyPodEvictionPolicy, api.IfHealthyBudget)
		if pol == api.AlwaysAllow {
			c.explainEviction(p, "eviction admitted without using the budget of %s: the pod is not ready and unhealthyPodEvictionPolicy is AlwaysAllow", pdb.Name)
			return c.addConditionAndDelete(p, opts)
		}
		if pdb.Status.CurrentHealthy >= pdb.Status.DesiredHealthy && pdb.Status.DesiredHealthy > 0 {
			c.explainEviction(p, "eviction admitted without using the budget of %s: the pod is not ready and the budget is met (%d healthy, %d needed)",
				pdb.Name, pdb.Status.CurrentHealthy, pdb.Status.DesiredHealthy)
			return c.addConditionAndDelete(p, opts)
		}
	}
	if err := c.checkAndDecrement(p, pdb); err != nil {
		c.explainEviction(p, "eviction refused (%d %s): %s", err.Code, err.Reason, err.Cause)
		return err
	}
	return c.addConditionAndDelete(p, opts)
}

// checkAndDecrement consumes one disruption of the budget, recording the pod in
// status.disruptedPods, or says why it cannot.
func (c *Context) checkAndDecrement(p *api.Pod, pdb *api.PodDisruptionBudget) *StatusError {
	st := &pdb.Status
	if st.ObservedGeneration < pdb.Generation {
		return &StatusError{Code: 429, Reason: "TooManyRequests", Message: violatesBudget,
			Cause: fmt.Sprintf("The disruption budget %s is still being processed by the server.", pdb.Name)}
	}
	if st.DisruptionsAllowed < 0 {
		return &StatusError{Code: 403, Reason: "Forbidden",
			Message: fmt.Sprintf("poddisruptionbudget.policy %q is forbidden: pdb disruptions allowed is negative", pdb.Name),
			Cause:   fmt.Sprintf("The disruption budget %s does not allow evicting pods currently: pdb disruptions allowed is negative", pdb.Name)}
	}
	if st.DisruptionsAllowed == 0 {
		cond := api.FindCondition(st.Conditions, api.DisruptionAllowedCondition)
		failed := cond != nil && cond.Status == api.ConditionFalse && cond.Message != ""
		var cause string
		switch {
		case failed && cond.Reason == api.SyncFailedReason:
			cause = fmt.Sprintf("The disruption budget %s does not allow evicting pods currently because it failed sync: %s", pdb.Name, cond.Message)
		case st.CurrentHealthy <= st.DesiredHealthy:
			cause = fmt.Sprintf("The disruption budget %s needs %d healthy pods and has %d currently", pdb.Name, st.DesiredHealthy, st.CurrentHealthy)
		case failed:
			cause = fmt.Sprintf("The disruption budget %s does not allow evicting pods currently (%s): %s", pdb.Name, cond.Reason, cond.Message)
		default:
			cause = fmt.Sprintf("The disruption budget %s does not allow evicting pods currently", pdb.Name)
		}
		return &StatusError{Code: 429, Reason: "TooManyRequests", Message: violatesBudget, Cause: cause}
	}
	cp := api.Clone(pdb)
	cp.Status.DisruptionsAllowed--
	if cp.Status.DisruptionsAllowed == 0 {
		api.UpdateDisruptionAllowedCondition(cp, c.Now())
	}
	if cp.Status.DisruptedPods == nil {
		cp.Status.DisruptedPods = map[string]api.Time{}
	}
	cp.Status.DisruptedPods[p.Name] = c.Now()
	c.explainEviction(p, "eviction admitted by %s: disruptionsAllowed %d, now %d", pdb.Name, pdb.Status.DisruptionsAllowed, cp.Status.DisruptionsAllowed)
	must(c.Update(cp))
	return nil
}

// addConditionAndDelete adds DisruptionTarget (reason EvictionByEvictionAPI) and deletes the
// pod gracefully.
func (c *Context) addConditionAndDelete(p *api.Pod, opts DeleteOptions) error {
	cond := api.PodCondition{Type: api.DisruptionTarget, Status: api.ConditionTrue,
		Reason: "EvictionByEvictionAPI", Message: "Eviction API: evicting", LastTransitionTime: c.Now()}
	old := p.GetCondition(api.DisruptionTarget)
	if old == nil || old.Status != cond.Status || old.Reason != cond.Reason || old.Message != cond.Message {
		cp := api.Clone(p)
		if c := cp.GetCondition(api.DisruptionTarget); c != nil {
			if c.Status == cond.Status {
				cond.LastTransitionTime = c.LastTransitionTime // UpdatePodCondition keeps the time
			}
			*c = cond
		} else {
			cp.Status.Conditions = append(cp.Status.Conditions, cond)
		}
		if err := c.Update(cp); err != nil {
			return err
		}
	}
	return c.Delete("Pod", p.Namespace+"/"+p.Name, opts)
}

// explainEviction records the API server's reasoning under "eviction", whoever called it.
func (c *Context) explainEviction(p *api.Pod, format string, args ...any) {
	c.e.explain("eviction", api.ObjectRef(p), fmt.Sprintf(format, args...))
}
