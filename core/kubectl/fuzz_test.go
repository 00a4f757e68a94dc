package kubectl_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/kubectl"
)

// FuzzRun runs arbitrary command lines against the fixture cluster: kubectl must answer
// with output or an error, never panic. The seeds are the command lines of the scenario
// timelines (scenarios/*.yaml) and of this package's tests.
func FuzzRun(f *testing.F) {
	for _, s := range []string{
		// scenarios/rolling-update.yaml
		"set image deployment/web web=web:2.0", "rollout status deployment/web", "get deploy,rs,pods",
		// tests
		"get pods", "get pods -o wide", "get po -A", "get nodes -o wide", "get pods,cm,secret", "get all",
		"get pod web-0 nope", "get events -o wide", "get pods -l 'app in (web,api),!canary' -o name",
		"get pod web-0 -o yaml", "get cm -o json", "describe pod web-0", "describe node node-1",
		"describe pods/pending", "cordon node-1", "uncordon node/node-1", "drain node-2 --force --ignore-daemonsets",
		"drain node-1 --delete-emptydir-data --grace-period=5 --timeout=30s", "label pods web-0 tier- nothere-",
		"label pod/web-0 app=other --overwrite", "annotate node node-1 note=x", "delete pod web-0 --force --grace-period=0",
		"delete pods --grace-period=5 --force web-0", "delete cm --all -o name", "get pods -l ',' ", "get ,", "get /",
		"delete pods -l '(' ", "label pods -l app=web x=", "get events --sort-by=.lastTimestamp", "describe",
		"get pdb", "describe pdb web", "drain node-1 --disable-eviction --timeout=1s", "get pods -n", "get --=", "drain -=", "get pods -owide", "kubectl", "'", "get pods -o=json --show-labels=false", "drain -l x=y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		fx := newFixture(t)
		// Run must return; its output and error are whatever kubectl would print.
		kubectl.Run(fx.env, line)
	})
}
