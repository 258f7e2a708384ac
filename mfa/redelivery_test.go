package mfa_test

import (
	"context"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

// lockoutFailures returns the failures counted toward user's lockout.
func (e *env) lockoutFailures(t *testing.T, acct, cfgID, user string) int {
	t.Helper()
	l, err := e.couch.GetLockout(context.Background(), acct, couch.LockoutID(cfgID, user))
	if err != nil {
		t.Fatalf("reading the lockout: %v", err)
	}
	return len(l.Failures)
}

// TestDuoResponseRedelivered: the same request (same Msg-ID) processed
// again, as after a lost reply or ack, gets the same verdict: a valid
// sig_response authenticates both times, nothing is recorded and nothing
// counts toward the lockout. Another request with that response (another
// Msg-ID) is a replay.
func TestDuoResponseRedelivered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, cfgID := e.enableDuo(t, threeStrikes)
	alice := e.user(duosim.Approve, 0)

	reply := e.svc.Handle(ctx, request(acct, alice))
	wantReply(t, reply, mfa.ResultChallenge, "")
	sig := e.frame(t, reply.Challenge)
	req := request(acct, alice)
	req.Response = &mfa.Response{SigResponse: mfa.Secret(sig)}

	for i := range 3 {
		got := e.svc.Handle(ctx, req)
		wantReply(t, got, mfa.ResultAuthenticated, "")
		if got.AttemptID != "" {
			t.Fatalf("delivery %d recorded attempt %s, want nothing recorded", i+1, got.AttemptID)
		}
	}
	if n := e.lockoutFailures(t, acct, cfgID, alice); n != 0 {
		t.Fatalf("%d failures counted toward the lockout after redeliveries, want 0", n)
	}

	other := req
	other.MsgID = testenv.NewID()
	replayed := e.svc.Handle(ctx, other)
	wantReply(t, replayed, mfa.ResultDenied, mfa.ReasonReplayed)
	e.attemptDoc(t, acct, replayed, sig)
	if n := e.lockoutFailures(t, acct, cfgID, alice); n != 1 {
		t.Fatalf("%d failures counted after a replay, want 1", n)
	}

	// The identity is the Msg-ID with the login it asks for: the same
	// Msg-ID for another login is not the same request.
	spoofed := req
	spoofed.ClientIP, spoofed.OwnerID = "198.51.100.1", testenv.NewID()
	wantReply(t, e.svc.Handle(ctx, spoofed), mfa.ResultDenied, mfa.ReasonReplayed)

	// A request without a Msg-ID has no identity: strictly single-use.
	// (Another user: Duo's values for one user are the same within a
	// second, and alice's is used.)
	anon := request(acct, e.user(duosim.Approve, 0))
	anon.MsgID = ""
	wantReply(t, e.svc.Handle(ctx, anon), mfa.ResultChallenge, "")
	sig2 := e.frame(t, e.svc.Handle(ctx, anon).Challenge)
	anon.Response = &mfa.Response{SigResponse: mfa.Secret(sig2)}
	wantReply(t, e.svc.Handle(ctx, anon), mfa.ResultAuthenticated, "")
	wantReply(t, e.svc.Handle(ctx, anon), mfa.ResultDenied, mfa.ReasonReplayed)
}

// TestUniversalResponseRedelivered: Duo's code is single-use, so the
// redelivered request must not exchange it again: it gets the verdict Duo
// gave the first time, approved or denied, from the state's claim.
func TestUniversalResponseRedelivered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, cfgID := e.enableUniversal(t, threeStrikes)

	start := func(user string) (code, state string) {
		t.Helper()
		reply := e.svc.Handle(ctx, request(acct, user))
		wantReply(t, reply, mfa.ResultChallenge, "")
		return e.prompt(t, reply.Challenge)
	}

	t.Run("approved", func(t *testing.T) {
		alice := e.user(duosim.Approve, 0)
		code, state := start(alice)
		req := universalResponse(acct, alice, code, state)
		exchanges := e.countRequests("/oauth/v1/token")
		for i := range 3 {
			got := e.svc.Handle(ctx, req)
			wantReply(t, got, mfa.ResultAuthenticated, "")
			if got.AttemptID != "" {
				t.Fatalf("delivery %d recorded attempt %s", i+1, got.AttemptID)
			}
		}
		if n := e.countRequests("/oauth/v1/token") - exchanges; n != 1 {
			t.Errorf("%d code exchanges for one request delivered 3 times, want 1", n)
		}
		if n := e.lockoutFailures(t, acct, cfgID, alice); n != 0 {
			t.Errorf("%d failures counted toward the lockout, want 0", n)
		}
		other := universalResponse(acct, alice, code, state) // a fresh Msg-ID
		replayed := e.svc.Handle(ctx, other)
		wantReply(t, replayed, mfa.ResultDenied, mfa.ReasonReplayed)
		e.attemptDoc(t, acct, replayed, code, state)
	})

	t.Run("denied", func(t *testing.T) {
		bob := e.user(duosim.Deny, 0)
		code, state := start(bob)
		req := universalResponse(acct, bob, code, state)
		first := e.svc.Handle(ctx, req)
		wantReply(t, first, mfa.ResultDenied, mfa.ReasonUserDenied)
		again := e.svc.Handle(ctx, req)
		wantReply(t, again, mfa.ResultDenied, mfa.ReasonUserDenied)
		if again.AttemptID != first.AttemptID {
			t.Errorf("the redelivery recorded attempt %s, want the first's %s",
				again.AttemptID, first.AttemptID)
		}
		if d := details(e.attemptDoc(t, acct, again, code, state)); d["txid"] == nil {
			t.Errorf("details = %v, want Duo's txid", d)
		}
		if n := e.lockoutFailures(t, acct, cfgID, bob); n != 1 {
			t.Errorf("%d failures counted for one denied request delivered twice, want 1", n)
		}
	})
}
