package amqp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Limits applied to every incoming body before it is decoded. KAZOO
// messages of this module are a few hundred bytes; the limits only stop
// hostile input from costing memory or time.
const (
	// MaxBodyBytes is the largest body accepted.
	MaxBodyBytes = 64 << 10
	// MaxDepth is the deepest nesting of objects and arrays accepted.
	MaxDepth = 16
	// maxFieldBytes bounds ordinary string fields and headers.
	maxFieldBytes = 1024
	// maxShortBytes bounds values used as AMQP short strings (Server-ID
	// becomes a routing key) and ids.
	maxShortBytes = 255
	// maxSecretBytes bounds sig_response strings and OAuth codes.
	maxSecretBytes = 4096
)

// decodeObject checks body against the limits and decodes its top-level
// JSON object. Every failure wraps ErrMalformed.
func decodeObject(body []byte) (map[string]json.RawMessage, error) {
	if len(body) > MaxBodyBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrMalformed, MaxBodyBytes)
	}
	if !utf8.Valid(body) {
		return nil, fmt.Errorf("%w: not valid UTF-8", ErrMalformed)
	}
	if err := checkDepth(body); err != nil {
		return nil, err
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, fmt.Errorf("%w: not valid JSON", ErrMalformed)
	}
	return obj, nil
}

// checkDepth rejects bodies nesting objects or arrays deeper than MaxDepth.
// It only tracks brackets outside strings; syntax is left to the decoder.
func checkDepth(body []byte) error {
	depth := 0
	inString, escaped := false, false
	for _, c := range body {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > MaxDepth {
				return fmt.Errorf("%w: nested deeper than %d", ErrMalformed, MaxDepth)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}
