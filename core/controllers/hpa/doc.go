// Package hpa is the HorizontalPodAutoscaler controller of kube-controller-manager
// (pkg/controller/podautoscaler, v1.37.2): every 15 s each HPA reads its target's scale
// subresource and the Metrics API, computes the desired replicas like replica_calculator.go
// (utilization against requests, 0.1 tolerance, unready and initialising pods, missing
// metrics), normalizes them like horizontal.go (stabilization windows, behavior policies,
// min/max) and rescales the Deployment, StatefulSet or ReplicaSet, with upstream's
// conditions, events and status. What upstream keeps in memory (recommendations, scale
// events) is kept in a hidden HPAHistory object so that snapshots are exact.
package hpa
