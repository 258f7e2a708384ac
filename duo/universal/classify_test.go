package universal

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want failmode.Class
	}{
		{"nil", nil, ""},
		{"unreachable", fmt.Errorf("x: %w", ErrUnreachable), failmode.Unreachable},
		{"canceled", context.Canceled, failmode.Unreachable},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), failmode.Unreachable},
		{"429", &DuoError{HTTPStatus: 429}, failmode.RateLimited},
		{"42901 in a 200", &DuoError{HTTPStatus: 200, Code: 42901}, failmode.RateLimited},
		{"invalid_grant", &DuoError{HTTPStatus: 400, Message: "invalid_grant"},
			failmode.InvalidResponse},
		{"invalid_client", fmt.Errorf("x: %w", &DuoError{HTTPStatus: 400,
			Message: "invalid_client"}), failmode.BadConfig},
		{"bad config", ErrInvalidConfig, failmode.BadConfig},
		{"bad input", ErrInvalidInput, failmode.BadConfig},
		{"token", fmt.Errorf("x: %w", ErrTokenAlgorithm), failmode.InvalidResponse},
		{"state invalid", ErrStateInvalid, failmode.InvalidResponse},
		{"replayed", fmt.Errorf("x: %w", ErrReplayed), failmode.InvalidResponse},
		{"state expired", ErrStateExpired, failmode.Timeout},
		{"other", errors.New("couch: 500"), failmode.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestDuoErrorIsRejected(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", &DuoError{HTTPStatus: 400, Code: 40002,
		Message: "invalid_client", Detail: "bad"})
	if !errors.Is(err, ErrRejected) {
		t.Errorf("errors.Is(%v, ErrRejected) = false, want true", err)
	}
	want := "wrapped: universal: duo rejected the request: HTTP 400 code 40002: " +
		"invalid_client (bad)"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}
