package mfa

import (
	"time"

	"github.com/sirupsen/logrus"
)

// logHandle writes the one entry of a Handle. Its fields are fixed and
// never hold a username, passcode, response, code or state: account_id,
// config_id, msg_id, auth_module, result, reason, factor, attempt_id,
// duration_ms, and error (whose text, from this module's packages, holds
// no secret). Levels: warn for fail-opens and errors, info for denials,
// debug otherwise.
func (s *Service) logHandle(lc *login, out outcome, reply Reply, took time.Duration) {
	fields := logrus.Fields{
		"account_id":  lc.req.AccountID,
		"msg_id":      lc.req.MsgID,
		"auth_module": lc.req.AuthModule,
		"result":      string(reply.Result),
		"duration_ms": took.Milliseconds(),
	}
	if id := lc.cfg.ID; id != "" {
		fields["config_id"] = id
	}
	for k, v := range map[string]string{"reason": reply.Reason, "factor": out.factor,
		"attempt_id": reply.AttemptID} {
		if v != "" {
			fields[k] = v
		}
	}
	entry := s.opts.Logger.WithFields(fields)
	if out.err != nil {
		entry = entry.WithField("error", out.err.Error())
	}
	switch {
	case reply.Result == ResultError || reply.Reason == ReasonFailedOpen:
		entry.Warn("mfa: request handled")
	case reply.Result == ResultDenied:
		entry.Info("mfa: request handled")
	default:
		entry.Debug("mfa: request handled")
	}
}
