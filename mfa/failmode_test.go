package mfa_test

import (
	"context"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

// TestFailmodeAuthAPI: Duo unreachable at preauth fails open (recorded)
// under safe and closed under secure; during the second factor it always
// denies; bad credentials always deny.
func TestFailmodeAuthAPI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name     string
		failmode string
		fault    duosim.Fault
		result   mfa.Result
		reason   string
	}{
		{"safe, preauth 503", "safe", duosim.Fault{Status5xx: 503,
			Paths: []string{"/auth/v2/preauth"}}, mfa.ResultAuthenticated, mfa.ReasonFailedOpen},
		{"safe, preauth connection dropped", "safe", duosim.Fault{DropConnections: true,
			Paths: []string{"/auth/v2/preauth"}}, mfa.ResultAuthenticated, mfa.ReasonFailedOpen},
		{"safe, rate limited", "safe", duosim.Fault{RateLimit: true,
			Paths: []string{"/auth/v2/preauth"}}, mfa.ResultAuthenticated, mfa.ReasonFailedOpen},
		{"secure, preauth 503", "secure", duosim.Fault{Status5xx: 503,
			Paths: []string{"/auth/v2/preauth"}}, mfa.ResultDenied, mfa.ReasonDuoUnreachable},
		{"secure, rate limited", "secure", duosim.Fault{RateLimit: true,
			Paths: []string{"/auth/v2/preauth"}}, mfa.ResultDenied, mfa.ReasonRateLimited},
		{"safe, down during the push", "safe", duosim.Fault{Status5xx: 502,
			Paths: []string{"/auth/v2/auth"}}, mfa.ResultDenied, mfa.ReasonDuoUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOptions{})
			acct, _ := e.enableDuo(t, map[string]any{"failmode": tt.failmode})
			e.sim.SetFault(tt.fault)
			reply := e.svc.Handle(ctx, factorRequest(acct, e.user(duosim.Approve, 0), "push"))
			wantReply(t, reply, tt.result, tt.reason)
			d := details(e.attemptDoc(t, acct, reply))
			if d["error"] == nil || d["duo_class"] == nil {
				t.Errorf("details = %v, want the error and Duo failure class", d)
			}
		})
	}
}

// TestFailmodeBadCredentials: Duo refusing the keys never fails open.
func TestFailmodeBadCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	acct := e.kz.Sub.ID
	id := e.config(t, acct, "duo", map[string]any{"integration_key": "DIUNKNOWNINTEGRATION",
		"secret_key": simSKey, "application_secret_key": simAKey,
		"api_hostname": e.sim.Host(), "username_source": "username", "failmode": "safe"}, nil)
	e.enable(t, acct, authModule, map[string]any{"enabled": true, "configuration_id": id})
	reply := e.svc.Handle(context.Background(),
		factorRequest(acct, e.user(duosim.Approve, 0), "push"))
	wantReply(t, reply, mfa.ResultDenied, mfa.ReasonBadCredentials)
	e.attemptDoc(t, acct, reply)
}

// TestFailmodeUniversal: the Universal Prompt's health check against a
// Duo that is gone (closed port) fails open under safe and closed under
// secure; a wrong client secret always denies.
func TestFailmodeUniversal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct := e.kz.Sub.ID
	safe := e.universalConfig(t, acct, map[string]any{"failmode": "safe"})
	secure := e.universalConfig(t, acct, map[string]any{"failmode": "secure"})
	wrongSecret := e.config(t, acct, "duo_universal", map[string]any{
		"client_id": uniClientID, "client_secret": "WrongClientSecretWrongClientSecret012345",
		"api_hostname": e.sim.Host(), "redirect_uri": redirectURI,
		"username_source": "username", "failmode": "safe"}, nil)
	use := func(id string) {
		e.enable(t, acct, authModule, map[string]any{"enabled": true, "configuration_id": id})
	}

	use(wrongSecret)
	reply := e.svc.Handle(ctx, request(acct, e.user(duosim.Approve, 0)))
	wantReply(t, reply, mfa.ResultDenied, mfa.ReasonBadCredentials)
	e.attemptDoc(t, acct, reply, "WrongClientSecretWrongClientSecret012345")

	if err := e.sim.Close(); err != nil {
		t.Fatal(err)
	}
	use(safe)
	reply = e.svc.Handle(ctx, request(acct, "anyone"))
	wantReply(t, reply, mfa.ResultAuthenticated, mfa.ReasonFailedOpen)
	doc := e.attemptDoc(t, acct, reply)
	if d := details(doc); d["phase"] != "preflight" || d["failmode"] != "safe" {
		t.Errorf("fail-open details = %v, want phase preflight, failmode safe", d)
	}

	use(secure)
	reply = e.svc.Handle(ctx, request(acct, "anyone"))
	wantReply(t, reply, mfa.ResultDenied, mfa.ReasonDuoUnreachable)
	e.attemptDoc(t, acct, reply)
}

// TestUnrecordedFailureIsAnError: when the attempt cannot be stored, the
// reply is an error: never a silent denial, never a silent fail-open.
func TestUnrecordedFailureIsAnError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rec := &failingRecorder{}
	e := newEnv(t, envOptions{wrapRecorder: func(mfa.AttemptRecorder) mfa.AttemptRecorder {
		return rec
	}})
	acct, _ := e.enableDuo(t, map[string]any{"failmode": "safe"})

	reply := e.svc.Handle(ctx, factorRequest(acct, e.user(duosim.Deny, 0), "push"))
	wantReply(t, reply, mfa.ResultError, mfa.ReasonNotRecorded)

	e.sim.SetFault(duosim.Fault{Status5xx: 503})
	reply = e.svc.Handle(ctx, factorRequest(acct, e.user(duosim.Approve, 0), "push"))
	wantReply(t, reply, mfa.ResultError, mfa.ReasonNotRecorded)
	if rec.calls != 2 {
		t.Errorf("recorder called %d times, want 2", rec.calls)
	}
}
