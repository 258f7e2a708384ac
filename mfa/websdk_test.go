package mfa_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

// TestDuoChallenge: the challenge is KAZOO's 401 multi_factor_request for
// the duo provider, signed for the user.
func TestDuoChallenge(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	acct, _ := e.enableDuo(t, nil)
	alice := e.user(duosim.Approve, 0)

	reply := e.svc.Handle(context.Background(), request(acct, alice))
	wantReply(t, reply, mfa.ResultChallenge, "")
	settings, _ := reply.Challenge["settings"].(map[string]any)
	sig, _ := settings["duo_sig_request"].(string)
	if reply.Challenge["provider_name"] != "duo" || settings["duo_api_hostname"] != e.sim.Host() {
		t.Errorf("challenge = %v, want provider duo on host %s", reply.Challenge, e.sim.Host())
	}
	if !strings.HasPrefix(sig, "TX|") || !strings.Contains(sig, ":APP|") {
		t.Errorf("duo_sig_request = %q, want TX|...:APP|...", sig)
	}
	plain, _ := base64.StdEncoding.DecodeString(strings.Split(sig, "|")[1])
	if !strings.HasPrefix(string(plain), alice+"|"+simIKey+"|") {
		t.Errorf("signed for %q, want user %s", plain, alice)
	}
	if reply.AttemptID != "" {
		t.Errorf("a challenge recorded attempt %s", reply.AttemptID)
	}
}

// TestDuoResponses verifies sig_responses obtained from the simulator's
// frame: valid once, then replayed; tampered; another user's; expired.
func TestDuoResponses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, cfgID := e.enableDuo(t, nil)

	respond := func(user, sig string) mfa.Reply {
		req := request(acct, user)
		req.Response = &mfa.Response{SigResponse: mfa.Secret(sig)}
		return e.svc.Handle(ctx, req)
	}
	signed := func(user string) string {
		t.Helper()
		reply := e.svc.Handle(ctx, request(acct, user))
		wantReply(t, reply, mfa.ResultChallenge, "")
		sig := e.frame(t, reply.Challenge)
		if sig == "" {
			t.Fatalf("the simulator did not approve %s", user)
		}
		return sig
	}

	alice := e.user(duosim.Approve, 0)
	sig := signed(alice)
	wantReply(t, respond(alice, sig), mfa.ResultAuthenticated, "")

	replayed := respond(alice, sig)
	wantReply(t, replayed, mfa.ResultDenied, mfa.ReasonReplayed)
	doc := e.attemptDoc(t, acct, replayed, sig)
	d := details(doc)
	if d["configuration_id"] != cfgID || d["provider_name"] != "duo" ||
		d["duo_username"] != alice || d["factor"] != "prompt" {
		t.Errorf("replayed attempt details = %v", d)
	}

	bob := e.user(duosim.Approve, 0)
	bobSig := signed(bob)
	tampered := bobSig[:len(bobSig)-1] + string("0123456789abcdef"[(strings.IndexByte(
		"0123456789abcdef", bobSig[len(bobSig)-1])+1)%16])
	for name, tc := range map[string]struct{ user, sig string }{
		"tampered":           {bob, tampered},
		"another user's":     {alice, bobSig},
		"not a sig_response": {bob, "not a response"},
	} {
		reply := respond(tc.user, tc.sig)
		if reply.Result != mfa.ResultDenied || reply.Reason != mfa.ReasonInvalidResponse {
			t.Errorf("%s response: reply %+v, want invalid_response", name, reply)
			continue
		}
		if d := details(e.attemptDoc(t, acct, reply, tc.sig, bobSig)); d["error"] == nil {
			t.Errorf("%s response: details %v, want the error", name, d)
		}
	}

	carol := e.user(duosim.Approve, 0)
	carolSig := signed(carol)
	e.clock.Advance(2 * time.Hour)
	expired := respond(carol, carolSig)
	wantReply(t, expired, mfa.ResultDenied, mfa.ReasonExpiredResponse)
	e.attemptDoc(t, acct, expired, carolSig)

	e.noSecretsLogged(t, sig, bobSig, carolSig, alice, bob, carol)
}

// TestDuoWrongResponseKind: a Universal Prompt answer to a duo challenge is
// an unusable request, recorded.
func TestDuoWrongResponseKind(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	acct, _ := e.enableDuo(t, nil)
	req := request(acct, "someone")
	req.Response = &mfa.Response{Universal: &mfa.UniversalResponse{Code: "abc", State: "def"}}
	reply := e.svc.Handle(context.Background(), req)
	wantReply(t, reply, mfa.ResultDenied, mfa.ReasonInvalidRequest)
	e.attemptDoc(t, acct, reply)
}
