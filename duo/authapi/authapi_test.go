package authapi_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

func TestCheck(t *testing.T) {
	sim := newSim(t)
	res, err := newClient(t, sim, nil).Check(context.Background())
	wantClass(t, err, "")
	if res.Skew > 2*time.Second || res.Skew < -2*time.Second {
		t.Errorf("skew against a local simulator: got %v, want about 0", res.Skew)
	}
}

func TestPreauth(t *testing.T) {
	sim := newSim(t)
	c := newClient(t, sim, nil)
	for _, b := range []duosim.Behavior{duosim.Approve, duosim.Bypass, duosim.LockedOut,
		duosim.NotEnrolled} {
		sim.SetUser(string(b), duosim.User{Behavior: b})
	}

	tests := []struct {
		name       string
		user       string
		wantResult string
		wantClass  failmode.Class
	}{
		{"enrolled user", "approve", authapi.PreauthAuth, ""},
		{"bypass user", "bypass", authapi.PreauthAllow, ""},
		{"locked out user", "locked_out", authapi.PreauthDeny, failmode.LockedOut},
		{"not enrolled user", "not_enrolled", authapi.PreauthEnroll, failmode.NotEnrolled},
		{"unknown user", "nobody", authapi.PreauthEnroll, failmode.NotEnrolled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pre, err := c.Preauth(context.Background(), tt.user, "192.0.2.7")
			wantClass(t, err, tt.wantClass)
			if pre.Result != tt.wantResult {
				t.Errorf("result: got %q, want %q", pre.Result, tt.wantResult)
			}
			if tt.wantResult == authapi.PreauthAuth &&
				(len(pre.Devices) != 1 || !pre.Devices[0].Has("push")) {
				t.Errorf("devices: got %+v, want one push-capable device", pre.Devices)
			}
			if tt.wantResult == authapi.PreauthEnroll && pre.EnrollPortalURL == "" {
				t.Error("enroll_portal_url: got none")
			}
		})
	}
}

func TestAuthBehaviors(t *testing.T) {
	sim := newSim(t)
	c := newClient(t, sim, nil)
	users := map[string]duosim.User{
		"approve":    {Behavior: duosim.Approve},
		"slow":       {Behavior: duosim.ApproveAfter, Delay: 100 * time.Millisecond},
		"deny":       {Behavior: duosim.Deny},
		"fraud":      {Behavior: duosim.Fraud},
		"timeout":    {Behavior: duosim.Timeout, Delay: 20 * time.Millisecond},
		"bypass":     {Behavior: duosim.Bypass},
		"locked_out": {Behavior: duosim.LockedOut},
		"unenrolled": {Behavior: duosim.NotEnrolled},
	}
	for name, u := range users {
		sim.SetUser(name, u)
	}

	tests := []struct {
		name       string
		req        authapi.AuthRequest
		wantStatus string
		wantClass  failmode.Class
	}{
		{"push approved", authapi.AuthRequest{Username: "approve", Factor: "push"}, "allow", ""},
		{"push approved after a delay", authapi.AuthRequest{Username: "slow",
			Factor: "push"}, "allow", ""},
		{"phone approved", authapi.AuthRequest{Username: "approve", Factor: "phone"},
			"allow", ""},
		{"auto approved", authapi.AuthRequest{Username: "approve"}, "allow", ""},
		{"push denied", authapi.AuthRequest{Username: "deny", Factor: "push"}, "deny",
			failmode.UserDenied},
		{"push marked fraud", authapi.AuthRequest{Username: "fraud", Factor: "push"},
			"fraud", failmode.Fraud},
		{"push timed out at duo", authapi.AuthRequest{Username: "timeout",
			Factor: "push"}, "timeout", failmode.Timeout},
		{"bypass user", authapi.AuthRequest{Username: "bypass", Factor: "push"}, "bypass", ""},
		{"locked out user", authapi.AuthRequest{Username: "locked_out", Factor: "push"},
			"locked_out", failmode.LockedOut},
		{"push to a not enrolled user", authapi.AuthRequest{Username: "unenrolled",
			Factor: "push"}, "", failmode.NotEnrolled},
		{"sms to a not enrolled user", authapi.AuthRequest{Username: "unenrolled",
			Factor: "sms"}, "", failmode.NotEnrolled},
		{"auto for a user unknown to duo", authapi.AuthRequest{Username: "nobody"}, "",
			failmode.NotEnrolled},
		{"passcode of a not enrolled user", authapi.AuthRequest{Username: "unenrolled",
			Factor: "passcode", Passcode: "1234567"}, "deny", failmode.InvalidPasscode},
		{"no username", authapi.AuthRequest{Factor: "push"}, "", failmode.BadConfig},
		{"unknown factor", authapi.AuthRequest{Username: "approve", Factor: "fax"}, "",
			failmode.BadConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Auth(context.Background(), tt.req)
			e := wantClass(t, err, tt.wantClass)
			if tt.wantClass == failmode.NotEnrolled && e.Message == "" {
				t.Errorf("not enrolled: got no message from Duo in %v", err)
			}
			if res.Status != tt.wantStatus {
				t.Errorf("status: got %q, want %q", res.Status, tt.wantStatus)
			}
			if res.Allowed() != (tt.wantClass == "") {
				t.Errorf("allowed: got %v with error %v", res.Allowed(), err)
			}
		})
	}
}

