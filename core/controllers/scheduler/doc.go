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
// scenario's seed decides them). Preemption is not modelled: the PostFilter text
// says "No preemption victims found for incoming pod" for nodes a resolvable filter rejected
// (resources, ports, spread skew, pod anti-affinity) and
// "Preemption is not helpful for scheduling" for the others.
//
// References: pkg/scheduler/schedule_one.go, pkg/scheduler/framework/types.go (FitError),
// pkg/scheduler/framework/plugins/... (v1.37.2), pods.md §10.
//
// # Usage
//
//	engine.Register(scheduler.Controller{})
package scheduler
