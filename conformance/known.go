package main

import "regexp"

// deploymentScenarios are the catalogue scenarios with a Deployment (TestCatalogueCovered
// keeps the list complete). Node failures, drains, evictions and autoscalers do not run
// upstream: their effect on pods and on spec.replicas is replayed from kubesim's run.
var deploymentScenarios = []string{
	"rolling-update", "max-surge-0", "max-unavailable-0", "deployment-defaults-10", "recreate",
	"paused-rollout", "scale-mid-rollout", "broken-rollout-undo", "canary",
	"lesson-rolling-update", "lesson-rollback-renumbering",
	"topology-spread", "spread-schedule-anyway", "pod-anti-affinity", "node-failure", "pdb-drain",
	"oom-and-eviction", "hpa-cpu", "preemption",
}

// statefulSetScenarios are the catalogue scenarios with a StatefulSet and no Deployment
// (TestCatalogueCovered keeps the list complete; node-failure and pod-anti-affinity have
// both and are in deploymentScenarios). Their StatefulSets run upstream too.
var statefulSetScenarios = []string{
	"sts-scale", "sts-parallel", "sts-partition", "sts-ondelete", "sts-broken-update",
	"lesson-statefulset-ordering", "mysql", "hpa-statefulset",
}

// catalogueScenarios are the scenarios of the table and of TestConformance.
func catalogueScenarios() []string {
	return append(append([]string(nil), deploymentScenarios...), statefulSetScenarios...)
}

// known lists the accepted divergences by scenario ("" applies to every scenario).
var known = map[string][]Known{
	"": {{Match: re(`^rs/.* pod-template-hash: `), Short: "pod-template-hash", Reason: "pod-template-hash values differ: kubesim hashes the template's JSON with FNV-32a, upstream a spew dump of the Go struct (controller_utils.go ComputeHash), so names differ; the comparison names ReplicaSets and pods by template"}},
}

const wallClockReason = "the ReplicaSet controller ranks scale-down victims by log2 of the time since each pod became Ready or was created, measured from metav1.Now() (replica_set.go getPodsRankedByRelatedPodsOnSameNode), the wall clock, which the harness cannot redirect: seen months after the virtual epoch all pods tie and the UID decides; when a virtual-time ranking would have chosen other victims the Deployment is marked, and its differences from then on are this divergence (wallclock.go)"

// wallClockKnown explains the differences of each Deployment from the instant the upstream
// ReplicaSet controller deleted other pods than a virtual-time ranking would have.
func wallClockKnown(from map[string]int64) []Known {
	var out []Known
	for d, t := range from {
		q := regexp.QuoteMeta(d)
		out = append(out, Known{Match: re(`^(deployment/` + q + ` |rs/` + q + `\[|event only (in kubesim|upstream): (Deployment/` + q + ` |ReplicaSet/` + q + `\[))`),
			Short: "wall-clock-rank", Reason: wallClockReason, From: t})
	}
	return out
}

// knownReasons are the reasons of every known divergence by short name.
func knownReasons() map[string]string {
	out := map[string]string{"wall-clock-rank": wallClockReason}
	for _, ks := range known {
		for _, k := range ks {
			out[k.Short] = k.Reason
		}
	}
	return out
}

func knownFor(name string) []Known {
	return append(append([]Known(nil), known[""]...), known[name]...)
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }
