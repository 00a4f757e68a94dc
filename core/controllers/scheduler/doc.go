// Package scheduler is kube-scheduler's default profile reduced to what the simulator
// models: it binds each pending pod without a node to the best feasible node, or marks it
// PodScheduled=False/Unschedulable with the upstream FitError text and retries it when the
// cluster changes (and at the latest every 5 minutes).
//
// Filters, in profile order: NodeUnschedulable, TaintToleration (NoSchedule, NoExecute),
// NodeAffinity (nodeSelector + required node affinity), NodePorts, NodeResourcesFit (cpu,
// memory, extended resources, pod count), VolumeBinding, PodTopologySpread (DoNotSchedule
// constraints; topologyspread.go), InterPodAffinity (interpodaffinity.go). Scores, with the
// default weights (scoring.go): TaintToleration 3, NodeAffinity 2, NodeResourcesFit
// LeastAllocated 1, NodeResourcesBalancedAllocation 1, PodTopologySpread 2 (ScheduleAnyway
// constraints or the system default constraints), InterPodAffinity 2. Ties are
// drawn uniformly at random from the engine's "scheduler" stream, as selectHost does (so a
// scenario's seed decides them).
//
// Retries of unschedulable pods follow PrioritySort (higher priority, then the earlier last
// attempt). A pod that fits no node runs DefaultPreemption (preemption.go, postfilter.go):
// eligibility (preemptionPolicy Never; a lower-priority victim still terminating on its
// nominated node), a dry run on the nodes a resolvable filter rejected (resources, ports,
// spread skew, pod anti-affinity) that removes every lower-priority pod and reprieves as many
// as possible (budget violators first, most important first), pickOneNodeForPreemption's
// criteria, then the victims' DisruptionTarget condition, graceful delete and Preempted event,
// and the pod's nominatedNodeName. The FailedScheduling text then has no preemption part; when
// no node is a candidate it ends with the dry run's FitError ("preemption: 0/3 nodes are
// available: 3 No preemption victims found for incoming pod."), "Preemption is not helpful for
// scheduling" counting the unresolvable nodes. A nominated pod is tried on its node first and
// counts there for pods of no higher priority; binding clears the nomination.
//
// References: pkg/scheduler/schedule_one.go, pkg/scheduler/framework/types.go (FitError),
// pkg/scheduler/framework/plugins/... incl. defaultpreemption and framework/preemption
// (v1.37.2), pods.md §10.
//
// # Usage
//
//	engine.Register(scheduler.Controller{})
package scheduler
