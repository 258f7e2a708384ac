package authapi

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	duoapi "github.com/duosecurity/duo_api_golang"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

func stat(s string, code int32, msg string) duoapi.StatResult {
	r := duoapi.StatResult{Stat: s}
	if code != 0 {
		r.Code = &code
	}
	if msg != "" {
		r.Message = &msg
	}
	return r
}

func detail(r duoapi.StatResult, d string) duoapi.StatResult {
	r.Message_Detail = &d
	return r
}

func TestCheckStat(t *testing.T) {
	tests := []struct {
		name      string
		stat      duoapi.StatResult
		status    int
		wantClass failmode.Class
		wantCode  int
	}{
		{"ok", stat("OK", 0, ""), 200, "", 0},
		{"bad signature", stat("FAIL", 40103, "Invalid signature"), 401,
			failmode.BadConfig, 40103},
		{"bad params", stat("FAIL", 40002, "Invalid request parameters"), 400,
			failmode.BadConfig, 40002},
		{"bad device", detail(stat("FAIL", 40002, "Invalid request parameters"), "device"), 400,
			failmode.BadConfig, 40002},
		{"no capable device", detail(stat("FAIL", 40002, "Invalid request parameters"),
			"no capable device"), 400, failmode.NotEnrolled, 40002},
		{"server error", stat("FAIL", 50000, "Internal"), 500, failmode.Unreachable, 50000},
		{"rate limit code", stat("FAIL", 42901, "Too Many Requests"), 429,
			failmode.RateLimited, 42901},
		{"unknown stat", stat("MAYBE", 0, ""), 200, failmode.Unreachable, 0},
		{"empty reply", stat("", 0, ""), 200, failmode.Unreachable, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := checkStat("check", tt.stat, tt.status)
			if tt.wantClass == "" {
				if e != nil {
					t.Fatalf("got %v, want nil", e)
				}
				return
			}
			if e == nil || e.Class != tt.wantClass || e.Code != tt.wantCode {
				t.Fatalf("got %+v, want class %s code %d", e, tt.wantClass, tt.wantCode)
			}
		})
	}
}

func TestVerdict(t *testing.T) {
	tests := []struct {
		name      string
		res       AuthResult
		factor    string
		wantClass failmode.Class
	}{
		{"allow", AuthResult{Result: "allow", Status: "allow"}, "push", ""},
		{"bypass", AuthResult{Result: "allow", Status: "bypass"}, "push", ""},
		{"denied", AuthResult{Result: "deny", Status: "deny"}, "push", failmode.UserDenied},
		{"fraud", AuthResult{Result: "deny", Status: "fraud"}, "push", failmode.Fraud},
		{"timeout", AuthResult{Result: "deny", Status: "timeout"}, "phone", failmode.Timeout},
		{"locked out", AuthResult{Result: "deny", Status: "locked_out"}, "push",
			failmode.LockedOut},
		{"bad passcode", AuthResult{Result: "deny", Status: "deny"}, "passcode",
			failmode.InvalidPasscode},
		{"push failed", AuthResult{Result: "deny", Status: "push_failed"}, "push",
			failmode.UserDenied},
		{"unknown result", AuthResult{Result: "perhaps"}, "push", failmode.Unreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verdict("auth", tt.res, tt.factor, 200)
			if got := ClassOf(err); got != tt.wantClass {
				t.Errorf("class: got %q (%v), want %q", got, err, tt.wantClass)
			}
		})
	}
}

func TestFailClassifiesTransportErrors(t *testing.T) {
	expired, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	canceled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	var syntax *json.SyntaxError
	badJSON := json.Unmarshal([]byte("<html>"), &struct{}{})
	if !errors.As(badJSON, &syntax) {
		t.Fatalf("test setup: %v is not a syntax error", badJSON)
	}
	network := errors.New("connection refused")

	tests := []struct {
		name      string
		ctx       context.Context
		err       error
		waiting   bool
		wantClass failmode.Class
		wantIs    error
	}{
		{"network error", context.Background(), network, false, failmode.Unreachable, network},
		{"rate limited", context.Background(), ErrRateLimited, false, failmode.RateLimited,
			ErrRateLimited},
		{"malformed json", context.Background(), badJSON, false, failmode.Unreachable,
			ErrMalformedReply},
		{"deadline while waiting for the user", expired, network, true, failmode.Timeout,
			context.DeadlineExceeded},
		{"deadline on an ordinary call", expired, network, false, failmode.Unreachable,
			context.DeadlineExceeded},
		{"canceled while waiting", canceled, network, true, failmode.Unreachable,
			context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := fail(tt.ctx, "preauth", session{tr: &callTransport{}}, tt.err, tt.waiting)
			if e.Class != tt.wantClass || !errors.Is(e, tt.wantIs) {
				t.Errorf("got %v (class %s), want class %s wrapping %v", e, e.Class,
					tt.wantClass, tt.wantIs)
			}
		})
	}
}

func TestClassOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want failmode.Class
	}{
		{"nil", nil, ""},
		{"typed", &Error{Class: failmode.Fraud, Op: "auth"}, failmode.Fraud},
		{"wrapped", errors.Join(errors.New("x"), &Error{Class: failmode.LockedOut}),
			failmode.LockedOut},
		{"foreign", errors.New("boom"), failmode.Unreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassOf(tt.err); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
