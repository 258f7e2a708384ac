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

// TestListProvidersLenient: documents written by KAZOO or by hand with
// fields of the wrong type are listed as KAZOO reads them, named in
// Malformed, and never fail the listing.
func TestListProvidersLenient(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := newAccount(t, c)
	db, _ := couch.AccountDB(acct)

	good, enabledYes, nameNumber, everything, noName := "a"+testenv.NewID()[1:],
		"b"+testenv.NewID()[1:], "c"+testenv.NewID()[1:], "d"+testenv.NewID()[1:],
		"e"+testenv.NewID()[1:]
	docs := []couch.Doc{
		providerDoc(good, "GOOD"),
		func() couch.Doc { d := providerDoc(enabledYes, "YES"); d["enabled"] = "yes"; return d }(),
		func() couch.Doc { d := providerDoc(nameNumber, ""); d["name"] = 42; return d }(),
		func() couch.Doc {
			d := providerDoc(everything, "")
			d["name"], d["enabled"], d["provider_name"] = []any{"x"}, 1, map[string]any{}
			return d
		}(),
		func() couch.Doc {
			d := providerDoc(noName, "")
			delete(d, "name")
			delete(d, "enabled")
			return d
		}(),
	}
	for _, d := range docs {
		if _, err := c.Put(ctx, db, d); err != nil {
			t.Fatal(err)
		}
	}

	list, err := c.ListProviders(ctx, acct)
	if err != nil {
		t.Fatalf("ListProviders: %v", err)
	}
	want := []couch.ProviderSummary{
		{ID: good, Name: "GOOD", ProviderName: "duo", ProviderType: "multi_factor",
			Enabled: true},
		{ID: enabledYes, Name: "YES", ProviderName: "duo", ProviderType: "multi_factor",
			Malformed: "enabled"},
		{ID: nameNumber, ProviderName: "duo", ProviderType: "multi_factor", Enabled: true,
			Malformed: "name"},
		{ID: everything, ProviderType: "multi_factor",
			Malformed: "name,provider_name,enabled"},
		{ID: noName, ProviderName: "duo", ProviderType: "multi_factor"},
	}
	if len(list) != len(want) {
		t.Fatalf("got %d rows %+v, want %d", len(list), list, len(want))
	}
	for i := range want {
		if list[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, list[i], want[i])
		}
	}
}

func TestSoftDeleteProvider(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := newAccount(t, c)
	id := testenv.NewID()
	rev, err := c.SaveProvider(ctx, acct, providerDoc(id, "GONE"))
	if err != nil {
		t.Fatal(err)
	}

	doc, err := c.SoftDeleteProvider(ctx, acct, id, rev)
	if err != nil {
		t.Fatalf("SoftDeleteProvider: %v", err)
	}
	if doc["pvt_deleted"] != true || doc["_rev"] == rev || doc["name"] != "GONE" {
		t.Fatalf("got %v, want the document soft-deleted at a new revision", doc)
	}
	if _, err := c.GetProvider(ctx, acct, id); !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("GetProvider after delete = %v, want ErrNotFound", err)
	}
	kept, err := c.GetProviderAny(ctx, acct, id)
	if err != nil || kept["pvt_deleted"] != true {
		t.Fatalf("GetProviderAny after delete = %v, %v; want the soft-deleted doc", kept, err)
	}
	if _, err := c.GetProviderAny(ctx, acct, testenv.NewID()); !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("GetProviderAny(missing) = %v, want ErrNotFound", err)
	}
}

// TestNameClaimsAreExclusive: of many concurrent creations of one claim,
// CouchDB accepts exactly one; updates and deletes check the revision.
func TestNameClaimsAreExclusive(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := open(t, couch.Options{Now: func() time.Time { return now }})
	acct := newAccount(t, c)
	id := couch.NameClaimID("office")
	if id == couch.NameClaimID("Office") || len(id) > 100 {
		t.Fatalf("NameClaimID: %q", id)
	}
	if _, err := c.GetNameClaim(ctx, acct, id); !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("GetNameClaim before any = %v, want ErrNotFound", err)
	}

	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.PutNameClaim(ctx, acct, couch.NameClaim{ID: id,
				ConfigID: testenv.NewID(), Name: "Office"})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, couch.ErrConflict):
			t.Fatalf("PutNameClaim: %v, want nil or ErrConflict", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d concurrent creations of one claim succeeded, want exactly 1", won)
	}

	cl, err := c.GetNameClaim(ctx, acct, id)
	if err != nil || cl.Rev == "" || cl.Name != "Office" || !cl.Modified.Equal(now) {
		t.Fatalf("GetNameClaim = %+v, %v", cl, err)
	}
	stale := cl
	cl.ConfigID = "moved"
	moved, err := c.PutNameClaim(ctx, acct, cl)
	if err != nil || moved.Rev == stale.Rev {
		t.Fatalf("update PutNameClaim = %+v, %v", moved, err)
	}
	if _, err := c.PutNameClaim(ctx, acct, stale); !errors.Is(err, couch.ErrConflict) {
		t.Fatalf("PutNameClaim from a stale revision = %v, want ErrConflict", err)
	}
	if err := c.DeleteNameClaim(ctx, acct, stale); !errors.Is(err, couch.ErrConflict) {
		t.Fatalf("DeleteNameClaim from a stale revision = %v, want ErrConflict", err)
	}
	if err := c.DeleteNameClaim(ctx, acct, moved); err != nil {
		t.Fatalf("DeleteNameClaim: %v", err)
	}
	if _, err := c.GetNameClaim(ctx, acct, id); !errors.Is(err, couch.ErrNotFound) {
		t.Fatalf("GetNameClaim after delete = %v, want ErrNotFound", err)
	}
	// A released name can be claimed again.
	if _, err := c.PutNameClaim(ctx, acct, couch.NameClaim{ID: id, ConfigID: "again"}); err != nil {
		t.Fatalf("PutNameClaim after delete: %v", err)
	}
	if list, _ := c.ListProviders(ctx, acct); len(list) != 0 {
		t.Fatalf("claims show in the providers listing: %+v", list)
	}
}
