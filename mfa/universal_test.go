package mfa_test

import (
	"context"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

func (e *env) enableUniversal(t *testing.T, extra map[string]any) (string, string) {
	t.Helper()
	acct := e.kz.Sub.ID
	id := e.universalConfig(t, acct, extra)
	e.enable(t, acct, authModule, map[string]any{"enabled": true, "configuration_id": id,
		"account_id": acct})
	return acct, id
}

func universalResponse(acct, user, code, state string) mfa.Request {
	req := request(acct, user)
	req.Response = &mfa.Response{Universal: &mfa.UniversalResponse{
		Code: mfa.Secret(code), State: mfa.Secret(state), RedirectURI: redirectURI}}
	return req
}

// TestUniversalLogin: challenge (after a health check), the browser
// through the simulator's prompt, then the code exchange; the state and
// code are single-use.
func TestUniversalLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, cfgID := e.enableUniversal(t, nil)
	alice := e.user(duosim.Approve, 0)

	reply := e.svc.Handle(ctx, request(acct, alice))
	wantReply(t, reply, mfa.ResultChallenge, "")
	redirect, _ := reply.Challenge["duo_redirect"].(string)
	state, _ := reply.Challenge["duo_state"].(string)
	if reply.Challenge["provider_name"] != "duo_universal" ||
		!strings.HasPrefix(redirect, e.sim.URL()+"/oauth/v1/authorize?") || state == "" {
		t.Fatalf("challenge = %v, want a duo_universal redirect and state", reply.Challenge)
	}
	if n := e.countRequests("/oauth/v1/health_check"); n != 1 {
		t.Errorf("%d health checks for one challenge, want 1", n)
	}

	code, gotState := e.prompt(t, reply.Challenge)
	if gotState != state {
		t.Fatalf("callback state differs from the challenge's")
	}
	ok := e.svc.Handle(ctx, universalResponse(acct, alice, code, state))
	wantReply(t, ok, mfa.ResultAuthenticated, "")

	replayed := e.svc.Handle(ctx, universalResponse(acct, alice, code, state))
	wantReply(t, replayed, mfa.ResultDenied, mfa.ReasonReplayed)
	doc := e.attemptDoc(t, acct, replayed, code, state)
	if d := details(doc); d["configuration_id"] != cfgID || d["provider_name"] != "duo_universal" {
		t.Errorf("replay attempt details = %v", d)
	}
	e.noSecretsLogged(t, code, state, alice)
}

// TestUniversalDenials covers Duo's denials read from the id_token and
// responses that do not belong to the login.
func TestUniversalDenials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, _ := e.enableUniversal(t, nil)

	start := func(user string) (code, state string) {
		t.Helper()
		reply := e.svc.Handle(ctx, request(acct, user))
		wantReply(t, reply, mfa.ResultChallenge, "")
		return e.prompt(t, reply.Challenge)
	}

	tests := []struct {
		name     string
		behavior duosim.Behavior
		reason   string
		duo      string // details.duo_reason
	}{
		{"user denies", duosim.Deny, mfa.ReasonUserDenied, "user_cancelled"},
		{"user reports fraud", duosim.Fraud, mfa.ReasonFraud, "user_marked_fraud"},
		{"locked out at Duo", duosim.LockedOut, mfa.ReasonLockedOut, "locked_out"},
		{"not enrolled", duosim.NotEnrolled, mfa.ReasonNotEnrolled, "deny_unenrolled_user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := e.user(tt.behavior, 0)
			code, state := start(user)
			reply := e.svc.Handle(ctx, universalResponse(acct, user, code, state))
			wantReply(t, reply, mfa.ResultDenied, tt.reason)
			d := details(e.attemptDoc(t, acct, reply, code, state))
			if d["duo_reason"] != tt.duo || d["txid"] == nil {
				t.Errorf("details = %v, want duo_reason %q and a txid", d, tt.duo)
			}
		})
	}

	t.Run("state of another user's login", func(t *testing.T) {
		alice, mallory := e.user(duosim.Approve, 0), e.user(duosim.Approve, 0)
		code, state := start(alice)
		reply := e.svc.Handle(ctx, universalResponse(acct, mallory, code, state))
		wantReply(t, reply, mfa.ResultDenied, mfa.ReasonInvalidResponse)
		e.attemptDoc(t, acct, reply, code, state)
	})
	t.Run("no state", func(t *testing.T) {
		alice := e.user(duosim.Approve, 0)
		code, _ := start(alice)
		reply := e.svc.Handle(ctx, universalResponse(acct, alice, code, ""))
		wantReply(t, reply, mfa.ResultDenied, mfa.ReasonInvalidResponse)
		e.attemptDoc(t, acct, reply, code)
	})
	t.Run("forged state", func(t *testing.T) {
		alice := e.user(duosim.Approve, 0)
		code, state := start(alice)
		forged := state[:len(state)-2] + "AA"
		reply := e.svc.Handle(ctx, universalResponse(acct, alice, code, forged))
		wantReply(t, reply, mfa.ResultDenied, mfa.ReasonInvalidResponse)
		e.attemptDoc(t, acct, reply, code, state, forged)
	})
	t.Run("other redirect_uri", func(t *testing.T) {
		alice := e.user(duosim.Approve, 0)
		code, state := start(alice)
		req := universalResponse(acct, alice, code, state)
		req.Response.Universal.RedirectURI = "https://evil.example.com/cb"
		reply := e.svc.Handle(ctx, req)
		wantReply(t, reply, mfa.ResultDenied, mfa.ReasonInvalidResponse)
		e.attemptDoc(t, acct, reply, code, state)
	})
	t.Run("a code that Duo did not issue", func(t *testing.T) {
		alice := e.user(duosim.Approve, 0)
		_, state := start(alice)
		reply := e.svc.Handle(ctx, universalResponse(acct, alice, "made-up-code", state))
		wantReply(t, reply, mfa.ResultDenied, mfa.ReasonInvalidResponse)
		if d := details(e.attemptDoc(t, acct, reply, "made-up-code", state)); d["phase"] !=
			"second_factor" {
			t.Errorf("details = %v, want phase second_factor", d)
		}
	})
	t.Run("sig_response to a universal challenge", func(t *testing.T) {
		req := request(acct, "someone")
		req.Response = &mfa.Response{SigResponse: "AUTH|x|y:APP|x|y"}
		reply := e.svc.Handle(ctx, req)
		wantReply(t, reply, mfa.ResultDenied, mfa.ReasonInvalidRequest)
		e.attemptDoc(t, acct, reply, "AUTH|x|y:APP|x|y")
	})
}