func TestSMSThenPasscode(t *testing.T) {
	sim := newSim(t)
	c := newClient(t, sim, nil)
	sim.SetUser("texter", duosim.User{})
	ctx := context.Background()

	sent, err := c.Auth(ctx, authapi.AuthRequest{Username: "texter", Factor: "sms"})
	wantClass(t, err, "")
	if sent.Status != authapi.StatusSent || sent.Allowed() {
		t.Fatalf("sms: got %+v, want deny/sent", sent)
	}
	codes := sim.Passcodes("texter")
	if len(codes) == 0 {
		t.Fatal("simulator issued no SMS passcodes")
	}

	tests := []struct {
		name      string
		passcode  string
		wantClass failmode.Class
	}{
		{"sms passcode", codes[0], ""},
		{"same passcode again", codes[0], failmode.InvalidPasscode},
		{"wrong passcode", "0000000", failmode.InvalidPasscode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Auth(ctx, authapi.AuthRequest{Username: "texter",
				Factor: authapi.FactorPasscode, Passcode: tt.passcode})
			wantClass(t, err, tt.wantClass, tt.passcode)
		})
	}
}

// TestWaitDeadlineIsTimeout: a person who does not answer before the
// caller's push deadline ends the wait with Timeout, the transaction left
// at Duo.
func TestWaitDeadlineIsTimeout(t *testing.T) {
	sim := newSim(t)
	c := newClient(t, sim, nil)
	sim.SetUser("manual", duosim.User{Behavior: duosim.Manual})

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	res, err := c.Auth(ctx, authapi.AuthRequest{Username: "manual", Factor: "push"})
	wantClass(t, err, failmode.Timeout)
	if !errors.Is(err, context.DeadlineExceeded) || res.Txid == "" {
		t.Errorf("got %v (txid %q), want a deadline error naming the transaction", err, res.Txid)
	}
}

func TestStartAuthThenWait(t *testing.T) {
	sim := newSim(t)
	c := newClient(t, sim, nil)
	sim.SetUser("manual", duosim.User{Behavior: duosim.Manual})
	ctx := context.Background()

	txid, err := c.StartAuth(ctx, authapi.AuthRequest{Username: "manual", Factor: "push"})
	wantClass(t, err, "")
	done := make(chan error, 1)
	go func() {
		_, err := c.Wait(ctx, txid)
		done <- err
	}()
	for sim.Answer("manual", false) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	wantClass(t, <-done, failmode.UserDenied)
}

