package maintenance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

func randomID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestDocumentRereadsAfterConflict writes to the document between the
// job's read and its write: the job must read it again, decide again and
// keep both changes.
func TestDocumentRereadsAfterConflict(t *testing.T) {
	tests := []struct {
		name       string
		interfere  int // how many decisions are raced by another writer
		wantAction Action
		wantCalls  int
	}{
		{"one conflict", 1, ActionSealed, 2},
		{"conflicts every time", maxAttempts, ActionFailed, maxAttempts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := couch.Open(testenv.CouchURL(t), couch.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			acct, id := randomID(t), randomID(t)
			db, _ := couch.AccountDB(acct)
			if err := c.CreateDB(ctx, db); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Put(ctx, db, couch.Doc{"_id": id, "pvt_type": "provider",
				"pvt_provider_type": "multi_factor", "name": "x", "counter": 0.0}); err != nil {
				t.Fatal(err)
			}

			calls := 0
			decide := func(stored provider.Doc, accountID string, _ []string) (
				Finding, provider.Doc) {
				calls++
				if calls <= tc.interfere {
					other := stored.Clone()
					other["counter"] = other["counter"].(float64) + 1
					if _, err := c.Put(ctx, db, couch.Doc(other)); err != nil {
						t.Fatalf("racing write: %v", err)
					}
				}
				out := stored.Clone()
				out["touched_by_job"] = true
				return finding(stored, accountID), out
			}
			w := newWalker(c, "test", Options{}, decide)
			f, err := w.document(ctx, acct, id, nil)
			if err != nil {
				t.Fatalf("document: %v", err)
			}
			if f.Action != tc.wantAction || calls != tc.wantCalls {
				t.Errorf("got action %s after %d decisions, want %s after %d", f.Action, calls,
					tc.wantAction, tc.wantCalls)
			}
			stored, err := c.Get(ctx, db, id)
			if err != nil {
				t.Fatal(err)
			}
			if got := stored["counter"].(float64); got != float64(tc.interfere) {
				t.Errorf("racing writes kept: got counter %v, want %d", got, tc.interfere)
			}
			if _, touched := stored["touched_by_job"]; touched != (tc.wantAction == ActionSealed) {
				t.Errorf("job's write present: got %v, want %v", touched,
					tc.wantAction == ActionSealed)
			}
		})
	}
}

func TestETA(t *testing.T) {
	tests := []struct {
		name string
		p    Progress
		want time.Duration
	}{
		{"nothing done", Progress{Counts: Counts{AccountsTotal: 10}, Elapsed: time.Second}, 0},
		{"a quarter done", Progress{Counts: Counts{AccountsTotal: 8, AccountsDone: 2},
			Elapsed: 2 * time.Second}, 6 * time.Second},
		{"all done", Progress{Counts: Counts{AccountsTotal: 3, AccountsDone: 3},
			Elapsed: time.Second}, 0},
		{"estimate passed", Progress{Counts: Counts{AccountsTotal: 3, AccountsDone: 5},
			Elapsed: time.Second}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.ETA(); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
