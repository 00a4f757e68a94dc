// Package volume is the PersistentVolume controller (pkg/controller/volume/persistentvolume,
// v1.37.2) with an in-process stand-in for external provisioners and the pvc-protection
// controller: claims bind to matching static volumes or get a dynamically provisioned one
// (Immediate at once, WaitForFirstConsumer once a pod using the claim is on a node), a bound
// volume whose claim is deleted is Released (Retain) or deleted (Delete), a claim whose volume
// vanished is Lost, and a claim in use by a pod keeps its kubernetes.io/pvc-protection
// finalizer until no pod uses it (pods.md §11).
package volume
