package kubectl_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/deployment"
	"github.com/kubesim/kubesim/core/controllers/deployment/fakekubelet"
	"github.com/kubesim/kubesim/core/controllers/gc"
	"github.com/kubesim/kubesim/core/controllers/replicaset"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/sim"
)

// deployWorld runs the workload controllers with the idealised kubelet (Ready 5 s after
// creation; web:bad never) and a Deployment web of 4 replicas, maxSurge 1 / maxUnavailable 1.
type deployWorld struct {
	t *testing.T
	e *sim.Engine
}

func newDeployWorld(t *testing.T) *deployWorld {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(gc.Controller{})
	e.Register(&fakekubelet.Kubelet{Default: 5 * api.Second, ReadyAfter: map[string]api.Duration{"web:bad": fakekubelet.Never}})
	e.Register(replicaset.Controller{})
	e.Register(deployment.Controller{})
	w := &deployWorld{t: t, e: e}
	d := &api.Deployment{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}}
	d.Name, d.Namespace = "web", "default"
	d.Spec.Replicas = api.Ptr(int32(4))
	d.Spec.Selector = &api.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	d.Spec.Template.Labels = map[string]string{"app": "web"}
	d.Spec.Template.Spec.TerminationGracePeriodSeconds = api.Ptr(int64(0))
	d.Spec.Template.Spec.Containers = []api.Container{{Name: "web", Image: "web:1"}}
	d.Spec.Strategy.RollingUpdate = &api.RollingUpdateDeployment{MaxSurge: api.Ptr(api.FromInt(1)), MaxUnavailable: api.Ptr(api.FromInt(1))}
	api.Default(d)
	if err := e.ActionContext("user").Create(d); err != nil {
		t.Fatal(err)
	}
	w.advance(60)
	return w
}

func (w *deployWorld) advance(seconds int64) {
	w.t.Helper()
	if err := w.e.AdvanceTo(w.e.Now().Add(api.Seconds(seconds))); err != nil {
		w.t.Fatal(err)
	}
}

// run runs a kubectl line at the current instant and settles the controllers.
func (w *deployWorld) run(line string) (string, error) {
	w.t.Helper()
	out, err := kubectl.Run(&kubectl.Env{Ctx: w.e.ActionContext("user")}, line)
	w.advance(0)
	return out, err
}

func (w *deployWorld) expect(line, want string) {
	w.t.Helper()
	out, err := w.run(line)
	if err != nil {
		w.t.Fatalf("%s: unexpected error %v", line, err)
	}
	if out != want {
		w.t.Errorf("%s:\n got %q\nwant %q", line, out, want)
	}
}

func (w *deployWorld) expectErr(line, want string) {
	w.t.Helper()
	out, err := w.run(line)
	if err == nil || err.Error() != want {
		w.t.Errorf("%s: got %q, %v; want error %q", line, out, err, want)
	}
}

