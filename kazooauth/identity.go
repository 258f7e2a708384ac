package kazooauth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Identity is who a verified token speaks for.
type Identity struct {
	// AccountID is the token's account (account_id), the account whose
	// rights apply. When masquerading it is the impersonated account.
	AccountID string
	// OwnerID is the user (owner_id); "" for tokens without an owner,
	// such as API-key tokens (method cb_api_auth).
	OwnerID string
	// Method is the auth module that minted the token, e.g.
	// "cb_user_auth" or "cb_api_auth"; "" if the token has none.
	Method string
	// As is the optional "as" claim, copied from the login request.
	As string
	// OriginalAccountID and OriginalOwnerID are set when a user switched
	// to (masquerades as) AccountID/OwnerID: they name the real actor,
	// for audit. Authorization uses AccountID/OwnerID, as KAZOO does.
	OriginalAccountID string
	OriginalOwnerID   string
	// PrivLevel is PrivAdmin or PrivUser: priv_level of the user doc, and
	// PrivAdmin for tokens without an owner (KAZOO gives API keys the
	// rights of the account itself).
	PrivLevel string
	// IsMaster is true when AccountID is the master account: its account
	// doc holds pvt_tree as an empty list. A doc without a valid pvt_tree
	// fails Verify instead.
	IsMaster bool
	// KeyID is the kid the token was signed with.
	KeyID string
	// ExpiresAt is the exp claim; zero only when the Verifier allows
	// tokens without expiry and this one has none.
	ExpiresAt time.Time
}

// IsAdmin reports whether the identity has admin rights in its account.
func (id *Identity) IsAdmin() bool { return id.PrivLevel == PrivAdmin }

// Masquerading reports whether the token was minted for a user switch.
func (id *Identity) Masquerading() bool {
	return id.OriginalAccountID != "" || id.OriginalOwnerID != ""
}

// IdentitySig computes the identity_sig claim: unpadded base64url of
// HMAC-SHA256 keyed with identitySecret followed by systemSecret (both as
// stored), over identity. KAZOO signs the owner_id, or the account_id for
// tokens without an owner.
func IdentitySig(identitySecret, systemSecret, identity string) string {
	return base64.RawURLEncoding.EncodeToString(
		identityMAC(identitySecret, systemSecret, identity))
}

func identityMAC(identitySecret, systemSecret, identity string) []byte {
	key := make([]byte, 0, len(identitySecret)+len(systemSecret))
	key = append(append(key, identitySecret...), systemSecret...)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(identity))
	return m.Sum(nil)
}

// identify is KAZOO's last check, identity_sig against the current
// secrets, followed by the reads Authorize needs (priv_level, pvt_tree).
func (v *Verifier) identify(ctx context.Context, kid string, c *tokenClaims) (
	*Identity, error) {
	if err := v.checkIdentitySig(ctx, c); err != nil {
		return nil, err
	}

	priv := PrivAdmin
	if c.OwnerID != "" {
		lvl, err := v.store.UserPrivLevel(ctx, c.AccountID, c.OwnerID)
		if err != nil {
			return nil, storeError(err, "token user no longer exists", "reading priv_level")
		}
		if lvl != PrivAdmin {
			priv = PrivUser
		}
	}
	tree, err := v.accountTree(ctx, c.AccountID)
	switch {
	case errors.Is(err, ErrInvalidDoc):
		return nil, newError(ErrBadIdentity, "token account record invalid", err)
	case err != nil:
		return nil, storeError(err, "token account no longer exists", "reading account tree")
	}

	return &Identity{
		AccountID:         c.AccountID,
		OwnerID:           c.OwnerID,
		Method:            c.Method,
		As:                c.As,
		OriginalAccountID: c.OriginalAccountID,
		OriginalOwnerID:   c.OriginalOwnerID,
		PrivLevel:         priv,
		IsMaster:          tree != nil && len(tree) == 0,
		KeyID:             kid,
		ExpiresAt:         expiry(c),
	}, nil
}

func (v *Verifier) checkIdentitySig(ctx context.Context, c *tokenClaims) error {
	got, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.IdentitySig, "="))
	if err != nil {
		return newError(ErrBadIdentity, "identity signature malformed", nil)
	}

	secret, err := v.store.IdentitySecret(ctx, c.AccountID, c.OwnerID)
	if err != nil {
		return storeError(err, "token identity no longer exists", "reading identity secret")
	}
	if secret == "" {
		return newError(ErrBadIdentity, "identity has no signature secret", nil)
	}
	system, err := v.store.SystemSignatureSecret(ctx)
	if err != nil {
		return newError(ErrUnavailable, "reading system signature secret", err)
	}

	if !hmac.Equal(got, identityMAC(secret, system, c.identity())) {
		return newError(ErrBadIdentity, "identity signature does not match", nil)
	}
	return nil
}

// accountTree reads the pvt_tree of accountID and checks what the Store
// contract promises, so that no Store can make an account the master by
// accident: every entry is another account's id. A violation is
// ErrInvalidDoc. Only a non-nil empty tree names the master.
func (v *Verifier) accountTree(ctx context.Context, accountID string) ([]string, error) {
	tree, err := v.store.AccountTree(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if tree == nil {
		return nil, fmt.Errorf("account %s: no tree: %w", accountID, ErrInvalidDoc)
	}
	for _, a := range tree {
		if !IsAccountID(a) || a == accountID {
			return nil, fmt.Errorf("account %s: tree entry %q: %w", accountID, a, ErrInvalidDoc)
		}
	}
	return tree, nil
}

// storeError maps a Store error: a missing document is a revoked
// identity (ErrBadIdentity), anything else ErrUnavailable.
func storeError(err error, missing, reading string) error {
	if errors.Is(err, ErrNotFound) {
		return newError(ErrBadIdentity, missing, err)
	}
	return newError(ErrUnavailable, reading, err)
}
