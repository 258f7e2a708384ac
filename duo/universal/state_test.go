package universal

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	stateKey    = []byte("0123456789abcdef0123456789abcdef")
	oldStateKey = []byte("fedcba9876543210fedcba9876543210")
)

func newCodec(t *testing.T, key []byte, previous ...[]byte) *StateCodec {
	t.Helper()
	c, err := NewStateCodec(key, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewStateCodecKeys(t *testing.T) {
	if _, err := NewStateCodec(stateKey[:31]); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("31-byte key: error = %v, want ErrInvalidConfig", err)
	}
	if _, err := NewStateCodec(stateKey, []byte("short")); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("short previous key: error = %v, want ErrInvalidConfig", err)
	}
	key := append([]byte(nil), stateKey...)
	c := newCodec(t, key)
	state, _, _ := c.Issue(testUser, "cfg", time.Minute, testNow)
	key[0] ^= 1 // the codec must have its own copy
	if _, err := c.Open(state, testNow); err != nil {
		t.Errorf("Open after the caller changed its key slice: %v", err)
	}
}

func TestStateRoundTrip(t *testing.T) {
	c := newCodec(t, stateKey)
	state, issued, err := c.Issue(testUser, "config-1", 5*time.Minute, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(state) < MinStateLen || len(state) > MaxStateLen {
		t.Errorf("state length %d outside Duo's %d..%d", len(state), MinStateLen, MaxStateLen)
	}
	const urlSafe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
	if strings.Trim(state, urlSafe) != "" {
		t.Errorf("state %q is not URL-safe", state)
	}

	// Another replica: same key, separate codec.
	got, err := newCodec(t, stateKey).Open(state, testNow.Add(4*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	want := StateClaims{Username: testUser, ConfigID: "config-1", ID: got.ID,
		IssuedAt: testNow, ExpiresAt: testNow.Add(5 * time.Minute)}
	if got != want || len(got.ID) < 26 {
		t.Errorf("claims = %+v, want %+v with a random ID", got, want)
	}
	if issued != got {
		t.Errorf("Issue claims = %+v, Open claims = %+v; want equal", issued, got)
	}
	again, _, _ := c.Issue(testUser, "config-1", 5*time.Minute, testNow)
	if again == state {
		t.Error("two states for the same user are equal")
	}
}

func TestStateOpenRejects(t *testing.T) {
	c := newCodec(t, stateKey)
	state, _, err := c.Issue(testUser, "config-1", time.Minute, testNow)
	if err != nil {
		t.Fatal(err)
	}
	other, _, _ := newCodec(t, oldStateKey).Issue(testUser, "config-1", time.Minute, testNow)
	parts := strings.Split(state, ".")
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	tests := []struct {
		name  string
		state string
		now   time.Time
		want  error
	}{
		{"valid until the last second", state, testNow.Add(time.Minute - time.Second), nil},
		{"at expiry", state, testNow.Add(time.Minute), ErrStateExpired},
		{"signed with another key", other, testNow, ErrStateInvalid},
		{"payload altered", parts[0] + "." + flip(parts[1], 5) + "." + parts[2], testNow,
			ErrStateInvalid},
		{"signature altered", parts[0] + "." + parts[1] + "." + flip(parts[2], 3), testNow,
			ErrStateInvalid},
		{"signature missing", parts[0] + "." + parts[1], testNow, ErrStateInvalid},
		{"signature not base64", parts[0] + "." + parts[1] + ".***", testNow, ErrStateInvalid},
		{"other version", "s2." + parts[1] + "." + parts[2], testNow, ErrStateInvalid},
		{"extra part", state + ".x", testNow, ErrStateInvalid},
		{"random", "abcdefghijklmnopqrstuvwxyz0123456789", testNow, ErrStateInvalid},
		{"empty", "", testNow, ErrStateInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims, err := c.Open(tt.state, tt.now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if err != nil && claims != (StateClaims{}) {
				t.Errorf("claims = %+v with an error, want zero", claims)
			}
		})
	}
}

func TestStateKeyRotation(t *testing.T) {
	old, _, _ := newCodec(t, oldStateKey).Issue(testUser, "c", time.Minute, testNow)
	rotated := newCodec(t, stateKey, oldStateKey)
	if _, err := rotated.Open(old, testNow); err != nil {
		t.Errorf("state under the previous key: %v", err)
	}
	fresh, _, _ := rotated.Issue(testUser, "c", time.Minute, testNow)
	if _, err := newCodec(t, stateKey).Open(fresh, testNow); err != nil {
		t.Errorf("new states must be signed with the current key: %v", err)
	}
}

func TestStateIssueRejects(t *testing.T) {
	c := newCodec(t, stateKey)
	tests := []struct {
		name string
		user string
		ttl  time.Duration
	}{
		{"empty user", "", time.Minute},
		{"zero ttl", testUser, 0},
		{"ttl under a second", testUser, 999 * time.Millisecond},
		{"state over 1024 characters", strings.Repeat("u", 800), time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, _, err := c.Issue(tt.user, "c", tt.ttl, testNow); !errors.Is(err,
				ErrInvalidInput) || s != "" {
				t.Errorf("Issue = %q, %v; want ErrInvalidInput", s, err)
			}
		})
	}
}

func TestRedeemIsSingleUse(t *testing.T) {
	c := newCodec(t, stateKey)
	guard := newMemGuard(fixedClock)
	state, _, _ := c.Issue(testUser, "c", time.Minute, testNow)
	ctx := context.Background()

	if _, err := c.Redeem(ctx, guard, state, testNow); err != nil {
		t.Fatalf("first redeem: %v", err)
	}
	if _, err := newCodec(t, stateKey).Redeem(ctx, guard, state, testNow); !errors.Is(err,
		ErrReplayed) {
		t.Errorf("second redeem on another replica: error = %v, want ErrReplayed", err)
	}
	if _, err := c.Redeem(ctx, guard, "forged-state-forged-state", testNow); !errors.Is(err,
		ErrStateInvalid) {
		t.Errorf("forged state: error = %v, want ErrStateInvalid", err)
	}

	storeDown := errors.New("store down")
	broken := &memGuard{err: storeDown}
	other, _, _ := c.Issue(testUser, "c", time.Minute, testNow)
	if _, err := c.Redeem(ctx, broken, other, testNow); !errors.Is(err, storeDown) {
		t.Errorf("guard failure: error = %v, want it wrapped", err)
	}
}

func TestRedeemConcurrent(t *testing.T) {
	c := newCodec(t, stateKey)
	guard := newMemGuard(fixedClock)
	state, _, _ := c.Issue(testUser, "c", time.Minute, testNow)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Redeem(context.Background(), guard, state, testNow); err == nil {
				wins.Add(1)
			}
		})
	}
	wg.Wait()
	if got := wins.Load(); got != 1 {
		t.Errorf("%d concurrent redeems succeeded, want 1", got)
	}
}
