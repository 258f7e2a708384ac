package amqp

import (
	"encoding/json"
	"fmt"
)

// MultiFactorResponse is what the client brings back after the Duo prompt:
// for provider "duo" (Web SDK v2) the sig_response string; for
// "duo_universal" an object {"code", "state", "redirect_uri"}. Exactly one
// form is set: SigResponse, or Code with optional State and RedirectURI.
// All of it is treated as secret and never logged.
type MultiFactorResponse struct {
	// SigResponse is the Web SDK v2 "AUTH|...:APP|..." string.
	SigResponse Secret
	// Code is the Universal Prompt authorization code.
	Code Secret
	// State is the Universal Prompt state the code came back with.
	State Secret
	// RedirectURI is the redirect URI the code was issued for.
	RedirectURI string
}

// Universal reports whether the response is the Universal Prompt form.
func (m MultiFactorResponse) Universal() bool { return m.SigResponse == "" }

// String never shows the response.
func (m MultiFactorResponse) String() string { return redacted }

// GoString never shows the response.
func (m MultiFactorResponse) GoString() string { return redacted }

type universalJSON struct {
	Code        string `json:"code"`
	State       string `json:"state,omitempty"`
	RedirectURI string `json:"redirect_uri,omitempty"`
}

// MarshalJSON writes the string form when SigResponse is set and the
// object form otherwise.
func (m MultiFactorResponse) MarshalJSON() ([]byte, error) {
	if m.SigResponse != "" {
		return json.Marshal(string(m.SigResponse))
	}
	return json.Marshal(universalJSON{
		Code: string(m.Code), State: string(m.State), RedirectURI: m.RedirectURI,
	})
}

// UnmarshalJSON accepts either form and checks it as ParseRequest does.
func (m *MultiFactorResponse) UnmarshalJSON(data []byte) error {
	r := fieldReader{obj: map[string]json.RawMessage{fieldMFResponse: data}}
	v := readMFResponse(&r)
	if err := r.err(); err != nil {
		return err
	}
	if v == nil {
		return fmt.Errorf("%w: %s: %s", ErrInvalid, fieldMFResponse, problemMissing)
	}
	*m = *v
	return nil
}

// readMFResponse reads the optional Multi-Factor-Response field.
func readMFResponse(r *fieldReader) *MultiFactorResponse {
	v, ok := r.raw(fieldMFResponse)
	if !ok {
		return nil
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		switch {
		case s == "":
			r.fail(fieldMFResponse, problemEmpty)
		case len(s) > maxSecretBytes:
			r.fail(fieldMFResponse, problemTooLong)
		default:
			return &MultiFactorResponse{SigResponse: Secret(s)}
		}
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil {
		r.fail(fieldMFResponse, "not a string or an object")
		return nil
	}
	sub := fieldReader{obj: obj}
	code := sub.str("code", strSpec{required: true, max: maxSecretBytes})
	state := sub.str("state", strSpec{max: maxSecretBytes})
	uri := sub.str("redirect_uri", strSpec{max: maxSecretBytes})
	for _, e := range sub.errs {
		r.fail(fieldMFResponse+"."+e.Field, e.Problem)
	}
	if len(sub.errs) > 0 {
		return nil
	}
	return &MultiFactorResponse{Code: Secret(code), State: Secret(state), RedirectURI: uri}
}
