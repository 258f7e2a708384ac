// Package seed writes a small KAZOO into CouchDB: a master account, a
// reseller under it and a sub-account under the reseller, an admin and a
// plain user in each, a token signing key in system_auth and the
// system_config documents tokens are checked against. `make run` seeds
// the demo with it (fixed ids, so rerunning is safe) and integration tests
// seed fresh, random KAZOOs side by side in one server.
package seed

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// Options choose how to seed. The zero value seeds a fresh KAZOO with
// random ids.
type Options struct {
	// Fixed derives every id and secret from Name, so seeding twice
	// writes the same documents (the demo). Otherwise ids are random.
	Fixed bool
	// Name distinguishes fixed seeds; "demo" when empty.
	Name string
	// Key signs tokens; a fresh 2048-bit key when nil. With Fixed, a key
	// already stored under the derived kid is reused.
	Key *rsa.PrivateKey
	// TokenLifetime of the minted tokens; 24 h when zero.
	TokenLifetime time.Duration
}

// KAZOO is what was seeded.
type KAZOO struct {
	KeyID        string
	Key          *rsa.PrivateKey
	SystemSecret string
	Master       Account
	Reseller     Account
	Sub          Account
}

// Account is one seeded account with its users and ready tokens.
type Account struct {
	ID         string
	Name       string
	Tree       []string
	Admin      User
	User       User
	APIToken   string // a token without owner (API key style), admin rights
	accountKey string
}

// User is a seeded user.
type User struct {
	ID        string
	Username  string
	Email     string
	PrivLevel string
	Secret    string // pvt_signature_secret
	Token     string // a valid token for this user
}

// Seed writes the KAZOO and returns it with tokens minted.
func Seed(ctx context.Context, c *couch.Client, opts Options) (*KAZOO, error) {
	ids := newIDs(opts)
	k := &KAZOO{}
	for _, db := range []string{couch.AccountsDB, couch.SystemAuthDB, couch.SystemConfigDB} {
		if err := c.CreateDB(ctx, db); err != nil {
			return nil, fmt.Errorf("seeding: %w", err)
		}
	}
	if err := seedSystem(ctx, c, k, ids, opts); err != nil {
		return nil, fmt.Errorf("seeding system: %w", err)
	}

	k.Master = Account{ID: ids.id("master"), Name: "Master " + ids.label}
	k.Reseller = Account{ID: ids.id("reseller"), Name: "Reseller " + ids.label,
		Tree: []string{k.Master.ID}}
	k.Sub = Account{ID: ids.id("sub"), Name: "Sub-account " + ids.label,
		Tree: []string{k.Master.ID, k.Reseller.ID}}
	lifetime := opts.TokenLifetime
	if lifetime <= 0 {
		lifetime = 24 * time.Hour
	}
	for _, a := range []*Account{&k.Master, &k.Reseller, &k.Sub} {
		if err := seedAccount(ctx, c, ids, a); err != nil {
			return nil, fmt.Errorf("seeding account %s: %w", a.Name, err)
		}
		if err := k.mintAll(a, time.Now().Add(lifetime)); err != nil {
			return nil, err
		}
	}
	return k, nil
}

func (k *KAZOO) mintAll(a *Account, exp time.Time) error {
	var err error
	for _, u := range []*User{&a.Admin, &a.User} {
		u.Token, err = k.Mint(a.ID, u.ID, u.Secret, exp)
		if err != nil {
			return err
		}
	}
	a.APIToken, err = kazooauth.Mint(k.Key, k.KeyID, kazooauth.MintClaims{
		AccountID: a.ID, Method: "cb_api_auth", ExpiresAt: exp}, a.accountKey, k.SystemSecret)
	return err
}

// Mint mints a user token the way KAZOO does (cb_user_auth).
func (k *KAZOO) Mint(accountID, ownerID, identitySecret string, exp time.Time) (string, error) {
	return kazooauth.Mint(k.Key, k.KeyID, kazooauth.MintClaims{
		AccountID: accountID, OwnerID: ownerID, Method: "cb_user_auth", ExpiresAt: exp,
	}, identitySecret, k.SystemSecret)
}

// ids derives ids and secrets: random, or from the seed's name.
type ids struct {
	fixed bool
	label string
}

func newIDs(o Options) ids {
	name := o.Name
	if name == "" {
		name = "demo"
	}
	if !o.Fixed {
		return ids{label: randomHex(3)}
	}
	return ids{fixed: true, label: name}
}

// id returns a 32-hex id for role.
func (i ids) id(role string) string {
	if !i.fixed {
		return randomHex(16)
	}
	sum := sha256.Sum256([]byte("duo-kazoo seed " + i.label + " " + role))
	return hex.EncodeToString(sum[:16])
}

// secret returns a signature secret for role. Fixed seeds derive it too:
// the demo is not a place for real secrets.
func (i ids) secret(role string) string { return i.id("secret " + role) }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// putOrKeep writes doc unless a document with its id exists (fixed seeds
// rerun); it returns the stored or new revision.
func putOrKeep(ctx context.Context, c *couch.Client, db string, doc couch.Doc) error {
	id, _ := doc["_id"].(string)
	existing, err := c.Get(ctx, db, id)
	switch {
	case err == nil:
		doc["_rev"] = existing["_rev"]
	case !errors.Is(err, couch.ErrNotFound):
		return err
	}
	c.Touch(doc)
	_, err = c.Put(ctx, db, doc)
	return err
}
