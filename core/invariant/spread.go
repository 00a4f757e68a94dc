package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/scheduler"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	RegisterStateful("topology-spread-at-binding", func() Rule { return &spreadAtBinding{} })
}

// spreadAtBinding: a pod the scheduler binds satisfies its DoNotSchedule topology spread
// constraints against the store at the binding write (what the scheduler saw): matching pods
// in its domain, itself included, minus the smallest eligible domain's count (0 while fewer
// than minDomains domains are eligible) is at most maxSkew (podtopologyspread Filter,
// v1.37.2). Pods with claims are not judged: VolumeBinding's PreBind may bind them long after
// the decision, and pods assumed meanwhile are not in the store.
type spreadAtBinding struct {
	err error
}

func (r *spreadAtBinding) Observe(s *store.Store, c store.Change) {
	if r.err != nil || c.Kind != "Pod" || c.Type != store.Modified {
		return
	}
	o, p := c.Old.(*api.Pod), c.New.(*api.Pod)
	if o.Spec.NodeName != "" || p.Spec.NodeName == "" {
		return
	}
	for _, v := range p.Spec.Volumes {
		if v.PersistentVolumeClaim != nil {
			return
		}
	}
	r.err = checkSpread(p, store.ListAs[*api.Pod](s, "Pod", p.Namespace), store.ListAs[*api.Node](s, "Node", ""))
}

func (r *spreadAtBinding) Check(*store.Store, api.Time) error { return r.err }

func checkSpread(p *api.Pod, pods []*api.Pod, nodes []*api.Node) error {
	var hard []api.TopologySpread
	for _, t := range p.Spec.TopologySpreadConstraints {
		if t.WhenUnsatisfiable == api.DoNotSchedule {
			hard = append(hard, t)
		}
	}
	if len(hard) == 0 {
		return nil
	}
	byNode := map[string]*api.Node{}
	for _, n := range nodes {
		byNode[n.Name] = n
	}
	target := byNode[p.Spec.NodeName]
	if target == nil {
		return nil
	}
	for _, t := range hard {
		sel := func(l map[string]string) bool {
			keyed := false
			for _, k := range t.MatchLabelKeys {
				if v, ok := p.Labels[k]; ok {
					keyed = true
					if got, ok := l[k]; !ok || got != v {
						return false
					}
				}
			}
			if t.LabelSelector == nil {
				return keyed
			}
			return t.LabelSelector.Matches(l)
		}
		counts := map[string]int{}
		nodeEligible := map[string]bool{}
		for _, n := range nodes {
			all := true
			for _, o := range hard {
				if _, ok := n.Labels[o.TopologyKey]; !ok {
					all = false
				}
			}
			if !all {
				continue
			}
			if (t.NodeAffinityPolicy == nil || *t.NodeAffinityPolicy == api.PolicyHonor) && !scheduler.MatchesNodeSelector(p, n) {
				continue
			}
			if t.NodeTaintsPolicy != nil && *t.NodeTaintsPolicy == api.PolicyHonor && untolerated(p, n) {
				continue
			}
			counts[n.Labels[t.TopologyKey]] += 0
			nodeEligible[n.Name] = true
		}
		for _, o := range pods {
			n := byNode[o.Spec.NodeName]
			if o.Name == p.Name || n == nil || o.Namespace != p.Namespace || o.DeletionTimestamp != nil || o.IsTerminal() || !sel(o.Labels) {
				continue
			}
			if _, eligible := counts[n.Labels[t.TopologyKey]]; eligible && nodeEligible[n.Name] {
				counts[n.Labels[t.TopologyKey]]++
			}
		}
		v, ok := target.Labels[t.TopologyKey]
		if !ok {
			return objErr("Pod", p.Key(), "pod %s was bound to %s, which has no %s label, against its DoNotSchedule spread constraint", p.Name, target.Name, t.TopologyKey)
		}
		minDomains := 1
		if t.MinDomains != nil {
			minDomains = int(*t.MinDomains)
		}
		low := 0
		if len(counts) >= minDomains {
			first := true
			for _, k := range counts {
				if first || k < low {
					low, first = k, false
				}
			}
		}
		self := 0
		if sel(p.Labels) {
			self = 1
		}
		if skew := counts[v] + self - low; skew > int(t.MaxSkew) {
			return objErr("Pod", p.Key(), "pod %s was bound to %s in %s=%s with skew %d (%d matching pods there, minimum %d), more than maxSkew %d", p.Name, target.Name, t.TopologyKey, v, skew, counts[v], low, t.MaxSkew)
		}
	}
	return nil
}

func untolerated(p *api.Pod, n *api.Node) bool {
	for i := range n.Spec.Taints {
		t := &n.Spec.Taints[i]
		if t.Effect != api.TaintNoSchedule && t.Effect != api.TaintNoExecute {
			continue
		}
		ok := false
		for _, tol := range p.Spec.Tolerations {
			ok = ok || tol.ToleratesTaint(t)
		}
		if !ok {
			return true
		}
	}
	return false
}
