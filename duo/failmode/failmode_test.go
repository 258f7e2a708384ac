package failmode

import (
	"errors"
	"strings"
	"testing"
)

func TestParseMode(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Mode
		wantErr error
	}{
		{name: "secure", in: "secure", want: Secure},
		{name: "safe", in: "safe", want: Safe},
		{name: "empty defaults to secure", in: "", want: Secure},
		{name: "upper case with spaces", in: "  SAFE ", want: Safe},
		{name: "unknown", in: "open", want: Secure, wantErr: ErrUnknownMode},
		{name: "prefix only", in: "saf", want: Secure, wantErr: ErrUnknownMode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMode(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseMode(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseMode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestDecideMatrix spells out every (mode, phase, class) combination. Only
// the four rows marked allow may let a login through.
func TestDecideMatrix(t *testing.T) {
	const (
		deny  = false
		allow = true
	)
	tests := []struct {
		mode  Mode
		phase Phase
		class Class
		want  bool
	}{
		{Safe, Preflight, Unreachable, allow},
		{Safe, Preflight, RateLimited, allow},
		{Safe, Preflight, BadConfig, deny},
		{Safe, Preflight, UserDenied, deny},
		{Safe, Preflight, Fraud, deny},
		{Safe, Preflight, Timeout, deny},
		{Safe, Preflight, LockedOut, deny},
		{Safe, Preflight, NotEnrolled, deny},
		{Safe, Preflight, InvalidPasscode, deny},
		{Safe, Preflight, InvalidResponse, deny},
		{Safe, Preflight, Internal, deny},

		{Safe, SecondFactor, Unreachable, deny},
		{Safe, SecondFactor, RateLimited, deny},
		{Safe, SecondFactor, BadConfig, deny},
		{Safe, SecondFactor, UserDenied, deny},
		{Safe, SecondFactor, Fraud, deny},
		{Safe, SecondFactor, Timeout, deny},
		{Safe, SecondFactor, LockedOut, deny},
		{Safe, SecondFactor, NotEnrolled, deny},
		{Safe, SecondFactor, InvalidPasscode, deny},
		{Safe, SecondFactor, InvalidResponse, deny},
		{Safe, SecondFactor, Internal, deny},

		{Secure, Preflight, Unreachable, deny},
		{Secure, Preflight, RateLimited, deny},
		{Secure, Preflight, BadConfig, deny},
		{Secure, Preflight, UserDenied, deny},
		{Secure, Preflight, Fraud, deny},
		{Secure, Preflight, Timeout, deny},
		{Secure, Preflight, LockedOut, deny},
		{Secure, Preflight, NotEnrolled, deny},
		{Secure, Preflight, InvalidPasscode, deny},
		{Secure, Preflight, InvalidResponse, deny},
		{Secure, Preflight, Internal, deny},

		{Secure, SecondFactor, Unreachable, deny},
		{Secure, SecondFactor, RateLimited, deny},
		{Secure, SecondFactor, BadConfig, deny},
		{Secure, SecondFactor, UserDenied, deny},
		{Secure, SecondFactor, Fraud, deny},
		{Secure, SecondFactor, Timeout, deny},
		{Secure, SecondFactor, LockedOut, deny},
		{Secure, SecondFactor, NotEnrolled, deny},
		{Secure, SecondFactor, InvalidPasscode, deny},
		{Secure, SecondFactor, InvalidResponse, deny},
		{Secure, SecondFactor, Internal, deny},

		{"", Preflight, Unreachable, deny},
		{"", Preflight, RateLimited, deny},
		{"bogus", Preflight, Unreachable, deny},

		{Safe, Preflight, "", deny},
		{Safe, Preflight, "network_blip", deny},
		{Safe, "", Unreachable, deny},
		{Safe, "during_lunch", RateLimited, deny},
	}
	for _, tt := range tests {
		name := string(tt.mode) + "/" + string(tt.phase) + "/" + string(tt.class)
		t.Run(name, func(t *testing.T) {
			got := Decide(tt.mode, tt.class, tt.phase)
			if got.Allow != tt.want {
				t.Errorf("Allow = %v, want %v (reason %q)", got.Allow, tt.want, got.Reason)
			}
			if got.FailedOpen != tt.want {
				t.Errorf("FailedOpen = %v, want %v", got.FailedOpen, tt.want)
			}
			if got.Reason == "" {
				t.Error("Reason is empty, want an explanation")
			}
		})
	}
}

// TestMatrixCoversEveryClass guards against a class added to Classes but
// not to the explicit matrix above: every class must deny in every phase
// under Secure, and only service failures may allow under Safe.
func TestMatrixCoversEveryClass(t *testing.T) {
	for _, c := range Classes() {
		if !c.Valid() {
			t.Errorf("Classes() holds %q, which Valid() rejects", c)
		}
		for _, p := range []Phase{Preflight, SecondFactor} {
			if d := Decide(Secure, c, p); d.Allow {
				t.Errorf("Decide(secure, %s, %s) allows, want deny", c, p)
			}
			d := Decide(Safe, c, p)
			want := p == Preflight && c.ServiceFailure()
			if d.Allow != want {
				t.Errorf("Decide(safe, %s, %s).Allow = %v, want %v", c, p, d.Allow, want)
			}
		}
	}
}

func TestDecideReasonNamesClassAndPhase(t *testing.T) {
	d := Decide(Safe, Unreachable, Preflight)
	for _, want := range []string{"unreachable", "preflight", "safe"} {
		if !strings.Contains(d.Reason, want) {
			t.Errorf("Reason = %q, want it to mention %q", d.Reason, want)
		}
	}
}
