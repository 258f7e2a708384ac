package couch_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

func putAuthConfig(t *testing.T, c *couch.Client, accountID string, modules map[string]any) {
	t.Helper()
	db, _ := couch.AccountDB(accountID)
	doc := couch.Doc{"_id": couch.AuthConfigDocID, "pvt_type": "account_config",
		"auth_modules": modules}
	if old, err := c.Get(context.Background(), db, couch.AuthConfigDocID); err == nil {
		doc["_rev"] = old["_rev"]
	}
	if _, err := c.Put(context.Background(), db, doc); err != nil {
		t.Fatalf("writing %s of %s: %v", couch.AuthConfigDocID, accountID, err)
	}
}

func TestAuthConfigChain(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{CacheTTL: time.Minute})
	master := newAccount(t, c)
	reseller := newAccount(t, c, master)
	sub := newAccount(t, c, master, reseller)
	module := "cb_test_" + testenv.NewID()[:8]
	putAuthConfig(t, c, reseller, map[string]any{
		module: map[string]any{"multi_factor": map[string]any{"enabled": true}}})

	acct, err := c.Account(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := c.AuthConfigChain(ctx, acct)
	if err != nil {
		t.Fatalf("AuthConfigChain: %v", err)
	}
	wantIDs := []string{sub, reseller, master, ""}
	if len(chain) != len(wantIDs) {
		t.Fatalf("got %d levels, want %d", len(chain), len(wantIDs))
	}
	for i, want := range wantIDs {
		if chain[i].AccountID != want {
			t.Errorf("level %d is account %q, want %q", i, chain[i].AccountID, want)
		}
	}
	if chain[0].Modules != nil || chain[2].Modules != nil {
		t.Errorf("levels without a document have modules: %v, %v",
			chain[0].Modules, chain[2].Modules)
	}
	if _, ok := chain[1].Modules[module]; !ok {
		t.Errorf("reseller level modules = %v, want %s", chain[1].Modules, module)
	}
	if !chain[3].System() {
		t.Error("last level is not the system default")
	}

	// The absent own document is cached as absent; a write through the
	// client is seen at once.
	putAuthConfig(t, c, sub, map[string]any{module: map[string]any{}})
	chain, err = c.AuthConfigChain(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := chain[0].Modules[module]; !ok {
		t.Errorf("own level after a write = %v, want %s", chain[0].Modules, module)
	}
}

func TestAuthConfigChainErrors(t *testing.T) {
	c := open(t, couch.Options{})
	_, err := c.AuthConfigChain(context.Background(), couch.Account{ID: "not-an-id"})
	if !errors.Is(err, couch.ErrInvalidID) {
		t.Errorf("bad account id: error %v, want ErrInvalidID", err)
	}

	down, err := couch.Open("http://127.0.0.1:1", couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	_, err = down.AuthConfigChain(context.Background(), couch.Account{ID: testenv.NewID()})
	if err == nil || errors.Is(err, couch.ErrNotFound) {
		t.Errorf("server down: error %v, want a failure that is not ErrNotFound", err)
	}
}
