package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/tidwall/gjson"
)

// decoder reads a gjson value into a Go value by walking the value's type, checking as it
// goes that every field exists (by its json tag) and has the right JSON type. It collects
// every problem instead of stopping at the first, like the API server's strict decoding.
type decoder struct {
	errs []fieldProblem
}

// fieldProblem is a decoding problem at a path of segments.
type fieldProblem struct {
	path []segment
	msg  string
}

// segment is one step of a field path: a field name, or an index into a list, or a map key.
type segment struct {
	name  string
	index int // -1 for a name
	key   bool
}

func renderPath(path []segment) string {
	var b strings.Builder
	for _, s := range path {
		switch {
		case s.index >= 0:
			fmt.Fprintf(&b, "[%d]", s.index)
		case s.key:
			fmt.Fprintf(&b, "[%s]", s.name)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		}
	}
	return b.String()
}

func (d *decoder) fail(path []segment, format string, args ...any) {
	d.errs = append(d.errs, fieldProblem{path: append([]segment(nil), path...), msg: fmt.Sprintf(format, args...)})
}

var (
	jsonUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	durationType    = reflect.TypeOf(api.Duration(0))
)

// fieldInfo is a struct field reachable by a JSON name, through inline embedding.
type fieldInfo struct {
	index []int
}

// fields returns the JSON field names of a struct type (inline members flattened). It is not
// cached: parsing is not a hot path, and a shared cache would need locking.
func fields(t reflect.Type) map[string]fieldInfo {
	out := map[string]fieldInfo{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), prefix...), i)
			if strings.Contains(opts, "inline") || (name == "" && f.Anonymous) {
				walk(f.Type, idx)
				continue
			}
			if name == "" {
				name = f.Name
			}
			out[name] = fieldInfo{index: idx}
		}
	}
	walk(t, nil)
	return out
}

func jsonType(r gjson.Result) string {
	switch r.Type {
	case gjson.String:
		return "string"
	case gjson.Number:
		return "number"
	case gjson.True, gjson.False:
		return "boolean"
	case gjson.Null:
		return "null"
	}
	if r.IsArray() {
		return "array"
	}
	return "object"
}

// decode sets v from r. v must be settable.
func (d *decoder) decode(v reflect.Value, r gjson.Result, path []segment) {
	if r.Type == gjson.Null {
		return // null leaves the zero value, like encoding/json
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		p := reflect.New(t.Elem())
		before := len(d.errs)
		d.decode(p.Elem(), r, path)
		if len(d.errs) == before {
			v.Set(p)
		}
		return
	}
	if t == durationType {
		d.duration(v, r, path)
		return
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		u := v.Addr().Interface().(json.Unmarshaler)
		if err := u.UnmarshalJSON([]byte(r.Raw)); err != nil {
			d.fail(path, "Invalid value: %s: %s", r.Raw, cleanUnmarshalError(err))
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if !r.IsObject() {
			d.fail(path, "Invalid value: %s: expected an object, got %s", short(r.Raw), jsonType(r))
			return
		}
		fs := fields(t)
		r.ForEach(func(k, val gjson.Result) bool {
			name := k.String()
			f, ok := fs[name]
			if !ok {
				d.fail(append(path, segment{name: name, index: -1}), "unknown field %q%s", name, suggest(name, fs))
				return true
			}
			d.decode(v.FieldByIndex(f.index), val, append(path, segment{name: name, index: -1}))
			return true
		})
	case reflect.Slice:
		if !r.IsArray() {
			d.fail(path, "Invalid value: %s: expected a list, got %s", short(r.Raw), jsonType(r))
			return
		}
		items := r.Array()
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, it := range items {
			d.decode(s.Index(i), it, append(path, segment{index: i}))
		}
		v.Set(s)
	case reflect.Map:
		if !r.IsObject() {
			d.fail(path, "Invalid value: %s: expected an object of %s values, got %s", short(r.Raw), describeKind(t.Elem()), jsonType(r))
			return
		}
		m := reflect.MakeMap(t)
		r.ForEach(func(k, val gjson.Result) bool {
			e := reflect.New(t.Elem()).Elem()
			d.decode(e, val, append(path, segment{name: k.String(), index: -1, key: true}))
			m.SetMapIndex(reflect.ValueOf(k.String()).Convert(t.Key()), e)
			return true
		})
		v.Set(m)
	case reflect.String:
		if r.Type != gjson.String {
			d.fail(path, "Invalid value: %s: expected a string, got %s", short(r.Raw), jsonType(r))
			return
		}
		v.SetString(r.Str)
	case reflect.Bool:
		if r.Type != gjson.True && r.Type != gjson.False {
			d.fail(path, "Invalid value: %s: expected true or false, got %s", short(r.Raw), jsonType(r))
			return
		}
		v.SetBool(r.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(r.Raw, 10, t.Bits())
		if r.Type != gjson.Number || err != nil {
			d.fail(path, "Invalid value: %s: expected an integer (%d-bit), got %s", short(r.Raw), t.Bits(), jsonType(r))
			return
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(r.Raw, 10, t.Bits())
		if r.Type != gjson.Number || err != nil {
			d.fail(path, "Invalid value: %s: expected a non-negative integer, got %s", short(r.Raw), jsonType(r))
			return
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		if r.Type != gjson.Number {
			d.fail(path, "Invalid value: %s: expected a number, got %s", short(r.Raw), jsonType(r))
			return
		}
		v.SetFloat(r.Float())
	case reflect.Interface:
		v.Set(reflect.ValueOf(r.Value()))
	default:
		d.fail(path, "cannot decode into %s", t)
	}
}

// duration reads a duration ("90s", or a bare number of seconds). Every duration in a
// scenario (until, step times, image timings) is a span within one run, so it must lie
// between 0 and MaxUntil. Errors quote the value as written, also when it is too large for
// the clock.
func (d *decoder) duration(v reflect.Value, r gjson.Result, path []segment) {
	var text string
	switch r.Type {
	case gjson.String:
		text = r.Str
	case gjson.Number:
		text = r.Raw
	default:
		d.fail(path, "Invalid value: %s: expected a duration such as \"90s\" or \"1m30s\", got %s", short(r.Raw), jsonType(r))
		return
	}
	dur, err := api.ParseDuration(text)
	switch {
	case err != nil && !errors.Is(err, api.ErrDurationRange):
		d.fail(path, "Invalid value: %s: %v", short(r.Raw), err)
	case err != nil || dur < 0 || dur > MaxUntil:
		d.fail(path, "Invalid value: %s: must be between 0s and %s", short(r.Raw), MaxUntil)
	default:
		v.SetInt(int64(dur))
	}
}

func describeKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return t.Kind().String()
}

func cleanUnmarshalError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "json: ")
	return s
}

func short(raw string) string {
	if len(raw) > 40 {
		return raw[:37] + "..."
	}
	return raw
}

// suggest names the closest allowed field, and lists them all, for an unknown field.
func suggest(name string, fs map[string]fieldInfo) string {
	names := make([]string, 0, len(fs))
	for n := range fs {
		if n == "status" || n == "apiVersion" || n == "kind" {
			// Listing these under every object would be noise.
			if n != "status" {
				continue
			}
		}
		names = append(names, n)
	}
	sort.Strings(names)
	best, bestD := "", 3
	for _, n := range names {
		if dd := editDistance(strings.ToLower(name), strings.ToLower(n)); dd < bestD {
			best, bestD = n, dd
		}
	}
	s := ""
	if best != "" {
		s = fmt.Sprintf(": did you mean %q?", best)
	}
	return s + " (allowed: " + strings.Join(names, ", ") + ")"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
