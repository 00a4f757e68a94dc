package api

import "reflect"

// Clone returns a deep copy of v: every pointer, slice and map is copied, so the result can
// be modified without touching v. Objects read from a store are shared and must be cloned
// before they are changed.
func Clone[T any](v T) T {
	src := reflect.ValueOf(&v).Elem()
	dst := reflect.New(src.Type()).Elem()
	deepCopy(dst, src)
	return dst.Interface().(T)
}

func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		inner := src.Elem()
		c := reflect.New(inner.Type()).Elem()
		deepCopy(c, inner)
		dst.Set(c)
	case reflect.Struct:
		for i := 0; i < src.NumField(); i++ {
			if f := dst.Field(i); f.CanSet() {
				deepCopy(f, src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		if isShallow(src.Type().Elem()) {
			reflect.Copy(s, src)
		} else {
			for i := 0; i < src.Len(); i++ {
				deepCopy(s.Index(i), src.Index(i))
			}
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		shallow := isShallow(src.Type().Elem())
		iter := src.MapRange()
		for iter.Next() {
			if shallow {
				m.SetMapIndex(iter.Key(), iter.Value())
				continue
			}
			c := reflect.New(src.Type().Elem()).Elem()
			deepCopy(c, iter.Value())
			m.SetMapIndex(iter.Key(), c)
		}
		dst.Set(m)
	default:
		dst.Set(src)
	}
}

// isShallow reports whether values of t hold no references, so a plain copy is deep.
func isShallow(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if !isShallow(t.Field(i).Type) {
				return false
			}
		}
		return true
	case reflect.Array:
		return isShallow(t.Elem())
	}
	return false
}
