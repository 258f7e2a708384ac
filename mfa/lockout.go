package mfa

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// The lockout policy (push-fatigue protection): per account, configuration
// and Duo username, MaxFailures counted failures within Window lock the
// user for Duration. A locked user is denied before Duo is contacted, so
// no further pushes reach the phone. When the lock is set the failure
// count restarts; a success clears the count. MaxFailures <= 0 disables
// the lockout. The state is a CouchDB document (couch.Lockout) updated
// with optimistic concurrency, so every replica applies the same count.

// isLocked reports whether l locks the user at now.
func isLocked(l couch.Lockout, now time.Time) bool {
	return now.Before(l.LockedUntil)
}

// registerFailure counts a failure identified by key (see failureKey) at
// now into l under policy p, and reports whether l changed. A failure
// already counted (a redelivered request) is not counted again.
func registerFailure(l *couch.Lockout, p provider.Lockout, configID, key string,
	now time.Time) bool {
	if p.MaxFailures <= 0 {
		return false
	}
	if key != "" && l.LockKey == key {
		return false
	}
	now = now.Truncate(time.Second)
	kept := l.Failures[:0:0]
	for _, f := range l.Failures {
		if key != "" && f.Key == key {
			return false
		}
		if now.Sub(f.At) < p.Window {
			kept = append(kept, f)
		}
	}
	kept = append(kept, couch.LockoutFailure{At: now, Key: key})
	l.ConfigurationID = configID
	if len(kept) >= p.MaxFailures {
		l.LockedUntil, l.LockKey, l.Failures = now.Add(p.Duration), key, nil
		return true
	}
	l.Failures = kept
	return true
}

// clearFailures forgets the counted failures after a success, and reports
// whether l changed. A lock in force is kept (it cannot be reached by a
// success anyway, since locked users are denied first).
func clearFailures(l *couch.Lockout) bool {
	if len(l.Failures) == 0 {
		return false
	}
	l.Failures = nil
	return true
}

// failureKey identifies the event of a failure for deduplication: a short
// hash of the request's Msg-ID, or "" (no deduplication) without one.
func failureKey(msgID string) string {
	if msgID == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("duo-kazoo lockout\x00" + msgID))
	return hex.EncodeToString(sum[:8])
}
