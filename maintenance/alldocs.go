package maintenance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-kivik/kivik/v4"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// defaultPageSize is how many rows one _all_docs request reads.
const defaultPageSize = 200

// eachDoc calls fn with every document of db in id order, reading
// _all_docs with include_docs a page at a time. Design documents are
// skipped. fn's error stops the walk and is returned as it is.
func eachDoc(ctx context.Context, c *couch.Client, db string, pageSize int,
	fn func(doc couch.Doc) error) error {
	kdb := c.Kivik().DB(db)
	last := ""
	for {
		params := map[string]any{"include_docs": true, "limit": pageSize}
		if last != "" {
			params["startkey"] = last
			params["skip"] = 1
		}
		n, err := readPage(ctx, kdb, params, func(id string, doc couch.Doc) error {
			last = id
			if strings.HasPrefix(id, "_design/") || doc == nil {
				return nil
			}
			return fn(doc)
		})
		if err != nil {
			return err
		}
		if n < pageSize {
			return nil
		}
	}
}

// readPage reads one _all_docs page and returns how many rows it held.
func readPage(ctx context.Context, kdb *kivik.DB, params map[string]any,
	fn func(id string, doc couch.Doc) error) (int, error) {
	rows := kdb.AllDocs(ctx, kivik.Params(params))
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		id, err := rows.ID()
		if err != nil {
			return n, fmt.Errorf("reading %s: %w", kdb.Name(), driverError(err))
		}
		var doc couch.Doc
		if err := rows.ScanDoc(&doc); err != nil {
			doc = nil // a deleted document's row has no doc
		}
		if err := fn(id, doc); err != nil {
			return n, err
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("reading %s: %w", kdb.Name(), driverError(err))
	}
	return n, nil
}

// driverError wraps a kivik error with the couch sentinel that matches
// its status, as package couch does for its own calls.
func driverError(err error) error {
	switch status := kivik.HTTPStatus(err); {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case status == http.StatusNotFound:
		return fmt.Errorf("%w: %w", couch.ErrNotFound, err)
	case status == http.StatusConflict:
		return fmt.Errorf("%w: %w", couch.ErrConflict, err)
	case status >= 500:
		return fmt.Errorf("%w: %w", couch.ErrUnavailable, err)
	}
	return err
}

// countAccounts estimates the number of accounts: the accounts database's
// document count (design documents included).
func countAccounts(ctx context.Context, c *couch.Client) (int, error) {
	st, err := c.Kivik().DB(couch.AccountsDB).Stats(ctx)
	if err != nil {
		return 0, fmt.Errorf("counting accounts: %w", driverError(err))
	}
	return int(st.DocCount), nil
}

// isAccount reports whether a document of the accounts database is an
// account: pvt_type "account" and a KAZOO account id.
func isAccount(doc couch.Doc) bool {
	id, _ := doc["_id"].(string)
	t, _ := doc["pvt_type"].(string)
	return t == "account" && couch.ValidID(id)
}
