package couch_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// newGuard returns a guard over a database of its own, deleted afterwards.
func newGuard(t *testing.T, c *couch.Client) (*couch.ReplayGuard, string) {
	t.Helper()
	db := "duo_kazoo_replay_test_" + testenv.NewID()[:12]
	t.Cleanup(func() { _ = c.Kivik().DestroyDB(context.Background(), db) })
	return couch.NewReplayGuard(c, db), db
}

func TestReplayGuardConsumesOnce(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	g, _ := newGuard(t, c)
	exp := time.Now().Add(time.Minute)

	if err := g.Consume(ctx, "state:a", exp); err != nil {
		t.Fatalf("first Consume: %v", err)
	}
	err := g.Consume(ctx, "state:a", exp)
	if !errors.Is(err, couch.ErrReplayed) || !errors.Is(err, couch.ErrConflict) {
		t.Errorf("second Consume: %v, want ErrReplayed (and ErrConflict)", err)
	}
	if err := g.Consume(ctx, "state:b", exp); err != nil {
		t.Errorf("another key: %v, want nil", err)
	}
}

// TestReplayGuardConcurrent: of many concurrent Consumes of one key, on two
// clients standing for two replicas, exactly one succeeds.
func TestReplayGuardConcurrent(t *testing.T) {
	ctx := context.Background()
	c1, c2 := open(t, couch.Options{}), open(t, couch.Options{})
	g1, db := newGuard(t, c1)
	if err := g1.Consume(ctx, "warm-up", time.Now()); err != nil { // creates the db
		t.Fatal(err)
	}
	g2 := couch.NewReplayGuard(c2, db)
	const callers = 12

	var wg sync.WaitGroup
	results := make(chan error, callers)
	for i := range callers {
		g := g1
		if i%2 == 1 {
			g = g2
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- g.Consume(ctx, "state:contested", time.Now().Add(time.Minute))
		}()
	}
	wg.Wait()
	close(results)
	won := 0
	for err := range results {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, couch.ErrReplayed):
			t.Errorf("Consume: %v, want nil or ErrReplayed", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent Consumes succeeded, want exactly 1", won, callers)
	}
}

