package api

import (
	"fmt"
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

// TestPodStatusEqualIsDeepEqual: PodStatus.Equal answers as reflect.DeepEqual for a status
// with every field set, for that status with any one field changed, and with any one list,
// map or pointer set to nil or (lists and maps) to empty: a field added to PodStatus or
// ContainerStatus that Equal does not compare fails it.
func TestPodStatusEqualIsDeepEqual(t *testing.T) {
	fresh := func() PodStatus {
		var n int
		var s PodStatus
		deepcopytest.Fill(reflect.ValueOf(&s).Elem(), &n)
		return s
	}
	base := fresh()
	if b := fresh(); !base.Equal(&b) {
		t.Fatal("two equal statuses compare unequal")
	}
	for k := 0; ; k++ {
		s := fresh()
		var desc string
		idx := 0
		if !perturb(reflect.ValueOf(&s).Elem(), "PodStatus", k, &idx, &desc) {
			if k < 30 {
				t.Fatalf("only %d perturbations: the walk misses fields", k)
			}
			return
		}
		if got, want := base.Equal(&s), reflect.DeepEqual(base, s); got != want {
			t.Errorf("%s: Equal %v, reflect.DeepEqual %v", desc, got, want)
		}
		if got, want := s.Equal(&base), reflect.DeepEqual(s, base); got != want {
			t.Errorf("%s (reversed): Equal %v, reflect.DeepEqual %v", desc, got, want)
		}
	}
}

// perturb applies the k-th change of the walk over v (counted in *idx) and reports whether
// there was one; desc names it.
func perturb(v reflect.Value, path string, k int, idx *int, desc *string) bool {
	hit := func(what string, f func()) bool {
		if *idx == k {
			f()
			*desc = path + ": " + what
			*idx++
			return true
		}
		*idx++
		return false
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if perturb(v.Field(i), path+"."+v.Type().Field(i).Name, k, idx, desc) {
				return true
			}
		}
		return false
	case reflect.Pointer:
		if v.IsNil() {
			return hit("set", func() { v.Set(reflect.New(v.Type().Elem())) })
		}
		if hit("nil", func() { v.Set(reflect.Zero(v.Type())) }) {
			return true
		}
		return perturb(v.Elem(), path, k, idx, desc)
	case reflect.Slice:
		if hit("nil", func() { v.Set(reflect.Zero(v.Type())) }) ||
			hit("empty", func() { v.Set(reflect.MakeSlice(v.Type(), 0, 0)) }) {
			return true
		}
		for i := 0; i < v.Len(); i++ {
			if perturb(v.Index(i), fmt.Sprintf("%s[%d]", path, i), k, idx, desc) {
				return true
			}
		}
		return false
	case reflect.Map:
		return hit("nil", func() { v.Set(reflect.Zero(v.Type())) }) ||
			hit("empty", func() { v.Set(reflect.MakeMap(v.Type())) }) ||
			hit("one more key", func() {
				m := reflect.MakeMap(v.Type())
				for _, key := range v.MapKeys() {
					m.SetMapIndex(key, v.MapIndex(key))
				}
				m.SetMapIndex(reflect.ValueOf("zz-extra").Convert(v.Type().Key()), reflect.Zero(v.Type().Elem()))
				v.Set(m)
			}) ||
			hit("a value changed", func() {
				m := reflect.MakeMap(v.Type())
				for _, key := range v.MapKeys() {
					m.SetMapIndex(key, reflect.Zero(v.Type().Elem()))
				}
				v.Set(m)
			})
	case reflect.String:
		return hit("changed", func() { v.SetString(v.String() + "x") })
	case reflect.Bool:
		return hit("flipped", func() { v.SetBool(!v.Bool()) })
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return hit("changed", func() { v.SetInt(v.Int() + 1) })
	}
	panic("perturb: unhandled kind " + v.Kind().String() + " at " + path)
}
