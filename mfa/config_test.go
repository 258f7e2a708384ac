package mfa_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

// TestWhenMFAApplies runs Handle over real hierarchies: the sub-account's
// own setting, its reseller's, with and without include_subaccounts.
func TestWhenMFAApplies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	sub, reseller := e.kz.Sub.ID, e.kz.Reseller.ID
	user := e.user(duosim.Approve, 0)

	// Nothing configured for a module nobody uses (the system default is
	// shared by every test of the server, so another module is safer).
	req := request(sub, user)
	req.AuthModule = "cb_test_" + testenv.NewID()[:8]
	wantReply(t, e.svc.Handle(ctx, req), mfa.ResultNotRequired, mfa.ReasonMFANotEnabled)

	resellerCfg := e.duoConfig(t, reseller, nil)
	e.enable(t, reseller, authModule, map[string]any{"enabled": true,
		"configuration_id": resellerCfg, "account_id": reseller})
	wantReply(t, e.svc.Handle(ctx, request(sub, user)),
		mfa.ResultNotRequired, mfa.ReasonNotApplicable)
	wantReply(t, e.svc.Handle(ctx, request(reseller, user)), mfa.ResultChallenge, "")

	e.enable(t, reseller, authModule, map[string]any{"enabled": true,
		"configuration_id": resellerCfg, "account_id": reseller, "include_subaccounts": true})
	wantReply(t, e.svc.Handle(ctx, request(sub, user)), mfa.ResultChallenge, "")

	e.enable(t, sub, authModule, map[string]any{"enabled": false})
	wantReply(t, e.svc.Handle(ctx, request(sub, user)),
		mfa.ResultNotRequired, mfa.ReasonMFANotEnabled)
}

// TestConfigurationProblems: a second factor that applies but cannot run
// is denied and recorded, never allowed.
func TestConfigurationProblems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct := e.kz.Sub.ID
	disabled := e.duoConfig(t, acct, nil)
	if _, _, err := e.configs.Patch(ctx, acct, disabled, "",
		[]byte(`{"enabled": false}`)); err != nil {
		t.Fatal(err)
	}
	invalid := testenv.NewID()
	db, _ := couch.AccountDB(acct)
	if _, err := e.couch.Put(ctx, db, couch.Doc{"_id": invalid, "name": "broken",
		"enabled": true, "provider_name": "duo", "pvt_type": "provider",
		"pvt_provider_type": "multi_factor",
		"settings":          map[string]any{"integration_key": "short"}}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		mf     map[string]any
		reason string
	}{
		{"no configuration_id", map[string]any{"enabled": true}, mfa.ReasonNoConfiguration},
		{"configuration not found", map[string]any{"enabled": true,
			"configuration_id": testenv.NewID()}, mfa.ReasonNoConfiguration},
		{"configuration id malformed", map[string]any{"enabled": true,
			"configuration_id": "../etc"}, mfa.ReasonNoConfiguration},
		{"configuration disabled", map[string]any{"enabled": true,
			"configuration_id": disabled}, mfa.ReasonProviderDisabled},
		{"configuration invalid", map[string]any{"enabled": true,
			"configuration_id": invalid}, mfa.ReasonInvalidConfiguration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.enable(t, acct, authModule, tt.mf)
			reply := e.svc.Handle(ctx, request(acct, "anyone"))
			wantReply(t, reply, mfa.ResultDenied, tt.reason)
			e.attemptDoc(t, acct, reply)
		})
	}
}

// TestUsernameSources: owner_id (KAZOO's choice), username, and the user's
// email.
func TestUsernameSources(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct := e.kz.Sub.ID
	kazooUser := e.kz.Sub.User

	signedFor := func(reply mfa.Reply) string {
		t.Helper()
		wantReply(t, reply, mfa.ResultChallenge, "")
		settings, _ := reply.Challenge["settings"].(map[string]any)
		sig, _ := settings["duo_sig_request"].(string)
		plain, _ := base64.StdEncoding.DecodeString(strings.Split(sig, "|")[1])
		user, _, _ := strings.Cut(string(plain), "|")
		return user
	}
	tests := []struct {
		source string
		want   string
	}{
		{"owner_id", kazooUser.ID},
		{"username", kazooUser.Username},
		{"email", kazooUser.Email},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			id := e.duoConfig(t, acct, map[string]any{"username_source": tt.source})
			e.enable(t, acct, authModule, map[string]any{"enabled": true,
				"configuration_id": id})
			req := request(acct, kazooUser.Username)
			req.OwnerID = kazooUser.ID
			if got := signedFor(e.svc.Handle(ctx, req)); got != tt.want {
				t.Errorf("Duo username = %q, want %q", got, tt.want)
			}

			missing := request(acct, "")
			missing.OwnerID = ""
			reply := e.svc.Handle(ctx, missing)
			wantReply(t, reply, mfa.ResultDenied, mfa.ReasonUnknownUser)
			e.attemptDoc(t, acct, reply)
		})
	}
}

// TestUnknownAccount: a request for an account that does not exist is
// denied, with nowhere to record it.
func TestUnknownAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	for name, acct := range map[string]string{"unknown": testenv.NewID(), "malformed": "x"} {
		reply := e.svc.Handle(context.Background(), request(acct, "someone"))
		if reply.Result != mfa.ResultDenied || reply.Reason != mfa.ReasonInvalidRequest ||
			reply.AttemptID != "" {
			t.Errorf("%s account: reply %+v, want an unrecorded invalid_request", name, reply)
		}
	}
}
