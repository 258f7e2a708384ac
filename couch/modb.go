package couch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-kivik/kivik/v4"
)

// KAZOO's MODb design doc for login attempts and its views (the same
// names, keys and row values as KAZOO's own), so KAZOO tools reading a MODb
// find what they expect.
const (
	MODBAuthDesignName    = "auth"                         // _design/auth
	LoginAttemptsByTime   = "login_attempt_by_time"        // key pvt_created
	LoginAttemptsByType   = "login_attempt_by_auth_type"   // key [auth_type, pvt_created]
	LoginAttemptsByStatus = "login_attempt_by_status"      // key [status, pvt_created]
	LoginAttemptsByModule = "login_attempt_by_auth_module" // key [auth_module, pvt_created]
)

// This module's MODb design doc for the failure-log listing and its views.
// It is apart from KAZOO's auth design doc so that KAZOO refreshing its
// own never drops these views, and so that on CouchDB reading the listing
// does not build KAZOO's views too.
const (
	AttemptsDesignName = "duo_kazoo_attempts" // _design/duo_kazoo_attempts
	AttemptsByTime     = "by_time"            // key [timestamp, _id]
	AttemptsByField    = "by_field"           // key [field, value, timestamp, _id]
)

// JavaScript shared by the MODb map functions.
const (
	attemptGuardJS = "  if (doc.pvt_type !== 'login_attempt' || doc.pvt_deleted) return;\n"

	kazooAttemptRowJS = `{id: doc._id, auth_type: doc.auth_type,
    auth_module: doc.auth_module, status: doc.status, message: doc.message,
    timestamp: doc.timestamp, client_ip: doc.client_ip}`

	attemptListingPreludeJS = attemptGuardJS + `  var m = doc.metadata || {}, d = doc.details || {};
  var ts = doc.timestamp || doc.pvt_created;
  if (typeof ts !== 'number') return;
  ts = Math.floor(ts);
  var row = {id: doc._id, timestamp: ts, status: doc.status,
    reason: doc.reason, message: doc.message, auth_type: doc.auth_type,
    auth_module: doc.auth_module, client_ip: doc.client_ip,
    username: m.username || d.username, owner_id: m.owner_id,
    configuration_id: d.configuration_id, provider_name: d.provider_name,
    factor: d.factor};
`
)

// AttemptFilterFields are the listing row fields indexed by the by_field
// view: each login attempt emits one row per field that has a non-empty
// string value.
var AttemptFilterFields = []string{"status", "reason", "username", "owner_id",
	"client_ip", "configuration_id", "auth_module", "factor"}

// MODBAuthDesign is KAZOO's auth design doc for MODbs: login attempts by
// time, auth type, status and auth module; rows carry {id, auth_type,
// auth_module, status, message, timestamp, client_ip}.
var MODBAuthDesign = DesignDoc{
	ID:      "_design/" + MODBAuthDesignName,
	Version: 1,
	Views: map[string]View{
		LoginAttemptsByTime:   {Map: kazooAttemptMap("doc.pvt_created")},
		LoginAttemptsByType:   {Map: kazooAttemptMap("[doc.auth_type, doc.pvt_created]")},
		LoginAttemptsByStatus: {Map: kazooAttemptMap("[doc.status, doc.pvt_created]")},
		LoginAttemptsByModule: {Map: kazooAttemptMap("[doc.auth_module, doc.pvt_created]")},
	},
}

// MODBAttemptsDesign is this module's listing design doc for MODbs. Both
// views emit the compact listing row {id, timestamp, status, reason,
// message, auth_type, auth_module, client_ip, username, owner_id,
// configuration_id, provider_name, factor}; keys end in [timestamp, _id],
// which is unique, so a descending read can resume exactly after a row.
// The timestamp is timestamp (else pvt_created) in whole seconds; an
// attempt with neither is not listed. username is metadata.username, else
// details.username; owner_id comes from metadata; configuration_id,
// provider_name and factor from details.
var MODBAttemptsDesign = DesignDoc{
	ID:      "_design/" + AttemptsDesignName,
	Version: 1,
	Views: map[string]View{
		AttemptsByTime: {Map: "function(doc) {\n" + attemptListingPreludeJS +
			"  emit([ts, doc._id], row);\n}"},
		AttemptsByField: {Map: "function(doc) {\n" + attemptListingPreludeJS +
			"  var fields = " + jsStringArray(AttemptFilterFields) + ";\n" +
			"  for (var i = 0; i < fields.length; i++) {\n" +
			"    var v = row[fields[i]];\n" +
			"    if (typeof v === 'string' && v !== '') emit([fields[i], v, ts, doc._id], row);\n" +
			"  }\n}"},
	},
}

