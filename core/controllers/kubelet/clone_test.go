package kubelet

import (
	"reflect"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/internal/deepcopytest"
)

func TestRuntimeCloneIsDeep(t *testing.T) {
	var n int
	rt := &PodRuntime{}
	deepcopytest.Fill(reflect.ValueOf(rt).Elem(), &n)
	cp := rt.clone()
	if !reflect.DeepEqual(rt, cp) || !reflect.DeepEqual(cp, api.Clone(rt)) {
		t.Errorf("PodRuntime.clone is not a copy of every field:\n%+v\n%+v", rt, cp)
	}
	// Allocated and Actual are shared on purpose (never changed in place); the rest is deep.
	for i := range rt.Containers {
		a, b := &rt.Containers[i], &cp.Containers[i]
		if a.Allocated != b.Allocated || a.Actual != b.Actual {
			t.Errorf("container %d: Allocated/Actual copied, want shared", i)
		}
		a.Allocated, a.Actual, b.Allocated, b.Actual = nil, nil, nil, nil
	}
	if deepcopytest.Shares(reflect.ValueOf(rt), reflect.ValueOf(cp)) {
		t.Errorf("PodRuntime.clone is not a deep copy of every other field:\n%+v\n%+v", rt, cp)
	}
	// nil and empty container lists stay apart, as with api.Clone.
	for _, c := range [][]ContainerRuntime{nil, {}} {
		rt := &PodRuntime{Containers: c}
		if got := rt.clone(); !reflect.DeepEqual(got, api.Clone(rt)) {
			t.Errorf("clone of %#v = %#v; want %#v", c, got.Containers, api.Clone(rt).Containers)
		}
	}
}

func TestHostLocalCloneIsDeep(t *testing.T) {
	var n int
	h := &HostLocal{}
	deepcopytest.Fill(reflect.ValueOf(h).Elem(), &n)
	cp := h.clone()
	if !reflect.DeepEqual(h, cp) || !reflect.DeepEqual(cp, api.Clone(h)) || deepcopytest.Shares(reflect.ValueOf(h), reflect.ValueOf(cp)) {
		t.Errorf("HostLocal.clone is not a deep copy of every field:\n%+v\n%+v", h, cp)
	}
}

func TestNodeRuntimeCloneIsDeep(t *testing.T) {
	var n int
	r := &NodeRuntime{}
	deepcopytest.Fill(reflect.ValueOf(r).Elem(), &n)
	cp := r.CloneSelf()
	if !reflect.DeepEqual(r, cp) || deepcopytest.Shares(reflect.ValueOf(r), reflect.ValueOf(cp)) {
		t.Errorf("NodeRuntime.CloneSelf is not a deep copy of every field:\n%+v\n%+v", r, cp)
	}
	if got := (&NodeRuntime{}).CloneSelf(); got.Images != nil {
		t.Errorf("a nil image set came back as %#v", got.Images)
	}
}