func TestReplayGuardSweep(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	g, _ := newGuard(t, c)
	if n, err := g.Sweep(ctx, time.Now()); err != nil || n != 0 {
		t.Fatalf("Sweep before any use = %d, %v; want 0, nil", n, err)
	}

	now := time.Now()
	for _, k := range []string{"old-1", "old-2"} {
		if err := g.Consume(ctx, k, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Consume(ctx, "fresh", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := g.Sweep(ctx, now)
	if err != nil || n != 2 {
		t.Fatalf("Sweep = %d, %v; want 2 expired records deleted", n, err)
	}
	if err := g.Consume(ctx, "fresh", now.Add(time.Hour)); !errors.Is(err, couch.ErrReplayed) {
		t.Errorf("unexpired key after Sweep: %v, want ErrReplayed", err)
	}
	if err := g.Consume(ctx, "old-1", now.Add(time.Hour)); err != nil {
		t.Errorf("swept key: %v, want it forgotten", err)
	}
}

func TestReplayKeyIDHidesKey(t *testing.T) {
	id := couch.ReplayKeyID("duo_state:secret-state")
	if len(id) != 64 || id == couch.ReplayKeyID("duo_state:other") {
		t.Errorf("ReplayKeyID = %q, want 64 hex digits distinct per key", id)
	}
}

// TestReplayGuardClaimOwners: a key claimed again by its owner (the same
// request, redelivered) is a retry that finds the settled verdict; by
// anyone else, or without an owner, it is a replay.
func TestReplayGuardClaimOwners(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	g, _ := newGuard(t, c)
	exp := time.Now().Add(time.Minute)

	first, err := g.Claim(ctx, "sig:a", "msg-1", exp)
	if err != nil || first.Retry || first.Verdict != nil {
		t.Fatalf("first Claim = %+v, %v; want a fresh claim", first, err)
	}
	again, err := g.Claim(ctx, "sig:a", "msg-1", exp)
	if err != nil || !again.Retry || again.Verdict != nil {
		t.Fatalf("the owner's second Claim = %+v, %v; want a retry without verdict", again, err)
	}
	for name, claim := range map[string]func() error{
		"another owner": func() error { _, err := g.Claim(ctx, "sig:a", "msg-2", exp); return err },
		"no owner":      func() error { _, err := g.Claim(ctx, "sig:a", "", exp); return err },
		"Consume":       func() error { return g.Consume(ctx, "sig:a", exp) },
		"settling as another owner": func() error {
			return g.Settle(ctx, "sig:a", "msg-2", map[string]any{"result": "denied"})
		},
	} {
		if err := claim(); !errors.Is(err, couch.ErrReplayed) {
			t.Errorf("%s: %v, want ErrReplayed", name, err)
		}
	}

	verdict := map[string]any{"result": "authenticated", "factor": "push",
		"details": map[string]any{"txid": "tx-1"}}
	if err := g.Settle(ctx, "sig:a", "msg-1", verdict); err != nil {
		t.Fatalf("Settle: %v", err)
	}
	settled, err := g.Claim(ctx, "sig:a", "msg-1", exp)
	if err != nil || !settled.Retry || settled.Verdict["result"] != "authenticated" ||
		settled.Verdict["details"].(map[string]any)["txid"] != "tx-1" {
		t.Fatalf("Claim after Settle = %+v, %v; want the settled verdict", settled, err)
	}

	// A value claimed without an owner is nobody's: even "" cannot retry.
	if err := g.Consume(ctx, "sig:b", exp); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Claim(ctx, "sig:b", "msg-1", exp); !errors.Is(err, couch.ErrReplayed) {
		t.Errorf("claiming an ownerless key: %v, want ErrReplayed", err)
	}
	if err := g.Settle(ctx, "sig:c", "msg-1", verdict); !errors.Is(err, couch.ErrNotFound) {
		t.Errorf("settling an unclaimed key: %v, want ErrNotFound", err)
	}
}

// TestReplayGuardClaimConcurrentOwners: of concurrent claims of one key by
// different owners on two replicas exactly one wins, and its owner's
// concurrent retries are all told they are retries.
func TestReplayGuardClaimConcurrentOwners(t *testing.T) {
	ctx := context.Background()
	c1, c2 := open(t, couch.Options{}), open(t, couch.Options{})
	g1, db := newGuard(t, c1)
	if err := g1.Consume(ctx, "warm-up", time.Now()); err != nil { // creates the db
		t.Fatal(err)
	}
	g2 := couch.NewReplayGuard(c2, db)
	const owners, tries = 6, 3

	type result struct {
		owner int
		claim couch.Claim
		err   error
	}
	results := make(chan result, owners*tries)
	var wg sync.WaitGroup
	for i := range owners * tries {
		g := g1
		if i%2 == 1 {
			g = g2
		}
		owner := i % owners
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl, err := g.Claim(ctx, "state:contested", fmt.Sprintf("msg-%d", owner),
				time.Now().Add(time.Minute))
			results <- result{owner, cl, err}
		}()
	}
	wg.Wait()
	close(results)
	fresh, winners := 0, map[int]int{}
	for r := range results {
		switch {
		case r.err == nil:
			winners[r.owner]++
			if !r.claim.Retry {
				fresh++
			}
		case !errors.Is(r.err, couch.ErrReplayed):
			t.Errorf("Claim: %v, want nil or ErrReplayed", r.err)
		}
	}
	if fresh != 1 || len(winners) != 1 {
		t.Fatalf("%d fresh claims by %d owners (%v), want one owner with one fresh claim",
			fresh, len(winners), winners)
	}
	for owner, n := range winners {
		if n != tries {
			t.Errorf("owner %d: %d of its %d claims succeeded, want all (retries)", owner, n, tries)
		}
	}
}
