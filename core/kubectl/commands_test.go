package kubectl_test

import (
	"strings"
	"testing"
)

// TestCommands runs a session of command lines against the fixture, in order (each step
// sees the previous steps' writes), and compares stdout plus "ERR: " stderr with the text
// kubectl v1.37 prints. Upstream sources: pkg/cmd/get/get.go, pkg/cmd/delete/delete.go
// (PrintObj, Validate), pkg/cmd/drain/drain.go and pkg/drain/filters.go, pkg/cmd/label,
// pkg/cmd/annotate; printers from k8s.io/kubernetes pkg/printers/internalversion.
func TestCommands(t *testing.T) {
	f := newFixture(t)
	steps := []struct{ line, want string }{
		{"get pods", `
NAME        READY   STATUS    RESTARTS      AGE
pending-1   0/1     Pending   0             35s
web-0       1/1     Running   1 (56s ago)   90s
`},
		{"kubectl get pods -o wide", `
NAME        READY   STATUS    RESTARTS      AGE   IP           NODE     NOMINATED NODE   READINESS GATES
pending-1   0/1     Pending   0             35s   <none>       <none>   <none>           <none>
web-0       1/1     Running   1 (56s ago)   90s   10.244.1.5   node-1   <none>           <none>
`},
		{"get po -A", `
NAMESPACE   NAME        READY   STATUS    RESTARTS      AGE
default     pending-1   0/1     Pending   0             35s
default     web-0       1/1     Running   1 (56s ago)   90s
tools       debug       1/1     Running   0             35s
`},
		{"get nodes -o wide", `
NAME     STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE    KERNEL-VERSION   CONTAINER-RUNTIME
node-1   Ready    <none>          95s   v1.37.2   10.0.0.1      <none>        <unknown>   <unknown>        <unknown>
node-2   Ready    control-plane   95s   v1.37.2   10.0.0.2      <none>        <unknown>   <unknown>        <unknown>
`},
		{"get pods,cm,secret", `
NAME            READY   STATUS    RESTARTS      AGE
pod/pending-1   0/1     Pending   0             35s
pod/web-0       1/1     Running   1 (56s ago)   90s

NAME                   DATA   AGE
configmap/web-config   2      35s

NAME             TYPE                DATA   AGE
secret/web-tls   kubernetes.io/tls   2      35s
`},
		// Only one kind has objects, so no kind prefix (multipleGVKsRequested looks at results).
		{"get all", `
NAME        READY   STATUS    RESTARTS      AGE
pending-1   0/1     Pending   0             35s
web-0       1/1     Running   1 (56s ago)   90s
`},
		{"get pod web-0 nope", `
NAME    READY   STATUS    RESTARTS      AGE
web-0   1/1     Running   1 (56s ago)   90s
ERR: Error from server (NotFound): pods "nope" not found
`},
		{"get pods -n kube-system", "\nNo resources found in kube-system namespace.\n"},
		{"get nodes -l nothing=here", "\nNo resources found\n"},
		{"get events", `
LAST SEEN   TYPE      REASON      OBJECT      MESSAGE
90s         Normal    Scheduled   pod/web-0   Successfully assigned default/web-0 to node-1
65s         Warning   Unhealthy   pod/web-0   Readiness probe failed: HTTP probe failed with statuscode: 500
`},
		{"get events -o wide", `
LAST SEEN   TYPE      REASON      OBJECT      SUBOBJECT              SOURCE   MESSAGE                                                          FIRST SEEN   COUNT   NAME
90s         Normal    Scheduled   pod/web-0                          user     Successfully assigned default/web-0 to node-1                    90s          1       web-0.4
65s         Warning   Unhealthy   pod/web-0   spec.containers{web}   user     Readiness probe failed: HTTP probe failed with statuscode: 500   75s          2       web-0.5
`},
		{"get pods -l app=web --show-labels", `
NAME    READY   STATUS    RESTARTS      AGE   LABELS
web-0   1/1     Running   1 (56s ago)   90s   app=web
`},
		{"get pods -l 'app in (web,api),!canary' -o name", "\npod/web-0\n"},
		{"get deploy,pods -o name", "\npod/pending-1\npod/web-0\n"},
		{"get foo", "\nERR: error: the server doesn't have a resource type \"foo\"\n"},
		{"get pods -o table", "\nERR: error: unable to match a printer suitable for the output format \"table\", allowed formats are: json,name,wide,yaml\n"},
		{"get cm -o json", `
{
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "v1",
            "data": {
                "a": "1",
                "b": "2"
            },
            "kind": "ConfigMap",
            "metadata": {
                "creationTimestamp": "2026-01-01T00:01:00Z",
                "generation": 1,
                "name": "web-config",
                "namespace": "default",
                "resourceVersion": "9",
                "uid": "uid-000003"
            }
        }
    ],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
`},
		{"get secret web-tls -o yaml", `
apiVersion: v1
data:
  tls.crt: eA==
  tls.key: eQ==
kind: Secret
metadata:
  creationTimestamp: "2026-01-01T00:01:00Z"
  generation: 1
  name: web-tls
  namespace: default
  resourceVersion: "10"
  uid: uid-000004
type: kubernetes.io/tls
`},
		{"cordon node-1", "\nnode/node-1 cordoned\n"},
		{"cordon node-1", "\nnode/node-1 already cordoned\n"},
		{"get nodes", `
NAME     STATUS                     ROLES           AGE   VERSION
node-1   Ready,SchedulingDisabled   <none>          95s   v1.37.2
node-2   Ready                      control-plane   95s   v1.37.2
`},
		{"uncordon node/node-1", "\nnode/node-1 uncordoned\n"},
		{"uncordon node-1", "\nnode/node-1 already uncordoned\n"},
		{"cordon node-9", "\nERR: Error from server (NotFound): nodes \"node-9\" not found\n"},
		{"drain node-2", `
node/node-2 cordoned
ERR: error: unable to drain node "node-2" due to error: cannot delete Pods that declare no controller (use --force to override): tools/debug, continuing command...
There are pending nodes to be drained:
 node-2
error: cannot delete Pods that declare no controller (use --force to override): tools/debug
`},
		// No controllers run here: the pod stays Terminating, so the drain is still waiting
		// for it (pkg/drain waitForDelete) and `pod/debug evicted`, `node/node-2 drained`
		// would come later (drain_test.go runs drains on a whole cluster).
		{"drain node-2 --force --ignore-daemonsets", `
node/node-2 already cordoned
Warning: deleting Pods that declare no controller: tools/debug
evicting pod tools/debug
`},
		{"get pods -n tools", `
NAME    READY   STATUS        RESTARTS   AGE
debug   1/1     Terminating   0          35s
`},
		{"label pod web-0 tier=front", "\npod/web-0 labeled\n"},
		{"label pod web-0 app=other", "\nERR: error: 'app' already has a value (web), and --overwrite is false\n"},
		{"label pod/web-0 app=other --overwrite", "\npod/web-0 labeled\n"},
		{"label pods web-0 tier- nothere-", "\nlabel \"nothere\" not found.\npod/web-0 unlabeled\n"},
		{"label pods web-0 app=other", "\npod/web-0 not labeled\n"},
		{"label pods web-0", "\nERR: error: at least one label update is required\n"},
		{"annotate node node-1 note=x", "\nnode/node-1 annotated\n"},
		{"annotate node node-1 note=y", "\nERR: error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (x)\n"},
		{"delete pod web-0", "\npod \"web-0\" deleted from default namespace\n"},
		{"get pods", `
NAME        READY   STATUS        RESTARTS      AGE
pending-1   0/1     Pending       0             35s
web-0       1/1     Terminating   1 (56s ago)   90s
`},
		{"delete pods --grace-period=5 --force web-0", "\nERR: error: --force and --grace-period greater than 0 cannot be specified together\n"},
		{"delete pod web-0 --force --grace-period=0", `
Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.
pod "web-0" force deleted from default namespace
`},
		{"delete pods pending-1 nope", `
pod "pending-1" deleted from default namespace
ERR: Error from server (NotFound): pods "nope" not found
`},
		{"get pods", "\nNo resources found in default namespace.\n"},
		{"delete pods", "\nERR: error: resource(s) were provided, but no name was specified\n"},
		{"delete cm -l x=y", "\nNo resources found\n"},
		{"delete cm --all -o name", "\nconfigmap/web-config\n"},
		{"delete node node-2", "\nnode \"node-2\" deleted\n"},
		{"delete pods -o yaml x", "\nERR: error: unexpected -o output mode: yaml. We only support '-o name'\n"},
	}
	for i, s := range steps {
		got := f.run(s.line)
		want := strings.TrimPrefix(s.want, "\n")
		if got != want {
			t.Errorf("step %d: kubectl %s\n--- got ---\n%s--- want ---\n%s", i, s.line, got, want)
		}
	}
}
