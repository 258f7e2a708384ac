package universal

import (
	"context"
	"errors"
	"net/http"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

// Classify maps an error from this package to the failure class that
// failmode.Decide takes, and nil to "". The mapping:
//
//   - ErrUnreachable, context cancellation or deadline: Unreachable
//   - *DuoError with HTTP 429 or code 42901: RateLimited
//   - *DuoError invalid_grant (bad, expired or used code): InvalidResponse
//   - any other *DuoError, ErrInvalidConfig, ErrInvalidInput: BadConfig
//   - ErrInvalidToken, ErrStateInvalid, ErrReplayed: InvalidResponse
//   - ErrStateExpired (the user took too long): Timeout
//   - anything else (e.g. a ReplayGuard's store failing): Internal
//
// A verified but denied Result is classified by Result.FailureClass.
func Classify(err error) failmode.Class {
	var duoErr *DuoError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &duoErr):
		return classifyDuoError(duoErr)
	case errors.Is(err, ErrUnreachable), errors.Is(err, context.Canceled),
		errors.Is(err, context.DeadlineExceeded):
		return failmode.Unreachable
	case errors.Is(err, ErrInvalidConfig), errors.Is(err, ErrInvalidInput):
		return failmode.BadConfig
	case errors.Is(err, ErrInvalidToken), errors.Is(err, ErrStateInvalid),
		errors.Is(err, ErrReplayed):
		return failmode.InvalidResponse
	case errors.Is(err, ErrStateExpired):
		return failmode.Timeout
	}
	return failmode.Internal
}

func classifyDuoError(e *DuoError) failmode.Class {
	switch {
	case e.HTTPStatus == http.StatusTooManyRequests || e.Code == 42901:
		return failmode.RateLimited
	case e.Message == "invalid_grant":
		return failmode.InvalidResponse
	}
	return failmode.BadConfig
}
