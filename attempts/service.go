package attempts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// Query selects attempts of one account for List. Its fields are those of
// the HTTP layer's failure-log query, in the same order, so one converts
// to the other.
type Query struct {
	// From and To bound the attempts' timestamps, inclusive. Zero To: now;
	// zero From: To minus ServiceOptions.DefaultRange.
	From, To time.Time
	// Filters are exact matches on listing fields: status, reason,
	// username, owner_id, client_ip, configuration_id, auth_module,
	// factor (one of them is served by an index), and auth_type (matched
	// while reading). Other names are ErrBadQuery; empty values are
	// ignored.
	Filters map[string]string
	// Search is free text matched, case-insensitively, as a substring of
	// username, owner_id, client_ip, reason or message.
	Search string
	// PageSize bounds the page; zero lists everything (within the scan
	// bound, see ServiceOptions).
	PageSize int
	// StartKey is a Page's NextStartKey: the page continues right after
	// the row where that page ended. Empty: from the newest attempt.
	StartKey string
}

// Page is one page of a listing, newest first.
type Page struct {
	// Attempts are listing rows: id, timestamp (Gregorian seconds),
	// status, reason, message, auth_type, auth_module, client_ip, username,
	// owner_id, configuration_id, provider_name, factor (fields without a
	// value are absent).
	Attempts []map[string]any
	// NextStartKey continues the listing; empty when it is complete.
	NextStartKey string
}

// ServiceOptions tune a Service. Zero fields take their defaults.
type ServiceOptions struct {
	// MaxScan bounds the view rows one paginated List reads (default
	// 5000). With filters or a search that few rows match, a page may come
	// back short, even empty, with a NextStartKey: the listing is not
	// complete, the caller asks again from there.
	MaxScan int
	// MaxScanAll is MaxScan for a List with PageSize 0 (default 50000).
	MaxScanAll int
	// Chunk is the rows read per view request when rows are matched in
	// memory (a search, or more than one filter); default 500.
	Chunk int
	// DefaultRange is the range when Query.From is zero (default 31 days).
	DefaultRange time.Duration
	// MaxRange bounds To - From (default 366 days); longer is ErrBadQuery.
	MaxRange time.Duration
}

// Service reads recorded attempts for the API. It is safe for concurrent
// use.
type Service struct {
	store Store
	opts  ServiceOptions
}

// NewService returns a Service reading through s.
func NewService(s Store, opts ServiceOptions) *Service {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&opts.MaxScan, 5000)
	def(&opts.MaxScanAll, 50000)
	def(&opts.Chunk, 500)
	if opts.DefaultRange <= 0 {
		opts.DefaultRange = 31 * 24 * time.Hour
	}
	if opts.MaxRange <= 0 {
		opts.MaxRange = 366 * 24 * time.Hour
	}
	return &Service{store: s, opts: opts}
}

// List returns a page of the account's attempts in [q.From, q.To], newest
// first, walking the MODbs of the months in range from the newest and
// reading each month's listing view backwards; months without a MODb are
// empty. One filter is served by the by_field index; further filters and
// the search are matched while reading, in chunks, within the scan bound.
//
// Errors: a bad account id is couch.ErrInvalidID; a malformed start key
// ErrBadStartKey; unknown filters, From after To, a range over MaxRange
// or a negative page size ErrBadQuery.
func (s *Service) List(ctx context.Context, accountID string, q Query) (Page, error) {
	if !couch.ValidID(accountID) {
		return Page{}, fmt.Errorf("listing attempts: account id %q: %w", accountID,
			couch.ErrInvalidID)
	}
	p, err := s.plan(q)
	if err != nil {
		return Page{}, fmt.Errorf("listing attempts: %w", err)
	}
	if q.StartKey != "" {
		c, err := decodeCursor(q.StartKey)
		if err != nil {
			return Page{}, fmt.Errorf("listing attempts: %w", err)
		}
		p.after = &c
	}
	budget := s.opts.MaxScan
	if q.PageSize == 0 {
		budget = s.opts.MaxScanAll
	}
	sc := &scan{store: s.store, account: accountID, plan: p, limit: q.PageSize,
		budget: budget, chunk: s.opts.Chunk}
	page, err := sc.run(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("listing attempts of %s: %w", accountID, err)
	}
	return page, nil
}

// Get returns one attempt of the account with every stored field except
// the private ones (pvt_*, _rev): id instead of _id. A malformed account
// or attempt id is couch.ErrInvalidID; an id that is not a login attempt
// of this account is couch.ErrNotFound.
func (s *Service) Get(ctx context.Context, accountID, attemptID string) (map[string]any, error) {
	if !couch.ValidID(accountID) {
		return nil, fmt.Errorf("reading attempt: account id %q: %w", accountID, couch.ErrInvalidID)
	}
	if _, ok := couch.MonthOfID(attemptID); !ok {
		return nil, fmt.Errorf("reading attempt: id %q: %w", attemptID, couch.ErrInvalidID)
	}
	doc, err := s.store.GetMODBDoc(ctx, accountID, attemptID)
	if err != nil {
		return nil, fmt.Errorf("reading attempt %s: %w", attemptID, err)
	}
	if doc["pvt_type"] != DocType {
		return nil, fmt.Errorf("reading attempt %s: not a login attempt: %w",
			attemptID, couch.ErrNotFound)
	}
	return publicAttempt(doc), nil
}

// publicAttempt is doc without pvt_* and underscore fields, with id.
func publicAttempt(doc couch.Doc) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if strings.HasPrefix(k, "pvt_") || strings.HasPrefix(k, "_") {
			continue
		}
		out[k] = v
	}
	out["id"] = doc["_id"]
	return out
}
