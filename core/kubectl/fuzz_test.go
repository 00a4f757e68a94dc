package kubectl_test

import (
	"strings"
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
		"get pods -n", "kubectl", "'", "get pods -o=json --show-labels=false", "drain -l x=y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		// Known crash outside this helper's files: parseFlags (kubectl.go) slices raw[:1]
		// for a flag word with an empty name such as "-=" or "--=". Reported to the lead;
		// remove this skip once it is fixed.
		if words, err := kubectl.Split(line); err == nil {
			for _, w := range words {
				if strings.HasPrefix(w, "-") && strings.TrimLeft(strings.SplitN(w, "=", 2)[0], "-") == "" && strings.Contains(w, "=") {
					t.Skip("parseFlags panics on an empty flag name (lead's kubectl.go)")
				}
			}
		}
		fx := newFixture(t)
		// Run must return; its output and error are whatever kubectl would print.
		kubectl.Run(fx.env, line)
	})
}
