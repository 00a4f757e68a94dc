// Package api holds kubesim's own Kubernetes object types: the subset of the upstream
// core/v1, apps/v1, discovery/v1 and storage/v1 fields the simulator models, with the same
// JSON field names so manifests decode into them directly.
//
// Objects kept in a store are immutable: readers share the stored pointer and a writer
// clones first (Clone), like upstream's "NEVER modify objects from the store".
//
// Time is virtual: Time counts milliseconds since the scenario started and nothing here reads
// the wall clock.
package api
