package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("no-timestamp-in-the-future", noTimestampInTheFuture)
}

// noTimestampInTheFuture: time never goes backwards, seen from the store. Every timestamp
// that records something that happened (creation, condition transitions, container starts
// and finishes, event first/last times) is at or before the current virtual time, and a
// container finished no earlier than it started. deletionTimestamp is excluded: it is the
// moment the grace period ends, which is in the future by design. The runner of
// `kubesim check` also verifies that the clock and the trace never go backwards.
func noTimestampInTheFuture(s *store.Store, now api.Time) error {
	for _, kind := range s.Kinds() {
		for _, o := range s.List(kind, "") {
			m := o.Meta()
			if m.CreationTimestamp > now {
				return objErr(kind, m.Key(), "%s %s was created at t=%ss, after now (t=%ss)", kind, m.Key(), m.CreationTimestamp.SecondsString(), now.SecondsString())
			}
			if err := futureIn(o, now); err != nil {
				return err
			}
		}
	}
	return nil
}

func futureIn(o api.Object, now api.Time) error {
	kind, key := o.GetKind(), o.Meta().Key()
	bad := func(what string, t api.Time) error {
		return objErr(kind, key, "%s %s: %s is t=%ss, after now (t=%ss)", kind, key, what, t.SecondsString(), now.SecondsString())
	}
	switch o := o.(type) {
	case *api.Pod:
		for _, c := range o.Status.Conditions {
			if c.LastTransitionTime > now {
				return bad("condition "+c.Type+" lastTransitionTime", c.LastTransitionTime)
			}
		}
		if o.Status.StartTime != nil && *o.Status.StartTime > now {
			return bad("status.startTime", *o.Status.StartTime)
		}
		for _, cs := range append(append([]api.ContainerStatus(nil), o.Status.InitContainerStatuses...), o.Status.ContainerStatuses...) {
			for _, st := range []api.ContainerState{cs.State, cs.LastTerminationState} {
				if r := st.Running; r != nil && r.StartedAt > now {
					return bad("container "+cs.Name+" startedAt", r.StartedAt)
				}
				if t := st.Terminated; t != nil {
					if t.FinishedAt > now {
						return bad("container "+cs.Name+" finishedAt", t.FinishedAt)
					}
					if t.StartedAt != 0 && t.FinishedAt != 0 && t.FinishedAt < t.StartedAt {
						return objErr(kind, key, "Pod %s: container %s finished at t=%ss, before it started at t=%ss", key, cs.Name, t.FinishedAt.SecondsString(), t.StartedAt.SecondsString())
					}
				}
			}
		}
	case *api.Deployment:
		return conditionsNotFuture(o.Status.Conditions, now, bad)
	case *api.ReplicaSet:
		return conditionsNotFuture(o.Status.Conditions, now, bad)
	case *api.StatefulSet:
		return conditionsNotFuture(o.Status.Conditions, now, bad)
	case *api.Event:
		if o.LastTimestamp > now {
			return bad("lastTimestamp", o.LastTimestamp)
		}
		if o.FirstTimestamp > o.LastTimestamp {
			return objErr(kind, key, "Event %s: firstTimestamp t=%ss is after lastTimestamp t=%ss", key, o.FirstTimestamp.SecondsString(), o.LastTimestamp.SecondsString())
		}
	}
	return nil
}

func conditionsNotFuture(cs []api.DeploymentCondition, now api.Time, bad func(string, api.Time) error) error {
	for _, c := range cs {
		if c.LastTransitionTime > now {
			return bad("condition "+c.Type+" lastTransitionTime", c.LastTransitionTime)
		}
		if c.LastUpdateTime > now {
			return bad("condition "+c.Type+" lastUpdateTime", c.LastUpdateTime)
		}
	}
	return nil
}
