package attempts

import "errors"

// Errors callers branch on with errors.Is. Bad account or attempt ids are
// reported with couch.ErrInvalidID and missing attempts with
// couch.ErrNotFound, so one mapping serves both packages.
var (
	// ErrInvalidAttempt: an Attempt cannot be recorded as given (unknown
	// status, malformed auth type or reason code). Retrying will not help.
	ErrInvalidAttempt = errors.New("attempts: invalid attempt")
	// ErrBadStartKey: a listing start key is not one this package issued
	// (HTTP 400).
	ErrBadStartKey = errors.New("attempts: bad start key")
	// ErrBadQuery: a listing query is malformed: an unknown filter field,
	// From after To, a negative page size (HTTP 400).
	ErrBadQuery = errors.New("attempts: bad query")
)