// Reference: workloads.md §6.3 (status lines during §9.1), §5.1-5.2 (undo, renumbering),
// §4.2 (pause/resume errors), §4.3 (restart).
func TestDeploymentRolloutCommands(t *testing.T) {
	w := newDeployWorld(t)
	w.expect("rollout status deployment/web", "deployment \"web\" successfully rolled out\n")
	w.expect("set image deployment/web web=web:2", "deployment.apps/web image updated\n")
	w.expect("set image deployment/web web=web:2", "")
	w.expectErr("set image deployment/web nope=web:3", `error: unable to find container named "nope"`)
	w.expect("rollout status deployment/web", "Waiting for deployment \"web\" rollout to finish: 2 out of 4 new replicas have been updated...\n")
	w.advance(5)
	w.expect("rollout status deploy/web", "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...\n")
	w.advance(5)
	w.expect("rollout status deployment web", "deployment \"web\" successfully rolled out\n")
	w.expectErr("rollout status deployment/web --revision=1", "error: desired revision (1) is different from the running revision (2)")
	w.expect("rollout history deployment/web", "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")

	// Undo to revision 1: its RS becomes revision 3; revision 1 disappears from history.
	w.expect("rollout undo deployment/web", "deployment.apps/web rolled back\n")
	w.advance(10)
	w.expect("rollout history deployment/web", "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")
	w.expect("rollout undo deployment/web --to-revision=3", "deployment.apps/web skipped rollback (current template already matches revision 3)\n")
	w.expectErr("rollout undo deployment/web --to-revision=1", "error: unable to find specified revision 1 in history")
	w.expectErr("rollout history deployment/web --revision=7", "error: unable to find the specified revision")

	w.expect("rollout pause deployment/web", "deployment.apps/web paused\n")
	w.expectErr("rollout pause deployment/web", `error: deployments.apps "web" is already paused`)
	w.expectErr("rollout undo deployment/web", "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
	w.expectErr("rollout restart deployment/web", `error: deployments.apps "web" can't restart paused deployment (run rollout resume first)`)
	w.expect("rollout resume deployment/web", "deployment.apps/web resumed\n")
	w.expectErr("rollout resume deployment/web", `error: deployments.apps "web" is not paused`)
	w.expect("rollout restart deployment/web", "deployment.apps/web restarted\n")
	w.expectErr("rollout restart deployment/web", "error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another")
	w.expectErr("rollout status deployment/nope", `Error from server (NotFound): deployments.apps "nope" not found`)
}

// Reference: workloads.md §9.7 through kubectl: the deadline error, get and describe.
func TestDeploymentStuckRolloutOutput(t *testing.T) {
	w := newDeployWorld(t)
	w.expect("set image deployment/web web=web:bad", "deployment.apps/web image updated\n")
	w.advance(30)
	out, _ := w.run("get deploy web")
	if !strings.Contains(out, "web    3/4     2            3           90s") {
		t.Errorf("get deploy:\n%s", out)
	}
	out, _ = w.run("describe deployment web")
	for _, want := range []string{
		"Replicas:               4 desired | 2 updated | 5 total | 3 available | 2 unavailable\n",
		"RollingUpdateStrategy:  1 max unavailable, 1 max surge\n",
		"  Available      True    MinimumReplicasAvailable\n",
		"  Progressing    True    ReplicaSetUpdated\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("describe lacks %q:\n%s", want, out)
		}
	}
	w.advance(571) // the last progress was at t=60; the check runs at 60+600+1
	w.expectErr("rollout status deployment/web", `error: deployment "web" exceeded its progress deadline`)
}

// Reference: kubectl scale (pkg/cmd/scale) messages; proportional scaling of workloads.md §3.
func TestScaleCommand(t *testing.T) {
	w := newDeployWorld(t)
	w.expect("scale deployment/web --replicas=6", "deployment.apps/web scaled\n")
	w.expectErr("scale deployment/web", "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
	w.expectErr("scale deployment/web --replicas=3 --current-replicas=4", "error: Expected replicas to be 4, was 6")
	w.advance(10)
	out, _ := w.run("get rs")
	if !strings.Contains(out, "   6         6         6       ") {
		t.Errorf("get rs after scale:\n%s", out)
	}
}

// Reference: k8s.io/kubectl pkg/describe ReplicaSetDescriber layout.
func TestDescribeReplicaSet(t *testing.T) {
	w := newDeployWorld(t)
	out, _ := w.run("get rs -o name")
	name := strings.TrimPrefix(strings.TrimSpace(out), "replicaset.apps/")
	out, err := w.run("describe rs " + name)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Controlled By:  Deployment/web\n", "Replicas:       4 current / 4 desired\n",
		"Pods Status:    4 Running / 0 Waiting / 0 Succeeded / 0 Failed\n", "Pod Template:\n", "  Normal  SuccessfulCreate  60s   replicaset-controller  Created pod: "} {
		if !strings.Contains(out, want) {
			t.Errorf("describe rs lacks %q:\n%s", want, out)
		}
	}
}
