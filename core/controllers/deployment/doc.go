// Package deployment is the Deployment controller (pkg/controller/deployment, v1.37.2;
// workloads.md §1-6): the decision ladder of syncDeployment, the new-ReplicaSet search and
// creation with revisions, the RollingUpdate and Recreate strategies, proportional scaling,
// revision-history cleanup, status with the Available and Progressing conditions and the
// progress deadline.
//
// Each pass makes at most one write phase (scale the new ReplicaSet up, or old ones down),
// exactly like upstream's early returns; the next pass is triggered by the ReplicaSet
// update. Every scale decision records its arithmetic with ctx.Explain. The pure arithmetic
// lives in util.go with table tests taken from the upstream unit tests.
package deployment
