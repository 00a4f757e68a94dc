package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/kubesim/kubesim/core/api"
)

// JSONLWriter writes records as JSON lines. Unless it writes full states, a state record is
// written as a delta against the previous one, except the first and every FullEvery-th,
// which are full: the trace then grows with what changes, not with objects × instants.
type JSONLWriter struct {
	w    io.Writer
	full bool
	// prev and then pending are the states written so far: the last full state given, and
	// the deltas given after it, applied only when a full state is needed (when the writer's
	// schedule of full records and the records' own differ), so a trace of the engine's
	// deltas is written without rebuilding a single state.
	prev    *State
	pending []*Delta
	// prevOrdered is prev.inStoreOrder(), remembered from when prev was the new state.
	prevOrdered bool
	states      int // state records written
	err         error
	// enc encodes record bodies into fields, and line is assembled in place, both reused
	// from record to record: json.Marshal's copy of every body was a tenth of what a
	// 1,000-replica run allocated. The bytes are Marshal's (an Encoder adds only "\n").
	fields bytes.Buffer
	enc    *json.Encoder
	body   []byte // the hand-encoded bodies' buffer
	line   []byte
}

// NewJSONLWriter returns a writer to w; fullStates writes every state record whole (the
// trace format before deltas, `kubesim run --full-states`).
func NewJSONLWriter(w io.Writer, fullStates bool) *JSONLWriter {
	return &JSONLWriter{w: w, full: fullStates}
}

// last returns the last state written, applying the deltas written since the last full one.
func (jw *JSONLWriter) last() (*State, error) {
	for len(jw.pending) > 0 {
		st, err := jw.pending[0].Apply(jw.prev)
		if err != nil {
			return nil, err
		}
		jw.prev, jw.pending = st, jw.pending[1:]
	}
	jw.pending = nil
	return jw.prev, nil
}

// Write encodes one record and its newline. A state record is written whole or as a delta
// by the writer's schedule (FullEvery), whichever the record is: a delta record where a
// full one is due is applied to the previous state first, so the writer can re-encode any
// trace.
func (jw *JSONLWriter) Write(r Record) error {
	if jw.err != nil {
		return jw.err
	}
	deltaDue := !jw.full && jw.states%FullEvery != 0 && jw.prev != nil && jw.prevOrdered
	if r.Type == TypeDelta {
		if jw.prev == nil || r.Delta == nil {
			jw.err = errors.New("trace: a delta record needs a state record before it")
			return jw.err
		}
		if deltaDue { // as the engine records it: written as it is
			jw.pending = append(jw.pending, r.Delta)
			jw.states++
			return jw.writeLine(Record{T: r.T, Type: TypeDelta, Delta: r.Delta})
		}
		prev, err := jw.last()
		if err == nil {
			r.State, err = r.Delta.Apply(prev)
		}
		if err != nil {
			jw.err = fmt.Errorf("trace: delta at t=%s: %w", r.T.SecondsString(), err)
			return jw.err
		}
		r = Record{T: r.T, Type: TypeState, State: r.State}
	}
	out := r
	if r.Type == TypeState && r.State != nil {
		// A delta needs both states in store order, which Apply rebuilds; BuildState's
		// always are, a hand-made state may not be and is then written whole.
		ordered := !jw.full && r.State.inStoreOrder()
		if deltaDue && ordered {
			prev, err := jw.last()
			if err != nil {
				jw.err = err
				return err
			}
			out = Record{T: r.T, Type: TypeDelta, Delta: Diff(prev, r.State)}
		}
		jw.prev, jw.pending, jw.prevOrdered = r.State, nil, ordered
		jw.states++
	}
	return jw.writeLine(out)
}

// writeLine encodes r and its newline.
func (jw *JSONLWriter) writeLine(r Record) error {
	f, err := jw.encodeBody(r)
	if err != nil {
		jw.err = err
		return err
	}
	jw.line = appendFields(r.appendHeader(jw.line[:0]), f)
	jw.line = append(jw.line, '\n')
	_, jw.err = jw.w.Write(jw.line)
	return jw.err
}

// encodeBody returns the JSON object of r's body, valid until the next call: events and
// explanations, most of a trace's records, by hand (jsonstr.go), the rest by encoding/json.
func (jw *JSONLWriter) encodeBody(r Record) ([]byte, error) {
	switch {
	case r.Type == TypeEvent && r.Event != nil:
		jw.body = appendEventFields(jw.body[:0], r.Event)
		return jw.body, nil
	case r.Type == TypeExplain && r.Explain != nil:
		jw.body = appendExplainFields(jw.body[:0], r.Explain)
		return jw.body, nil
	}
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	if jw.enc == nil {
		jw.enc = json.NewEncoder(&jw.fields)
	}
	jw.fields.Reset()
	if err := jw.enc.Encode(body); err != nil {
		return nil, err
	}
	f := jw.fields.Bytes()
	return f[:len(f)-1], nil
}

// WriteJSONL writes the records as JSON lines with delta state records.
func WriteJSONL(w io.Writer, recs []Record) error {
	return writeAll(NewJSONLWriter(w, false), recs)
}

