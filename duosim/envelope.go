package duosim

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Duo's error codes, as the Auth API and the OAuth health check return them
// in the "code" field of a FAIL envelope. The HTTP status is the code's
// first three digits.
const (
	CodeMissingParams  = 40001 // a required parameter is absent
	CodeInvalidParams  = 40002 // a parameter is invalid; also invalid_client
	CodeNoCredentials  = 40101 // no or malformed Authorization header
	CodeInvalidIKey    = 40102 // unknown integration key
	CodeInvalidSig     = 40103 // signature does not match
	CodeMissingDate    = 40104 // neither Date nor X-Duo-Date
	CodeBadDate        = 40105 // unparsable date, or off by more than MaxSkew
	CodeNotFound       = 40401 // no such endpoint
	CodeBadMethod      = 40501 // endpoint exists, method does not
	CodeRateLimited    = 42901 // too many requests
	codeInternalPrefix = 100   // a 5xx fault answers with code status*100
)

// apiError is a failure answered with Duo's FAIL envelope. Handlers return
// it; the adapter in authapi.go writes it.
type apiError struct {
	Status  int    // HTTP status
	Code    int    // Duo code
	Message string // Duo's short message
	Detail  string // message_detail; empty omits it
}

func (e *apiError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("duosim: %d %s", e.Code, e.Message)
	}
	return fmt.Sprintf("duosim: %d %s: %s", e.Code, e.Message, e.Detail)
}

func errMissingParam(name string) *apiError {
	return &apiError{http.StatusBadRequest, CodeMissingParams,
		"Missing required request parameters", name}
}

func errInvalidParam(name string) *apiError {
	return &apiError{http.StatusBadRequest, CodeInvalidParams,
		"Invalid request parameters", name}
}

func errRateLimited() *apiError {
	return &apiError{http.StatusTooManyRequests, CodeRateLimited, "Too Many Requests", ""}
}

// okEnvelope and failEnvelope are Duo's two reply shapes.
type okEnvelope struct {
	Stat     string `json:"stat"`
	Response any    `json:"response"`
}

type failEnvelope struct {
	Stat          string `json:"stat"`
	Code          int    `json:"code"`
	Message       string `json:"message"`
	MessageDetail string `json:"message_detail,omitempty"`
	Timestamp     int64  `json:"timestamp,omitempty"` // health check refusals only
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "duosim: encoding reply", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeOK(w http.ResponseWriter, response any) {
	writeJSON(w, http.StatusOK, okEnvelope{Stat: "OK", Response: response})
}

func writeFail(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, failEnvelope{Stat: "FAIL", Code: e.Code,
		Message: e.Message, MessageDetail: e.Detail})
}
