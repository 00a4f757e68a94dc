package guarantee

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

const serviceNameLabel = "kubernetes.io/service-name"

// checkTraffic: a Service sends traffic to the endpoints its EndpointSlices list as ready,
// and the EndpointSlice controller lists a pod as ready only while its Ready condition is
// True and it is not terminating (pods.md §12; upstream endpointslice utils.go
// podToEndpoint). Traffic reaches a pod that cannot serve when the Service publishes
// not-ready addresses, or when the pod's node has failed: its kubelet is gone, and the pod
// stays Ready in the API until the node controller notices (node-monitor-grace-period).
// A broke marker opens such a stretch and a held marker closes it; a held marker also
// records pods joining a Service's ready endpoints once Ready, one per Service and instant.
func (t *Tracker) checkTraffic(s *store.Store, now api.Time) {
	bad := map[string]bool{}
	ready := map[string]bool{}
	joined := map[string][]string{} // Service ref -> pods that joined its ready endpoints now
	var svcs []string
	for _, sl := range store.ListAs[*api.EndpointSlice](s, "EndpointSlice", "") {
		svc := sl.Labels[serviceNameLabel]
		if svc == "" {
			continue
		}
		svcRef := "Service/" + sl.Namespace + "/" + svc
		for _, ep := range sl.Endpoints {
			if ep.TargetRef == nil || ep.TargetRef.Kind != "Pod" || !api.Deref(ep.Conditions.Ready, true) {
				continue
			}
			key := svcRef + "|" + ep.TargetRef.Name
			ready[key] = true
			p, ok := store.GetAs[*api.Pod](s, "Pod", sl.Namespace+"/"+ep.TargetRef.Name)
			if !ok {
				continue
			}
			since, failed := t.failed[p.Spec.NodeName]
			if p.IsReady() && !failed {
				if !t.joined[key] {
					if len(joined[svcRef]) == 0 {
						svcs = append(svcs, svcRef)
					}
					joined[svcRef] = append(joined[svcRef], p.Name)
				}
				continue
			}
			bad[key] = true
			if _, open := t.traffic[key]; open {
				continue
			}
			t.traffic[key] = now
			m := Marker{T: now, Kind: Traffic, Object: ref(p)}
			if failed {
				m.Text = fmt.Sprintf("%s still gets traffic from %s, but %s failed", p.Name, svc, p.Spec.NodeName)
				m.Why = fmt.Sprintf("EndpointSlice %s lists %s as ready: its Ready condition is still True because nobody has noticed that %s failed at %ss (its kubelet is gone; the node controller waits for node-monitor-grace-period)",
					sl.Name, p.Name, p.Spec.NodeName, since.SecondsString())
			} else {
				m.Text = fmt.Sprintf("%s gets traffic from %s while not Ready", p.Name, svc)
				m.Why = fmt.Sprintf("EndpointSlice %s lists %s as ready although its Ready condition is not True: Service %s sets publishNotReadyAddresses", sl.Name, p.Name, svc)
			}
			t.add(m)
		}
	}
	var closed []string
	for key := range t.traffic {
		if !bad[key] {
			closed = append(closed, key)
		}
	}
	sort.Strings(closed)
	for _, key := range closed {
		since := t.traffic[key]
		delete(t.traffic, key)
		svcRef, pod, _ := strings.Cut(key, "|")
		ns := strings.Split(svcRef, "/")[1]
		why := "the pod is Ready again on a live node"
		if !ready[key] {
			why = "the EndpointSlice no longer lists it as ready (the pod is not Ready or is terminating)"
		}
		t.add(Marker{T: now, Kind: Traffic, Held: true, Object: "Pod/" + ns + "/" + pod,
			Text: fmt.Sprintf("%s no longer gets traffic it cannot serve", pod),
			Why:  fmt.Sprintf("after %ss: %s", api.Time(now.Sub(since)).SecondsString(), why)})
	}
	for _, svcRef := range svcs {
		pods := joined[svcRef]
		svc := name(svcRef)
		text := fmt.Sprintf("%s joined the ready endpoints of %s once Ready", pods[0], svc)
		if len(pods) > 1 {
			text = fmt.Sprintf("%d pods joined the ready endpoints of %s once Ready", len(pods), svc)
		}
		t.add(Marker{T: now, Kind: Traffic, Held: true, Object: svcRef, Text: text,
			Why: fmt.Sprintf("an endpoint is ready = pod Ready and not terminating: %s got traffic only after its Ready condition turned True", strings.Join(pods, ", "))})
	}
	t.joined = ready
}
