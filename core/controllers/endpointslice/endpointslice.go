package endpointslice

import (
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// maxEndpointsPerSlice is the controller's default --max-endpoints-per-slice.
const maxEndpointsPerSlice = 100

// Controller is the EndpointSlice controller.
type Controller struct{}

// Name implements sim.Controller.
func (Controller) Name() string { return "endpointslice-controller" }

// Watch enqueues Service keys: the changed Service, the Services whose selector matches a
// changed pod (before or after the change), and the Service of a changed slice.
func (Controller) Watch(ctx *sim.Context, c store.Change) {
	switch c.Kind {
	case "Service":
		ctx.Enqueue(c.Key)
	case "Pod":
		ns := c.Object().Meta().Namespace
		for _, svc := range store.ListAs[*api.Service](ctx.Store(), "Service", ns) {
			if len(svc.Spec.Selector) == 0 {
				continue
			}
			if (c.Old != nil && api.SelectorMatchesMap(svc.Spec.Selector, c.Old.Meta().Labels)) ||
				(c.New != nil && api.SelectorMatchesMap(svc.Spec.Selector, c.New.Meta().Labels)) {
				ctx.Enqueue(svc.Key())
			}
		}
	case "EndpointSlice":
		m := c.Object().Meta()
		if m.Labels[api.ManagedByLabel] == api.EndpointSliceControllerName && m.Labels[api.ServiceNameLabel] != "" {
			ctx.Enqueue(m.Namespace + "/" + m.Labels[api.ServiceNameLabel])
		}
	case "Node":
		// A zone label change would change endpoints; rare, handled on the next pod change.
	}
}

// Reconcile allocates the ClusterIP and brings the Service's slices to the desired endpoints.
func (Controller) Reconcile(ctx *sim.Context, key string) error {
	svc, ok := store.GetAs[*api.Service](ctx.Store(), "Service", key)
	if !ok {
		return nil // slices are owned by the Service: the garbage collector removes them
	}
	if svc.Spec.ClusterIP == "" && svc.Spec.Type != "ExternalName" {
		cp := api.Clone(svc)
		ip := AllocateClusterIP(ctx.Store(), svc)
		cp.Spec.ClusterIP, cp.Spec.ClusterIPs = ip, []string{ip}
		ctx.Explain(svc, "allocated ClusterIP %s from 10.96.0.0/12", ip)
		return ctx.Update(cp)
	}
	if len(svc.Spec.Selector) == 0 || svc.Spec.Type == "ExternalName" {
		return nil
	}
	want := desiredEndpoints(ctx.Store(), svc)
	ports := desiredPorts(ctx.Store(), svc)
	var existing []*api.EndpointSlice
	for _, s := range store.ListAs[*api.EndpointSlice](ctx.Store(), "EndpointSlice", svc.Namespace) {
		if s.Labels[api.ServiceNameLabel] == svc.Name && s.Labels[api.ManagedByLabel] == api.EndpointSliceControllerName {
			existing = append(existing, s)
		}
	}
	// Chunk the endpoints; a Service with no endpoints keeps one empty slice.
	var chunks [][]api.Endpoint
	for i := 0; i < len(want); i += maxEndpointsPerSlice {
		chunks = append(chunks, want[i:min(len(want), i+maxEndpointsPerSlice)])
	}
	if len(chunks) == 0 {
		chunks = [][]api.Endpoint{{}}
	}
	labels := map[string]string{api.ServiceNameLabel: svc.Name, api.ManagedByLabel: api.EndpointSliceControllerName}
	for k, v := range svc.Labels {
		labels[k] = v
	}
	if svc.Spec.ClusterIP == api.ClusterIPNone {
		labels["service.kubernetes.io/headless"] = ""
	}
	for i, eps := range chunks {
		if i < len(existing) {
			s := existing[i]
			if endpointsEqual(s.Endpoints, eps) && reflect.DeepEqual(s.Ports, ports) && reflect.DeepEqual(s.Labels, labels) {
				continue
			}
			cp := api.Clone(s)
			cp.Endpoints, cp.Ports, cp.Labels = eps, ports, labels
			if err := ctx.Update(cp); err != nil {
				return err
			}
			continue
		}
		s := &api.EndpointSlice{TypeMeta: api.TypeMeta{APIVersion: "discovery.k8s.io/v1", Kind: "EndpointSlice"},
			ObjectMeta: api.ObjectMeta{Namespace: svc.Namespace, Name: ctx.GenerateName("EndpointSlice", svc.Namespace, svc.Name+"-"),
				GenerateName: svc.Name + "-", Labels: labels, OwnerReferences: []api.OwnerReference{api.NewControllerRef(svc, "v1")}},
			AddressType: "IPv4", Endpoints: eps, Ports: ports}
		if err := ctx.Create(s); err != nil {
			return err
		}
	}
	for _, s := range existing[min(len(existing), len(chunks)):] {
		if err := ctx.Remove("EndpointSlice", s.Key()); err != nil {
			return err
		}
	}
	return nil
}

// desiredEndpoints lists the Service's pods as endpoints, sorted by pod name
// (ShouldPodBeInEndpoints with terminating pods included; podToEndpoint).
func desiredEndpoints(s *store.Store, svc *api.Service) []api.Endpoint {
	eps := []api.Endpoint{}
	// The endpoint depends on the pod and on what the name says: derived once per pod
	// version, since a sync re-reads every pod of the Service and few of them changed. The
	// names are built once per zone, not per pod.
	base := "endpointslice/" + svc.Name
	if svc.Spec.PublishNotReadyAddresses {
		base += "/publishNotReady"
	}
	zoned := map[string]string{}
	for _, o := range s.List("Pod", svc.Namespace) {
		p := o.(*api.Pod)
		if !api.SelectorMatchesMap(svc.Spec.Selector, p.Labels) || p.IsTerminal() || p.Status.PodIP == "" {
			continue
		}
		zone, hasZone := "", false
		if p.Spec.NodeName != "" {
			if n, ok := store.GetAs[*api.Node](s, "Node", p.Spec.NodeName); ok {
				zone, hasZone = n.Labels["topology.kubernetes.io/zone"]
			}
		}
		name := base
		if hasZone {
			if name = zoned[zone]; name == "" {
				name = base + "/zone=" + zone
				zoned[zone] = name
			}
		}
		ep := s.Derived(p, name, func(api.Object) any {
			return podEndpoint(p, svc.Name, svc.Spec.PublishNotReadyAddresses, zone, hasZone)
		}).(*api.Endpoint)
		eps = append(eps, *ep)
	}
	return eps
}

// podEndpoint is podToEndpoint for a Service named svcName. The result's pointers are
// shared by every slice it goes into: stored objects are never modified.
func podEndpoint(p *api.Pod, svcName string, publishNotReady bool, zone string, hasZone bool) *api.Endpoint {
	serving := p.IsReady()
	terminating := p.DeletionTimestamp != nil
	ready := publishNotReady || (serving && !terminating)
	ep := &api.Endpoint{Addresses: []string{p.Status.PodIP},
		Conditions: api.EndpointConditions{Ready: api.Ptr(ready), Serving: api.Ptr(serving), Terminating: api.Ptr(terminating)},
		TargetRef:  &api.ObjectReference{Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: p.UID}}
	if p.Spec.Hostname != "" && p.Spec.Subdomain == svcName {
		ep.Hostname = api.Ptr(p.Spec.Hostname)
	}
	if p.Spec.NodeName != "" {
		ep.NodeName = api.Ptr(p.Spec.NodeName)
		if hasZone {
			ep.Zone = api.Ptr(zone)
		}
	}
	return ep
}

// endpointsEqual is reflect.DeepEqual for endpoint lists, without reflection: a sync
// compares every slice of the Service, and most did not change.
func endpointsEqual(a, b []api.Endpoint) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := &a[i], &b[i]
		if (x.Addresses == nil) != (y.Addresses == nil) || !slices.Equal(x.Addresses, y.Addresses) ||
			!ptrEqual(x.Conditions.Ready, y.Conditions.Ready) || !ptrEqual(x.Conditions.Serving, y.Conditions.Serving) ||
			!ptrEqual(x.Conditions.Terminating, y.Conditions.Terminating) || !ptrEqual(x.Hostname, y.Hostname) ||
			!ptrEqual(x.TargetRef, y.TargetRef) || !ptrEqual(x.NodeName, y.NodeName) || !ptrEqual(x.Zone, y.Zone) {
			return false
		}
	}
	return true
}

