package invariant

import (
	"slices"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	RegisterStateful("pod-affinity-at-binding", func() Rule { return &affinityAtBinding{} })
}

// affinityAtBinding: a pod the scheduler binds satisfies, against the store at the binding
// write, its required pod anti-affinity (no active pod matching a term in the node's domain of
// the term's topologyKey), the required anti-affinity of the pods already there (none of their
// terms matches it in their domain), and its required pod affinity (the node has every term's
// key and each domain holds a pod matching all the terms, unless no pod anywhere does and the
// pod matches its own terms) - interpodaffinity/filtering.go, v1.37.2. Written apart from the
// scheduler's code so that it checks it. Pods with claims are not judged (see spreadAtBinding).
type affinityAtBinding struct {
	err error
}

func (r *affinityAtBinding) Observe(s *store.Store, c store.Change) {
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
	r.err = checkPodAffinity(s, p)
}

func (r *affinityAtBinding) Check(*store.Store, api.Time) error { return r.err }

// termSelects reports whether the term, declared by a pod of namespace owner, selects pod o.
func termSelects(s *store.Store, owner string, t *api.PodAffinityTerm, o *api.Pod) bool {
	inNS := slices.Contains(t.Namespaces, o.Namespace) || (len(t.Namespaces) == 0 && t.NamespaceSelector == nil && o.Namespace == owner)
	if !inNS && t.NamespaceSelector != nil {
		labels := map[string]string{"kubernetes.io/metadata.name": o.Namespace}
		if ns := s.Get("Namespace", o.Namespace); ns != nil {
			for k, v := range ns.Meta().Labels {
				labels[k] = v
			}
		}
		inNS = t.NamespaceSelector.Matches(labels)
	}
	return inNS && t.LabelSelector.Matches(o.Labels)
}

func checkPodAffinity(s *store.Store, p *api.Pod) error {
	nodes := map[string]*api.Node{}
	for _, n := range store.ListAs[*api.Node](s, "Node", "") {
		nodes[n.Name] = n
	}
	target := nodes[p.Spec.NodeName]
	if target == nil {
		return nil
	}
	type placed struct {
		pod  *api.Pod
		node *api.Node
	}
	var others []placed
	for _, o := range store.ListAs[*api.Pod](s, "Pod", "") {
		if n := nodes[o.Spec.NodeName]; n != nil && o.UID != p.UID && !o.IsTerminal() {
			others = append(others, placed{o, n})
		}
	}
	sameDomain := func(n *api.Node, key string) bool {
		v, ok := target.Labels[key]
		w, ok2 := n.Labels[key]
		return ok && ok2 && v == w
	}
	if a := p.Spec.Affinity; a != nil && a.PodAntiAffinity != nil {
		for i := range a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
			t := &a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[i]
			for _, o := range others {
				if sameDomain(o.node, t.TopologyKey) && termSelects(s, p.Namespace, t, o.pod) {
					return objErr("Pod", p.Key(), "pod %s was bound to %s beside %s (same %s) against its required pod anti-affinity", p.Name, target.Name, o.pod.Name, t.TopologyKey)
				}
			}
		}
	}
	for _, o := range others {
		a := o.pod.Spec.Affinity
		if a == nil || a.PodAntiAffinity == nil {
			continue
		}
		for i := range a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
			t := &a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[i]
			if sameDomain(o.node, t.TopologyKey) && termSelects(s, o.pod.Namespace, t, p) {
				return objErr("Pod", p.Key(), "pod %s was bound to %s although the required pod anti-affinity of %s (same %s) selects it", p.Name, target.Name, o.pod.Name, t.TopologyKey)
			}
		}
	}
	a := p.Spec.Affinity
	if a == nil || a.PodAffinity == nil || len(a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution) == 0 {
		return nil
	}
	terms := a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	matchesAll := func(o *api.Pod) bool {
		for i := range terms {
			if !termSelects(s, p.Namespace, &terms[i], o) {
				return false
			}
		}
		return true
	}
	anyMatch := false
	for _, o := range others {
		anyMatch = anyMatch || matchesAll(o.pod)
	}
	for i := range terms {
		t := &terms[i]
		if _, ok := target.Labels[t.TopologyKey]; !ok {
			return objErr("Pod", p.Key(), "pod %s was bound to %s, which has no %s label, against its required pod affinity", p.Name, target.Name, t.TopologyKey)
		}
		if !anyMatch && matchesAll(p) {
			continue // the first pod of a group with affinity to itself
		}
		found := false
		for _, o := range others {
			found = found || (sameDomain(o.node, t.TopologyKey) && matchesAll(o.pod))
		}
		if !found {
			return objErr("Pod", p.Key(), "pod %s was bound to %s with no pod its required pod affinity selects in the same %s", p.Name, target.Name, t.TopologyKey)
		}
	}
	return nil
}
