package trace

import (
	"bytes"
	"encoding/json"
	"testing"
)

var jsonStrings = []string{"", "plain", `quote " and \ back`, "<a href='x'>&amp;</a>", "\x00\x01\b\f\n\r\t\x1f\x7f",
	"héllo wörld ✓", "bad \xff utf8 \xc3", "line\u2028sep\u2029para", "Get \"http://10.0.0.1:80/\": dial tcp 10.0.0.1:80: connect: connection refused"}

// encodingJSON is what the JSONL writer got from encoding/json before the hand-written
// encoders (an Encoder, so HTML escaping on, without its newline).
func encodingJSON(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func checkJSONFields(t testing.TB, s, s2 string) {
	t.Helper()
	if got, want := appendJSONString(nil, s), encodingJSON(t, s); !bytes.Equal(got, want) {
		t.Fatalf("appendJSONString(%q) = %s, encoding/json: %s", s, got, want)
	}
	for _, fp := range []string{"", s2} {
		ev := &Event{Reason: s, EventType: s2, Object: "Pod/default/" + s2, FieldPath: fp, Message: s}
		if got, want := appendEventFields(nil, ev), encodingJSON(t, ev); !bytes.Equal(got, want) {
			t.Fatalf("appendEventFields(%+v) = %s, encoding/json: %s", ev, got, want)
		}
	}
	ex := &Explain{Controller: s2, Object: s, Message: s + s2}
	if got, want := appendExplainFields(nil, ex), encodingJSON(t, ex); !bytes.Equal(got, want) {
		t.Fatalf("appendExplainFields(%+v) = %s, encoding/json: %s", ex, got, want)
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonStrings {
		for _, s2 := range jsonStrings {
			checkJSONFields(t, s, s2)
		}
	}
	for c := 0; c < 256; c++ {
		checkJSONFields(t, string([]byte{byte(c)}), "x"+string(rune(c)))
	}
}

// FuzzAppendJSONString: the hand-written encoders write what encoding/json writes, for any
// strings.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, s, s2 string) { checkJSONFields(t, s, s2) })
}