// WriteFullJSONL writes the records as JSON lines with every state record whole.
func WriteFullJSONL(w io.Writer, recs []Record) error {
	return writeAll(NewJSONLWriter(w, true), recs)
}

func writeAll(jw *JSONLWriter, recs []Record) error {
	for _, r := range recs {
		if err := jw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// MaxLineBytes bounds one JSONL line the Reader accepts (a full state of 10,000 pods is
// about 2 MB).
const MaxLineBytes = 256 << 20

// Reader reads a JSONL trace back into records. It yields every state record full: a delta
// record comes back as a "state" record holding the state it leads to (Delta.Apply on the
// previous one), so a tool sees the same records whichever way the trace was written.
type Reader struct {
	sc   *bufio.Scanner
	line int
	prev *State
}

// NewReader returns a Reader of the JSONL trace in r.
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes)
	return &Reader{sc: sc}
}

// Next returns the next record, or io.EOF after the last. Errors name the line.
func (rd *Reader) Next() (Record, error) {
	for rd.sc.Scan() {
		rd.line++
		line := rd.sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		r, err := ParseRecord(line)
		if err != nil {
			return Record{}, fmt.Errorf("line %d: %w", rd.line, err)
		}
		switch r.Type {
		case TypeState:
			rd.prev = r.State
		case TypeDelta:
			if rd.prev == nil {
				return Record{}, fmt.Errorf("line %d: a delta record before the first state record", rd.line)
			}
			st, err := r.Delta.Apply(rd.prev)
			if err != nil {
				return Record{}, fmt.Errorf("line %d: %w", rd.line, err)
			}
			rd.prev = st
			r = Record{T: r.T, Type: TypeState, State: st}
		}
		return r, nil
	}
	if err := rd.sc.Err(); err != nil {
		return Record{}, fmt.Errorf("line %d: %w", rd.line+1, err)
	}
	return Record{}, io.EOF
}

// ExpandJSONL turns a trace with delta records into the same trace with every state record
// full: byte for byte what `kubesim run -o jsonl --full-states` prints.
func ExpandJSONL(data []byte) ([]byte, error) {
	var b bytes.Buffer
	jw := NewJSONLWriter(&b, true)
	rd := NewReader(bytes.NewReader(data))
	for {
		r, err := rd.Next()
		if err == io.EOF {
			return b.Bytes(), nil
		}
		if err != nil {
			return nil, err
		}
		if err := jw.Write(r); err != nil {
			return nil, err
		}
	}
}

// ParseRecord decodes one JSONL line: the inverse of Record.MarshalJSON. Fields it does not
// know are ignored, so a tool keeps reading traces that gained fields.
func ParseRecord(line []byte) (Record, error) {
	var head struct {
		T    *json.Number `json:"t"`
		Type string       `json:"type"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return Record{}, err
	}
	if head.T == nil {
		return Record{}, errors.New(`missing "t"`)
	}
	t, err := parseSeconds(string(*head.T))
	if err != nil {
		return Record{}, fmt.Errorf("t: %w", err)
	}
	r := Record{T: t, Type: head.Type}
	var body any
	switch head.Type {
	case TypeEvent:
		r.Event = &Event{}
		body = r.Event
	case TypeAction:
		r.Action = &Action{}
		body = r.Action
	case TypeExplain:
		r.Explain = &Explain{}
		body = r.Explain
	case TypeCaption:
		var c struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(line, &c); err != nil {
			return Record{}, err
		}
		r.Caption = c.Text
		return r, nil
	case TypeState:
		r.State = &State{}
		body = r.State
	case TypeDelta:
		r.Delta = &Delta{}
		body = r.Delta
	case "":
		return Record{}, errors.New(`missing "type"`)
	default:
		return Record{}, fmt.Errorf("type %q: want one of event, action, explain, caption, state, delta", head.Type)
	}
	if err := json.Unmarshal(line, body); err != nil {
		return Record{}, err
	}
	if r.State != nil {
		r.State.fillLists()
	}
	return r, nil
}

// parseSeconds reads t as SecondsString writes it: whole seconds and at most three decimals.
func parseSeconds(s string) (api.Time, error) {
	var ms, frac int64
	digits, decimals, dot := 0, 0, false
	for _, c := range s {
		switch {
		case c == '.' && !dot && digits > 0:
			dot = true
		case c >= '0' && c <= '9' && !dot && digits < 12:
			ms = ms*10 + int64(c-'0')
			digits++
		case c >= '0' && c <= '9' && dot && decimals < 3:
			frac = frac*10 + int64(c-'0')
			decimals++
		default:
			return 0, fmt.Errorf("%q: want seconds such as 12 or 12.345", s)
		}
	}
	if digits == 0 || dot && decimals == 0 {
		return 0, fmt.Errorf("%q: want seconds such as 12 or 12.345", s)
	}
	for ; decimals < 3; decimals++ {
		frac *= 10
	}
	return api.Time(ms*1000 + frac), nil
}
