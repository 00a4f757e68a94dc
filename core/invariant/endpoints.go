package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("endpointslices-match-pods", endpointSlicesMatchPods)
}

// ServiceNameLabel is the label that ties an EndpointSlice to its Service.
const serviceNameLabel = "kubernetes.io/service-name"

// endpointSlicesMatchPods: for every Service with a selector, its EndpointSlices list exactly
// the pods the EndpointSlice controller would include, once each, with the right address and
// conditions (pods.md §12; kubernetes/endpointslice utils.go ShouldPodBeInEndpoints and
// podToEndpoint, reconciler.go, v1.37.2):
//   - a pod is listed iff it matches the selector, is not Succeeded/Failed and has a pod IP
//     (terminating pods stay listed);
//   - serving = the pod's Ready condition, terminating = it has a deletionTimestamp,
//     ready = publishNotReadyAddresses || (serving && !terminating).
//
// So the ready endpoints are exactly the ready, non-terminating pods, or every listed pod
// when publishNotReadyAddresses is set. The rule is skipped while the store holds no
// EndpointSlice at all (no EndpointSlice controller in this build).
func endpointSlicesMatchPods(s *store.Store, _ api.Time) error {
	slices := store.ListAs[*api.EndpointSlice](s, "EndpointSlice", "")
	if len(slices) == 0 {
		return nil
	}
	bySvc := map[string][]*api.EndpointSlice{}
	for _, sl := range slices {
		if name := sl.Labels[serviceNameLabel]; name != "" {
			bySvc[sl.Namespace+"/"+name] = append(bySvc[sl.Namespace+"/"+name], sl)
		}
	}
	for _, svc := range store.ListAs[*api.Service](s, "Service", "") {
		if len(svc.Spec.Selector) == 0 || svc.Spec.Type == "ExternalName" {
			continue
		}
		want := map[string]*api.Pod{} // pod name -> pod that must be listed
		for _, p := range store.ListAs[*api.Pod](s, "Pod", svc.Namespace) {
			if !selectorMatches(svc.Spec.Selector, p.Labels) || p.IsTerminal() || p.Status.PodIP == "" {
				continue
			}
			want[p.Name] = p
		}
		seen := map[string]bool{}
		for _, sl := range bySvc[svc.Key()] {
			for _, ep := range sl.Endpoints {
				if ep.TargetRef == nil || ep.TargetRef.Kind != "Pod" {
					continue
				}
				name := ep.TargetRef.Name
				p, ok := want[name]
				if !ok {
					return objErr("EndpointSlice", sl.Key(), "EndpointSlice %s of service %s lists pod %s, which is gone, terminal, unselected or has no IP", sl.Key(), svc.Key(), name)
				}
				if seen[name] {
					return objErr("EndpointSlice", sl.Key(), "service %s: pod %s is listed twice in its EndpointSlices", svc.Key(), name)
				}
				seen[name] = true
				if len(ep.Addresses) == 0 || ep.Addresses[0] != p.Status.PodIP {
					return objErr("EndpointSlice", sl.Key(), "EndpointSlice %s: endpoint of pod %s has addresses %v, want [%s]", sl.Key(), name, ep.Addresses, p.Status.PodIP)
				}
				serving := p.IsReady()
				terminating := p.DeletionTimestamp != nil
				ready := svc.Spec.PublishNotReadyAddresses || (serving && !terminating)
				if got := api.Deref(ep.Conditions.Ready, true); got != ready {
					return objErr("EndpointSlice", sl.Key(), "EndpointSlice %s: endpoint of pod %s has ready=%v, want %v (pod ready=%v, terminating=%v, publishNotReadyAddresses=%v)",
						sl.Key(), name, got, ready, serving, terminating, svc.Spec.PublishNotReadyAddresses)
				}
				if ep.Conditions.Serving != nil && *ep.Conditions.Serving != serving {
					return objErr("EndpointSlice", sl.Key(), "EndpointSlice %s: endpoint of pod %s has serving=%v, want %v", sl.Key(), name, *ep.Conditions.Serving, serving)
				}
				if got := api.Deref(ep.Conditions.Terminating, false); got != terminating {
					return objErr("EndpointSlice", sl.Key(), "EndpointSlice %s: endpoint of pod %s has terminating=%v, want %v", sl.Key(), name, got, terminating)
				}
			}
		}
		for _, name := range api.SortedKeys(want) {
			if !seen[name] {
				return objErr("Service", svc.Key(), "service %s selects pod %s (IP %s, ready=%v) but no EndpointSlice lists it", svc.Key(), name, want[name].Status.PodIP, want[name].IsReady())
			}
		}
	}
	return nil
}

// selectorMatches reports whether labels carry every key=value of a Service selector.
func selectorMatches(sel, labels map[string]string) bool {
	for k, v := range sel {
		if l, ok := labels[k]; !ok || l != v {
			return false
		}
	}
	return true
}
