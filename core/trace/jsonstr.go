package trace

import "unicode/utf8"

// appendEventFields and appendExplainFields append the JSON object encoding/json writes for
// an Event or an Explain body, byte for byte (json_test.go checks them against it): a trace has
// one or more of these records per pod, and the reflective encoder was most of writing one.
func appendEventFields(b []byte, e *Event) []byte {
	b = append(b, `{"reason":`...)
	b = appendJSONString(b, e.Reason)
	b = append(b, `,"eventType":`...)
	b = appendJSONString(b, e.EventType)
	b = append(b, `,"object":`...)
	b = appendJSONString(b, e.Object)
	if e.FieldPath != "" {
		b = append(b, `,"fieldPath":`...)
		b = appendJSONString(b, e.FieldPath)
	}
	b = append(b, `,"message":`...)
	b = appendJSONString(b, e.Message)
	return append(b, '}')
}

func appendExplainFields(b []byte, e *Explain) []byte {
	b = append(b, `{"controller":`...)
	b = appendJSONString(b, e.Controller)
	b = append(b, `,"object":`...)
	b = appendJSONString(b, e.Object)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, e.Message)
	return append(b, '}')
}

// appendJSONString appends s quoted as encoding/json quotes strings with HTML escaping on
// (the Encoder's default): <, > and & as \u003c, \u003e, \u0026; control characters as
// \b \f \n \r \t or \u00XX; invalid UTF-8 as \ufffd; U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
