package amqp

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestEscapeKey(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{name: "plain", in: testAccount, want: testAccount},
		{name: "dot", in: "a.b", want: "a%2Eb"},
		{name: "space", in: "a b", want: "a+b"},
		{name: "both", in: " x.y ", want: "+x%2Ey+"},
		{name: "star kept", in: "*", want: "*"},
		{name: "hash kept", in: "#", want: "#"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EscapeKey(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got, want := RequestKey("a.b"), "mfa.req.a%2Eb"; got != want {
		t.Errorf("RequestKey: got %q, want %q", got, want)
	}
	if got, want := AttemptKey(testAccount), "mfa.attempt."+testAccount; got != want {
		t.Errorf("AttemptKey: got %q, want %q", got, want)
	}
}

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Initial: 100 * time.Millisecond, Max: time.Second}
	tests := []struct {
		attempt  int
		min, max time.Duration
	}{
		{0, 50 * time.Millisecond, 100 * time.Millisecond},
		{1, 100 * time.Millisecond, 200 * time.Millisecond},
		{3, 400 * time.Millisecond, 800 * time.Millisecond},
		{4, 500 * time.Millisecond, time.Second},
		{1000, 500 * time.Millisecond, time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("attempt ", tt.attempt), func(t *testing.T) {
			for range 50 {
				if d := b.Delay(tt.attempt); d < tt.min || d > tt.max {
					t.Fatalf("got %v, want within [%v, %v]", d, tt.min, tt.max)
				}
			}
		})
	}
	if d := (Backoff{}).Delay(3); d != 0 {
		t.Errorf("zero backoff: got %v, want 0", d)
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	req := Request{Passcode: "123456",
		MultiFactorResponse: &MultiFactorResponse{SigResponse: "AUTH|sig"}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		got := fmt.Sprintf(verb, req)
		for _, secret := range []string{"123456", "AUTH|sig"} {
			if strings.Contains(got, secret) {
				t.Errorf("%s shows a secret: %s", verb, got)
			}
		}
	}
}
