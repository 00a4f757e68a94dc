package invariant

import "fmt"

// ObjectError is a rule's error that names the object it concerns, so `kubesim check` can
// print that object beside the failure. Rules may return plain errors too.
type ObjectError struct {
	Kind string // e.g. "Pod"
	Key  string // store key, "namespace/name" or "name"
	Msg  string
}

func (e *ObjectError) Error() string { return e.Msg }

func objErr(kind, key, format string, args ...any) error {
	return &ObjectError{Kind: kind, Key: key, Msg: fmt.Sprintf(format, args...)}
}
