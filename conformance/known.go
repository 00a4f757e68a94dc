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
	"": {{re(`^rs/.* pod-template-hash: `), "pod-template-hash",
		"pod-template-hash values differ: kubesim hashes the template's JSON with FNV-32a, upstream a spew dump of the Go struct (controller_utils.go ComputeHash), so names differ; the comparison names ReplicaSets and pods by template"}},
}

// knownReasons are the reasons of every known divergence by short name.
func knownReasons() map[string]string {
	out := map[string]string{}
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
