package api

import (
	"reflect"
	"testing"
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

// fill sets every field reachable from v to a non-zero value (one element per slice and map).
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).CanSet() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), n)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.String:
		v.SetString("s" + string(rune('a'+*n%26)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n))
	}
}

// sharesMemory reports whether a and b share any pointer, slice or map.
func sharesMemory(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return false
		}
		return a.Pointer() == b.Pointer() || sharesMemory(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if sharesMemory(a.Field(i), b.Field(i)) {
				return true
			}
		}
	case reflect.Slice:
		if a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			return true
		}
		for i := 0; i < a.Len() && i < b.Len(); i++ {
			if sharesMemory(a.Index(i), b.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			return true
		}
	}
	return false
}

func TestHandWrittenCopiesAreDeep(t *testing.T) {
	var n int
	var m ObjectMeta
	fill(reflect.ValueOf(&m).Elem(), &n)
	mc := m.DeepCopy()
	if !reflect.DeepEqual(m, mc) || sharesMemory(reflect.ValueOf(m), reflect.ValueOf(mc)) {
		t.Errorf("ObjectMeta.DeepCopy is not a deep copy of every field:\n%+v\n%+v", m, mc)
	}
	var s PodStatus
	fill(reflect.ValueOf(&s).Elem(), &n)
	sc := s.DeepCopy()
	if !reflect.DeepEqual(s, sc) || sharesMemory(reflect.ValueOf(s), reflect.ValueOf(sc)) {
		t.Errorf("PodStatus.DeepCopy is not a deep copy of every field:\n%+v\n%+v", s, sc)
	}
}
