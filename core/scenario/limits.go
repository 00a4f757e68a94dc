package scenario

import (
	"github.com/kubesim/kubesim/core/api"
)

// MaxTotalReplicas bounds the pods a scenario's manifests ask for in total: the replicas of
// every Deployment, ReplicaSet and StatefulSet, bare Pods and HPAs' maxReplicas. Together with api.MaxReplicas
// (per workload, checked by API validation) and MaxNodes it keeps a pasted scenario
// simulable in a browser tab. It is api.MaxTotalPods, which kubectl enforces on every write.
const MaxTotalReplicas = api.MaxTotalPods

// checkLimits applies the whole-file limits that no single manifest's validation can see.
func (p *parser) checkLimits() {
	var total int64
	for _, m := range p.sc.Manifests {
		total += api.PodsAskedFor(m.Object)
	}
	if total > MaxTotalReplicas {
		p.errorf(1, "", "", "the manifests ask for %d pods in total (replicas of every Deployment, ReplicaSet and StatefulSet, bare Pods, and every HorizontalPodAutoscaler's maxReplicas); a scenario may ask for at most %d", total, MaxTotalReplicas)
	}
}
