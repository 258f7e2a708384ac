package mfa_test

import (
	"context"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

var threeStrikes = map[string]any{
	"lockout": map[string]any{"max_failures": 3, "window_s": 600, "duration_s": 900}}

// TestLockoutStopsPushes: after three denied pushes the user is locked
// out, every kind of request of theirs is denied without contacting Duo,
// and the lock ends after its duration.
func TestLockoutStopsPushes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, cfgID := e.enableDuo(t, threeStrikes)
	user := e.user(duosim.Deny, 0)

	for i := range 3 {
		reply := e.svc.Handle(ctx, factorRequest(acct, user, "push"))
		if reply.Reason != mfa.ReasonUserDenied {
			t.Fatalf("push %d: reply %+v, want user_denied", i+1, reply)
		}
	}
	before := len(e.sim.Requests())
	for _, req := range []mfa.Request{factorRequest(acct, user, "push"),
		factorRequest(acct, user, "sms"), request(acct, user)} {
		reply := e.svc.Handle(ctx, req)
		wantReply(t, reply, mfa.ResultDenied, mfa.ReasonLockedOut)
		if d := details(e.attemptDoc(t, acct, reply)); d["locked_by"] != "duo_kazoo" {
			t.Errorf("details = %v, want locked_by duo_kazoo", d)
		}
	}
	if after := len(e.sim.Requests()); after != before {
		t.Errorf("Duo got %d requests from a locked-out user, want none", after-before)
	}

	other := e.user(duosim.Approve, 0)
	wantReply(t, e.svc.Handle(ctx, factorRequest(acct, other, "push")),
		mfa.ResultAuthenticated, "")

	e.clock.Advance(16 * time.Minute)
	wantReply(t, e.svc.Handle(ctx, factorRequest(acct, user, "push")),
		mfa.ResultDenied, mfa.ReasonUserDenied)

	l, err := e.couch.GetLockout(ctx, acct, couch.LockoutID(cfgID, user))
	if err != nil || len(l.Failures) != 1 || l.ConfigurationID != cfgID {
		t.Errorf("lockout after the lock = %+v, %v; want one new failure", l, err)
	}
}

// TestLockoutCountsOnlyUserFailures: a redelivered failure counts once,
// Duo being down does not count, and a success clears the count.
func TestLockoutCountsOnlyUserFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, cfgID := e.enableDuo(t, threeStrikes)
	user := e.user(duosim.Approve, 0)
	lockID := couch.LockoutID(cfgID, user)
	failures := func() int {
		t.Helper()
		l, err := e.couch.GetLockout(ctx, acct, lockID)
		if err != nil {
			t.Fatal(err)
		}
		return len(l.Failures)
	}

	wrong := factorRequest(acct, user, "passcode")
	wrong.Passcode = "1111111"
	first := e.svc.Handle(ctx, wrong)
	wantReply(t, first, mfa.ResultDenied, mfa.ReasonInvalidPasscode)
	redelivered := e.svc.Handle(ctx, wrong)
	wantReply(t, redelivered, mfa.ResultDenied, mfa.ReasonInvalidPasscode)
	if redelivered.AttemptID != first.AttemptID {
		t.Errorf("redelivery recorded attempt %s, want the first's %s",
			redelivered.AttemptID, first.AttemptID)
	}
	if got := failures(); got != 1 {
		t.Errorf("%d failures after a redelivered failure, want 1", got)
	}

	e.sim.SetFault(duosim.Fault{Status5xx: 503})
	wantReply(t, e.svc.Handle(ctx, factorRequest(acct, user, "push")),
		mfa.ResultDenied, mfa.ReasonDuoUnreachable)
	e.sim.ClearFaults()
	if got := failures(); got != 1 {
		t.Errorf("%d failures after Duo was down, want still 1", got)
	}

	wantReply(t, e.svc.Handle(ctx, factorRequest(acct, user, "push")),
		mfa.ResultAuthenticated, "")
	if got := failures(); got != 0 {
		t.Errorf("%d failures after a success, want 0", got)
	}
}
