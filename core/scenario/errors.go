package scenario

import (
	"fmt"
	"strings"
)

// Error is one problem in a scenario file, located by file, line and field path.
type Error struct {
	File string
	// Line is 1-based; 0 when unknown.
	Line int
	// Object names the manifest, e.g. `Deployment "web"`; empty for the Scenario document.
	Object string
	// Path is the field path, e.g. "spec.template.spec.containers[0].image".
	Path string
	// Msg says what is wrong and what is allowed, in kubectl's validation style.
	Msg string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Object != "" {
		b.WriteString(e.Object)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in a file, in file order. It is the error Parse returns.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find the individual errors.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
