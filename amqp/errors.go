package amqp

import (
	"errors"
	"sort"
	"strings"
)

// Errors returned by this package; test with errors.Is. None of them
// carries a message body, a passcode or a Multi-Factor-Response.
var (
	// ErrMalformed: a body is not a JSON object within the size, depth and
	// UTF-8 limits. Such a message cannot be answered.
	ErrMalformed = errors.New("amqp: malformed message")
	// ErrInvalid: a body is a JSON object but some fields are missing or
	// ill-typed; the error is a *ValidationError listing every problem.
	ErrInvalid = errors.New("amqp: invalid message")
	// ErrPermanent marks a handler error that retrying cannot fix: the
	// attempt event is dead-lettered instead of requeued. Wrap with
	// Permanent.
	ErrPermanent = errors.New("amqp: permanent failure")
	// ErrNotConfirmed: the broker did not confirm a publish (it nacked it
	// or the channel closed before the confirm arrived).
	ErrNotConfirmed = errors.New("amqp: publish not confirmed")
	// ErrClosed: the Client, Publisher or Consumer is closed, or its
	// connection is gone.
	ErrClosed = errors.New("amqp: closed")
	// ErrStarted: Start was called twice, or after Stop.
	ErrStarted = errors.New("amqp: consumer already started")
	// ErrMsgIDInUse: a Client call was made with a Msg-ID that another call
	// of the same Client is still waiting on.
	ErrMsgIDInUse = errors.New("amqp: Msg-ID already awaiting a reply")
	// ErrConfig: a Config or ClientConfig field is out of range.
	ErrConfig = errors.New("amqp: invalid config")

	// Unexported: reasons that only reach logs, State.Err and error
	// replies.
	errUnsupported      = errors.New("amqp: not an mfa_req or login_attempt")
	errSessionLost      = errors.New("amqp: connection lost before settling")
	errHandlerPanic     = errors.New("amqp: handler panicked")
	errConsumerCanceled = errors.New("amqp: consumer canceled by the broker (queue deleted?)")
	errStreamEnded      = errors.New("amqp: delivery stream ended")
)

// FieldError is one problem with one field of a message. Problem is a short
// fixed phrase such as "missing" or "not a string"; it never quotes the
// field's value.
type FieldError struct {
	Field   string
	Problem string
}

// ValidationError lists every problem found in a message, sorted by field.
// It matches ErrInvalid with errors.Is.
type ValidationError struct {
	Fields []FieldError
}

// Error names each failing field and its problem.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalid.Error())
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Problem)
	}
	return b.String()
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Has reports whether field has a problem.
func (e *ValidationError) Has(field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func newValidationError(fields []FieldError) *ValidationError {
	sorted := append([]FieldError(nil), fields...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Field < sorted[j].Field })
	return &ValidationError{Fields: sorted}
}

// Permanent marks err as permanent for HandleAttempt: the result matches
// both ErrPermanent and err with errors.Is, and keeps err's text.
// Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err: err}
}

type permanentError struct{ err error }

func (p permanentError) Error() string   { return p.err.Error() }
func (p permanentError) Unwrap() []error { return []error{ErrPermanent, p.err} }
