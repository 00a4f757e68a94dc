// Package dns keeps the cluster DNS answers as DNSRecord objects, computed like the CoreDNS
// kubernetes plugin (v1.14.x, plugin/kubernetes/kubernetes.go findServices/endpointHostname)
// from Services and EndpointSlices (pods.md §13):
//
//   - ClusterIP Service: A <svc>.<ns>.svc.cluster.local -> ClusterIP, whatever the endpoints;
//     SRV _<port>._<proto>.<svc>.<ns>.svc.cluster.local -> "0 100 <port> <svc>.<ns>.svc.cluster.local."
//   - headless Service: one A per ready endpoint address (none: NXDOMAIN), and
//     A <hostname>.<svc>.<ns>.svc.cluster.local per ready endpoint (hostname = the endpoint's
//     hostname, else the IP with dashes); SRV per named port and ready endpoint, with the
//     port the slice lists (the resolved targetPort) and weight 100/n (at least 1).
//   - ExternalName: CNAME <svc>.<ns>.svc.cluster.local -> externalName.
//
// Only endpoints whose ready condition is true (or unset) are answered.
package dns