func TestFaults(t *testing.T) {
	sim := newSim(t)
	sim.SetUser("approve", duosim.User{})
	c := newClient(t, sim, func(cfg *authapi.Config) { cfg.Timeout = 200 * time.Millisecond })

	tests := []struct {
		name       string
		fault      duosim.Fault
		wantClass  failmode.Class
		wantStatus int
		wantIs     error
	}{
		{"5xx", duosim.Fault{Status5xx: 503}, failmode.Unreachable, 503, nil},
		{"rate limited", duosim.Fault{RateLimit: true}, failmode.RateLimited, 429,
			authapi.ErrRateLimited},
		{"dropped connection", duosim.Fault{DropConnections: true}, failmode.Unreachable, 0, nil},
		{"not json", duosim.Fault{BadJSON: true}, failmode.Unreachable, 200,
			authapi.ErrMalformedReply},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim.SetFault(tt.fault)
			defer sim.ClearFaults()
			sim.ResetLog()

			_, err := c.Preauth(context.Background(), "approve", "")
			e := wantClass(t, err, tt.wantClass)
			if e.HTTPStatus != tt.wantStatus {
				t.Errorf("HTTP status: got %d, want %d", e.HTTPStatus, tt.wantStatus)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("got %v, want it to wrap %v", err, tt.wantIs)
			}
			if n := len(sim.Requests()); n != 1 {
				t.Errorf("requests sent: got %d, want 1 (no retry)", n)
			}
		})
	}
}

// TestLatencyAboveTimeout: every call is bounded. A Duo slower than
// Config.Timeout (LongPollTimeout for an auth_status poll) is Unreachable;
// a caller's deadline reached while waiting for the user is Timeout.
// (The simulator logs an abandoned request only when it notices, so
// request counts are not checked here.)
func TestLatencyAboveTimeout(t *testing.T) {
	sim := newSim(t)
	sim.SetUser("approve", duosim.User{})
	sim.SetUser("manual", duosim.User{Behavior: duosim.Manual})
	c := newClient(t, sim, func(cfg *authapi.Config) {
		cfg.Timeout, cfg.LongPollTimeout = 100*time.Millisecond, 150*time.Millisecond
	})
	slow := func(path string) duosim.Fault {
		return duosim.Fault{Latency: 5 * time.Second, Paths: []string{path}}
	}
	startPush := func(t *testing.T) string {
		t.Helper()
		sim.ClearFaults()
		txid, err := c.StartAuth(context.Background(),
			authapi.AuthRequest{Username: "manual", Factor: authapi.FactorPush})
		wantClass(t, err, "")
		return txid
	}

	tests := []struct {
		name     string
		fault    duosim.Fault
		deadline time.Duration // of the caller's context; 0 for none
		call     func(context.Context, *testing.T) error
		want     failmode.Class
	}{
		{"check", slow("/auth/v2/check"), 0, func(ctx context.Context, _ *testing.T) error {
			_, err := c.Check(ctx)
			return err
		}, failmode.Unreachable},
		{"preauth", slow("/auth/v2/preauth"), 0, func(ctx context.Context, _ *testing.T) error {
			_, err := c.Preauth(ctx, "approve", "")
			return err
		}, failmode.Unreachable},
		{"auth push", slow("/auth/v2/auth"), 0, func(ctx context.Context, _ *testing.T) error {
			_, err := c.Auth(ctx, authapi.AuthRequest{Username: "approve", Factor: "push"})
			return err
		}, failmode.Unreachable},
		{"auth sms", slow("/auth/v2/auth"), 0, func(ctx context.Context, _ *testing.T) error {
			_, err := c.Auth(ctx, authapi.AuthRequest{Username: "approve", Factor: "sms"})
			return err
		}, failmode.Unreachable},
		{"auth passcode", slow("/auth/v2/auth"), 0, func(ctx context.Context, _ *testing.T) error {
			_, err := c.Auth(ctx, authapi.AuthRequest{Username: "approve",
				Factor: authapi.FactorPasscode, Passcode: "1234567"})
			return err
		}, failmode.Unreachable},
		{"auth_status poll", slow("/auth/v2/auth_status"), 0,
			func(ctx context.Context, t *testing.T) error {
				txid := startPush(t)
				sim.SetFault(slow("/auth/v2/auth_status"))
				_, err := c.Wait(ctx, txid)
				return err
			}, failmode.Unreachable},
		{"auth_status past the caller's deadline", slow("/auth/v2/auth_status"),
			50 * time.Millisecond, func(ctx context.Context, t *testing.T) error {
				txid := startPush(t)
				sim.SetFault(slow("/auth/v2/auth_status"))
				_, err := c.Wait(ctx, txid)
				return err
			}, failmode.Timeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim.SetFault(tt.fault)
			defer sim.ClearFaults()
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			wantClass(t, tt.call(ctx, t), tt.want)
		})
	}
}

