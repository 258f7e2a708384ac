package couch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-kivik/kivik/v4"
	"github.com/go-kivik/kivik/v4/couchdb"

	"github.com/duo-kazoo/duo-kazoo/internal/ttlcache"
)

// Doc is a CouchDB document as KAZOO stores it: a JSON object whose unknown
// fields are kept as they are.
type Doc = map[string]any

// Client is a connection to the CouchDB server, safe for concurrent use.
// The zero value is not usable; call Open.
type Client struct {
	kv *kivik.Client

	// ensured remembers databases whose design docs are known to be in
	// place, so hot paths check once per process.
	ensured sync.Map // db name -> struct{}
	now     func() time.Time
	cache   *docCache
}

// Options tune a Client. The zero value is fine.
type Options struct {
	// Now is the clock for pvt_created / pvt_modified; time.Now when nil.
	Now func() time.Time
	// HTTPClient is used for requests; a client with a 30 s timeout when nil.
	HTTPClient *http.Client
	// CacheTTL is how long GetCached keeps a document (hot reads: account
	// trees, users, system config, security configs). Zero disables the
	// cache. Writes made through this client invalidate their entry; writes
	// made elsewhere are seen after at most CacheTTL.
	CacheTTL time.Duration
	// CacheObserver is told of every read-cache lookup (GetCached and the
	// cached reads built on it), with a bounded cache name (see
	// CacheObserver); nil, or a disabled cache (CacheTTL zero), records
	// nothing. *metrics.Cache implements it.
	CacheObserver CacheObserver
}

// CacheObserver counts read-cache lookups. cache is one of the Cache
// names below, never an id; hit reports whether the document came from
// the cache. A lookup that waited for another caller's load of the same
// document, or whose load failed, is a miss. Observe must be cheap and
// safe for concurrent use: it runs on every cached read.
type CacheObserver interface {
	Observe(cache string, hit bool)
}

// Cache names given to a CacheObserver, after the kind of document read.
const (
	CacheAccounts   = "accounts"    // the accounts db, or an account doc in its own db
	CacheSystem     = "system"      // system_config documents
	CacheAuthConfig = "auth_config" // an account's configs_crossbar.auth
	CacheLockouts   = "lockouts"    // lockout documents (LockoutID)
	CacheUsers      = "users"       // user documents (pvt_type user)
	CacheProviders  = "providers"   // multi-factor provider documents
	CacheDocuments  = "documents"   // anything else, and failed loads not classified above
)

// Open connects to the CouchDB server at url (credentials may be in the
// URL's user info). It does not contact the server; use Ping.
func Open(url string, opts Options) (*Client, error) {
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second, Transport: newTransport()}
	}
	kv, err := kivik.New("couch", url, couchdb.OptionHTTPClient(hc))
	if err != nil {
		return nil, fmt.Errorf("couch: connecting: %w", err)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	obs := opts.CacheObserver
	if obs == nil || opts.CacheTTL <= 0 {
		obs = nopObserver{}
	}
	return &Client{kv: kv, now: now, cache: &docCache{
		Cache: ttlcache.New[Doc](opts.CacheTTL, 0, now), obs: obs}}, nil
}

func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 256
	return t
}

// Close releases the client's connections.
func (c *Client) Close() error { return c.kv.Close() }

// Kivik returns the underlying kivik client for callers that need CouchDB
// operations this package does not wrap (tests, tools).
func (c *Client) Kivik() *kivik.Client { return c.kv }

// Ping reports whether the server answers.
func (c *Client) Ping(ctx context.Context) error {
	// Version (GET /) rather than kivik's Ping (/_up), which CouchDB 1.x
	// style servers such as PouchDB Server do not serve.
	if _, err := c.kv.Version(ctx); err != nil {
		return fmt.Errorf("couch: ping: %w", errors.Join(ErrUnavailable, err))
	}
	return nil
}

// Get reads a document. Soft-deleted documents (pvt_deleted) are reported
// as ErrNotFound.
func (c *Client) Get(ctx context.Context, db, id string) (Doc, error) {
	var doc Doc
	if err := c.kv.DB(db).Get(ctx, id).ScanDoc(&doc); err != nil {
		return nil, fmt.Errorf("couch: reading %s/%s: %w", db, id, classify(err))
	}
	if deleted, _ := doc["pvt_deleted"].(bool); deleted {
		return nil, fmt.Errorf("couch: reading %s/%s: %w (soft-deleted)", db, id, ErrNotFound)
	}
	return doc, nil
}

