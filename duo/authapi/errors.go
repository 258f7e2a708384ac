package authapi

import (
	"errors"
	"strconv"
	"strings"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

// Errors of this package. Every failure of a call is an *Error carrying a
// failmode.Class; the sentinels below are wrapped where they apply, so
// errors.Is works on them too.
var (
	// ErrInvalidConfig: New was given an unusable Config (missing or
	// mis-sized keys, bad host, unreadable CA file). Class BadConfig.
	ErrInvalidConfig = errors.New("authapi: invalid configuration")
	// ErrInvalidRequest: an AuthRequest is unusable (no username, unknown
	// factor, passcode factor without a passcode). Class BadConfig.
	ErrInvalidRequest = errors.New("authapi: invalid request")
	// ErrRateLimited: Duo answered HTTP 429. The call is not retried
	// inside this package; see the package documentation. Class
	// RateLimited.
	ErrRateLimited = errors.New("authapi: rate limited by duo")
	// ErrMalformedReply: Duo's reply is not a well-formed answer (not
	// JSON, unknown stat or result). Class Unreachable.
	ErrMalformedReply = errors.New("authapi: malformed reply")
)

// Error is a failed Auth API call, or an answer that denies the user. Its
// text holds the operation, the class and Duo's own message, never a key,
// a passcode or a username.
type Error struct {
	// Class is what went wrong, for failmode.Decide and failure records.
	Class failmode.Class
	// Op is the Auth API operation: "check", "ping", "preauth", "auth" or
	// "auth_status".
	Op string
	// HTTPStatus is the HTTP status of Duo's reply, 0 when none came.
	HTTPStatus int
	// Code is Duo's error code of a FAIL reply (e.g. 40103), else 0.
	Code int
	// Message is Duo's message (and message_detail) of a FAIL reply, or
	// the status and status_msg of an answer that denies the user.
	Message string
	// Err is the underlying cause (network error, context error, one of
	// this package's sentinels), or nil.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("authapi: ")
	b.WriteString(e.Op)
	b.WriteString(": ")
	b.WriteString(string(e.Class))
	if e.HTTPStatus != 0 {
		b.WriteString(": HTTP ")
		b.WriteString(strconv.Itoa(e.HTTPStatus))
	}
	if e.Code != 0 {
		b.WriteString(" code ")
		b.WriteString(strconv.Itoa(e.Code))
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ClassOf returns the class of err when it is (or wraps) an *Error, and
// Unreachable for any other non-nil error; nil has no class ("").
func ClassOf(err error) failmode.Class {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return failmode.Unreachable
}
