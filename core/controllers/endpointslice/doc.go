// Package endpointslice is the EndpointSlice controller (pkg/controller/endpointslice with
// staging/src/k8s.io/endpointslice, v1.37.2) plus the ClusterIP allocator of the API server:
// every Service gets a deterministic ClusterIP from 10.96.0.0/12 (unless headless or
// ExternalName), and every Service with a selector gets slices `<svc>-<5 chars>` listing the
// matching pods that have an IP and are not terminal, with ready/serving/terminating
// conditions, hostname (pods whose subdomain is the Service), nodeName, zone and targetRef
// (pods.md §12).
package endpointslice
