package mfa

import (
	"context"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/couch"
)

// RecordAttempt stores a login attempt reported by another component in
// the account's MODb, and returns its id. The id is derived from the
// account and MsgID, so a redelivered event is stored once (the second
// call returns the same id). An event that can never be stored (bad
// account id, status, auth type or reason) is ErrInvalidEvent; any other
// error is temporary (CouchDB down) and the event may be retried.
func (s *Service) RecordAttempt(ctx context.Context, ev AttemptEvent) (string, error) {
	if !couch.ValidID(ev.AccountID) {
		return "", fmt.Errorf("%w: account id %q", ErrInvalidEvent, ev.AccountID)
	}
	if ev.AuthType == "" {
		return "", fmt.Errorf("%w: no auth type", ErrInvalidEvent)
	}
	a := attempts.Attempt{
		Key:        ev.MsgID,
		Time:       ev.Time,
		AuthType:   ev.AuthType,
		Status:     ev.Status,
		AuthModule: ev.AuthModule,
		Reason:     ev.Reason,
		Message:    ev.Message,
		ClientIP:   ev.ClientIP,
		OwnerID:    ev.OwnerID,
		Username:   ev.Username,
		Metadata:   ev.Metadata,
	}
	if a.Time.IsZero() {
		a.Time = s.opts.Now()
	}
	if ev.UserAgent != "" {
		a.ClientHeaders = map[string]string{"user-agent": ev.UserAgent}
	}
	id, err := s.deps.Attempts.Record(ctx, ev.AccountID, a)
	switch {
	case errors.Is(err, attempts.ErrInvalidAttempt), errors.Is(err, couch.ErrInvalidID):
		return "", fmt.Errorf("%w: %w", ErrInvalidEvent, err)
	case err != nil:
		return "", fmt.Errorf("recording attempt event: %w", err)
	}
	return id, nil
}
