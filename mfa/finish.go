package mfa

import (
	"context"
	"maps"

	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/metrics"
)

// finish records what must be recorded, keeps the lockout count, and
// builds the reply.
func (s *Service) finish(ctx context.Context, lc *login, out outcome) Reply {
	if ctx.Err() != nil && (out.result == ResultDenied || out.result == ResultError) {
		// The caller is gone or stopping: the failure may be only the end
		// of the context, and could not be recorded anyway.
		return Reply{Result: ResultError, Reason: ReasonCancelled,
			Message: message(ReasonCancelled)}
	}
	reply := Reply{Result: out.result, Reason: out.reason, Message: message(out.reason),
		Challenge: out.challenge}

	if out.recorded() && lc.acct.ID != "" {
		id, err := s.deps.Attempts.Record(ctx, lc.acct.ID, s.attempt(lc, out))
		if err != nil {
			s.opts.Logger.WithError(err).WithField("account_id", lc.acct.ID).
				Error("mfa: recording a login attempt failed")
			return Reply{Result: ResultError, Reason: ReasonNotRecorded,
				Message: message(ReasonNotRecorded)}
		}
		reply.AttemptID = id
	}

	switch {
	case out.result == ResultDenied && countsTowardLockout(out.reason) && lc.lockID != "":
		s.countFailure(ctx, lc)
	case out.result == ResultAuthenticated && out.reason != ReasonFailedOpen:
		s.clearLockout(ctx, lc)
	}
	return reply
}

// attempt builds the login_attempt of a denial or fail-open: KAZOO's
// fields plus the reason code and details. Attempt.Document drops any
// secret-named field on top of what is (never) put here.
func (s *Service) attempt(lc *login, out outcome) attempts.Attempt {
	req := lc.req
	details := map[string]any{}
	maps.Copy(details, out.details)
	setNonEmpty(details, "duo_username", lc.username)
	setNonEmpty(details, "device", req.Device)
	if out.err != nil {
		details["error"] = out.err.Error()
	}
	username := req.Username
	if username == "" {
		username = lc.username
	}
	configID := lc.cfg.ID
	if configID == "" {
		configID = lc.decision.Setting.ConfigurationID
	}
	factor := out.factor
	if factor == "" {
		factor = req.Factor
	}
	a := attempts.Attempt{
		Key:             req.MsgID,
		Time:            lc.now,
		AuthType:        attempts.AuthTypeMultiFactor,
		Status:          attempts.StatusFailed,
		AuthModule:      req.AuthModule,
		Reason:          out.reason,
		Message:         message(out.reason),
		ClientIP:        req.ClientIP,
		OwnerID:         req.OwnerID,
		Username:        username,
		ConfigurationID: configID,
		ProviderName:    lc.cfg.Provider,
		Factor:          factor,
		Details:         details,
	}
	if req.UserAgent != "" {
		a.ClientHeaders = map[string]string{"user-agent": req.UserAgent}
	}
	return a
}

// countFailure counts a user's failure toward the lockout, and counts
// metrics.LockoutStarted when the stored update is the one that locked the
// user. A failure to update the count is logged: the denial stands either
// way.
func (s *Service) countFailure(ctx context.Context, lc *login) {
	if lc.cfg.Lockout.MaxFailures <= 0 {
		return
	}
	key := failureKey(lc.req.MsgID)
	var locks bool // set by the last try of update, the one stored
	_, err := s.deps.Lockouts.UpdateLockout(ctx, lc.req.AccountID, lc.lockID,
		func(l *couch.Lockout) bool {
			was, until := isLocked(*l, lc.now), l.LockedUntil
			changed := registerFailure(l, lc.cfg.Lockout, lc.cfg.ID, key, lc.now)
			locks = changed && !was && !l.LockedUntil.Equal(until)
			return changed
		})
	switch {
	case err != nil:
		s.opts.Logger.WithError(err).WithField("account_id", lc.req.AccountID).
			Warn("mfa: counting a failure toward the lockout failed")
	case locks:
		s.opts.Metrics.Lockouts.Inc(metrics.LockoutStarted)
	}
}

// clearLockout forgets counted failures after a success; only when some
// were read, so that a success costs no write in the common case.
func (s *Service) clearLockout(ctx context.Context, lc *login) {
	if len(lc.lockout.Failures) == 0 || lc.lockID == "" {
		return
	}
	_, err := s.deps.Lockouts.UpdateLockout(ctx, lc.req.AccountID, lc.lockID, clearFailures)
	if err != nil {
		s.opts.Logger.WithError(err).WithField("account_id", lc.req.AccountID).
			Warn("mfa: clearing the lockout count failed")
	}
}

func setNonEmpty(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}
