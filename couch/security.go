package couch

import (
	"context"
	"errors"
	"fmt"
)

// KAZOO's crossbar authentication configuration ("security" in crossbar's
// API): which auth modules are enabled and whether they need a second
// factor.
const (
	// AuthConfigDocID is the document holding an account's configuration
	// in its account database; its auth_modules object is at the top level.
	AuthConfigDocID = "configs_crossbar.auth"
	// AuthConfigSystemID is the system default in system_config; its
	// auth_modules object is under "default".
	AuthConfigSystemID = "crossbar.auth"
)

// AuthConfigLevel is one level of the hierarchy that configures logins to
// an account.
type AuthConfigLevel struct {
	// AccountID is the account whose document this is; "" for the system
	// default.
	AccountID string
	// Modules is the level's auth_modules object, shared with the read
	// cache: it must not be modified. Nil when the level has no document,
	// or its document has no auth_modules object.
	Modules map[string]any
}

// System reports whether the level is the system default.
func (l AuthConfigLevel) System() bool { return l.AccountID == "" }

// AuthConfigChain returns the levels that configure logins to acct,
// nearest first: the account's own configs_crossbar.auth, then each
// ancestor's from the immediate parent up to the master account, then
// system_config/crossbar.auth's default. Every level is returned, those
// without a document with nil Modules.
//
// Reads go through the read cache (Options.CacheTTL). Absent documents,
// and absent account databases, are cached as absent too, so that the
// common case, an account with no configuration of its own, costs no
// request once the cache is warm. A consequence: while cached, GetCached
// of one of these ids answers an empty document rather than ErrNotFound.
// Writes through this client invalidate the entry as usual.
//
// An invalid account id in acct or its tree is ErrInvalidID; a server
// failure is returned (ErrUnavailable), never taken for an absent level.
func (c *Client) AuthConfigChain(ctx context.Context, acct Account) ([]AuthConfigLevel, error) {
	ids := make([]string, 0, len(acct.Tree)+1)
	ids = append(ids, acct.ID)
	for i := len(acct.Tree) - 1; i >= 0; i-- {
		ids = append(ids, acct.Tree[i])
	}

	levels := make([]AuthConfigLevel, 0, len(ids)+1)
	for _, id := range ids {
		db, err := AccountDB(id)
		if err != nil {
			return nil, fmt.Errorf("reading auth configs of %s: %w", acct.ID, err)
		}
		doc, err := c.getOptionalCached(ctx, db, AuthConfigDocID)
		if err != nil {
			return nil, fmt.Errorf("reading auth configs of %s: %w", acct.ID, err)
		}
		modules, _ := doc["auth_modules"].(map[string]any)
		levels = append(levels, AuthConfigLevel{AccountID: id, Modules: modules})
	}

	doc, err := c.getOptionalCached(ctx, SystemConfigDB, AuthConfigSystemID)
	if err != nil {
		return nil, fmt.Errorf("reading system auth config: %w", err)
	}
	def, _ := doc["default"].(map[string]any)
	modules, _ := def["auth_modules"].(map[string]any)
	return append(levels, AuthConfigLevel{Modules: modules}), nil
}

// getOptionalCached reads a document through the read cache, answering an
// empty (non-nil) document when it or its database does not exist, and
// caching that answer like a found document.
func (c *Client) getOptionalCached(ctx context.Context, db, id string) (Doc, error) {
	doc, _, err := c.cache.Get(ctx, cacheKey(db, id), func(ctx context.Context) (Doc, error) {
		d, err := c.Get(ctx, db, id)
		if errors.Is(err, ErrNotFound) {
			return Doc{}, nil
		}
		return d, err
	})
	return doc, err
}
