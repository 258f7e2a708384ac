package mfa

import (
	"context"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/metrics"
	"github.com/duo-kazoo/duo-kazoo/provider"
	"github.com/duo-kazoo/duo-kazoo/secrets"
)

// loadConfig loads the configuration the decision names. Without a
// configuration id, or one set only by the system default without an
// account_id, there is nothing to load: KAZOO would fall back to its
// system provider (and fail open when there is none); this module denies
// with no_configuration, never allowing an unconfigured second factor.
func (s *Service) loadConfig(ctx context.Context, lc *login) *outcome {
	set := lc.decision.Setting
	if set.ConfigurationID == "" || set.ProviderAccountID == "" {
		out := deny(ReasonNoConfiguration, errors.New(
			"multi_factor names no configuration_id, or no account_id to find it in"))
		return &out
	}
	cfg, err := s.deps.Configs.Load(ctx, set.ProviderAccountID, set.ConfigurationID)
	var out outcome
	switch {
	case err == nil && !cfg.Enabled:
		lc.cfg = cfg
		out = deny(ReasonProviderDisabled, nil)
	case err == nil:
		lc.cfg = cfg
		return nil
	case errors.Is(err, couch.ErrNotFound), errors.Is(err, couch.ErrInvalidID):
		out = deny(ReasonNoConfiguration, err)
	case errors.Is(err, provider.ErrInvalid), errors.Is(err, provider.ErrSealed),
		errors.Is(err, secrets.ErrDecrypt), errors.Is(err, secrets.ErrUnknownKey),
		errors.Is(err, secrets.ErrFormat), errors.Is(err, secrets.ErrNoKey):
		out = deny(ReasonInvalidConfiguration, err)
	default:
		out = internal(err)
	}
	return &out
}

// findUsername finds the Duo username from the configuration's
// username_source: the request's Owner-ID (KAZOO's choice), its Username
// (the login name), or the email on the owner's user document.
func (s *Service) findUsername(ctx context.Context, lc *login) *outcome {
	req := lc.req
	var name, source string
	switch lc.cfg.UsernameSource {
	case provider.UsernameOwnerID:
		name, source = req.OwnerID, "the request has no Owner-ID"
	case provider.UsernameUsername:
		name, source = req.Username, "the request has no Username"
	case provider.UsernameEmail:
		if req.OwnerID == "" {
			out := deny(ReasonUnknownUser, errors.New("the request has no Owner-ID"))
			return &out
		}
		user, err := s.deps.Directory.User(ctx, req.AccountID, req.OwnerID)
		switch {
		case errors.Is(err, couch.ErrNotFound), errors.Is(err, couch.ErrInvalidID):
			out := deny(ReasonUnknownUser, err)
			return &out
		case err != nil:
			out := internal(err)
			return &out
		}
		name, source = user.Email, "the user has no email"
	default:
		out := deny(ReasonInvalidConfiguration,
			fmt.Errorf("unknown username_source %q", lc.cfg.UsernameSource))
		return &out
	}
	if name == "" {
		out := deny(ReasonUnknownUser, errors.New(source))
		return &out
	}
	lc.username = name
	lc.lockID = couch.LockoutID(lc.cfg.ID, name)
	return nil
}

// checkLockout denies a user locked by repeated failures, before Duo is
// contacted. A configuration with the lockout off skips the read.
func (s *Service) checkLockout(ctx context.Context, lc *login) *outcome {
	if lc.cfg.Lockout.MaxFailures <= 0 {
		return nil
	}
	l, err := s.deps.Lockouts.GetLockout(ctx, lc.req.AccountID, lc.lockID)
	if err != nil {
		out := internal(err)
		return &out
	}
	lc.lockout = l
	if isLocked(l, lc.now) {
		s.opts.Metrics.Lockouts.Inc(metrics.LockoutRefused)
		out := deny(ReasonLockedOut, nil).with("locked_by", "duo_kazoo",
			"locked_until", l.LockedUntil.UTC().Format("2006-01-02T15:04:05Z"))
		return &out
	}
	return nil
}
