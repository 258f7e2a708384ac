package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

// seeded opens the CouchDB-API server and seeds a fresh KAZOO in it.
func seeded(t *testing.T) (*couch.Client, *seed.KAZOO) {
	t.Helper()
	ctx := context.Background()
	c, err := couch.Open(testenv.CouchURL(t), couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	k, err := seed.Seed(ctx, c, seed.Options{})
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return c, k
}

// wantAuthError fails t unless err is a *kazooauth.Error of kind want,
// with a reason and HTTP status status.
func wantAuthError(t *testing.T, err, want error, status int) {
	t.Helper()
	var e *kazooauth.Error
	if !errors.As(err, &e) || !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
	if e.Reason == "" || e.HTTPStatus() != status {
		t.Fatalf("got reason %q status %d, want a reason and %d", e.Reason, e.HTTPStatus(), status)
	}
}

func TestAuthStoreBrokenAccounts(t *testing.T) {
	// An account doc whose pvt_tree is missing or not a list, or that is
	// soft-deleted, never gives master rights: its tokens are refused
	// (401) and, as a target, it is forbidden (403).
	ctx := context.Background()
	c, k := seeded(t)
	v := kazooauth.NewVerifier(app.AuthStore(c), kazooauth.VerifierOptions{})
	reseller, err := v.Verify(ctx, k.Reseller.Admin.Token)
	if err != nil {
		t.Fatalf("Verify reseller admin: %v", err)
	}
	tree := []any{k.Master.ID, k.Reseller.ID}

	tests := []struct {
		name   string
		fields couch.Doc // over a well-formed account under the reseller
		omit   string
	}{
		{"missing pvt_tree", nil, "pvt_tree"},
		{"pvt_tree a string", couch.Doc{"pvt_tree": k.Master.ID + "," + k.Reseller.ID}, ""},
		{"pvt_tree an object", couch.Doc{"pvt_tree": map[string]any{"0": k.Master.ID}}, ""},
		{"soft-deleted", couch.Doc{"pvt_deleted": true}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := testenv.NewID()
			db, _ := couch.AccountDB(id)
			if err := c.CreateDB(ctx, db); err != nil {
				t.Fatal(err)
			}
			for _, target := range []string{couch.AccountsDB, db} {
				doc := couch.Doc{"_id": id, "pvt_type": "account", "name": "broken",
					"pvt_tree": tree, "pvt_signature_secret": "account-secret"}
				for f, val := range tc.fields {
					doc[f] = val
				}
				delete(doc, tc.omit)
				if _, err := c.Put(ctx, target, doc); err != nil {
					t.Fatal(err)
				}
			}
			admin := testenv.NewID()
			if _, err := c.Put(ctx, db, couch.Doc{"_id": admin, "pvt_type": "user",
				"priv_level": "admin", "pvt_signature_secret": "admin-secret"}); err != nil {
				t.Fatal(err)
			}

			for _, owner := range []struct{ id, secret string }{
				{admin, "admin-secret"}, {"", "account-secret"},
			} {
				tok, err := k.Mint(id, owner.id, owner.secret, time.Now().Add(time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				got, err := v.Verify(ctx, tok)
				if got != nil {
					t.Fatalf("token of owner %q: got identity %+v, want none", owner.id, got)
				}
				wantAuthError(t, err, kazooauth.ErrBadIdentity, 401)
			}

			err := v.Authorize(ctx, reseller, id, false)
			wantAuthError(t, err, kazooauth.ErrForbidden, 403)
		})
	}
}

func TestAuthStoreReservedKID(t *testing.T) {
	// CouchDB answers 400 for ids it reserves; such a kid is an unknown
	// key (401), never an unavailable store (503).
	ctx := context.Background()
	c, k := seeded(t)
	v := kazooauth.NewVerifier(app.AuthStore(c), kazooauth.VerifierOptions{})
	for _, kid := range []string{"_design", "_all_docs", "_changes", "_local"} {
		t.Run(kid, func(t *testing.T) {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
				"account_id": k.Sub.ID, "owner_id": k.Sub.Admin.ID, "iss": "kazoo",
				"exp": time.Now().Add(time.Hour).Unix(),
				"identity_sig": kazooauth.IdentitySig(k.Sub.Admin.Secret, k.SystemSecret,
					k.Sub.Admin.ID),
			})
			tok.Header["kid"] = kid
			s, err := tok.SignedString(k.Key)
			if err != nil {
				t.Fatal(err)
			}
			_, err = v.Verify(ctx, s)
			wantAuthError(t, err, kazooauth.ErrUnknownKey, 401)
		})
	}
}

func TestAuthStoreFloodSparesCurrentKey(t *testing.T) {
	// The seeded tokens are signed with the kid system_config/auth names
	// as current. A Verifier that has never seen it, whose lookup bucket a
	// flood of invented kids has emptied, still accepts them.
	ctx := context.Background()
	c, k := seeded(t)
	v := kazooauth.NewVerifier(app.AuthStore(c), kazooauth.VerifierOptions{
		KeyLookupsPerSecond: 0.001, KeyLookupBurst: 1,
	})
	for i := range 10 {
		tok, err := kazooauth.Mint(k.Key, fmt.Sprintf("flood-%d-%s", i, testenv.NewID()),
			kazooauth.MintClaims{AccountID: k.Sub.ID, OwnerID: k.Sub.Admin.ID,
				ExpiresAt: time.Now().Add(time.Hour)}, k.Sub.Admin.Secret, k.SystemSecret)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.Verify(ctx, tok)
		wantAuthError(t, err, kazooauth.ErrUnknownKey, 401)
	}

	id, err := v.Verify(ctx, k.Sub.Admin.Token)
	if err != nil {
		t.Fatalf("Verify of a token under the current key after a flood: %v", err)
	}
	if id.KeyID != k.KeyID {
		t.Fatalf("got key id %s, want %s", id.KeyID, k.KeyID)
	}
}