// GetCached is Get through the client's read cache (Options.CacheTTL).
// The returned document is shared with other callers: it must not be
// modified. hit reports whether it came from the cache.
func (c *Client) GetCached(ctx context.Context, db, id string) (doc Doc, hit bool, err error) {
	return c.cache.Get(ctx, cacheKey(db, id), func(ctx context.Context) (Doc, error) {
		return c.Get(ctx, db, id)
	})
}

// Forget drops a document from the read cache.
func (c *Client) Forget(db, id string) { c.cache.Delete(cacheKey(db, id)) }

func cacheKey(db, id string) string { return db + "\x00" + id }

// docCache is the read cache, telling its observer of every lookup. Keys
// are cacheKey(db, id).
type docCache struct {
	*ttlcache.Cache[Doc]
	obs CacheObserver
}

// Get is ttlcache's Get, observed under the name of the document's kind.
func (c *docCache) Get(ctx context.Context, key string,
	load func(context.Context) (Doc, error)) (Doc, bool, error) {
	doc, hit, err := c.Cache.Get(ctx, key, load)
	db, id, _ := strings.Cut(key, "\x00")
	c.obs.Observe(cacheName(db, id, doc), hit)
	return doc, hit, err
}

// cacheName names the kind of document db/id is, from its place and, for
// documents of an account database, its pvt_type (doc may be nil).
func cacheName(db, id string, doc Doc) string {
	switch {
	case db == AccountsDB:
		return CacheAccounts
	case db == SystemConfigDB:
		return CacheSystem
	case id == AuthConfigDocID:
		return CacheAuthConfig
	case strings.HasPrefix(id, lockoutIDPrefix):
		return CacheLockouts
	case str(doc, "pvt_type") == "user":
		return CacheUsers
	case IsProvider(doc):
		return CacheProviders
	}
	if own, err := AccountDB(id); err == nil && own == db {
		return CacheAccounts
	}
	return CacheDocuments
}

type nopObserver struct{}

func (nopObserver) Observe(string, bool) {}

// Put writes doc under its _id. A doc carrying _rev updates that revision
// and fails with ErrConflict when the stored revision differs; a doc
// without _rev is created and fails with ErrConflict when the id exists.
// On success doc's _rev is set to the new revision.
func (c *Client) Put(ctx context.Context, db string, doc Doc) (string, error) {
	id, _ := doc["_id"].(string)
	if id == "" {
		return "", fmt.Errorf("couch: writing to %s: document has no _id: %w", db, ErrInvalidID)
	}
	rev, err := c.kv.DB(db).Put(ctx, id, doc)
	c.cache.Delete(cacheKey(db, id))
	if err != nil {
		return "", fmt.Errorf("couch: writing %s/%s: %w", db, id, classify(err))
	}
	doc["_rev"] = rev
	return rev, nil
}

// Touch sets KAZOO's pvt_created (when unset) and pvt_modified on doc.
func (c *Client) Touch(doc Doc) {
	now := Gregorian(c.now())
	if _, ok := doc["pvt_created"]; !ok {
		doc["pvt_created"] = now
	}
	doc["pvt_modified"] = now
}

// Now returns the client's clock reading.
func (c *Client) Now() time.Time { return c.now() }

// CreateDB creates a database; one that exists already is not an error.
func (c *Client) CreateDB(ctx context.Context, db string) error {
	err := c.kv.CreateDB(ctx, db)
	if err != nil && kivik.HTTPStatus(err) != http.StatusPreconditionFailed {
		return fmt.Errorf("couch: creating database %s: %w", db, classify(err))
	}
	return nil
}

// DBExists reports whether a database exists.
func (c *Client) DBExists(ctx context.Context, db string) (bool, error) {
	ok, err := c.kv.DBExists(ctx, db)
	if err != nil {
		return false, fmt.Errorf("couch: checking database %s: %w", db, classify(err))
	}
	return ok, nil
}

// IsNotFound reports whether err means a missing database or document.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
