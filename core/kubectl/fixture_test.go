package kubectl_test

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/sim"
)

// fixture builds a small cluster directly in the store (no controllers run): two nodes,
// a ReplicaSet-owned pod web-0 that is Running and Ready with one restart, a pending pod
// and an unmanaged pod, a ConfigMap and a Secret; then virtual time moves to t=95s.
type fixture struct {
	e   *sim.Engine
	env *kubectl.Env
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	e := sim.New(sim.Options{Seed: 1})
	f := &fixture{e: e}
	ctx := e.ActionContext("user")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"node-1", "node-2"} {
		n := &api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"},
			ObjectMeta: api.ObjectMeta{Name: name, UID: "uid-" + name, Labels: map[string]string{api.LabelHostname: name}},
			Status: api.NodeStatus{
				Capacity:    api.ResourceList{"cpu": api.MustQuantity("4"), "memory": api.MustQuantity("8Gi"), "pods": api.MustQuantity("110")},
				Allocatable: api.ResourceList{"cpu": api.MustQuantity("4"), "memory": api.MustQuantity("8Gi"), "pods": api.MustQuantity("110")},
				Conditions:  []api.NodeCondition{{Type: "Ready", Status: api.ConditionTrue, Reason: "KubeletReady", Message: "kubelet is posting ready status"}},
				Addresses:   []api.NodeAddress{{Type: "InternalIP", Address: "10.0.0.1"}, {Type: "Hostname", Address: name}},
			}}
		n.Spec.PodCIDR, n.Spec.PodCIDRs = "10.244.0.0/24", []string{"10.244.0.0/24"}
		if name == "node-2" {
			n.Labels["node-role.kubernetes.io/control-plane"] = ""
			n.Status.Addresses[0].Address = "10.0.0.2"
			n.Spec.PodCIDR, n.Spec.PodCIDRs = "10.244.1.0/24", []string{"10.244.1.0/24"}
		}
		must(ctx.Create(n))
	}
	must(e.AdvanceTo(5000))
	tr := true
	web := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web-0", UID: "uid-web-0",
			Labels:          map[string]string{"app": "web"},
			OwnerReferences: []api.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d9f", UID: "uid-rs", Controller: &tr}}},
		Spec: api.PodSpec{NodeName: "node-1", ServiceAccountName: "default", RestartPolicy: "Always",
			TerminationGracePeriodSeconds: api.Ptr(int64(30)),
			Containers: []api.Container{{Name: "web", Image: "web:1.0",
				Ports:     []api.ContainerPort{{ContainerPort: 8080, Protocol: "TCP"}},
				Resources: api.ResourceRequirements{Requests: api.ResourceList{"cpu": api.MustQuantity("250m"), "memory": api.MustQuantity("128Mi")}},
				ReadinessProbe: &api.Probe{HTTPGet: &api.HTTPGetAction{Path: "/healthz", Port: api.FromInt(8080), Scheme: "HTTP"},
					TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3},
				VolumeMounts: []api.VolumeMount{{Name: "data", MountPath: "/data"}},
			}},
			Volumes: []api.Volume{{Name: "data", PersistentVolumeClaim: &api.PVCVolumeSource{ClaimName: "www-web-0"}}},
			Tolerations: []api.Toleration{
				{Key: api.TaintNodeNotReady, Operator: "Exists", Effect: api.TaintNoExecute, TolerationSeconds: api.Ptr(int64(300))},
				{Key: api.TaintNodeUnreachable, Operator: "Exists", Effect: api.TaintNoExecute, TolerationSeconds: api.Ptr(int64(300))},
			}},
		Status: api.PodStatus{Phase: api.PodRunning, HostIP: "10.0.0.1", PodIP: "10.244.1.5", StartTime: api.Ptr(api.Time(5000)),
			Conditions: []api.PodCondition{
				{Type: api.PodInitialized, Status: api.ConditionTrue},
				{Type: api.PodReady, Status: api.ConditionTrue},
				{Type: api.ContainersReady, Status: api.ConditionTrue},
				{Type: api.PodScheduled, Status: api.ConditionTrue},
			},
			ContainerStatuses: []api.ContainerStatus{{Name: "web", Ready: true, RestartCount: 1, Image: "web:1.0",
				ImageID: "web@sha256:1", ContainerID: "containerd://c1", Started: &tr,
				State:                api.ContainerState{Running: &api.ContainerStateRunning{StartedAt: 40000}},
				LastTerminationState: api.ContainerState{Terminated: &api.ContainerStateTerminated{ExitCode: 137, Reason: "Error", StartedAt: 6000, FinishedAt: 39000}},
			}}}}
	must(ctx.Create(web))
	ctx.EventAt(web, "", api.EventNormal, "Scheduled", "Successfully assigned default/web-0 to node-1")
	must(e.AdvanceTo(20000))
	ctx.EventAt(web, "spec.containers{web}", api.EventWarning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500")
	must(e.AdvanceTo(30000))
	ctx.EventAt(web, "spec.containers{web}", api.EventWarning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500")
	must(e.AdvanceTo(60000))
	pending := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "pending-1", UID: "uid-pending",
			OwnerReferences: []api.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d9f", UID: "uid-rs", Controller: &tr}}},
		Spec:   api.PodSpec{Containers: []api.Container{{Name: "web", Image: "web:1.0"}}},
		Status: api.PodStatus{Phase: api.PodPending}}
	must(ctx.Create(pending))
	loner := &api.Pod{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: api.ObjectMeta{Namespace: "tools", Name: "debug", UID: "uid-debug"},
		Spec:       api.PodSpec{NodeName: "node-2", Containers: []api.Container{{Name: "sh", Image: "busybox"}}},
		Status: api.PodStatus{Phase: api.PodRunning, PodIP: "10.244.2.9",
			ContainerStatuses: []api.ContainerStatus{{Name: "sh", State: api.ContainerState{Running: &api.ContainerStateRunning{StartedAt: 61000}}, Ready: true}},
			Conditions:        []api.PodCondition{{Type: api.PodReady, Status: api.ConditionTrue}}}}
	must(ctx.Create(loner))
	must(ctx.Create(&api.ConfigMap{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web-config"}, Data: map[string]string{"a": "1", "b": "2"}}))
	must(ctx.Create(&api.Secret{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "web-tls"}, Type: "kubernetes.io/tls", Data: map[string]string{"tls.crt": "eA==", "tls.key": "eQ=="}}))
	must(e.AdvanceTo(95000))
	f.env = &kubectl.Env{Ctx: e.ActionContext("user")}
	return f
}

// run runs a command line and returns stdout and the error text joined as kubectl users
// see them (stdout first, then stderr).
func (f *fixture) run(line string) string {
	out, err := kubectl.Run(f.env, line)
	if err != nil {
		out += "ERR: " + err.Error() + "\n"
	}
	return out
}
