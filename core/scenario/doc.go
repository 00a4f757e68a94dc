// Package scenario reads scenario files: a `kind: Scenario` document plus ordinary
// Kubernetes manifests, accepted exactly as `kubectl apply` would accept them. YAML becomes
// JSON (sigs.k8s.io/yaml), JSON is read with gjson into kubesim's api types, and every
// unknown field, wrong type or invalid value is an error naming the file, the line and the
// field path in kubectl's validation style.
package scenario
