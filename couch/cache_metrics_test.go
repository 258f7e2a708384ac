package couch_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// lookup is one observed read-cache lookup.
type lookup struct {
	cache string
	hit   bool
}

// fakeObserver records every lookup it is told of.
type fakeObserver struct {
	mu  sync.Mutex
	got []lookup
}

func (f *fakeObserver) Observe(cache string, hit bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, lookup{cache, hit})
}

// take returns the lookups observed since the last take.
func (f *fakeObserver) take() []lookup {
	f.mu.Lock()
	defer f.mu.Unlock()
	got := f.got
	f.got = nil
	return got
}

// TestCacheObserverNamesAndHits reads each kind of document twice through
// the cache: the first read must be observed as a miss and the second as a
// hit, under the kind's cache name.
func TestCacheObserverNamesAndHits(t *testing.T) {
	ctx := context.Background()
	obs := &fakeObserver{}
	c := open(t, couch.Options{CacheTTL: time.Minute, CacheObserver: obs})
	master := newAccount(t, c)
	acct := newAccount(t, c, master)
	db, _ := couch.AccountDB(acct)

	userID, providerID, sysID := testenv.NewID(), testenv.NewID(), "metrics_test_"+acct[:8]
	if _, err := c.Put(ctx, db, couch.Doc{"_id": userID, "pvt_type": "user",
		"username": "bob"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SaveProvider(ctx, acct, providerDoc(providerID, "metrics")); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateDB(ctx, couch.SystemConfigDB); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put(ctx, couch.SystemConfigDB, couch.Doc{"_id": sysID}); err != nil {
		t.Fatal(err)
	}
	otherID := testenv.NewID()
	if _, err := c.Put(ctx, db, couch.Doc{"_id": otherID, "pvt_type": "device"}); err != nil {
		t.Fatal(err)
	}
	lockID := couch.LockoutID(testenv.NewID(), "bob")

	tests := []struct {
		name  string
		read  func() error
		cache string
	}{
		{name: "account", cache: couch.CacheAccounts, read: func() error {
			_, err := c.Account(ctx, acct)
			return err
		}},
		{name: "account doc in its own db", cache: couch.CacheAccounts, read: func() error {
			_, err := c.IdentitySecret(ctx, acct, "")
			return err
		}},
		{name: "user", cache: couch.CacheUsers, read: func() error {
			_, err := c.User(ctx, acct, userID)
			return err
		}},
		{name: "provider", cache: couch.CacheProviders, read: func() error {
			_, err := c.GetProviderCached(ctx, acct, providerID)
			return err
		}},
		{name: "system config", cache: couch.CacheSystem, read: func() error {
			_, err := c.SystemConfig(ctx, sysID)
			return err
		}},
		{name: "absent lockout", cache: couch.CacheLockouts, read: func() error {
			_, err := c.GetLockout(ctx, acct, lockID)
			return err
		}},
		{name: "other document", cache: couch.CacheDocuments, read: func() error {
			_, _, err := c.GetCached(ctx, db, otherID)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs.take()
			for range 2 {
				if err := tt.read(); err != nil {
					t.Fatalf("read: %v", err)
				}
			}
			want := []lookup{{tt.cache, false}, {tt.cache, true}}
			if got := obs.take(); !slices.Equal(got, want) {
				t.Errorf("got lookups %v, want %v", got, want)
			}
		})
	}
}

// TestCacheObserverAuthConfigChain checks the chain's reads: one
// auth_config lookup per account level and one system lookup, misses when
// cold and hits when warm.
func TestCacheObserverAuthConfigChain(t *testing.T) {
	ctx := context.Background()
	obs := &fakeObserver{}
	c := open(t, couch.Options{CacheTTL: time.Minute, CacheObserver: obs})
	master := newAccount(t, c)
	acct := newAccount(t, c, master)
	a, err := c.Account(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	obs.take()

	for _, hit := range []bool{false, true} {
		if _, err := c.AuthConfigChain(ctx, a); err != nil {
			t.Fatalf("AuthConfigChain: %v", err)
		}
		want := []lookup{{couch.CacheAuthConfig, hit}, {couch.CacheAuthConfig, hit},
			{couch.CacheSystem, hit}}
		if got := obs.take(); !slices.Equal(got, want) {
			t.Errorf("hit=%v: got lookups %v, want %v", hit, got, want)
		}
	}
}

// TestCacheObserverWritesAndFailures checks that a write through the client
// makes the next read a miss, that a failed load is a miss, and that a
// disabled cache observes nothing.
func TestCacheObserverWritesAndFailures(t *testing.T) {
	ctx := context.Background()
	obs := &fakeObserver{}
	c := open(t, couch.Options{CacheTTL: time.Minute, CacheObserver: obs})
	acct := newAccount(t, c)
	db, _ := couch.AccountDB(acct)
	userID := testenv.NewID()
	if _, err := c.Put(ctx, db, couch.Doc{"_id": userID, "pvt_type": "user"}); err != nil {
		t.Fatal(err)
	}

	if _, err := c.User(ctx, acct, userID); err != nil {
		t.Fatal(err)
	}
	doc, _ := c.Get(ctx, db, userID)
	if _, err := c.Put(ctx, db, doc); err != nil {
		t.Fatal(err)
	}
	if _, err := c.User(ctx, acct, userID); err != nil {
		t.Fatal(err)
	}
	want := []lookup{{couch.CacheUsers, false}, {couch.CacheUsers, false}}
	if got := obs.take(); !slices.Equal(got, want) {
		t.Errorf("read, write, read: got lookups %v, want %v", got, want)
	}

	for range 2 {
		if _, err := c.User(ctx, acct, testenv.NewID()); err == nil {
			t.Fatal("reading a missing user succeeded")
		}
	}
	want = []lookup{{couch.CacheDocuments, false}, {couch.CacheDocuments, false}}
	if got := obs.take(); !slices.Equal(got, want) {
		t.Errorf("missing user twice: got lookups %v, want %v", got, want)
	}

	off := &fakeObserver{}
	uncached := open(t, couch.Options{CacheObserver: off})
	if _, err := uncached.Account(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if got := off.take(); len(got) != 0 {
		t.Errorf("disabled cache: got lookups %v, want none", got)
	}
}
