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

// ErrReplayed is ReplayGuard.Claim's (and Consume's) answer for a key
// another owner claimed before. It also matches ErrConflict.
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
// CouchDB server: Claim creates a document whose _id is derived from the
// key, and CouchDB lets exactly one create of an id succeed (the others
// answer 409). It is safe for concurrent use.
//
// A claim names its owner: the request that used the value (for a second
// factor, the AMQP Msg-ID and the login it asks for). The same request
// processed again (a redelivery after a lost reply or ack, a replica
// stopped mid-request) claims again as its owner and is told it is a
// retry, not a replay; any other request is a replay.
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

// replayOwnerID is what a claim stores of its owner: a hash, like the key.
func replayOwnerID(owner string) string {
	sum := sha256.Sum256([]byte("duo-kazoo replay owner\x00" + owner))
	return hex.EncodeToString(sum[:])
}

// Claim is the answer of a successful ReplayGuard.Claim.
type Claim struct {
	// Retry: the key was claimed before by the same owner. The request is
	// being processed again, not replayed.
	Retry bool
	// Verdict is what the owner recorded with Settle after its first
	// claim; nil when it recorded nothing (yet).
	Verdict map[string]any
}

// Claim records key as used by owner until expires. It returns a zero
// Claim the first time; a Claim with Retry set when owner claimed key
// before (with the Verdict it settled, if any); and an error matching
// ErrReplayed when another owner claimed it, until the record is swept
// after expires. An empty owner is nobody: every later claim of the key
// is a replay. Any other error (ErrUnavailable, ...) means the guard could
// not decide: the caller must deny.
func (g *ReplayGuard) Claim(ctx context.Context, key, owner string,
	expires time.Time) (Claim, error) {
	id := ReplayKeyID(key)
	doc := Doc{
		"_id":      id,
		"pvt_type": replayType,
		"expires":  Gregorian(expires),
	}
	if owner != "" {
		doc["owner"] = replayOwnerID(owner)
	}
	g.c.Touch(doc)
	for attempt := 0; ; attempt++ {
		if err := g.c.EnsureDesign(ctx, g.db, ReplayDesign); err != nil {
			return Claim{}, fmt.Errorf("consuming replay key: %w", err)
		}
		_, err := g.c.Put(ctx, g.db, doc)
		switch {
		case err == nil:
			return Claim{}, nil
		case errors.Is(err, ErrConflict) && owner == "":
			return Claim{}, ErrReplayed
		case errors.Is(err, ErrConflict):
			stored, err := g.c.Get(ctx, g.db, id)
			switch {
			case errors.Is(err, ErrNotFound) && attempt == 0:
				continue // swept or deleted meanwhile: claim it afresh
			case err != nil:
				return Claim{}, fmt.Errorf("consuming replay key: %w", err)
			case stored["owner"] != doc["owner"]:
				return Claim{}, ErrReplayed
			}
			verdict, _ := stored["verdict"].(map[string]any)
			return Claim{Retry: true, Verdict: verdict}, nil
		case errors.Is(err, ErrNotFound) && attempt == 0:
			// The database was deleted after its design doc was checked.
			g.c.InvalidateDesign(g.db)
		default:
			return Claim{}, fmt.Errorf("consuming replay key: %w", err)
		}
		delete(doc, "_rev")
	}
}

// Consume is Claim without an owner: it returns nil the first time, and an
// error matching ErrReplayed for every later call until the record is
// swept after expires.
func (g *ReplayGuard) Consume(ctx context.Context, key string, expires time.Time) error {
	_, err := g.Claim(ctx, key, "", expires)
	return err
}

// Settle records verdict (a JSON object, never a secret) with owner's
// claim of key, for the owner's retries to find (Claim.Verdict). It fails
// with ErrReplayed when key is not claimed by owner, and with the store's
// error otherwise; a verdict that could not be settled only costs a retry
// the verdict.
func (g *ReplayGuard) Settle(ctx context.Context, key, owner string,
	verdict map[string]any) error {
	if owner == "" {
		return fmt.Errorf("settling replay key: no owner: %w", ErrReplayed)
	}
	id, ownerID := ReplayKeyID(key), replayOwnerID(owner)
	for attempt := 0; ; attempt++ {
		stored, err := g.c.Get(ctx, g.db, id)
		switch {
		case err != nil:
			return fmt.Errorf("settling replay key: %w", err)
		case stored["owner"] != ownerID:
			return fmt.Errorf("settling replay key: claimed by another: %w", ErrReplayed)
		}
		stored["verdict"] = verdict
		g.c.Touch(stored)
		_, err = g.c.Put(ctx, g.db, stored)
		if err == nil || !errors.Is(err, ErrConflict) || attempt >= 2 {
			if err != nil {
				return fmt.Errorf("settling replay key: %w", err)
			}
			return nil
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
