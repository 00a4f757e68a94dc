package trace

import (
	"io"
	"sort"
	"strings"
)

// TextWriter renders records as the text timeline. State records print only what changed
// since the previous state, one line per object, like `kubectl get -w`; an object that
// disappeared prints its key with "(deleted)".
type TextWriter struct {
	w      io.Writer
	states Cursor
	prev   map[string]string // object key -> last printed line
	err    error
}

// NewTextWriter returns a writer of the text timeline to w.
func NewTextWriter(w io.Writer) *TextWriter { return &TextWriter{w: w, prev: map[string]string{}} }

// Write renders one record.
func (tw *TextWriter) Write(r Record) error {
	if tw.err != nil {
		return tw.err
	}
	if r.Type == TypeAction && strings.HasPrefix(r.Action.Command, "caption ") && r.Action.Error == "" {
		return nil // the caption record that follows says it
	}
	if r.Type != TypeState && r.Type != TypeDelta {
		_, tw.err = io.WriteString(tw.w, TextLine(r)+"\n")
		return tw.err
	}
	st, err := tw.states.Next(r)
	if err != nil || st == nil {
		tw.err = err
		return err
	}
	ts := FormatTime(r.T)
	cur := map[string]string{}
	var order []string
	for _, l := range st.TextLines() {
		k := lineKey(l)
		cur[k] = l
		order = append(order, k)
	}
	var b strings.Builder
	for _, k := range order {
		if tw.prev[k] != cur[k] {
			b.WriteString(ts + "  " + cur[k] + "\n")
		}
	}
	for _, k := range sortedKeys(tw.prev) {
		if _, ok := cur[k]; !ok {
			b.WriteString(ts + "  " + k + "  (deleted)\n")
		}
	}
	tw.prev = cur
	_, tw.err = io.WriteString(tw.w, b.String())
	return tw.err
}

// lineKey is the object a state line is about: its first word ("pod/web-x"), or the whole
// line for DNS answers (a record is its name, type and data).
func lineKey(l string) string {
	if strings.HasPrefix(l, "dns ") {
		return l
	}
	k, _, _ := strings.Cut(l, " ")
	return k
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
