package couch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-kivik/kivik/v4"
)

// KAZOO's markers of a multi_factor provider document.
const (
	ProviderType      = "provider"
	MultiFactorType   = "multi_factor"
	providersView     = "crossbar_listing"
	providersDesignID = "duo_kazoo_providers"
)

// ProviderSummary is one row of an account's provider listing, the shape
// of KAZOO's `configured` entries.
type ProviderSummary struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ProviderName string `json:"provider_name"`
	ProviderType string `json:"provider_type"`
	Enabled      bool   `json:"enabled"`
	// Malformed lists, comma-separated, the fields of the stored document
	// that hold a value of the wrong JSON type ("name", "enabled",
	// "provider_name"; "value" when the row is not an object). Such a
	// field is listed as KAZOO reads it: "" or false. Empty for a
	// well-formed row; never sent.
	Malformed string `json:"-"`
}

// ListProviders lists the account's multi_factor provider documents
// (soft-deleted ones left out), ordered by id. A document that KAZOO or a
// person wrote with fields of the wrong type is listed all the same (see
// ProviderSummary.Malformed), so that one bad document neither hides the
// others nor blocks the writes that check names against the listing.
func (c *Client) ListProviders(ctx context.Context, accountID string) ([]ProviderSummary, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return nil, err
	}
	if err := c.EnsureDesignExisting(ctx, db, ProvidersDesign); err != nil {
		return nil, fmt.Errorf("listing providers of %s: %w", accountID, err)
	}
	rows := c.kv.DB(db).Query(ctx, providersDesignID, providersView,
		kivik.Param("startkey", []any{MultiFactorType}),
		kivik.Param("endkey", []any{MultiFactorType, map[string]any{}}))
	defer rows.Close()
	var out []ProviderSummary
	for rows.Next() {
		id, _ := rows.ID()
		var raw json.RawMessage
		if err := rows.ScanValue(&raw); err != nil {
			return nil, fmt.Errorf("listing providers of %s: %w", accountID, err)
		}
		out = append(out, summarize(id, raw))
	}
	if err := rows.Err(); err != nil {
		if errors.Is(classify(err), ErrNotFound) {
			c.InvalidateDesign(db)
		}
		return nil, fmt.Errorf("listing providers of %s: %w", accountID, classify(err))
	}
	return out, nil
}

// summarize reads a listing row's value leniently: a field of the wrong
// type is listed as KAZOO reads it and named in Malformed.
func summarize(id string, raw json.RawMessage) ProviderSummary {
	s := ProviderSummary{ID: id, ProviderType: MultiFactorType}
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		s.Malformed = "value"
		return s
	}
	var bad []string
	str := func(field string, dst *string) {
		switch t := v[field].(type) {
		case string:
			*dst = t
		case nil:
		default:
			bad = append(bad, field)
		}
	}
	str("name", &s.Name)
	str("provider_name", &s.ProviderName)
	switch t := v["enabled"].(type) {
	case bool:
		s.Enabled = t
	case nil:
	default:
		bad = append(bad, "enabled")
	}
	if s.ID == "" {
		s.ID, _ = v["id"].(string)
	}
	s.Malformed = strings.Join(bad, ",")
	return s
}

// GetProvider reads one multi_factor provider document of the account.
// Documents of another type under that id are ErrNotFound.
func (c *Client) GetProvider(ctx context.Context, accountID, id string) (Doc, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return nil, err
	}
	doc, err := c.Get(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if !IsProvider(doc) {
		return nil, fmt.Errorf("provider %s: %w", id, ErrNotFound)
	}
	return doc, nil
}

// GetProviderCached is GetProvider through the read cache; the document
// is shared and must not be modified.
func (c *Client) GetProviderCached(ctx context.Context, accountID, id string) (Doc, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return nil, err
	}
	doc, _, err := c.GetCached(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if !IsProvider(doc) {
		return nil, fmt.Errorf("provider %s: %w", id, ErrNotFound)
	}
	return doc, nil
}

// SaveProvider writes a provider document into the account database,
// maintaining pvt_created / pvt_modified. A doc with _rev must match the
// stored revision (ErrConflict otherwise): updates are never lost.
func (c *Client) SaveProvider(ctx context.Context, accountID string, doc Doc) (string, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return "", err
	}
	if !IsProvider(doc) {
		return "", fmt.Errorf("saving provider: not a multi_factor provider document: %w",
			ErrInvalidID)
	}
	c.Touch(doc)
	return c.Put(ctx, db, doc)
}

// DeleteProvider soft-deletes a provider document as KAZOO's crossbar
// does (pvt_deleted: true), checking the revision when rev is not empty.
func (c *Client) DeleteProvider(ctx context.Context, accountID, id, rev string) error {
	_, err := c.SoftDeleteProvider(ctx, accountID, id, rev)
	return err
}

