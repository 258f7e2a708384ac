package couch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-kivik/kivik/v4"
)

// Account describes an account from the accounts database.
type Account struct {
	ID   string
	Name string
	// Tree lists the account's ancestors, root (master) first, immediate
	// parent last; empty (non-nil) for the master account. Client.Account
	// never returns an empty tree for a document without one.
	Tree []string
	// Timezone is the account's IANA time zone (timezone), as stored; ""
	// when unset.
	Timezone string
}

// IsMaster reports whether the account is the master account (no
// ancestors).
func (a Account) IsMaster() bool { return len(a.Tree) == 0 }

// User is the part of a KAZOO user document this module reads.
type User struct {
	ID              string
	AccountID       string
	Username        string
	Email           string
	PrivLevel       string // "admin" or "user"
	SignatureSecret string // pvt_signature_secret; never log it
	// Timezone is the user's IANA time zone (timezone), as stored; ""
	// when unset (KAZOO then uses the account's).
	Timezone string
}

// Account reads an account from the accounts database (cached). A
// document that is not an account (pvt_type) or is soft-deleted is
// ErrNotFound. One whose pvt_tree is missing, not a list, or lists
// anything but other accounts' ids is ErrInvalidDoc: never an empty tree,
// which would make it the master account.
func (c *Client) Account(ctx context.Context, accountID string) (Account, error) {
	if !ValidID(accountID) {
		return Account{}, fmt.Errorf("account %q: %w", accountID, ErrInvalidID)
	}
	doc, _, err := c.GetCached(ctx, AccountsDB, accountID)
	if err != nil {
		return Account{}, fmt.Errorf("loading account %s: %w", accountID, err)
	}
	if t := str(doc, "pvt_type"); t != "account" {
		return Account{}, fmt.Errorf("loading account %s: document is a %q: %w",
			accountID, t, ErrNotFound)
	}
	tree, err := accountTree(doc["pvt_tree"], accountID)
	if err != nil {
		return Account{}, fmt.Errorf("loading account %s: %w", accountID, err)
	}
	return Account{ID: accountID, Name: str(doc, "name"), Tree: tree,
		Timezone: str(doc, "timezone")}, nil
}

// accountTree reads pvt_tree strictly: a JSON list of account ids other
// than the account's own. The result is non-nil, empty for the master.
func accountTree(v any, self string) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		if v == nil {
			return nil, fmt.Errorf("pvt_tree missing: %w", ErrInvalidDoc)
		}
		return nil, fmt.Errorf("pvt_tree is a %T, not a list: %w", v, ErrInvalidDoc)
	}
	tree := make([]string, 0, len(list))
	for _, x := range list {
		id, _ := x.(string)
		if !ValidID(id) || id == self {
			return nil, fmt.Errorf("pvt_tree entry %v is not an ancestor's id: %w",
				x, ErrInvalidDoc)
		}
		tree = append(tree, id)
	}
	return tree, nil
}

// AccountTree returns the account's pvt_tree (ancestors, root first).
func (c *Client) AccountTree(ctx context.Context, accountID string) ([]string, error) {
	a, err := c.Account(ctx, accountID)
	return a.Tree, err
}

// User reads a user document from an account database (cached).
func (c *Client) User(ctx context.Context, accountID, userID string) (User, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return User{}, err
	}
	if !ValidID(userID) {
		return User{}, fmt.Errorf("user %q: %w", userID, ErrInvalidID)
	}
	doc, _, err := c.GetCached(ctx, db, userID)
	if err != nil {
		return User{}, fmt.Errorf("loading user %s: %w", userID, err)
	}
	if t := str(doc, "pvt_type"); t != "user" {
		return User{}, fmt.Errorf("loading user %s: document is a %q: %w", userID, t, ErrNotFound)
	}
	return User{
		ID: userID, AccountID: accountID,
		Username: str(doc, "username"), Email: str(doc, "email"),
		PrivLevel: str(doc, "priv_level"), SignatureSecret: str(doc, "pvt_signature_secret"),
		Timezone: str(doc, "timezone"),
	}, nil
}

// UserPrivLevel returns the user's priv_level ("admin" or "user").
func (c *Client) UserPrivLevel(ctx context.Context, accountID, ownerID string) (string, error) {
	u, err := c.User(ctx, accountID, ownerID)
	return u.PrivLevel, err
}

