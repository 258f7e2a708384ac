package mfa

import (
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

func TestRegisterFailure(t *testing.T) {
	policy := provider.Lockout{MaxFailures: 3, Window: 10 * time.Minute,
		Duration: 15 * time.Minute}
	t0 := time.Unix(1_800_000_000, 0)
	tests := []struct {
		name       string
		policy     provider.Lockout
		failures   []time.Duration // offsets from t0 of failures with keys k0, k1, ...
		key        string          // of the new failure at t0+10m
		changed    bool
		wantCount  int
		wantLocked bool
	}{
		{name: "first failure", policy: policy, key: "new",
			changed: true, wantCount: 1},
		{name: "third within the window locks", policy: policy,
			failures: []time.Duration{time.Minute, 5 * time.Minute}, key: "new",
			changed: true, wantCount: 0, wantLocked: true},
		{name: "failures out of the window are dropped", policy: policy,
			failures: []time.Duration{0, 5 * time.Minute}, key: "new",
			changed: true, wantCount: 2},
		{name: "a redelivered failure is not counted twice", policy: policy,
			failures: []time.Duration{time.Minute, 5 * time.Minute}, key: "k1",
			changed: false, wantCount: 2},
		{name: "failures without keys always count", policy: policy,
			failures: []time.Duration{time.Minute}, key: "",
			changed: true, wantCount: 2},
		{name: "disabled policy", policy: provider.Lockout{},
			failures: []time.Duration{time.Minute}, key: "new",
			changed: false, wantCount: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := couch.Lockout{}
			for i, off := range tt.failures {
				l.Failures = append(l.Failures, couch.LockoutFailure{
					At: t0.Add(off), Key: "k" + string(rune('0'+i))})
			}
			now := t0.Add(10 * time.Minute)
			got := registerFailure(&l, tt.policy, "cfg", tt.key, now)
			if got != tt.changed {
				t.Errorf("changed = %v, want %v", got, tt.changed)
			}
			if len(l.Failures) != tt.wantCount {
				t.Errorf("got %d failures, want %d", len(l.Failures), tt.wantCount)
			}
			if locked := isLocked(l, now); locked != tt.wantLocked {
				t.Errorf("locked = %v, want %v", locked, tt.wantLocked)
			}
			if tt.wantLocked && !l.LockedUntil.Equal(now.Add(tt.policy.Duration)) {
				t.Errorf("LockedUntil = %v, want %v", l.LockedUntil, now.Add(tt.policy.Duration))
			}
		})
	}
}

func TestLockExpiresAndDedupesTheLockingFailure(t *testing.T) {
	policy := provider.Lockout{MaxFailures: 1, Window: time.Minute, Duration: time.Minute}
	now := time.Unix(1_800_000_000, 0)
	var l couch.Lockout
	if !registerFailure(&l, policy, "cfg", "k", now) || !isLocked(l, now) {
		t.Fatal("one failure with max 1 did not lock")
	}
	if registerFailure(&l, policy, "cfg", "k", now) {
		t.Error("the redelivered locking failure changed the lock")
	}
	if isLocked(l, now.Add(time.Minute)) {
		t.Error("still locked when the duration is over")
	}
}

func TestClearFailures(t *testing.T) {
	l := couch.Lockout{Failures: []couch.LockoutFailure{{Key: "a"}}}
	if !clearFailures(&l) || len(l.Failures) != 0 {
		t.Errorf("clearFailures with failures: %+v", l)
	}
	if clearFailures(&l) {
		t.Error("clearFailures without failures reported a change")
	}
}

func TestFailureKey(t *testing.T) {
	if failureKey("") != "" {
		t.Error("empty Msg-ID gave a key")
	}
	if a, b := failureKey("m1"), failureKey("m2"); a == b || len(a) != 16 {
		t.Errorf("keys %q, %q: want 16 hex digits, distinct", a, b)
	}
}
