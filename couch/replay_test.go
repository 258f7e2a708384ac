package couch_test

import (
	"context"
	"errors"
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
