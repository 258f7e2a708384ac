package mfa

import (
	"errors"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duo/websdk"
)

func TestFailure(t *testing.T) {
	cause := errors.New("cause")
	tests := []struct {
		mode   failmode.Mode
		class  failmode.Class
		phase  failmode.Phase
		result Result
		reason string
	}{
		{failmode.Safe, failmode.Unreachable, failmode.Preflight,
			ResultAuthenticated, ReasonFailedOpen},
		{failmode.Safe, failmode.RateLimited, failmode.Preflight,
			ResultAuthenticated, ReasonFailedOpen},
		{failmode.Secure, failmode.Unreachable, failmode.Preflight,
			ResultDenied, ReasonDuoUnreachable},
		{failmode.Secure, failmode.RateLimited, failmode.Preflight,
			ResultDenied, ReasonRateLimited},
		{failmode.Safe, failmode.Unreachable, failmode.SecondFactor,
			ResultDenied, ReasonDuoUnreachable},
		{failmode.Safe, failmode.BadConfig, failmode.Preflight,
			ResultDenied, ReasonBadCredentials},
		{failmode.Safe, failmode.UserDenied, failmode.SecondFactor,
			ResultDenied, ReasonUserDenied},
		{failmode.Safe, failmode.Fraud, failmode.SecondFactor, ResultDenied, ReasonFraud},
		{failmode.Safe, failmode.Timeout, failmode.SecondFactor, ResultDenied, ReasonTimeout},
		{failmode.Safe, failmode.LockedOut, failmode.Preflight, ResultDenied, ReasonLockedOut},
		{failmode.Safe, failmode.NotEnrolled, failmode.Preflight,
			ResultDenied, ReasonNotEnrolled},
		{failmode.Safe, failmode.InvalidPasscode, failmode.SecondFactor,
			ResultDenied, ReasonInvalidPasscode},
		{failmode.Safe, failmode.InvalidResponse, failmode.SecondFactor,
			ResultDenied, ReasonInvalidResponse},
		{failmode.Safe, failmode.Internal, failmode.SecondFactor, ResultError, ReasonInternal},
		{failmode.Safe, "unknown", failmode.Preflight, ResultDenied, ReasonInternal},
	}
	for _, tt := range tests {
		name := string(tt.mode) + "/" + string(tt.class) + "/" + string(tt.phase)
		t.Run(name, func(t *testing.T) {
			out := failure(tt.mode, tt.class, tt.phase, cause)
			if out.result != tt.result || out.reason != tt.reason || !errors.Is(out.err, cause) {
				t.Errorf("got %s/%s (err %v), want %s/%s", out.result, out.reason, out.err,
					tt.result, tt.reason)
			}
			if out.result == ResultAuthenticated && !out.recorded() {
				t.Error("a fail-open is not recorded")
			}
		})
	}
}

func TestCountsTowardLockout(t *testing.T) {
	counted := map[string]bool{ReasonUserDenied: true, ReasonFraud: true,
		ReasonTimeout: true, ReasonInvalidPasscode: true, ReasonInvalidResponse: true,
		ReasonExpiredResponse: true, ReasonReplayed: true}
	for reason := range messages {
		if got := countsTowardLockout(reason); got != counted[reason] {
			t.Errorf("countsTowardLockout(%s) = %v, want %v", reason, got, counted[reason])
		}
	}
}

func TestSignedExpiry(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	value := websdk.SignValue("k", websdk.PrefixAuth, "DIXXXXXXXXXXXXXXXXXX", "alice",
		300*time.Second, now)
	tests := []struct {
		name  string
		value string
		want  time.Time
		ok    bool
	}{
		{"signed value", value, now.Add(300 * time.Second), true},
		{"two parts", "AUTH|x", time.Time{}, false},
		{"not base64", "AUTH|!!|sig", time.Time{}, false},
		{"no expiry field", "AUTH|YWxpY2V8aWtleQ==|sig", time.Time{}, false},
		{"expiry not a number", "AUTH|YXxifGM=|sig", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := signedExpiry(tt.value)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("signedExpiry = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
