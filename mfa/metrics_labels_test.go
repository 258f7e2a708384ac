package mfa

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duo/universal"
	"github.com/duo-kazoo/duo-kazoo/metrics"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

func TestDuoOutcome(t *testing.T) {
	authErr := func(c failmode.Class, cause error) error {
		return &authapi.Error{Class: c, Op: "auth_status", Err: cause}
	}
	tests := []struct {
		name      string
		err       error
		universal bool // classified by the universal package, else by authapi
		want      string
	}{
		{name: "answered", want: metrics.OutcomeOK},
		{name: "user denied", err: authErr(failmode.UserDenied, nil), want: metrics.OutcomeOK},
		{name: "fraud", err: authErr(failmode.Fraud, nil), want: metrics.OutcomeOK},
		{name: "timed out at Duo", err: authErr(failmode.Timeout, nil),
			want: metrics.OutcomeOK},
		{name: "locked out at Duo", err: authErr(failmode.LockedOut, nil),
			want: metrics.OutcomeOK},
		{name: "not enrolled", err: authErr(failmode.NotEnrolled, nil),
			want: metrics.OutcomeOK},
		{name: "wrong passcode", err: authErr(failmode.InvalidPasscode, nil),
			want: metrics.OutcomeOK},
		{name: "our wait ended", err: authErr(failmode.Timeout, context.DeadlineExceeded),
			want: "timeout"},
		{name: "caller cancelled", err: authErr(failmode.Unreachable, context.Canceled),
			want: "cancelled"},
		{name: "network error", err: authErr(failmode.Unreachable, errors.New("reset")),
			want: "unreachable"},
		{name: "rate limited", err: authErr(failmode.RateLimited, authapi.ErrRateLimited),
			want: "rate_limited"},
		{name: "bad keys", err: authErr(failmode.BadConfig, nil), want: "bad_config"},
		{name: "universal: bad client", universal: true, err: fmt.Errorf("health check: %w",
			&universal.DuoError{HTTPStatus: 401, Message: "invalid_client"}),
			want: "bad_config"},
		{name: "universal: forged id_token", universal: true,
			err:  fmt.Errorf("exchanging code: %w", universal.ErrInvalidToken),
			want: "invalid_response"},
		{name: "universal: unreachable", universal: true,
			err: fmt.Errorf("health check: %w", universal.ErrUnreachable), want: "unreachable"},
		{name: "universal: deadline", universal: true, err: fmt.Errorf("%w: %w",
			universal.ErrUnreachable, context.DeadlineExceeded), want: "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := authapi.ClassOf(tt.err)
			if tt.universal {
				c = universal.Classify(tt.err)
			}
			if got := duoOutcome(tt.err, c); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHandleLabels(t *testing.T) {
	duoCfg := provider.Config{Provider: provider.ProviderDuo}
	tests := []struct {
		name     string
		cfg      provider.Config
		factor   string
		out      outcome
		reply    Reply
		provider string
		fact     string
		outcome  string
		reason   string
	}{
		{name: "push approved", cfg: duoCfg, factor: "push",
			reply:    Reply{Result: ResultAuthenticated},
			provider: "duo", fact: "push", outcome: metrics.OutcomeAuthenticated},
		{name: "bypass keeps its reason", cfg: duoCfg, factor: "auto",
			reply:    Reply{Result: ResultAuthenticated, Reason: ReasonBypass},
			provider: "duo", fact: "auto", outcome: metrics.OutcomeAuthenticated,
			reason: ReasonBypass},
		{name: "fail-open is labelled by its class", cfg: duoCfg,
			out:      failure(failmode.Safe, failmode.RateLimited, failmode.Preflight, nil),
			reply:    Reply{Result: ResultAuthenticated, Reason: ReasonFailedOpen},
			provider: "duo", fact: "prompt", outcome: metrics.OutcomeFailedOpen,
			reason: "rate_limited"},
		{name: "universal challenge",
			cfg:      provider.Config{Provider: provider.ProviderUniversal},
			reply:    Reply{Result: ResultChallenge},
			provider: "duo_universal", fact: "prompt", outcome: metrics.OutcomeChallenged},
		{name: "no configuration: no provider, no prompt",
			reply:   Reply{Result: ResultDenied, Reason: ReasonNoConfiguration},
			outcome: metrics.OutcomeDenied, reason: ReasonNoConfiguration},
		{name: "requested factor without configuration", factor: "sms",
			reply: Reply{Result: ResultDenied, Reason: ReasonNoConfiguration},
			fact:  "sms", outcome: metrics.OutcomeDenied, reason: ReasonNoConfiguration},
		{name: "client's factor text is not a label", cfg: duoCfg, factor: "Push Me",
			reply:    Reply{Result: ResultDenied, Reason: ReasonInvalidRequest},
			provider: "duo", outcome: metrics.OutcomeDenied, reason: ReasonInvalidRequest},
		{name: "unknown provider is not a label", cfg: provider.Config{Provider: "totp"},
			reply:   Reply{Result: ResultDenied, Reason: ReasonInvalidConfiguration},
			outcome: metrics.OutcomeDenied, reason: ReasonInvalidConfiguration},
		{name: "not required", reply: Reply{Result: ResultNotRequired,
			Reason: ReasonMFANotEnabled}, outcome: OutcomeNotRequired,
			reason: ReasonMFANotEnabled},
		{name: "error", cfg: duoCfg, reply: Reply{Result: ResultError,
			Reason: ReasonNotRecorded}, provider: "duo", fact: "prompt",
			outcome: metrics.OutcomeError, reason: ReasonNotRecorded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lc := &login{req: Request{Factor: tt.factor}, cfg: tt.cfg}
			p := handleProvider(lc)
			f := handleFactor(lc, p)
			o, r := handleOutcome(tt.out, tt.reply)
			got := [4]string{p, f, o, r}
			want := [4]string{tt.provider, tt.fact, tt.outcome, tt.reason}
			if got != want {
				t.Errorf("got labels %q, want %q", got, want)
			}
		})
	}
}
