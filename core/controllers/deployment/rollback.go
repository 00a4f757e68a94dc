package deployment

import (
	"strconv"

	"github.com/kubesim/kubesim/core/api"
)

// rollbackTo is getRollbackTo: the legacy deprecated.deployment.rollback.to annotation, or
// false when it is missing or not a number.
func rollbackTo(d *api.Deployment) (int64, bool) {
	v, ok := d.Annotations[api.RollbackToAnnotation]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// rollback is the controller-side rollback of workloads.md §5.3 (rollback.go), only used when
// someone sets deprecated.deployment.rollback.to by hand; `kubectl rollout undo` works
// client-side instead. Revision 0 means the second-highest revision.
func (s *syncer) rollback(rsList []*api.ReplicaSet, to int64) error {
	d := s.d
	newRS, olds, err := s.allReplicaSetsAndSyncRevision(rsList, true)
	if err != nil {
		return err
	}
	all := append(olds, newRS)
	if to == 0 {
		to = lastRevision(all)
		if to == 0 {
			s.ctx.Event(d, "Warning", "DeploymentRollbackRevisionNotFound", "Unable to find last revision.")
			return s.clearRollbackTo(nil)
		}
	}
	for _, rs := range all {
		if rs == nil || api.Revision(&rs.ObjectMeta) != to {
			continue
		}
		if api.EqualIgnoreHash(&d.Spec.Template, &rs.Spec.Template) {
			s.ctx.Eventf(d, "Warning", "DeploymentRollbackTemplateUnchanged", "The rollback revision contains the same template as current deployment %q", d.Name)
			return s.clearRollbackTo(nil)
		}
		err := s.clearRollbackTo(rs)
		if err == nil {
			s.ctx.Eventf(d, "Normal", "DeploymentRollback", "Rolled back deployment %q to revision %d", d.Name, to)
		}
		return err
	}
	s.ctx.Event(d, "Warning", "DeploymentRollbackRevisionNotFound", "Unable to find the revision to rollback to.")
	return s.clearRollbackTo(nil)
}

// clearRollbackTo removes the annotation and, when from is set, copies its template (without
// pod-template-hash) and its annotations (except the controller's own) into the Deployment.
func (s *syncer) clearRollbackTo(from *api.ReplicaSet) error {
	dc := api.Clone(s.d)
	delete(dc.Annotations, api.RollbackToAnnotation)
	if from != nil {
		dc.Spec.Template = api.Clone(from.Spec.Template)
		delete(dc.Spec.Template.Labels, api.PodTemplateHashLabel)
		for k, v := range from.Annotations {
			if !skipCopyAnnotation(k) {
				dc.Annotations[k] = v
			}
		}
		s.ctx.Explain(dc, "legacy rollback annotation: copy the template of %s (revision %d)", from.Name, api.Revision(&from.ObjectMeta))
	}
	return s.updateDeployment(dc)
}

// lastRevision is LastRevision: the second-highest revision among the RSes.
func lastRevision(rss []*api.ReplicaSet) int64 {
	var maxRev, second int64
	for _, rs := range rss {
		if rs == nil {
			continue
		}
		v := api.Revision(&rs.ObjectMeta)
		switch {
		case v >= maxRev:
			second, maxRev = maxRev, v
		case v > second:
			second = v
		}
	}
	return second
}
