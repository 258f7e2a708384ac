package couch

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/go-kivik/kivik/v4"
)

// Errors callers branch on. Every error this package returns wraps one of
// them when the cause is known, and the driver's error for detail.
var (
	// ErrNotFound: the database or document does not exist (or the
	// document is soft-deleted, pvt_deleted).
	ErrNotFound = errors.New("couch: not found")
	// ErrConflict: the document changed since it was read (a stale _rev),
	// or a document with that id already exists.
	ErrConflict = errors.New("couch: conflict")
	// ErrUnavailable: the server could not be reached or failed (5xx).
	ErrUnavailable = errors.New("couch: unavailable")
	// ErrInvalidID: an account or document id is not in KAZOO's format.
	ErrInvalidID = errors.New("couch: invalid id")
	// ErrInvalidDoc: the document exists but lacks a field KAZOO always
	// writes, or holds it with the wrong type (an account doc without a
	// pvt_tree list). Callers must not read such a field as its zero value.
	ErrInvalidDoc = errors.New("couch: invalid document")
)

// classify wraps a driver error with the sentinel that matches its HTTP
// status; errors without a known meaning are returned wrapped as they are.
func classify(err error) error {
	if err == nil {
		return nil
	}
	switch status := kivik.HTTPStatus(err); {
	case status == http.StatusNotFound:
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case status == http.StatusConflict, status == http.StatusPreconditionFailed:
		return fmt.Errorf("%w: %w", ErrConflict, err)
	case status >= 500:
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// classifyLookup is classify for a read of a document named by an outside
// party (a token's kid): a 4xx answer other than an authorization or
// throttling failure means no document is served under that id (CouchDB
// answers 400 for ids it reserves, such as _design), so it is ErrNotFound
// rather than a server failure.
func classifyLookup(err error) error {
	switch status := kivik.HTTPStatus(err); status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusProxyAuthRequired,
		http.StatusRequestTimeout, http.StatusTooManyRequests:
	default:
		if status >= 400 && status < 500 {
			return fmt.Errorf("%w: %w", ErrNotFound, err)
		}
	}
	return classify(err)
}
