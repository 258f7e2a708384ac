package couch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ReplayDB is the module's own database of consumed single-use values
// (Universal Prompt states, Web SDK responses). It is created on first use.
const ReplayDB = "duo_kazoo_replay"

// ErrReplayed is ReplayGuard.Consume's answer for a key it saw before. It
// also matches ErrConflict.
var ErrReplayed = fmt.Errorf("couch: value already used: %w", ErrConflict)

const (
	replayType       = "duo_kazoo_replay"
	replayDesignName = "duo_kazoo_replay"
	replayByExpiry   = "by_expiry"
	sweepBatch       = 500
)

// ReplayDesign indexes consumed values by expiry (Gregorian seconds), the
// value being the revision, for Sweep.
var ReplayDesign = DesignDoc{
	ID:      "_design/" + replayDesignName,
	Version: 1,
	Views: map[string]View{
		replayByExpiry: {Map: `function(doc) {
  if (doc.pvt_type === '` + replayType + `' && typeof doc.expires === 'number') {
    emit(doc.expires, doc._rev);
  }
}`},
	},
}

// ReplayGuard makes values single-use across every replica sharing the
// CouchDB server: Consume creates a document whose _id is derived from the
// key, and CouchDB lets exactly one create of an id succeed (the others
// answer 409). It is safe for concurrent use.
//
// Consumed values are kept until Sweep removes those past their expiry;
// the application should call Sweep periodically (every few minutes is
// plenty), from any replica or several: concurrent sweeps are harmless.
type ReplayGuard struct {
	c  *Client
	db string
}

// NewReplayGuard returns a guard storing consumed values in db (ReplayDB
// unless tests need their own).
func NewReplayGuard(c *Client, db string) *ReplayGuard {
	return &ReplayGuard{c: c, db: db}
}

// ReplayKeyID returns the document id under which key is recorded: the
// SHA-256 hex of a fixed prefix and the key, so that no value (a state, a
// signed response) is stored or visible in logs.
func ReplayKeyID(key string) string {
	sum := sha256.Sum256([]byte("duo-kazoo replay\x00" + key))
	return hex.EncodeToString(sum[:])
}

// Consume records key as used until expires. It returns nil the first
// time, and an error matching ErrReplayed for every later call until the
// record is swept after expires. Any other error (ErrUnavailable, ...)
// means the guard could not decide: the caller must deny.
func (g *ReplayGuard) Consume(ctx context.Context, key string, expires time.Time) error {
	doc := Doc{
		"_id":      ReplayKeyID(key),
		"pvt_type": replayType,
		"expires":  Gregorian(expires),
	}
	g.c.Touch(doc)
	for attempt := 0; ; attempt++ {
		if err := g.c.EnsureDesign(ctx, g.db, ReplayDesign); err != nil {
			return fmt.Errorf("consuming replay key: %w", err)
		}
		_, err := g.c.Put(ctx, g.db, doc)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, ErrConflict):
			return ErrReplayed
		case errors.Is(err, ErrNotFound) && attempt == 0:
			// The database was deleted after its design doc was checked.
			g.c.InvalidateDesign(g.db)
		default:
			return fmt.Errorf("consuming replay key: %w", err)
		}
	}
}

// Sweep deletes the records of values that expired before before, and
// returns how many it deleted. A missing database has nothing to sweep.
func (g *ReplayGuard) Sweep(ctx context.Context, before time.Time) (int, error) {
	switch exists, err := g.c.DBExists(ctx, g.db); {
	case err != nil:
		return 0, fmt.Errorf("sweeping replay records: %w", err)
	case !exists:
		return 0, nil
	}
	if err := g.c.EnsureDesign(ctx, g.db, ReplayDesign); err != nil {
		return 0, fmt.Errorf("sweeping replay records: %w", err)
	}
	total := 0
	for {
		rows, err := g.c.queryView(ctx, g.db, replayDesignName, replayByExpiry, ViewQuery{
			EndKey: Gregorian(before) - 1, Limit: sweepBatch})
		if err != nil {
			return total, fmt.Errorf("sweeping replay records: %w", err)
		}
		n, err := g.deleteRows(ctx, rows)
		total += n
		// Rows that could not be deleted (changed meanwhile) would come
		// back in the next batch: stop when a full batch made no progress.
		if err != nil || len(rows) < sweepBatch || n == 0 {
			return total, err
		}
	}
}

// deleteRows deletes the documents of view rows whose value is the
// revision; documents changed or deleted meanwhile are skipped.
func (g *ReplayGuard) deleteRows(ctx context.Context, rows []ViewRow) (int, error) {
	batch := make([]any, 0, len(rows))
	for _, r := range rows {
		var rev string
		if err := json.Unmarshal(r.Value, &rev); err != nil || rev == "" {
			continue
		}
		batch = append(batch, map[string]any{"_id": r.ID, "_rev": rev, "_deleted": true})
	}
	if len(batch) == 0 {
		return 0, nil
	}
	results, err := g.c.kv.DB(g.db).BulkDocs(ctx, batch)
	if err != nil {
		return 0, fmt.Errorf("sweeping replay records: %w", classify(err))
	}
	n := 0
	for _, r := range results {
		if r.Error == nil {
			n++
		}
	}
	return n, nil
}
