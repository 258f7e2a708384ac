package mfa_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

func factorRequest(acct, user, factor string) mfa.Request {
	req := request(acct, user)
	req.Factor = factor
	return req
}

// TestAuthAPIFactors runs each factor against scripted simulator users.
func TestAuthAPIFactors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, _ := e.enableDuo(t, nil)

	tests := []struct {
		name     string
		behavior duosim.Behavior
		delay    time.Duration
		factor   string
		device   string
		passcode string
		result   mfa.Result
		reason   string
		status   string // details.duo_status of a denial
	}{
		{name: "push approved", behavior: duosim.Approve, factor: "push",
			result: mfa.ResultAuthenticated},
		{name: "push approved after a while", behavior: duosim.ApproveAfter,
			delay: 500 * time.Millisecond, factor: "push", result: mfa.ResultAuthenticated},
		{name: "push to a named device", behavior: duosim.Approve, factor: "push",
			device: duosim.DefaultDevice().ID, result: mfa.ResultAuthenticated},
		{name: "phone approved", behavior: duosim.Approve, factor: "phone",
			result: mfa.ResultAuthenticated},
		{name: "auto approved", behavior: duosim.Approve, factor: "auto",
			result: mfa.ResultAuthenticated},
		{name: "push denied", behavior: duosim.Deny, factor: "push",
			result: mfa.ResultDenied, reason: mfa.ReasonUserDenied, status: "deny"},
		{name: "push fraud", behavior: duosim.Fraud, factor: "push",
			result: mfa.ResultDenied, reason: mfa.ReasonFraud, status: "fraud"},
		{name: "push timed out at Duo", behavior: duosim.Timeout, delay: time.Second,
			factor: "push", result: mfa.ResultDenied, reason: mfa.ReasonTimeout,
			status: "timeout"},
		{name: "wrong passcode", behavior: duosim.Approve, factor: "passcode",
			passcode: "0000000", result: mfa.ResultDenied, reason: mfa.ReasonInvalidPasscode},
		{name: "not enrolled", behavior: duosim.NotEnrolled, factor: "push",
			result: mfa.ResultDenied, reason: mfa.ReasonNotEnrolled},
		{name: "locked out at Duo", behavior: duosim.LockedOut, factor: "push",
			result: mfa.ResultDenied, reason: mfa.ReasonLockedOut},
		{name: "bypass user", behavior: duosim.Bypass, factor: "push",
			result: mfa.ResultAuthenticated, reason: mfa.ReasonBypass},
		{name: "device not the user's", behavior: duosim.Approve, factor: "push",
			device: "DXXXXXXXXXXXXXXXXXXX", result: mfa.ResultDenied,
			reason: mfa.ReasonInvalidRequest},
		{name: "unknown factor", behavior: duosim.Approve, factor: "carrier_pigeon",
			result: mfa.ResultDenied, reason: mfa.ReasonInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := e.user(tt.behavior, tt.delay)
			req := factorRequest(acct, user, tt.factor)
			req.Device, req.Passcode = tt.device, mfa.Secret(tt.passcode)
			reply := e.svc.Handle(ctx, req)
			wantReply(t, reply, tt.result, tt.reason)
			if tt.result != mfa.ResultDenied {
				if reply.AttemptID != "" {
					t.Errorf("success recorded attempt %s", reply.AttemptID)
				}
				return
			}
			doc := e.attemptDoc(t, acct, reply, tt.passcode)
			d := details(doc)
			if d["factor"] != tt.factor || d["duo_username"] != user {
				t.Errorf("details = %v, want factor %s and the Duo username", d, tt.factor)
			}
			if tt.status != "" && (d["duo_status"] != tt.status || d["txid"] == nil) {
				t.Errorf("details = %v, want duo_status %q and a txid", d, tt.status)
			}
		})
	}
}