// MODBDesigns are the design docs every MODb this module writes gets.
var MODBDesigns = []DesignDoc{MODBAuthDesign, MODBAttemptsDesign}

func kazooAttemptMap(key string) string {
	return "function(doc) {\n" + attemptGuardJS +
		"  emit(" + key + ", " + kazooAttemptRowJS + ");\n}"
}

func jsStringArray(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// SaveResult is the outcome of writing one document with SaveMODBDocs.
type SaveResult struct {
	ID  string
	Rev string // the new revision; empty when AlreadyStored or on error
	// AlreadyStored: a document with this id existed, so nothing was
	// written. For documents with deterministic ids (a redelivered event)
	// this is success: the event is stored once.
	AlreadyStored bool
	Err           error // this document's failure, wrapping a sentinel
}

// SaveMODBDocs creates documents in the account's MODbs. Each document's
// _id must be a MODb id (YYYYMM-<32 hex>); its month picks the MODb, which
// is created with MODBDesigns on first write. Documents without
// pvt_created get pvt_created and pvt_modified from the client's clock.
// Each MODb gets one _bulk_docs request. An id that already exists is not
// an error: its result has AlreadyStored set. Documents are never updated.
//
// The results match docs index by index. A document with a bad id has Err
// wrapping ErrInvalidID; a MODb whose write failed gives each of its
// documents that error, and the first such error is also returned. An
// invalid account id is ErrInvalidID with no results. After an error a
// retry of the same documents is safe: stored ones come back
// AlreadyStored.
func (c *Client) SaveMODBDocs(ctx context.Context, accountID string,
	docs []Doc) ([]SaveResult, error) {
	if _, err := AccountDB(accountID); err != nil {
		return nil, fmt.Errorf("saving modb documents: %w", err)
	}
	results := make([]SaveResult, len(docs))
	groups := map[string][]int{}
	var order []string
	for i, doc := range docs {
		id, _ := doc["_id"].(string)
		results[i].ID = id
		db, err := MODBForID(accountID, id)
		if err != nil {
			results[i].Err = fmt.Errorf("saving modb document: %w", err)
			continue
		}
		if _, ok := doc["pvt_created"]; !ok {
			c.Touch(doc)
		}
		if _, ok := groups[db]; !ok {
			order = append(order, db)
		}
		groups[db] = append(groups[db], i)
	}

	var first error
	for _, db := range order {
		idx := groups[db]
		if err := c.bulkCreate(ctx, db, docs, idx, results); err != nil {
			for _, i := range idx {
				results[i].Err = err
			}
			if first == nil {
				first = err
			}
		}
	}
	return results, first
}

// bulkCreate writes docs[idx] to db in one request and fills their results.
func (c *Client) bulkCreate(ctx context.Context, db string, docs []Doc, idx []int,
	results []SaveResult) error {
	batch := make([]any, len(idx))
	for j, i := range idx {
		batch[j] = docs[i]
	}
	var out []kivik.BulkResult
	for attempt := 0; attempt < 2; attempt++ {
		if err := c.EnsureDesign(ctx, db, MODBDesigns...); err != nil {
			return fmt.Errorf("preparing modb %s: %w", db, err)
		}
		var err error
		out, err = c.kv.DB(db).BulkDocs(ctx, batch)
		if err == nil {
			break
		}
		err = classify(err)
		if !errors.Is(err, ErrNotFound) || attempt == 1 {
			return fmt.Errorf("couch: writing to %s: %w", db, err)
		}
		// The database went away after its design docs were checked
		// (deleted by an operator): check again, which recreates it.
		c.InvalidateDesign(db)
	}
	if len(out) != len(idx) {
		return fmt.Errorf("couch: writing to %s: %d results for %d documents: %w",
			db, len(out), len(idx), ErrUnavailable)
	}
	// Results are matched by id, not by position: PouchDB Server does not
	// always answer in the order of the request. A duplicate id within
	// the batch takes its positions in order.
	byID := map[string][]int{}
	for _, i := range idx {
		byID[results[i].ID] = append(byID[results[i].ID], i)
	}
	for j, r := range out {
		i := idx[j]
		if queue := byID[r.ID]; r.ID != "" && len(queue) > 0 {
			i, byID[r.ID] = queue[0], queue[1:]
		}
		res := &results[i]
		switch {
		case r.Error == nil:
			res.Rev = r.Rev
		case kivik.HTTPStatus(r.Error) == http.StatusConflict:
			res.AlreadyStored = true
		default:
			res.Err = fmt.Errorf("couch: writing %s/%s: %w", db, res.ID, classify(r.Error))
		}
	}
	return nil
}

// GetMODBDoc reads a document from the account's MODb named by the month
// prefix of its id. A malformed id is ErrInvalidID; a missing MODb or
// document is ErrNotFound.
func (c *Client) GetMODBDoc(ctx context.Context, accountID, docID string) (Doc, error) {
	db, err := MODBForID(accountID, docID)
	if err != nil {
		return nil, fmt.Errorf("reading modb document: %w", err)
	}
	return c.Get(ctx, db, docID)
}

// ViewQuery selects rows of a view. Keys are encoded as JSON; nil means
// unbounded. With Descending, StartKey is the high end.
type ViewQuery struct {
	StartKey   any
	EndKey     any
	Descending bool
	Limit      int // 0: no limit
}

// ViewRow is one row of a view: the emitting document's id, the key and
// the value as raw JSON.
type ViewRow struct {
	ID    string
	Key   json.RawMessage
	Value json.RawMessage
}

// QueryMODB reads a view of the account's MODb for the month of month.
// A month without a MODb has no rows (no error, and no database is
// created). A MODb created elsewhere without this module's design docs
// gets them installed, then the view is read.
func (c *Client) QueryMODB(ctx context.Context, accountID string, month time.Time,
	ddoc, view string, q ViewQuery) ([]ViewRow, error) {
	db, err := MODB(accountID, month)
	if err != nil {
		return nil, fmt.Errorf("querying modb: %w", err)
	}
	rows, err := c.queryView(ctx, db, ddoc, view, q)
	if !errors.Is(err, ErrNotFound) {
		return rows, err
	}
	// Either the database or the design doc is missing.
	c.InvalidateDesign(db)
	switch err := c.EnsureDesignExisting(ctx, db, MODBDesigns...); {
	case errors.Is(err, ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("querying %s: %w", db, err)
	}
	return c.queryView(ctx, db, ddoc, view, q)
}

func (c *Client) queryView(ctx context.Context, db, ddoc, view string,
	q ViewQuery) ([]ViewRow, error) {
	opts := map[string]any{}
	if q.StartKey != nil {
		opts["startkey"] = q.StartKey
	}
	if q.EndKey != nil {
		opts["endkey"] = q.EndKey
	}
	if q.Descending {
		opts["descending"] = true
	}
	if q.Limit > 0 {
		opts["limit"] = q.Limit
	}
	rs := c.kv.DB(db).Query(ctx, ddoc, view, kivik.Params(opts))
	defer rs.Close()
	var out []ViewRow
	for rs.Next() {
		var r ViewRow
		var err error
		if r.ID, err = rs.ID(); err == nil {
			if err = rs.ScanKey(&r.Key); err == nil {
				err = rs.ScanValue(&r.Value)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("couch: reading %s/_design/%s/_view/%s: %w", db, ddoc, view, err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("couch: querying %s/_design/%s/_view/%s: %w",
			db, ddoc, view, classify(err))
	}
	return out, nil
}
