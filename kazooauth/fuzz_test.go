package kazooauth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// FuzzVerify feeds arbitrary strings to Verify: it must never panic, must
// return either an identity or an *Error of a known kind, never both.
func FuzzVerify(f *testing.F) {
	fx := newFixture(f, kazooauth.VerifierOptions{})
	valid := fx.mint(f, resellerID, resellerAdmin)
	for _, seed := range []string{
		valid,
		fx.mint(f, masterID, masterAdmin),
		fx.mintWith(f, keyB, kidB, kazooauth.MintClaims{
			AccountID: childID, ExpiresAt: fx.clock.Now().Add(time.Hour),
			Algorithm: "RS384",
		}),
		valid[:len(valid)-1],
		valid + ".",
		"", ".", "..", "a.b.c", "eyJhbGciOiJub25lIn0.e30.",
		"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IngifQ.e30.e30",
	} {
		f.Add(seed)
	}
	kinds := []error{
		kazooauth.ErrMalformed, kazooauth.ErrAlgorithm, kazooauth.ErrUnknownKey,
		kazooauth.ErrBadSignature, kazooauth.ErrExpired, kazooauth.ErrBadIdentity,
	}

	f.Fuzz(func(t *testing.T, token string) {
		id, err := fx.v.Verify(context.Background(), token)
		if err == nil {
			if id == nil || !kazooauth.IsAccountID(id.AccountID) {
				t.Fatalf("got identity %+v and no error", id)
			}
			return
		}
		if id != nil {
			t.Fatalf("got identity %+v with error %v", id, err)
		}
		var e *kazooauth.Error
		if !errors.As(err, &e) {
			t.Fatalf("got %T %v, want *kazooauth.Error", err, err)
		}
		for _, k := range kinds {
			if e.Kind == k {
				return
			}
		}
		t.Fatalf("got error kind %v, want a token error kind", e.Kind)
	})
}
