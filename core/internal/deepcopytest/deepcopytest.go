// Package deepcopytest helps test hand-written deep copies: Fill sets every field of a value
// through reflection, and Shares finds memory a copy still shares with its original. A field
// added to a type and forgotten by its copy function then fails the copy's test.
package deepcopytest

import "reflect"

// Fill sets every field reachable from v to a distinct non-zero value: two elements per
// slice, one entry per map. n numbers the values.
func Fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		Fill(v.Elem(), n)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).CanSet() {
				Fill(v.Field(i), n)
			}
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			Fill(v.Index(i), n)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		Fill(s.Index(0), n)
		Fill(s.Index(1), n)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		Fill(k, n)
		Fill(e, n)
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

// Shares reports whether a and b (values of the same type) share any pointer, slice or map.
func Shares(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Pointer:
		return !a.IsNil() && !b.IsNil() && (a.Pointer() == b.Pointer() || Shares(a.Elem(), b.Elem()))
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if Shares(a.Field(i), b.Field(i)) {
				return true
			}
		}
	case reflect.Array, reflect.Slice:
		if a.Kind() == reflect.Slice && a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			return true
		}
		for i := 0; i < a.Len() && i < b.Len(); i++ {
			if Shares(a.Index(i), b.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		return !a.IsNil() && a.Pointer() == b.Pointer()
	}
	return false
}
