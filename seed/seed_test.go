package seed_test

import (
	"context"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

func TestSeedMintsTokensKAZOOWouldAccept(t *testing.T) {
	ctx := context.Background()
	c, err := couch.Open(testenv.CouchURL(t), couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	k, err := seed.Seed(ctx, c, seed.Options{})
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	v := kazooauth.NewVerifier(app.AuthStore(c), kazooauth.VerifierOptions{})

	cases := []struct {
		name    string
		token   string
		account string
		owner   string
		priv    string
	}{
		{"sub admin", k.Sub.Admin.Token, k.Sub.ID, k.Sub.Admin.ID, "admin"},
		{"reseller user", k.Reseller.User.Token, k.Reseller.ID, k.Reseller.User.ID, "user"},
		{"master api token", k.Master.APIToken, k.Master.ID, "", "admin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := v.Verify(ctx, tc.token)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if id.AccountID != tc.account || id.OwnerID != tc.owner || id.PrivLevel != tc.priv {
				t.Fatalf("identity = %+v, want account %s owner %q priv %s",
					id, tc.account, tc.owner, tc.priv)
			}
		})
	}
	if got := len(k.Sub.Tree); got != 2 || k.Sub.Tree[1] != k.Reseller.ID {
		t.Fatalf("sub tree = %v, want [master reseller]", k.Sub.Tree)
	}
}

func TestFixedSeedIsRerunnable(t *testing.T) {
	ctx := context.Background()
	c, err := couch.Open(testenv.CouchURL(t), couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	name := "rerun-" + testenv.NewID()[:8]
	first, err := seed.Seed(ctx, c, seed.Options{Fixed: true, Name: name})
	if err != nil {
		t.Fatalf("first Seed: %v", err)
	}
	second, err := seed.Seed(ctx, c, seed.Options{Fixed: true, Name: name})
	if err != nil {
		t.Fatalf("second Seed: %v", err)
	}
	if first.Sub.ID != second.Sub.ID || first.KeyID != second.KeyID ||
		!first.Key.Equal(second.Key) {
		t.Fatalf("rerun changed ids or key: %s/%s vs %s/%s",
			first.Sub.ID, first.KeyID, second.Sub.ID, second.KeyID)
	}
}