// SoftDeleteProvider is DeleteProvider returning the document as saved,
// with pvt_deleted true and its new _rev.
func (c *Client) SoftDeleteProvider(ctx context.Context, accountID, id, rev string) (Doc, error) {
	doc, err := c.GetProvider(ctx, accountID, id)
	if err != nil {
		return nil, err
	}
	if rev != "" && doc["_rev"] != rev {
		return nil, fmt.Errorf("deleting provider %s: revision %s is stale: %w",
			id, rev, ErrConflict)
	}
	doc["pvt_deleted"] = true
	if _, err := c.SaveProvider(ctx, accountID, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// GetProviderAny is GetProvider that also returns a soft-deleted document
// (pvt_deleted true) instead of ErrNotFound.
func (c *Client) GetProviderAny(ctx context.Context, accountID, id string) (Doc, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return nil, err
	}
	var doc Doc
	if err := c.kv.DB(db).Get(ctx, id).ScanDoc(&doc); err != nil {
		return nil, fmt.Errorf("couch: reading %s/%s: %w", db, id, classify(err))
	}
	if !IsProvider(doc) {
		return nil, fmt.Errorf("provider %s: %w", id, ErrNotFound)
	}
	return doc, nil
}

// Name claims: one document per configuration name in use in an account
// database, whose id derives from the name, so that CouchDB itself
// refuses a second creation of the same claim (409) whichever replica
// writes it. What a claim means, and when an old one may be taken over, is
// the caller's policy (package configstore); this file stores them.
const (
	// NameClaimType is the pvt_type of name claim documents.
	NameClaimType     = "duo_kazoo_name_claim"
	nameClaimIDPrefix = NameClaimType + "-"
)

// NameClaimID returns the id of the claim on a name key (the name in the
// form uniqueness compares, provider.NameKey): "duo_kazoo_name_claim-"
// and the SHA-256 hex of the key.
func NameClaimID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return nameClaimIDPrefix + hex.EncodeToString(sum[:])
}

// NameClaim is a claim document as stored.
type NameClaim struct {
	// ID is the document id (NameClaimID); Rev its revision, "" for a
	// claim not stored yet.
	ID, Rev string
	// ConfigID is the configuration holding the name; Name the name as
	// that configuration spells it.
	ConfigID, Name string
	// Modified is when the claim was last written (whole seconds).
	Modified time.Time
}

// GetNameClaim reads the claim id of the account; ErrNotFound when there
// is none.
func (c *Client) GetNameClaim(ctx context.Context, accountID, id string) (NameClaim, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return NameClaim{}, err
	}
	doc, err := c.Get(ctx, db, id)
	if err != nil {
		return NameClaim{}, err
	}
	if str(doc, "pvt_type") != NameClaimType {
		return NameClaim{}, fmt.Errorf("name claim %s: %w", id, ErrNotFound)
	}
	cl := NameClaim{ID: id, Rev: str(doc, "_rev"), ConfigID: str(doc, "config_id"),
		Name: str(doc, "name")}
	if g, ok := doc["pvt_modified"].(float64); ok {
		cl.Modified = FromGregorian(int64(g))
	}
	return cl, nil
}

// PutNameClaim writes cl: creates it when cl.Rev is empty, else updates
// that revision. ErrConflict when the claim exists (create) or changed
// since it was read (update). It returns cl with its new Rev and Modified.
func (c *Client) PutNameClaim(ctx context.Context, accountID string, cl NameClaim) (
	NameClaim, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return NameClaim{}, err
	}
	doc := Doc{"_id": cl.ID, "pvt_type": NameClaimType, "pvt_account_id": accountID,
		"config_id": cl.ConfigID, "name": cl.Name}
	if cl.Rev != "" {
		doc["_rev"] = cl.Rev
	}
	c.Touch(doc)
	rev, err := c.Put(ctx, db, doc)
	if err != nil {
		return NameClaim{}, err
	}
	modified, _ := doc["pvt_modified"].(int64)
	cl.Rev, cl.Modified = rev, FromGregorian(modified)
	return cl, nil
}

// DeleteNameClaim removes the claim at cl.Rev; ErrConflict when it
// changed since it was read, ErrNotFound when it is gone.
func (c *Client) DeleteNameClaim(ctx context.Context, accountID string, cl NameClaim) error {
	db, err := AccountDB(accountID)
	if err != nil {
		return err
	}
	if _, err := c.kv.DB(db).Delete(ctx, cl.ID, cl.Rev); err != nil {
		return fmt.Errorf("couch: deleting %s/%s: %w", db, cl.ID, classify(err))
	}
	return nil
}

// IsProvider reports whether doc is a KAZOO multi_factor provider document.
func IsProvider(doc Doc) bool {
	return str(doc, "pvt_type") == ProviderType && str(doc, "pvt_provider_type") == MultiFactorType
}
