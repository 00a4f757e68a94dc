package scenario

import (
	"github.com/kubesim/kubesim/core/api"
)

// MaxTotalReplicas bounds the pods a scenario's manifests ask for in total: the replicas of
// every Deployment, ReplicaSet and StatefulSet plus bare Pods. Together with api.MaxReplicas
// (per workload, checked by API validation) and MaxNodes it keeps a pasted scenario
// simulable in a browser tab.
const MaxTotalReplicas = 10000

// checkLimits applies the whole-file limits that no single manifest's validation can see.
func (p *parser) checkLimits() {
	var total int64
	for _, m := range p.sc.Manifests {
		switch o := m.Object.(type) {
		case *api.Deployment:
			total += int64(api.Deref(o.Spec.Replicas, 1))
		case *api.ReplicaSet:
			total += int64(api.Deref(o.Spec.Replicas, 1))
		case *api.StatefulSet:
			total += int64(api.Deref(o.Spec.Replicas, 1))
		case *api.Pod:
			total++
		}
	}
	if total > MaxTotalReplicas {
		p.errorf(1, "", "", "the manifests ask for %d pods in total (replicas of every Deployment, ReplicaSet and StatefulSet, plus bare Pods); a scenario may ask for at most %d", total, MaxTotalReplicas)
	}
}
