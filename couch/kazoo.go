package couch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/go-kivik/kivik/v4"
)

// Account describes an account from the accounts database.
type Account struct {
	ID   string
	Name string
	// Tree lists the account's ancestors, root (master) first, immediate
	// parent last; empty for the master account.
	Tree []string
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
}

// Account reads an account from the accounts database (cached).
func (c *Client) Account(ctx context.Context, accountID string) (Account, error) {
	if !ValidID(accountID) {
		return Account{}, fmt.Errorf("account %q: %w", accountID, ErrInvalidID)
	}
	doc, _, err := c.GetCached(ctx, AccountsDB, accountID)
	if err != nil {
		return Account{}, fmt.Errorf("loading account %s: %w", accountID, err)
	}
	return Account{ID: accountID, Name: str(doc, "name"), Tree: strs(doc["pvt_tree"])}, nil
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

// SigningKeyPEM returns the private_key.pem attachment of system_auth/{kid}:
// KAZOO's token signing key.
func (c *Client) SigningKeyPEM(ctx context.Context, kid string) ([]byte, error) {
	if kid == "" {
		return nil, fmt.Errorf("signing key: empty kid: %w", ErrNotFound)
	}
	att, err := c.kv.DB(SystemAuthDB).GetAttachment(ctx, kid, "private_key.pem")
	if err != nil {
		return nil, fmt.Errorf("loading signing key %s: %w", kid, classify(err))
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

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
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
