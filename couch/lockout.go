package couch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Lockout documents: one per (configuration, Duo username) in the account
// database of the account logged into, counting recent second-factor
// failures so that every replica sees the same count (push-fatigue
// protection). What counts and when a user is locked is the caller's
// policy (package mfa); this file stores it.
const (
	// LockoutType is the pvt_type of lockout documents.
	LockoutType     = "duo_kazoo_lockout"
	lockoutIDPrefix = LockoutType + "-"
	// lockoutRetries bounds UpdateLockout's read-modify-write attempts.
	lockoutRetries = 10
)

// LockoutID returns the id of the lockout document for a user of a
// configuration: "duo_kazoo_lockout-" and the SHA-256 hex of configuration
// id and username. The username itself is not stored.
func LockoutID(configID, username string) string {
	sum := sha256.Sum256([]byte(configID + "\x00" + username))
	return lockoutIDPrefix + hex.EncodeToString(sum[:])
}

// Lockout is a user's recent failures and lock, as stored.
type Lockout struct {
	// ID is the document id (LockoutID); Rev its revision, "" when the
	// document does not exist yet.
	ID, Rev string
	// ConfigurationID names the configuration the failures were against.
	ConfigurationID string
	// Failures are the recent failures, oldest first.
	Failures []LockoutFailure
	// LockedUntil is when the lock ends; zero when never locked.
	LockedUntil time.Time
	// LockKey is the Key of the failure that set the lock, so that a
	// redelivery of that failure is recognised after Failures was reset.
	LockKey string
}

// LockoutFailure is one counted failure.
type LockoutFailure struct {
	At  time.Time // whole seconds
	Key string    // identifies the event (e.g. a hash of its Msg-ID)
}

// GetLockout reads the lockout document id of the account through the
// read cache (absent documents are cached as absent): it is read before
// every second factor, so it must cost no request in the common case. A
// lock set through this client is seen at once (writes invalidate the
// entry); one set by another replica is seen within Options.CacheTTL. A
// missing document (or account database) is no error: it returns
// Lockout{ID: id}. UpdateLockout always reads the stored document.
func (c *Client) GetLockout(ctx context.Context, accountID, id string) (Lockout, error) {
	return c.getLockout(ctx, accountID, id, true)
}

func (c *Client) getLockout(ctx context.Context, accountID, id string, cached bool) (
	Lockout, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return Lockout{}, fmt.Errorf("reading lockout: %w", err)
	}
	var doc Doc
	if cached {
		doc, err = c.getOptionalCached(ctx, db, id)
	} else {
		doc, err = c.Get(ctx, db, id)
	}
	switch {
	case errors.Is(err, ErrNotFound) || (err == nil && len(doc) == 0):
		return Lockout{ID: id}, nil
	case err != nil:
		return Lockout{}, fmt.Errorf("reading lockout: %w", err)
	}
	return decodeLockout(id, doc), nil
}

// UpdateLockout applies update to the account's lockout document id with
// optimistic concurrency: it reads the document (or starts an empty one),
// calls update, and writes the result when update reports a change. A
// concurrent write (409) makes it read and apply update again, up to ten
// times, so update must be a pure function of the Lockout it is given.
// It returns the stored state (the read one when nothing changed).
func (c *Client) UpdateLockout(ctx context.Context, accountID, id string,
	update func(*Lockout) bool) (Lockout, error) {
	db, err := AccountDB(accountID)
	if err != nil {
		return Lockout{}, fmt.Errorf("updating lockout: %w", err)
	}
	encodedDB, _ := EncodedAccountDB(accountID)
	for range lockoutRetries {
		l, err := c.getLockout(ctx, accountID, id, false)
		if err != nil {
			return Lockout{}, fmt.Errorf("updating lockout: %w", err)
		}
		if !update(&l) {
			return l, nil
		}
		doc := encodeLockout(l, accountID, encodedDB)
		c.Touch(doc)
		rev, err := c.Put(ctx, db, doc)
		switch {
		case err == nil:
			l.Rev = rev
			return l, nil
		case !errors.Is(err, ErrConflict):
			return Lockout{}, fmt.Errorf("updating lockout: %w", err)
		}
	}
	return Lockout{}, fmt.Errorf("updating lockout %s: %d concurrent writes: %w",
		id, lockoutRetries, ErrConflict)
}

func encodeLockout(l Lockout, accountID, encodedDB string) Doc {
	failures := make([]any, len(l.Failures))
	for i, f := range l.Failures {
		failures[i] = map[string]any{"at": Gregorian(f.At), "key": f.Key}
	}
	doc := Doc{
		"_id":              l.ID,
		"pvt_type":         LockoutType,
		"pvt_account_id":   accountID,
		"pvt_account_db":   encodedDB,
		"pvt_vsn":          "1",
		"configuration_id": l.ConfigurationID,
		"failures":         failures,
	}
	if l.Rev != "" {
		doc["_rev"] = l.Rev
	}
	if !l.LockedUntil.IsZero() {
		doc["locked_until"] = Gregorian(l.LockedUntil)
		doc["lock_key"] = l.LockKey
	}
	return doc
}

func decodeLockout(id string, doc Doc) Lockout {
	l := Lockout{ID: id, Rev: str(doc, "_rev"), ConfigurationID: str(doc, "configuration_id"),
		LockKey: str(doc, "lock_key")}
	if g, ok := doc["locked_until"].(float64); ok && g > 0 {
		l.LockedUntil = FromGregorian(int64(g))
	}
	list, _ := doc["failures"].([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		at, ok := m["at"].(float64)
		if !ok {
			continue
		}
		key, _ := m["key"].(string)
		l.Failures = append(l.Failures, LockoutFailure{At: FromGregorian(int64(at)), Key: key})
	}
	return l
}
