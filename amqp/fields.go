package amqp

import (
	"bytes"
	"encoding/json"
	"regexp"
)

// Problems reported in FieldError.Problem.
const (
	problemMissing   = "missing"
	problemEmpty     = "empty"
	problemNotString = "not a string"
	problemNotObject = "not an object"
	problemNotInt    = "not an integer"
	problemTooLong   = "too long"
	problemNotID     = "not a KAZOO id (32 lowercase hex)"
	problemNotIP     = "not an IP address"
	problemNotPosInt = "not a positive integer"
)

// strSpec says how fieldReader.str checks one string field.
type strSpec struct {
	required bool
	max      int
}

var (
	requiredStr   = strSpec{required: true, max: maxFieldBytes}
	optionalStr   = strSpec{max: maxFieldBytes}
	requiredShort = strSpec{required: true, max: maxShortBytes}
	optionalShort = strSpec{max: maxShortBytes}
)

var kazooID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// fieldReader reads typed fields out of a decoded object and collects a
// FieldError for each one that is missing or ill-typed. A JSON null counts
// as absent.
type fieldReader struct {
	obj  map[string]json.RawMessage
	errs []FieldError
}

func (r *fieldReader) fail(field, problem string) {
	r.errs = append(r.errs, FieldError{Field: field, Problem: problem})
}

// raw returns the field's JSON when it is present and not null.
func (r *fieldReader) raw(field string) (json.RawMessage, bool) {
	v, ok := r.obj[field]
	if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return nil, false
	}
	return v, true
}

// str returns the field as a string, or "" after recording a problem.
func (r *fieldReader) str(field string, spec strSpec) string {
	v, ok := r.raw(field)
	if !ok {
		if spec.required {
			r.fail(field, problemMissing)
		}
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		r.fail(field, problemNotString)
		return ""
	}
	switch {
	case len(s) > spec.max:
		r.fail(field, problemTooLong)
		return ""
	case s == "" && spec.required:
		r.fail(field, problemEmpty)
	}
	return s
}

// id returns a KAZOO id field (32 lowercase hex), or "" after recording a
// problem.
func (r *fieldReader) id(field string, spec strSpec) string {
	s := r.str(field, spec)
	if s != "" && !kazooID.MatchString(s) {
		r.fail(field, problemNotID)
		return ""
	}
	return s
}

// object returns an optional field's JSON when it is an object, nil when
// it is absent.
func (r *fieldReader) object(field string) json.RawMessage {
	v, ok := r.raw(field)
	if !ok {
		return nil
	}
	if t := bytes.TrimSpace(v); len(t) == 0 || t[0] != '{' {
		r.fail(field, problemNotObject)
		return nil
	}
	return append(json.RawMessage(nil), bytes.TrimSpace(v)...)
}

// positiveInt returns an optional positive integer field, 0 when absent.
func (r *fieldReader) positiveInt(field string) int64 {
	v, ok := r.raw(field)
	if !ok {
		return 0
	}
	var n int64
	if err := json.Unmarshal(v, &n); err != nil {
		r.fail(field, problemNotInt)
		return 0
	}
	if n <= 0 {
		r.fail(field, problemNotPosInt)
		return 0
	}
	return n
}

// err returns nil or a *ValidationError holding every recorded problem.
func (r *fieldReader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return newValidationError(r.errs)
}
