package api

// Object is implemented by every kind the store holds.
type Object interface {
	// GetKind returns the object's kind, e.g. "Pod".
	GetKind() string
	// Meta returns the object's metadata. Callers must not modify a stored object's metadata.
	Meta() *ObjectMeta
}

// TypeMeta names the kind and API version, as in every manifest.
type TypeMeta struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
}

// GetKind implements Object.
func (t *TypeMeta) GetKind() string { return t.Kind }

// ObjectMeta is the metadata every object carries. Timestamps are virtual (Time).
type ObjectMeta struct {
	Name                       string            `json:"name,omitempty"`
	GenerateName               string            `json:"generateName,omitempty"`
	Namespace                  string            `json:"namespace,omitempty"`
	UID                        string            `json:"uid,omitempty"`
	ResourceVersion            int64             `json:"resourceVersion,omitempty"`
	Generation                 int64             `json:"generation,omitempty"`
	CreationTimestamp          Time              `json:"creationTimestamp,omitempty"`
	DeletionTimestamp          *Time             `json:"deletionTimestamp,omitempty"`
	DeletionGracePeriodSeconds *int64            `json:"deletionGracePeriodSeconds,omitempty"`
	Labels                     map[string]string `json:"labels,omitempty"`
	Annotations                map[string]string `json:"annotations,omitempty"`
	OwnerReferences            []OwnerReference  `json:"ownerReferences,omitempty"`
	Finalizers                 []string          `json:"finalizers,omitempty"`
}

// Meta implements Object.
func (m *ObjectMeta) Meta() *ObjectMeta { return m }

// Key is the store key "namespace/name" (just "name" for cluster-scoped objects).
func (m *ObjectMeta) Key() string {
	if m.Namespace == "" {
		return m.Name
	}
	return m.Namespace + "/" + m.Name
}

// OwnerReference points at the object that owns this one.
type OwnerReference struct {
	APIVersion         string `json:"apiVersion"`
	Kind               string `json:"kind"`
	Name               string `json:"name"`
	UID                string `json:"uid"`
	Controller         *bool  `json:"controller,omitempty"`
	BlockOwnerDeletion *bool  `json:"blockOwnerDeletion,omitempty"`
}

// ControllerOf returns the owner reference with controller=true, or nil.
func ControllerOf(m *ObjectMeta) *OwnerReference {
	for i := range m.OwnerReferences {
		if r := &m.OwnerReferences[i]; r.Controller != nil && *r.Controller {
			return r
		}
	}
	return nil
}

// NewControllerRef returns a controller owner reference to owner.
func NewControllerRef(owner Object, apiVersion string) OwnerReference {
	t := true
	return OwnerReference{APIVersion: apiVersion, Kind: owner.GetKind(), Name: owner.Meta().Name,
		UID: owner.Meta().UID, Controller: &t, BlockOwnerDeletion: &t}
}

// ObjectRef renders "Kind/namespace/name" (or "Kind/name" when cluster-scoped), the trace's object form.
func ObjectRef(o Object) string {
	m := o.Meta()
	if m.Namespace == "" {
		return o.GetKind() + "/" + m.Name
	}
	return o.GetKind() + "/" + m.Namespace + "/" + m.Name
}

// Ptr returns a pointer to v.
func Ptr[T any](v T) *T { return &v }

// Deref returns *p, or def when p is nil.
func Deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
