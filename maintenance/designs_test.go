package maintenance_test

import (
	"context"
	"errors"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/maintenance"
	"github.com/duo-kazoo/duo-kazoo/maintenance/couchtest"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

// TestEnsureDesignsAtStartUp: on a KAZOO without the module's design docs
// EnsureDesigns installs them in every account database and records it;
// run again, it does nothing.
func TestEnsureDesignsAtStartUp(t *testing.T) {
	srv := couchtest.Start(t)
	ctx := context.Background()
	c, err := couch.Open(srv.URL, couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	k, err := seed.Seed(ctx, c, seed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := maintenance.DesignStatus(ctx, c); !errors.Is(err, maintenance.ErrDesignNotInstalled) {
		t.Fatalf("DesignStatus before = %v, want ErrDesignNotInstalled", err)
	}

	installed, err := maintenance.EnsureDesigns(ctx, c)
	if err != nil || !installed {
		t.Fatalf("EnsureDesigns = %v, %v; want an install", installed, err)
	}
	for _, acct := range []string{k.Master.ID, k.Reseller.ID, k.Sub.ID} {
		db, _ := couch.AccountDB(acct)
		if _, err := c.Get(ctx, db, couch.ProvidersDesign.ID); err != nil {
			t.Errorf("account %s has no %s: %v", acct, couch.ProvidersDesign.ID, err)
		}
	}
	if err := maintenance.DesignStatus(ctx, c); err != nil {
		t.Fatalf("DesignStatus after = %v", err)
	}
	if installed, err := maintenance.EnsureDesigns(ctx, c); err != nil || installed {
		t.Fatalf("second EnsureDesigns = %v, %v; want nothing to do", installed, err)
	}
}
