package kubectl

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"text/tabwriter"

	"github.com/kubesim/kubesim/core/api"
	"sigs.k8s.io/yaml"
)

// renderTable aligns rows the way kubectl's table printer does: cells separated by a tab,
// through a tabwriter with minwidth 6, tabwidth 4, padding 3, padded with spaces
// (k8s.io/cli-runtime/pkg/printers/tabwriter.go GetNewTabWriter). Widths are not carried
// from one table to the next (get.go resets remembered widths per resource type).
func renderTable(rows [][]string) string {
	var buf bytes.Buffer
	w := tabwriter.NewWriter(&buf, 6, 4, 3, ' ', 0)
	for _, r := range rows {
		w.Write([]byte(strings.Join(r, "\t") + "\n"))
	}
	w.Flush()
	return buf.String()
}

var (
	timeType      = reflect.TypeOf(api.Time(0))
	marshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
)

// Generic converts an object to the JSON-shaped value the API server would return: maps
// with the JSON field names, times as RFC 3339 strings counted from the virtual epoch
// (api.EpochRFC3339), metadata.resourceVersion as a string. kubectl prints unstructured
// objects, so -o json/yaml keys come out sorted.
func Generic(o api.Object) any {
	return generic(reflect.ValueOf(o), "")
}

func generic(v reflect.Value, name string) any {
	if !v.IsValid() {
		return nil
	}
	t := v.Type()
	if t == timeType {
		if name == "lastProbeTime" {
			return nil // the kubelet never sets it; upstream shows null
		}
		return api.Time(v.Int()).RFC3339()
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && t.Implements(marshalerType) {
		b, err := v.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return nil
		}
		var out any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if d.Decode(&out) != nil {
			return nil
		}
		return out
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return generic(v.Elem(), name)
	case reflect.Struct:
		m := map[string]any{}
		genericFields(v, m)
		return m
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = generic(v.Index(i), "")
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		m := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			m[iter.Key().String()] = generic(iter.Value(), "")
		}
		return m
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if name == "resourceVersion" {
			return json.Number(strings.Trim(jsonString(v.Int()), `"`))
		}
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return nil
}

func jsonString(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func genericFields(v reflect.Value, m map[string]any) {
	t := v.Type()
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
		fv := v.Field(i)
		if f.Anonymous && name == "" && fv.Kind() == reflect.Struct {
			genericFields(fv, m)
			continue
		}
		if name == "" {
			name = f.Name
		}
		omitEmpty := strings.Contains(opts, "omitempty")
		// A virtual time of 0 is a real instant (the epoch), so times are never omitted.
		if omitEmpty && fv.Type() != timeType && isEmptyValue(fv) {
			continue
		}
		val := generic(fv, name)
		if name == "resourceVersion" {
			val = strings.Trim(jsonString(fv.Int()), `"`)
		}
		m[name] = val
	}
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// listOf wraps objects in the v1 List kubectl prints for several objects.
func listOf(items []any) map[string]any {
	if items == nil {
		items = []any{}
	}
	return map[string]any{"apiVersion": "v1", "kind": "List", "items": items,
		"metadata": map[string]any{"resourceVersion": ""}}
}

// printJSON renders v as kubectl's JSON printer does: four-space indentation, newline.
func printJSON(v any) (string, error) {
	b, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		return "", Errorf("%v", err)
	}
	return string(b) + "\n", nil
}

// printYAML renders v as kubectl's YAML printer does (sigs.k8s.io/yaml, keys sorted).
func printYAML(v any) (string, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return "", Errorf("%v", err)
	}
	return string(b), nil
}
