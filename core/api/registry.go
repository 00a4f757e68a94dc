package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// KindInfo describes a kind the simulator accepts in manifests.
type KindInfo struct {
	Kind       string
	APIVersion string
	// Namespaced is false for cluster-scoped kinds (Node, PersistentVolume, StorageClass).
	Namespaced bool
	// New returns an empty object of the kind with TypeMeta set.
	New func() Object
}

// Kinds lists every kind manifests may contain, by kind name.
var Kinds = map[string]KindInfo{}

func addKind(kind, apiVersion string, namespaced bool, mk func() Object) {
	precomputePlans(reflect.TypeOf(mk()))
	Kinds[kind] = KindInfo{Kind: kind, APIVersion: apiVersion, Namespaced: namespaced, New: func() Object {
		o := mk()
		setTypeMeta(o, apiVersion, kind)
		return o
	}}
}

func setTypeMeta(o Object, apiVersion, kind string) {
	type typed interface{ typeMeta() *TypeMeta }
	o.(typed).typeMeta().APIVersion, o.(typed).typeMeta().Kind = apiVersion, kind
}

func (t *TypeMeta) typeMeta() *TypeMeta { return t }

func init() {
	addKind("Pod", "v1", true, func() Object { return &Pod{} })
	addKind("Node", "v1", false, func() Object { return &Node{} })
	addKind("Service", "v1", true, func() Object { return &Service{} })
	addKind("ConfigMap", "v1", true, func() Object { return &ConfigMap{} })
	addKind("Secret", "v1", true, func() Object { return &Secret{} })
	addKind("Namespace", "v1", false, func() Object { return &Namespace{} })
	addKind("PersistentVolumeClaim", "v1", true, func() Object { return &PersistentVolumeClaim{} })
	addKind("PersistentVolume", "v1", false, func() Object { return &PersistentVolume{} })
	addKind("Deployment", "apps/v1", true, func() Object { return &Deployment{} })
	addKind("ReplicaSet", "apps/v1", true, func() Object { return &ReplicaSet{} })
	addKind("StatefulSet", "apps/v1", true, func() Object { return &StatefulSet{} })
	addKind("StorageClass", "storage.k8s.io/v1", false, func() Object { return &StorageClass{} })
	addKind("EndpointSlice", "discovery.k8s.io/v1", true, func() Object { return &EndpointSlice{} })
}

// NewObject returns an empty object of kind, or false when the kind is not supported.
func NewObject(kind string) (Object, bool) {
	k, ok := Kinds[kind]
	if !ok {
		return nil, false
	}
	return k.New(), true
}

// SupportedKinds returns the kind names, sorted.
func SupportedKinds() []string {
	var out []string
	for k := range Kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Field error types, as apimachinery's field.ErrorType renders them.
const (
	ErrTypeInvalid     = "Invalid value"
	ErrTypeRequired    = "Required value"
	ErrTypeUnsupported = "Unsupported value"
	ErrTypeForbidden   = "Forbidden"
	ErrTypeDuplicate   = "Duplicate value"
	ErrTypeNotFound    = "Not found"
	ErrTypeTooLong     = "Too long"
)

// FieldError is one validation error, rendered like k8s.io/apimachinery field.Error:
// "spec.replicas: Invalid value: -1: must be greater than or equal to 0".
type FieldError struct {
	Path   string
	Type   string
	Value  any // rendered as JSON; omitted when HasValue is false
	Detail string
	// HasValue says whether Value is shown (Required and Forbidden errors show none).
	HasValue bool
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(e.Type)
	if e.HasValue {
		v, err := json.Marshal(e.Value)
		if err != nil {
			v = []byte(fmt.Sprint(e.Value))
		}
		b.WriteString(": ")
		b.Write(v)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Invalid returns an "Invalid value" error.
func Invalid(path string, value any, detail string) *FieldError {
	return &FieldError{Path: path, Type: ErrTypeInvalid, Value: value, Detail: detail, HasValue: true}
}

// Required returns a "Required value" error.
func Required(path, detail string) *FieldError {
	return &FieldError{Path: path, Type: ErrTypeRequired, Detail: detail}
}

// nonNegativeMsg is apimachinery's validation.IsNegativeErrorMsg.
const nonNegativeMsg = "must be greater than or equal to 0"

// nonNegative rejects a negative number (ValidateNonnegativeField).
func nonNegative(path string, v int64) ErrorList {
	if v < 0 {
		return ErrorList{Invalid(path, v, nonNegativeMsg)}
	}
	return nil
}

// Forbidden returns a "Forbidden" error.
func Forbidden(path, detail string) *FieldError {
	return &FieldError{Path: path, Type: ErrTypeForbidden, Detail: detail}
}

// NotSupported returns an "Unsupported value" error listing the allowed values like
// apimachinery: `supported values: "Always", "Never"`.
func NotSupported(path string, value any, allowed ...string) *FieldError {
	q := make([]string, len(allowed))
	for i, a := range allowed {
		q[i] = fmt.Sprintf("%q", a)
	}
	return &FieldError{Path: path, Type: ErrTypeUnsupported, Value: value, HasValue: true,
		Detail: "supported values: " + strings.Join(q, ", ")}
}

// ErrorList is a list of field errors.
type ErrorList []*FieldError

// InvalidObjectError renders a list the way kubectl does for a rejected object:
// `The Deployment "web" is invalid: spec.replicas: Invalid value: -1: ...` (several errors are
// joined in brackets: `[a, b]`).
func InvalidObjectError(kind, name string, errs ErrorList) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	body := msgs[0]
	if len(msgs) > 1 {
		body = "[" + strings.Join(msgs, ", ") + "]"
	}
	return fmt.Errorf("The %s %q is invalid: %s", kind, name, body)
}

var (
	defaulters = map[string][]func(Object){}
	validators = map[string][]func(Object) ErrorList{}
)

// RegisterDefaults adds a defaulting function for kind (like SetDefaults_X upstream). It is
// called from init functions, one file per kind family.
func RegisterDefaults(kind string, fn func(Object)) { defaulters[kind] = append(defaulters[kind], fn) }

// RegisterValidation adds a validation function for kind (like ValidateX upstream).
func RegisterValidation(kind string, fn func(Object) ErrorList) {
	validators[kind] = append(validators[kind], fn)
}

// Default applies the API server's defaults to o in place.
func Default(o Object) {
	for _, fn := range defaulters[o.GetKind()] {
		fn(o)
	}
}

// Validate checks o as the API server would on create, after defaulting.
func Validate(o Object) ErrorList {
	var errs ErrorList
	for _, fn := range validators[o.GetKind()] {
		errs = append(errs, fn(o)...)
	}
	return errs
}