// IdentitySecret returns the secret KAZOO signs a token's identity with:
// pvt_signature_secret of the user, or of the account document when the
// token has no owner.
func (c *Client) IdentitySecret(ctx context.Context, accountID, ownerID string) (string, error) {
	if ownerID != "" {
		u, err := c.User(ctx, accountID, ownerID)
		return u.SignatureSecret, err
	}
	db, err := AccountDB(accountID)
	if err != nil {
		return "", err
	}
	doc, _, err := c.GetCached(ctx, db, accountID)
	if err != nil {
		return "", fmt.Errorf("loading account doc %s: %w", accountID, err)
	}
	if t := str(doc, "pvt_type"); t != "account" {
		return "", fmt.Errorf("loading account doc %s: document is a %q: %w",
			accountID, t, ErrNotFound)
	}
	return str(doc, "pvt_signature_secret"), nil
}

// SystemConfig reads a system_config document (cached), e.g. "auth" or
// "crossbar.auth".
func (c *Client) SystemConfig(ctx context.Context, id string) (Doc, error) {
	doc, _, err := c.GetCached(ctx, SystemConfigDB, id)
	if err != nil {
		return nil, fmt.Errorf("loading system_config/%s: %w", id, err)
	}
	return doc, nil
}

// SystemSignatureSecret returns system_config/auth default
// secret_for_user_signature.
func (c *Client) SystemSignatureSecret(ctx context.Context) (string, error) {
	doc, err := c.SystemConfig(ctx, "auth")
	if err != nil {
		return "", err
	}
	def, _ := doc["default"].(map[string]any)
	secret, _ := def["secret_for_user_signature"].(string)
	if secret == "" {
		return "", fmt.Errorf("system_config/auth has no secret_for_user_signature: %w", ErrNotFound)
	}
	return secret, nil
}

// SystemKeyID returns system_config/auth default.system_key: the kid
// KAZOO signs new tokens with, "" when unset. It reads the document
// uncached, so that a rotated key is seen at once; callers bound how
// often they ask.
func (c *Client) SystemKeyID(ctx context.Context) (string, error) {
	doc, err := c.Get(ctx, SystemConfigDB, "auth")
	if err != nil {
		return "", fmt.Errorf("loading system_config/auth: %w", err)
	}
	def, _ := doc["default"].(map[string]any)
	kid, _ := def["system_key"].(string)
	return kid, nil
}

// SigningKeyPEM returns the private_key.pem attachment of system_auth/{kid}:
// KAZOO's token signing key. The kid comes from a token, so it is checked
// first: one CouchDB reserves (_design, _all_docs, ...) or that holds a
// '/' is ErrInvalidID without a request, and a 4xx answer other than an
// authorization failure is ErrNotFound, never ErrUnavailable.
func (c *Client) SigningKeyPEM(ctx context.Context, kid string) ([]byte, error) {
	switch {
	case kid == "":
		return nil, fmt.Errorf("signing key: empty kid: %w", ErrNotFound)
	case kid[0] == '_' || strings.ContainsRune(kid, '/'):
		return nil, fmt.Errorf("signing key %q: %w", kid, ErrInvalidID)
	}
	att, err := c.kv.DB(SystemAuthDB).GetAttachment(ctx, kid, "private_key.pem")
	if err != nil {
		return nil, fmt.Errorf("loading signing key %s: %w", kid, classifyLookup(err))
	}
	defer att.Content.Close()
	pem, err := readAttachment(att)
	if err != nil {
		return nil, fmt.Errorf("reading signing key %s: %w", kid, errors.Join(ErrUnavailable, err))
	}
	return pem, nil
}

func str(doc Doc, key string) string {
	s, _ := doc[key].(string)
	return s
}

// PutAttachment stores data as an attachment of db/docID at revision rev
// (empty for a new document) and returns the new revision.
func (c *Client) PutAttachment(ctx context.Context, db, docID, rev, name, contentType string,
	data []byte) (string, error) {
	att := &kivik.Attachment{
		Filename: name, ContentType: contentType,
		Content: io.NopCloser(bytes.NewReader(data)),
	}
	var opts []kivik.Option
	if rev != "" {
		opts = append(opts, kivik.Rev(rev))
	}
	newRev, err := c.kv.DB(db).PutAttachment(ctx, docID, att, opts...)
	c.cache.Delete(cacheKey(db, docID))
	if err != nil {
		return "", fmt.Errorf("couch: attaching %s to %s/%s: %w", name, db, docID, classify(err))
	}
	return newRev, nil
}

// readAttachment reads up to 64 KiB of an attachment, undoing the gzip
// transfer encoding some servers (PouchDB Server) apply even to types
// CouchDB would send as they are.
func readAttachment(att *kivik.Attachment) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(att.Content, 64<<10))
	if err != nil {
		return nil, err
	}
	if att.ContentEncoding != "gzip" && !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(zr, 64<<10))
}
