package couch_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

func TestLockoutID(t *testing.T) {
	a, b := couch.LockoutID("cfg", "alice"), couch.LockoutID("cfg", "bob")
	if a == b || a != couch.LockoutID("cfg", "alice") {
		t.Errorf("ids not per user: %q, %q", a, b)
	}
	if !strings.HasPrefix(a, couch.LockoutType+"-") || strings.Contains(a, "alice") {
		t.Errorf("id %q: want the type prefix and no username", a)
	}
}

func TestLockoutRoundTrip(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := newAccount(t, c)
	id := couch.LockoutID("cfg-1", "alice")

	l, err := c.GetLockout(ctx, acct, id)
	if err != nil || l.ID != id || l.Rev != "" || len(l.Failures) != 0 {
		t.Fatalf("missing lockout = %+v, %v; want empty with id", l, err)
	}

	at := time.Unix(1_800_000_000, 0).UTC()
	until := at.Add(15 * time.Minute)
	stored, err := c.UpdateLockout(ctx, acct, id, func(l *couch.Lockout) bool {
		l.ConfigurationID = "cfg-1"
		l.Failures = append(l.Failures, couch.LockoutFailure{At: at, Key: "k1"})
		l.LockedUntil, l.LockKey = until, "k1"
		return true
	})
	if err != nil || stored.Rev == "" {
		t.Fatalf("UpdateLockout = %+v, %v", stored, err)
	}
	got, err := c.GetLockout(ctx, acct, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ConfigurationID != "cfg-1" || !got.LockedUntil.Equal(until) || got.LockKey != "k1" ||
		len(got.Failures) != 1 || !got.Failures[0].At.Equal(at) || got.Failures[0].Key != "k1" {
		t.Errorf("read back %+v, want what was written", got)
	}

	unchanged, err := c.UpdateLockout(ctx, acct, id, func(*couch.Lockout) bool { return false })
	if err != nil || unchanged.Rev != got.Rev {
		t.Errorf("no-op update = %+v, %v; want the stored revision %s", unchanged, err, got.Rev)
	}
}

// TestLockoutConcurrentUpdates: concurrent writers each add a failure;
// optimistic concurrency must keep every one of them.
func TestLockoutConcurrentUpdates(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := newAccount(t, c)
	id := couch.LockoutID("cfg-1", "bob")
	const writers = 6

	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.UpdateLockout(ctx, acct, id, func(l *couch.Lockout) bool {
				l.Failures = append(l.Failures, couch.LockoutFailure{
					At: time.Now(), Key: fmt.Sprintf("w%d", i)})
				return true
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("UpdateLockout: %v", err)
		}
	}
	l, err := c.GetLockout(ctx, acct, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Failures) != writers {
		t.Errorf("got %d failures after %d concurrent writers, want all", len(l.Failures), writers)
	}
}

func TestLockoutErrors(t *testing.T) {
	c := open(t, couch.Options{})
	if _, err := c.GetLockout(context.Background(), "bad", "x"); !errors.Is(err, couch.ErrInvalidID) {
		t.Errorf("GetLockout bad account: %v, want ErrInvalidID", err)
	}
	_, err := c.UpdateLockout(context.Background(), "bad", "x",
		func(*couch.Lockout) bool { return true })
	if !errors.Is(err, couch.ErrInvalidID) {
		t.Errorf("UpdateLockout bad account: %v, want ErrInvalidID", err)
	}
}