func TestCredentialsAndTrust(t *testing.T) {
	sim := newSim(t)
	wrongSKey := "WrongSecretKeyWrongSecretKeyWrongSecret1"
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, sim.CACertPEM(), 0o600); err != nil {
		t.Fatalf("writing ca file: %v", err)
	}

	tests := []struct {
		name      string
		edit      func(*authapi.Config)
		wantClass failmode.Class
		wantCode  int
	}{
		{"valid", nil, "", 0},
		{"ca from file", func(c *authapi.Config) { c.RootCAs, c.CAFile = nil, caFile }, "", 0},
		{"wrong secret key", func(c *authapi.Config) { c.SKey = wrongSKey },
			failmode.BadConfig, duosim.CodeInvalidSig},
		{"unknown integration key", func(c *authapi.Config) { c.IKey = "DINOSUCHINTEGRATION0" },
			failmode.BadConfig, duosim.CodeInvalidIKey},
		{"untrusted certificate", func(c *authapi.Config) { c.RootCAs = nil },
			failmode.Unreachable, 0},
		{"nothing listening", func(c *authapi.Config) { c.APIHost = closedAddr(t) },
			failmode.Unreachable, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, sim, tt.edit)
			_, err := c.Check(context.Background())
			e := wantClass(t, err, tt.wantClass, wrongSKey)
			if e.Code != tt.wantCode {
				t.Errorf("code: got %d, want %d", e.Code, tt.wantCode)
			}
		})
	}
}

func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("closing listener: %v", err)
	}
	return addr
}

func TestNewRejectsBadConfig(t *testing.T) {
	good := authapi.Config{IKey: testIKey, SKey: testSKey, APIHost: "api-x.duosecurity.com"}
	tests := []struct {
		name string
		edit func(*authapi.Config)
	}{
		{"short ikey", func(c *authapi.Config) { c.IKey = "DI" }},
		{"short skey", func(c *authapi.Config) { c.SKey = "s" }},
		{"no host", func(c *authapi.Config) { c.APIHost = "" }},
		{"url instead of host", func(c *authapi.Config) { c.APIHost = "https://api-x.duo.com" }},
		{"host with path", func(c *authapi.Config) { c.APIHost = "api-x.duo.com/x" }},
		{"negative timeout", func(c *authapi.Config) { c.Timeout = -time.Second }},
		{"missing ca file", func(c *authapi.Config) { c.CAFile = "/nonexistent/ca.pem" }},
		{"ca file without pem", func(c *authapi.Config) { c.CAFile = os.DevNull }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			c, err := authapi.New(cfg)
			if !errors.Is(err, authapi.ErrInvalidConfig) {
				if c != nil {
					c.Close()
				}
				t.Fatalf("got %v, want ErrInvalidConfig", err)
			}
		})
	}
}
