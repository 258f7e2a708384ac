package handlers

import (
	"errors"
	"net/http"
)

// APIError is an error with the status, short message and data the client
// sees. Message is one of the stable names below; Data is safe to show.
type APIError struct {
	Status  int
	Message string
	Data    map[string]any
	// Err is the cause, for the log only.
	Err error
}

func (e *APIError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *APIError) Unwrap() error { return e.Err }

// Stable error messages of the API (the envelope's "message").
const (
	msgInvalidRequest  = "invalid_request"
	msgValidation      = "validation_failed"
	msgUnauthorized    = "invalid_credentials"
	msgForbidden       = "forbidden"
	msgNotFound        = "bad_identifier"
	msgConflict        = "conflict"
	msgUnavailable     = "datastore_unreachable"
	msgInternal        = "internal_error"
	msgMethod          = "method_not_allowed"
	msgUnsupportedType = "unsupported_media_type"
)

func badRequest(key, text string, err error) *APIError {
	return &APIError{Status: http.StatusBadRequest, Message: msgInvalidRequest,
		Data: map[string]any{"message": text, "key": key}, Err: err}
}

func notFound(what string, err error) *APIError {
	return &APIError{Status: http.StatusNotFound, Message: msgNotFound,
		Data: map[string]any{"message": what + " not found", "key": "errors.not_found"}, Err: err}
}

func conflict(err error) *APIError {
	return &APIError{Status: http.StatusConflict, Message: msgConflict,
		Data: map[string]any{"message": "the document changed since it was read; " +
			"reload and try again", "key": "errors.conflict"}, Err: err}
}

func unavailable(err error) *APIError {
	return &APIError{Status: http.StatusServiceUnavailable, Message: msgUnavailable,
		Data: map[string]any{"message": "the datastore could not be reached",
			"key": "errors.unavailable"}, Err: err}
}

// asAPIError returns err as an *APIError, mapping known domain errors and
// turning anything else into a 500 whose detail stays in the log.
func (s *Server) asAPIError(err error) *APIError {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	for _, m := range s.errorMappers {
		if apiErr := m(err); apiErr != nil {
			return apiErr
		}
	}
	return &APIError{Status: http.StatusInternalServerError, Message: msgInternal,
		Data: map[string]any{"message": "internal error", "key": "errors.internal"}, Err: err}
}

// problemError is implemented by validation errors that carry crossbar's
// field problems: {"field.path": {"rule": {"message": ..., "key": ...}}}.
type problemError interface {
	error
	FieldProblems() map[string]any
}

// validationError maps a problemError to 400 with the problems as data.
func validationError(err error) *APIError {
	var pe problemError
	if !errors.As(err, &pe) {
		return nil
	}
	return &APIError{Status: http.StatusBadRequest, Message: msgValidation,
		Data: pe.FieldProblems(), Err: err}
}
