package handlers

import (
	"context"
	"net/http"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// Directory reads KAZOO's user and account documents; *couch.Client
// implements it. A missing document is an error wrapping
// couch.ErrNotFound.
type Directory interface {
	User(ctx context.Context, accountID, userID string) (couch.User, error)
	Account(ctx context.Context, accountID string) (couch.Account, error)
}

var _ Directory = (*couch.Client)(nil)

// Preferences is what GET /duo/preferences answers: how the signed-in
// user wants things shown, for hosts of the app that have no KAZOO
// session of their own (the standalone page).
type Preferences struct {
	// Timezone is the IANA time zone dates are shown in: the caller's
	// user doc's timezone, else the account's in the path, else "" (the
	// browser's own). Monster-UI resolves it the same way from its
	// session.
	Timezone string `json:"timezone"`
}

// getPreferences answers the caller's preferences. Tokens without an
// owner (API keys) have only the account's.
func (s *Server) getPreferences(r *http.Request) (reply, error) {
	if s.deps.Directory == nil {
		return reply{}, notImplemented()
	}
	ctx := r.Context()
	accountID, _ := vars(r)
	var prefs Preferences
	if id := identity(ctx); id != nil && id.OwnerID != "" {
		u, err := s.deps.Directory.User(ctx, id.AccountID, id.OwnerID)
		if err != nil {
			return reply{}, err
		}
		prefs.Timezone = u.Timezone
	}
	if prefs.Timezone == "" {
		a, err := s.deps.Directory.Account(ctx, accountID)
		if err != nil {
			return reply{}, err
		}
		prefs.Timezone = a.Timezone
	}
	return reply{data: prefs}, nil
}
