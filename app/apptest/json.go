package apptest

import (
	"encoding/json"
	"testing"
)

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Envelope is a decoded crossbar response.
type Envelope struct {
	Status       string          `json:"status"`
	Error        string          `json:"error"`
	Message      string          `json:"message"`
	Data         json.RawMessage `json:"data"`
	Revision     string          `json:"revision"`
	RequestID    string          `json:"request_id"`
	PageSize     int             `json:"page_size"`
	NextStartKey string          `json:"next_start_key"`
}

// Decode parses a response body as a crossbar envelope.
func Decode(t testing.TB, body []byte) Envelope {
	t.Helper()
	var env Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("response is not a crossbar envelope: %v\n%s", err, body)
	}
	return env
}

// Object decodes the envelope's data as a JSON object.
func (e Envelope) Object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(e.Data, &m); err != nil {
		t.Fatalf("data is not an object: %v\n%s", err, e.Data)
	}
	return m
}

// List decodes the envelope's data as an array of objects.
func (e Envelope) List(t testing.TB) []map[string]any {
	t.Helper()
	var l []map[string]any
	if err := json.Unmarshal(e.Data, &l); err != nil {
		t.Fatalf("data is not an array: %v\n%s", err, e.Data)
	}
	return l
}
