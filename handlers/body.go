package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
)

// readData reads a crossbar request body, {"data": {...}}, and returns the
// raw JSON of data. The body must be a JSON object of bounded size whose
// data is an object.
func (s *Server) readData(r *http.Request) (json.RawMessage, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && mt != "text/plain") {
			return nil, &APIError{Status: http.StatusUnsupportedMediaType,
				Message: msgUnsupportedType,
				Data: map[string]any{"message": "send the body as application/json",
					"key": "errors.unsupported_media_type"}}
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, s.deps.MaxBodyBytes+1))
	if err != nil {
		return nil, badRequest("errors.body_unreadable", "the request body could not be read", err)
	}
	if int64(len(body)) > s.deps.MaxBodyBytes {
		return nil, &APIError{Status: http.StatusRequestEntityTooLarge, Message: msgInvalidRequest,
			Data: map[string]any{"message": "the request body is too large",
				"key": "errors.body_too_large"}}
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil {
		return nil, badRequest("errors.invalid_json", "the request body is not valid JSON "+
			`of the form {"data": {...}}`, err)
	}
	if dec.More() {
		return nil, badRequest("errors.invalid_json", "the request body has trailing data", nil)
	}
	data := bytes.TrimSpace(env.Data)
	if len(data) == 0 || data[0] != '{' {
		return nil, badRequest("errors.data_not_object", `the request body needs a "data" object`,
			errors.New("data is not an object"))
	}
	return data, nil
}
