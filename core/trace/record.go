package trace

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Record types.
const (
	TypeEvent   = "event"
	TypeAction  = "action"
	TypeExplain = "explain"
	TypeCaption = "caption"
	TypeState   = "state"
)

// Record is one line of the trace. Exactly one of the typed members is set, matching Type.
type Record struct {
	T       api.Time
	Type    string
	Event   *Event
	Action  *Action
	Explain *Explain
	Caption string
	State   *State
	// Delta is the change from the previous state record. The engine keeps a state
	// record as a "delta" record (Delta, no State), as the JSONL encoding writes it, but for
	// the first and every FullEvery-th, which are "state" records with both (Delta nil on
	// the first); a Cursor follows them. A "state" record's JSON is its State alone.
	Delta *Delta
}

// Event is a Kubernetes Event as it was emitted.
type Event struct {
	Reason    string `json:"reason"`
	EventType string `json:"eventType"`
	// Object is "Kind/namespace/name".
	Object string `json:"object"`
	// FieldPath is involvedObject.fieldPath when set ("spec.containers{app}").
	FieldPath string `json:"fieldPath,omitempty"`
	Message   string `json:"message"`
}

// Action is a scenario step or a user command.
type Action struct {
	Source  string `json:"source"` // "scenario" or "user"
	Command string `json:"command"`
	// Output is what the command printed (kubectl's stdout), if anything.
	Output string `json:"output,omitempty"`
	// Error is what the command printed to stderr, if it failed.
	Error string `json:"error,omitempty"`
	// Continued marks later output of a command that started at an earlier instant and is
	// still running (kubectl drain retrying evictions).
	Continued bool `json:"continued,omitempty"`
}

// Explain says why a controller made a decision.
type Explain struct {
	Controller string `json:"controller"`
	Object     string `json:"object"`
	Message    string `json:"message"`
}

// MarshalJSON writes {"t":…,"type":…, fields…} with t in seconds (millisecond precision).
func (r Record) MarshalJSON() ([]byte, error) {
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	fields, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	b := r.appendHeader(make([]byte, 0, len(fields)+len(r.Type)+32))
	return appendFields(b, fields), nil
}

// body is what the record's fields are encoded from.
func (r Record) body() (any, error) {
	switch r.Type {
	case TypeEvent:
		return r.Event, nil
	case TypeAction:
		return r.Action, nil
	case TypeExplain:
		return r.Explain, nil
	case TypeCaption:
		return struct {
			Text string `json:"text"`
		}{r.Caption}, nil
	case TypeState:
		return r.State, nil
	case TypeDelta:
		return r.Delta, nil
	}
	return nil, fmt.Errorf("trace: unknown record type %q", r.Type)
}

// appendHeader appends `{"t":…,"type":"…"` (without fmt: the trace has a record per event).
func (r Record) appendHeader(b []byte) []byte {
	b = append(b, `{"t":`...)
	b = append(b, r.T.SecondsString()...)
	b = append(b, `,"type":`...)
	return strconv.AppendQuote(b, r.Type) // what %q writes
}

// appendFields closes a header with the encoded body's fields, if any.
func appendFields(b, fields []byte) []byte {
	if len(fields) > 2 {
		b = append(b, ',')
		return append(b, fields[1:]...)
	}
	return append(b, '}')
}

// FormatTime renders t as a fixed-width "  12.400s" column.
func FormatTime(t api.Time) string {
	return fmt.Sprintf("%8d.%03ds", int64(t)/1000, int64(t)%1000)
}

// TextLine renders a non-state record as one timeline line.
func TextLine(r Record) string {
	ts := FormatTime(r.T)
	switch r.Type {
	case TypeEvent:
		e := r.Event
		return fmt.Sprintf("%s  %-7s %-20s %s  %s", ts, e.EventType, e.Reason, shortRef(e.Object), e.Message)
	case TypeAction:
		a := r.Action
		line := fmt.Sprintf("%s  $ %s", ts, a.Command)
		if a.Source == "user" {
			line += "   (user)"
		}
		if a.Continued {
			line += "   (continued)"
		}
		for _, out := range []string{a.Output, a.Error} {
			out = strings.TrimRight(out, "\n")
			if out == "" {
				continue
			}
			// Blank lines inside the output stay: kubectl separates the tables of
			// `get deploy,rs,pods` with them.
			for _, l := range strings.Split(out, "\n") {
				line += "\n"
				if l != "" {
					line += strings.Repeat(" ", len(ts)) + "    " + l
				}
			}
		}
		return line
	case TypeExplain:
		return fmt.Sprintf("%s  why     %s %s: %s", ts, r.Explain.Controller, shortRef(r.Explain.Object), r.Explain.Message)
	case TypeCaption:
		return fmt.Sprintf("%s  # %s", ts, r.Caption)
	}
	return ts + "  " + r.Type
}

// shortRef turns "Pod/default/web-0" into kubectl's "pod/web-0" (namespace dropped when default).
func shortRef(ref string) string {
	parts := strings.Split(ref, "/")
	if len(parts) == 3 {
		if parts[1] == "default" {
			return strings.ToLower(parts[0]) + "/" + parts[2]
		}
		return strings.ToLower(parts[0]) + "/" + parts[1] + "/" + parts[2]
	}
	if len(parts) == 2 {
		return strings.ToLower(parts[0]) + "/" + parts[1]
	}
	return ref
}
