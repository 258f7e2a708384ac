package mfa

import "errors"

// Errors of this package; Handle never returns an error (its Reply says
// what happened), New and RecordAttempt do. Test with errors.Is.
var (
	// ErrInvalidOptions: New was given missing dependencies or unusable
	// options (no state key, a key too short).
	ErrInvalidOptions = errors.New("mfa: invalid options")
	// ErrInvalidEvent: RecordAttempt was given an event that can never be
	// recorded (bad account id, status, auth type or reason code).
	// Retrying will not help; other RecordAttempt errors are temporary.
	ErrInvalidEvent = errors.New("mfa: invalid attempt event")
)
