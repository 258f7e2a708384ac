package kazooauth_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

func TestAuthorize(t *testing.T) {
	const (
		read  = false
		write = true
	)
	tests := []struct {
		name    string
		account string
		owner   string // "" for an API-key token of account
		target  string
		write   bool
		wantErr error
	}{
		{"self read by user", resellerID, resellerUser, resellerID, read, nil},
		{"self write by admin", resellerID, resellerAdmin, resellerID, write, nil},
		{"self write by user", resellerID, resellerUser, resellerID, write,
			kazooauth.ErrNotAdmin},
		{"descendant read by user", resellerID, resellerUser, childID, read, nil},
		{"descendant write by admin", resellerID, resellerAdmin, childID, write, nil},
		{"grandchild write by admin", resellerID, resellerAdmin, grandchildID, write, nil},
		{"descendant write by user", resellerID, resellerUser, childID, write,
			kazooauth.ErrNotAdmin},
		{"sibling read by admin", resellerID, resellerAdmin, siblingID, read,
			kazooauth.ErrForbidden},
		{"sibling write by user", resellerID, resellerUser, siblingID, write,
			kazooauth.ErrForbidden},
		{"parent read by child admin", childID, childAdmin, resellerID, read,
			kazooauth.ErrForbidden},
		{"master read by reseller admin", resellerID, resellerAdmin, masterID, read,
			kazooauth.ErrForbidden},
		{"master admin writes a sibling", masterID, masterAdmin, siblingID, write, nil},
		{"master admin writes a grandchild", masterID, masterAdmin, grandchildID, write, nil},
		{"master admin writes master", masterID, masterAdmin, masterID, write, nil},
		{"master user reads a descendant", masterID, masterUser, childID, read, nil},
		{"master user writes a descendant", masterID, masterUser, childID, write,
			kazooauth.ErrNotAdmin},
		{"API key writes own descendant", resellerID, "", grandchildID, write, nil},
		{"API key reads a sibling", resellerID, "", siblingID, read,
			kazooauth.ErrForbidden},
		{"unknown target", resellerID, resellerAdmin, "ffffffffffffffffffffffffffffffff",
			read, kazooauth.ErrForbidden},
		{"malformed target", resellerID, resellerAdmin, "../" + childID, read,
			kazooauth.ErrForbidden},
		{"empty target", masterID, masterAdmin, "", read, kazooauth.ErrForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, kazooauth.VerifierOptions{})
			var id *kazooauth.Identity
			if tc.owner == "" {
				tok := f.mintWith(t, keyA, kidA, kazooauth.MintClaims{
					AccountID: tc.account, Method: "cb_api_auth",
					ExpiresAt: f.clock.Now().Add(time.Hour),
				})
				var err error
				if id, err = f.v.Verify(context.Background(), tok); err != nil {
					t.Fatalf("Verify API key token: %v", err)
				}
			} else {
				id = f.identity(t, tc.account, tc.owner)
			}

			err := f.v.Authorize(context.Background(), id, tc.target, tc.write)
			e := wantKind(t, err, tc.wantErr)
			if e != nil && e.HTTPStatus() != 403 {
				t.Errorf("got status %d, want 403", e.HTTPStatus())
			}
		})
	}
}

func TestAuthorizeNilIdentity(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{})
	err := f.v.Authorize(context.Background(), nil, resellerID, false)
	wantKind(t, err, kazooauth.ErrForbidden)
}

func TestAuthorizeStoreDown(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{})
	id := f.identity(t, resellerID, resellerAdmin)
	f.store.setDown(errStoreDown)

	tests := []struct {
		name    string
		target  string
		wantErr error
	}{
		{"own account needs no read", resellerID, nil},
		{"descendant needs the tree", childID, kazooauth.ErrUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := f.v.Authorize(context.Background(), id, tc.target, true)
			wantKind(t, err, tc.wantErr)
		})
	}
}

func TestAuthorizeInvalidTarget(t *testing.T) {
	// A target whose account doc is gone or has no valid pvt_tree is
	// forbidden, even when its broken tree would name the token's account.
	invalid := fmt.Errorf("fake: pvt_tree missing: %w", kazooauth.ErrInvalidDoc)
	tests := []struct {
		name  string
		spoil func(s *fakeStore)
	}{
		{"deleted", func(s *fakeStore) { s.deleteAccount(childID) }},
		{"no pvt_tree", func(s *fakeStore) { s.breakAccount(childID, invalid) }},
		{"nil tree from the store", func(s *fakeStore) { s.breakAccount(childID, nil) }},
		{"tree with an entry that is not an id", func(s *fakeStore) {
			s.putAccountTree(childID, "child-secret", []string{masterID, resellerID, "x"})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, kazooauth.VerifierOptions{})
			id := f.identity(t, resellerID, resellerAdmin)
			tc.spoil(f.store)

			err := f.v.Authorize(context.Background(), id, childID, false)
			e := wantKind(t, err, kazooauth.ErrForbidden)
			if e.HTTPStatus() != 403 {
				t.Errorf("got status %d, want 403", e.HTTPStatus())
			}
		})
	}
}
