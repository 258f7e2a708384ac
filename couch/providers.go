package couch

import (
	"context"
	"errors"
	"fmt"

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
}

// ListProviders lists the account's multi_factor provider documents
// (soft-deleted ones left out), ordered by id.
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
		var s ProviderSummary
		if err := rows.ScanValue(&s); err != nil {
			return nil, fmt.Errorf("listing providers of %s: %w", accountID, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		if errors.Is(classify(err), ErrNotFound) {
			c.InvalidateDesign(db)
		}
		return nil, fmt.Errorf("listing providers of %s: %w", accountID, classify(err))
	}
	return out, nil
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
	doc, err := c.GetProvider(ctx, accountID, id)
	if err != nil {
		return err
	}
	if rev != "" && doc["_rev"] != rev {
		return fmt.Errorf("deleting provider %s: revision %s is stale: %w", id, rev, ErrConflict)
	}
	doc["pvt_deleted"] = true
	_, err = c.SaveProvider(ctx, accountID, doc)
	return err
}

// IsProvider reports whether doc is a KAZOO multi_factor provider document.
func IsProvider(doc Doc) bool {
	return str(doc, "pvt_type") == ProviderType && str(doc, "pvt_provider_type") == MultiFactorType
}
