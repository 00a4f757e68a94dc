package kubelet

import (
	"reflect"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// fill sets every field reachable from v to a non-zero value (two elements per slice).
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
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), n)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
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
	}
}

// shared reports whether a and b share any pointer, slice or map.
func shared(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Pointer:
		return !a.IsNil() && !b.IsNil() && (a.Pointer() == b.Pointer() || shared(a.Elem(), b.Elem()))
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if shared(a.Field(i), b.Field(i)) {
				return true
			}
		}
	case reflect.Array, reflect.Slice:
		if a.Kind() == reflect.Slice && a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			return true
		}
		for i := 0; i < a.Len() && i < b.Len(); i++ {
			if shared(a.Index(i), b.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		return !a.IsNil() && a.Pointer() == b.Pointer()
	}
	return false
}

func TestRuntimeCloneIsDeep(t *testing.T) {
	var n int
	rt := &PodRuntime{}
	fill(reflect.ValueOf(rt).Elem(), &n)
	cp := rt.clone()
	if !reflect.DeepEqual(rt, cp) || !reflect.DeepEqual(cp, api.Clone(rt)) || shared(reflect.ValueOf(rt), reflect.ValueOf(cp)) {
		t.Errorf("PodRuntime.clone is not a deep copy of every field:\n%+v\n%+v", rt, cp)
	}
	// nil and empty container lists stay apart, as with api.Clone.
	for _, c := range [][]ContainerRuntime{nil, {}} {
		rt := &PodRuntime{Containers: c}
		if got := rt.clone(); !reflect.DeepEqual(got, api.Clone(rt)) {
			t.Errorf("clone of %#v = %#v; want %#v", c, got.Containers, api.Clone(rt).Containers)
		}
	}
}