// TestAuthAPINotEnrolledKeepsNoLink: the record says an enrollment link was
// offered, and never holds it.
func TestAuthAPINotEnrolledKeepsNoLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	acct, _ := e.enableDuo(t, nil)
	reply := e.svc.Handle(context.Background(),
		factorRequest(acct, e.user(duosim.NotEnrolled, 0), "push"))
	wantReply(t, reply, mfa.ResultDenied, mfa.ReasonNotEnrolled)
	doc := e.attemptDoc(t, acct, reply)
	raw, _ := json.Marshal(doc)
	if details(doc)["enroll_portal"] != true || strings.Contains(string(raw), "https://") {
		t.Errorf("attempt = %s, want enroll_portal true and no URL", raw)
	}
}

// TestSMSThenPasscode: sms answers with a challenge; one of the texted
// passcodes then authenticates, once.
func TestSMSThenPasscode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, _ := e.enableDuo(t, nil)
	user := e.user(duosim.Approve, 0)

	reply := e.svc.Handle(ctx, factorRequest(acct, user, "sms"))
	wantReply(t, reply, mfa.ResultChallenge, mfa.ReasonSMSSent)
	settings, _ := reply.Challenge["settings"].(map[string]any)
	if settings["duo_factor"] != "passcode" || settings["duo_status"] != "sent" {
		t.Errorf("sms challenge = %v, want duo_factor passcode, duo_status sent",
			reply.Challenge)
	}
	codes := e.sim.Passcodes(user)
	if len(codes) == 0 {
		t.Fatal("the simulator sent no passcode")
	}

	req := factorRequest(acct, user, "passcode")
	req.Passcode = mfa.Secret(codes[0])
	wantReply(t, e.svc.Handle(ctx, req), mfa.ResultAuthenticated, "")
	again := factorRequest(acct, user, "passcode")
	again.Passcode = mfa.Secret(codes[0])
	reused := e.svc.Handle(ctx, again)
	wantReply(t, reused, mfa.ResultDenied, mfa.ReasonInvalidPasscode)
	e.attemptDoc(t, acct, reused, codes[0])
	e.noSecretsLogged(t, append(codes, user)...)
}

// TestFactorNotAllowed: factors outside the configuration's list are
// refused before Duo is contacted.
func TestFactorNotAllowed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, envOptions{})
	acct, _ := e.enableDuo(t, map[string]any{"factors": []string{"push", "passcode"}})
	user := e.user(duosim.Approve, 0)

	for _, factor := range []string{"sms", "phone", "auto"} {
		reply := e.svc.Handle(ctx, factorRequest(acct, user, factor))
		wantReply(t, reply, mfa.ResultDenied, mfa.ReasonFactorNotAllowed)
		e.attemptDoc(t, acct, reply)
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("Duo got %d requests for refused factors, want none", n)
	}
	wantReply(t, e.svc.Handle(ctx, factorRequest(acct, user, "push")),
		mfa.ResultAuthenticated, "")
}

// TestPushWaitBoundedByPushTimeout: a push nobody answers ends at the
// service's PushTimeout, as a timeout.
func TestPushWaitBoundedByPushTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{pushTimeout: time.Second, simPushTimeout: time.Minute})
	acct, _ := e.enableDuo(t, nil)
	reply := e.svc.Handle(context.Background(),
		factorRequest(acct, e.user(duosim.Manual, 0), "push"))
	wantReply(t, reply, mfa.ResultDenied, mfa.ReasonTimeout)
	e.attemptDoc(t, acct, reply)
}

// TestCancelledWait: a caller that stops waiting gets an error reply and
// nothing is recorded.
func TestCancelledWait(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{simPushTimeout: time.Minute})
	acct, _ := e.enableDuo(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	reply := e.svc.Handle(ctx, factorRequest(acct, e.user(duosim.Manual, 0), "push"))
	wantReply(t, reply, mfa.ResultError, mfa.ReasonCancelled)
	if reply.AttemptID != "" {
		t.Errorf("a cancelled request recorded attempt %s", reply.AttemptID)
	}
}
