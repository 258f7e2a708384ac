package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// authStore adapts the couch client to kazooauth.Store, translating
// couch's not-found into the sentinels kazooauth expects.
type authStore struct{ c *couch.Client }

// AuthStore returns the kazooauth.Store backed by the CouchDB client.
func AuthStore(c *couch.Client) kazooauth.Store { return authStore{c} }

var _ kazooauth.Store = authStore{}

func mapNotFound(err error, sentinel error) error {
	switch {
	case errors.Is(err, couch.ErrNotFound), errors.Is(err, couch.ErrInvalidID):
		return fmt.Errorf("%w: %w", sentinel, err)
	case errors.Is(err, couch.ErrInvalidDoc):
		return fmt.Errorf("%w: %w", kazooauth.ErrInvalidDoc, err)
	}
	return err
}

func (s authStore) SigningKeyPEM(ctx context.Context, kid string) ([]byte, error) {
	pem, err := s.c.SigningKeyPEM(ctx, kid)
	return pem, mapNotFound(err, kazooauth.ErrUnknownKey)
}

func (s authStore) CurrentKeyID(ctx context.Context) (string, error) {
	kid, err := s.c.SystemKeyID(ctx)
	return kid, mapNotFound(err, kazooauth.ErrNotFound)
}

func (s authStore) SystemSignatureSecret(ctx context.Context) (string, error) {
	secret, err := s.c.SystemSignatureSecret(ctx)
	return secret, mapNotFound(err, kazooauth.ErrNotFound)
}

func (s authStore) IdentitySecret(ctx context.Context, accountID, ownerID string) (string, error) {
	secret, err := s.c.IdentitySecret(ctx, accountID, ownerID)
	return secret, mapNotFound(err, kazooauth.ErrNotFound)
}

func (s authStore) AccountTree(ctx context.Context, accountID string) ([]string, error) {
	a, err := s.c.Account(ctx, accountID)
	if err != nil {
		return nil, mapNotFound(err, kazooauth.ErrNotFound)
	}
	return a.Tree, nil
}

func (s authStore) UserPrivLevel(ctx context.Context, accountID, ownerID string) (string, error) {
	lvl, err := s.c.UserPrivLevel(ctx, accountID, ownerID)
	return lvl, mapNotFound(err, kazooauth.ErrNotFound)
}
