package main

import "regexp"

// deploymentScenarios are the catalogue scenarios the comparison runs: every one whose
// workloads are Deployments driven by kubectl (no node failures, drains or autoscalers,
// which would need more of the cluster upstream).
var deploymentScenarios = []string{
	"rolling-update", "max-surge-0", "max-unavailable-0", "deployment-defaults-10", "recreate",
	"paused-rollout", "scale-mid-rollout", "broken-rollout-undo", "canary",
	"lesson-rolling-update", "lesson-rollback-renumbering",
}

// known lists the accepted divergences by scenario ("" applies to every scenario).
var known = map[string][]Known{}

func knownFor(name string) []Known {
	return append(append([]Known(nil), known[""]...), known[name]...)
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

var _ = re