func ptrEqual[T comparable](a, b *T) bool { return a == b || a != nil && b != nil && *a == *b }

// desiredPorts resolves each service port's targetPort, in the Service's order
// (getEndpointPorts): a number as is, a name through the first selected pod's container
// ports; a port that does not resolve is left out.
func desiredPorts(s *store.Store, svc *api.Service) []api.EndpointPort {
	var pod *api.Pod
	for _, o := range s.List("Pod", svc.Namespace) {
		if p := o.(*api.Pod); api.SelectorMatchesMap(svc.Spec.Selector, p.Labels) {
			pod = p
			break
		}
	}
	var out []api.EndpointPort
	for _, sp := range svc.Spec.Ports {
		port, ok := sp.TargetPort.IntVal, !sp.TargetPort.IsString
		if !ok && pod != nil {
			port, ok = findPort(pod, &sp)
		}
		if !ok {
			continue
		}
		out = append(out, api.EndpointPort{Name: api.Ptr(sp.Name), Protocol: api.Ptr(sp.Protocol), Port: api.Ptr(port)})
	}
	return out
}

// findPort is FindPort (staging/src/k8s.io/endpointslice/util/controller_utils.go) for a
// named targetPort: the first container port with that name and the Service port's protocol,
// in the regular containers, then in sidecars (restartable init containers).
func findPort(p *api.Pod, sp *api.ServicePort) (int32, bool) {
	match := func(c *api.Container) (int32, bool) {
		for _, cp := range c.Ports {
			if cp.Name == sp.TargetPort.StrVal && cp.Protocol == sp.Protocol {
				return cp.ContainerPort, true
			}
		}
		return 0, false
	}
	for i := range p.Spec.Containers {
		if port, ok := match(&p.Spec.Containers[i]); ok {
			return port, true
		}
	}
	for i := range p.Spec.InitContainers {
		if c := &p.Spec.InitContainers[i]; api.Deref(c.RestartPolicy, "") == api.RestartAlways {
			if port, ok := match(c); ok {
				return port, true
			}
		}
	}
	return 0, false
}

// AllocateClusterIP picks a free address of 10.96.0.0/12 deterministically: a hash of the
// Service's namespace/name, probing upward past used addresses; 10.96.0.1 is the kubernetes
// Service's and 10.96.0.10 kube-dns's, so user Services never get them.
func AllocateClusterIP(s *store.Store, svc *api.Service) string {
	used := map[string]bool{"10.96.0.1": true, "10.96.0.10": true}
	for _, o := range store.ListAs[*api.Service](s, "Service", "") {
		used[o.Spec.ClusterIP] = true
	}
	h := fnv.New32a()
	h.Write([]byte(svc.Namespace + "/" + svc.Name))
	const size = 1 << 20 // /12
	off := h.Sum32() % size
	for i := uint32(0); i < size; i++ {
		n := (off + i) % size
		if n == 0 || n == size-1 {
			continue
		}
		ip := fmt.Sprintf("10.%d.%d.%d", 96+n>>16, (n>>8)&255, n&255)
		if !used[ip] {
			return ip
		}
	}
	return ""
}
