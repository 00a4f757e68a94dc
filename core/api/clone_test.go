package api

import (
	"reflect"
	"testing"

	"github.com/kubesim/kubesim/core/internal/deepcopytest"
)

func samplePod() *Pod {
	return &Pod{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: ObjectMeta{Name: "web-abc", Namespace: "default", UID: "uid-1",
			Labels:          map[string]string{"app": "web", "pod-template-hash": "abc"},
			OwnerReferences: []OwnerReference{{Kind: "ReplicaSet", Name: "web-abc", UID: "u", Controller: Ptr(true)}}},
		Spec: PodSpec{Containers: []Container{{Name: "web", Image: "web:1.0",
			Ports:          []ContainerPort{{ContainerPort: 8080}},
			Resources:      ResourceRequirements{Requests: ResourceList{"cpu": MustQuantity("250m")}},
			ReadinessProbe: &Probe{HTTPGet: &HTTPGetAction{Path: "/ready", Port: FromInt(8080)}, PeriodSeconds: 2}}},
			TerminationGracePeriodSeconds: Ptr[int64](30)},
		Status: PodStatus{Phase: PodRunning, Conditions: []PodCondition{{Type: PodReady, Status: ConditionTrue}},
			ContainerStatuses: []ContainerStatus{{Name: "web", Ready: true, State: ContainerState{Running: &ContainerStateRunning{StartedAt: 5}}}}}}
}

func TestCloneIsDeepAndEqual(t *testing.T) {
	p := samplePod()
	c := Clone(p)
	if !reflect.DeepEqual(p, c) {
		t.Fatal("clone differs from the original")
	}
	c.Labels["app"] = "x"
	c.Spec.Containers[0].ReadinessProbe.PeriodSeconds = 9
	c.Status.ContainerStatuses[0].State.Running.StartedAt = 7
	*c.Spec.TerminationGracePeriodSeconds = 1
	if p.Labels["app"] != "web" || p.Spec.Containers[0].ReadinessProbe.PeriodSeconds != 2 ||
		p.Status.ContainerStatuses[0].State.Running.StartedAt != 5 || *p.Spec.TerminationGracePeriodSeconds != 30 {
		t.Fatal("changing the clone changed the original")
	}
}

func BenchmarkClonePod(b *testing.B) {
	p := samplePod()
	for i := 0; i < b.N; i++ {
		_ = Clone(p)
	}
}

func TestCloneForStatusCopiesStatusAndMetadata(t *testing.T) {
	p := samplePod()
	c := p.CloneForStatus()
	if !reflect.DeepEqual(p, c) {
		t.Fatal("copy differs from the original")
	}
	c.Status.Conditions[0].Status = ConditionFalse
	c.Status.ContainerStatuses[0].State.Running.StartedAt = 9
	c.Labels["app"] = "x"
	if p.Status.Conditions[0].Status != ConditionTrue || p.Status.ContainerStatuses[0].State.Running.StartedAt != 5 || p.Labels["app"] != "web" {
		t.Fatal("changing the copy's status or metadata changed the original")
	}
}

func BenchmarkCloneForStatus(b *testing.B) {
	p := samplePod()
	for i := 0; i < b.N; i++ {
		_ = p.CloneForStatus()
	}
}

func TestHandWrittenCopiesAreDeep(t *testing.T) {
	var n int
	var m ObjectMeta
	deepcopytest.Fill(reflect.ValueOf(&m).Elem(), &n)
	mc := m.DeepCopy()
	if !reflect.DeepEqual(m, mc) || deepcopytest.Shares(reflect.ValueOf(m), reflect.ValueOf(mc)) {
		t.Errorf("ObjectMeta.DeepCopy is not a deep copy of every field:\n%+v\n%+v", m, mc)
	}
	var s PodStatus
	deepcopytest.Fill(reflect.ValueOf(&s).Elem(), &n)
	sc := s.DeepCopy()
	if !reflect.DeepEqual(s, sc) || deepcopytest.Shares(reflect.ValueOf(s), reflect.ValueOf(sc)) {
		t.Errorf("PodStatus.DeepCopy is not a deep copy of every field:\n%+v\n%+v", s, sc)
	}
}
