package amqp

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary bodies to every parser: none may panic, each
// returns either a value or one of the package's errors, and a request
// that parses re-encodes to a body that parses the same.
func FuzzParse(f *testing.F) {
	f.Add(mustJSON(f, requestFields()))
	f.Add(mustJSON(f, attemptFields()))
	f.Add(mustJSON(f, edit(requestFields(), map[string]any{
		"Multi-Factor-Response": map[string]any{"code": "c", "state": "s"}})))
	f.Add(mustJSON(f, edit(requestFields(), map[string]any{"Factor": "passcode",
		"Passcode": "1"})))
	f.Add([]byte(`{"Msg-ID":null,"Server-ID":{"a":[1,2,{"b":null}]}}`))
	f.Add([]byte("{\"App-Name\":\"\xff\"}"))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]`))
	f.Add([]byte(`{"Timestamp":1e400,"Metadata":{}}`))

	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseRequest(body)
		checkParseResult(t, req == nil, err)
		if err == nil {
			again, err := ParseRequest(mustJSON(t, req))
			if err != nil {
				t.Fatalf("re-encoded request fails: %v", err)
			}
			if again.MsgID != req.MsgID || again.Factor != req.Factor ||
				again.Passcode != req.Passcode {
				t.Fatalf("re-encoded request differs")
			}
		}
		ev, err := ParseAttempt(body)
		checkParseResult(t, ev == nil, err)
		if err == nil && ev.Metadata != nil && !json.Valid(ev.Metadata) {
			t.Fatalf("Metadata is not valid JSON")
		}
		rep, err := ParseReply(body)
		checkParseResult(t, rep == nil, err)
		_, err = ParseEnvelope(body)
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrInvalid) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

func checkParseResult(t *testing.T, isNil bool, err error) {
	t.Helper()
	switch {
	case errors.Is(err, ErrMalformed):
		if !isNil {
			t.Fatalf("malformed body returned a value")
		}
	case err == nil, errors.Is(err, ErrInvalid):
		if isNil {
			t.Fatalf("parsed body returned no value")
		}
	default:
		t.Fatalf("unexpected error %v", err)
	}
}
