package mfa

import (
	"context"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duo/universal"
)

// runUniversal runs the duo_universal provider (Universal Prompt).
//
// Without a response: a health check (Duo unreachable: the failmode, in
// the preflight phase), then a challenge with the authorize URL and a
// state. The state is signed with the service's state key and bound to
// the account logged into, the configuration and the Duo username, so
// any replica can check it; it is single-use through the replay store.
//
// With a response: the state must be given, genuine, unexpired, unused
// (by any other request: the same request redelivered gets the verdict
// Duo gave it the first time, kept with the state's claim), and bound to
// this login; then the code is exchanged and the id_token validated (user,
// nonce, issuer, audience, expiry). Any failure there denies, whatever the
// failmode.
func (s *Service) runUniversal(ctx context.Context, lc *login) outcome {
	client, err := s.clients.universalClient(lc.decision.Setting.ProviderAccountID, lc.cfg)
	if err != nil {
		return deny(ReasonInvalidConfiguration, err)
	}
	if lc.req.Response == nil {
		return s.universalChallenge(ctx, lc, client)
	}
	out := s.universalVerify(ctx, lc, client)
	if out.factor == "" {
		out.factor = factorPrompt
	}
	return out
}

// stateBinding is what a state is bound to besides the username.
func stateBinding(lc *login) string { return lc.acct.ID + ":" + lc.cfg.ID }

func (s *Service) universalChallenge(ctx context.Context, lc *login,
	client universalCalls) outcome {
	cctx, cancel := context.WithTimeout(ctx, s.opts.DuoTimeout)
	err := client.healthCheck(cctx)
	cancel()
	if err != nil {
		out := failure(lc.cfg.Failmode, universal.Classify(err), failmode.Preflight, err)
		out.factor = factorPrompt
		return out
	}

	state, claims, err := s.codec.Issue(lc.username, stateBinding(lc), s.opts.StateTTL, lc.now)
	if err != nil {
		return deny(ReasonUnknownUser, err)
	}
	authURL, err := client.authorizeURL(lc.username, state, claims.ID)
	if err != nil {
		return deny(ReasonInvalidConfiguration, err)
	}
	return challenge("", map[string]any{
		"provider_name": lc.cfg.Provider,
		"duo_redirect":  authURL,
		"duo_state":     state,
	})
}

func (s *Service) universalVerify(ctx context.Context, lc *login,
	client universalCalls) outcome {
	resp := lc.req.Response.Universal
	switch {
	case resp == nil || resp.Code == "":
		return deny(ReasonInvalidRequest,
			errors.New("the duo_universal provider expects a code and a state"))
	case resp.State == "":
		return deny(ReasonInvalidResponse, errors.New("the response carries no state"))
	case resp.RedirectURI != "" && resp.RedirectURI != lc.cfg.RedirectURI:
		return deny(ReasonInvalidResponse,
			errors.New("the response was issued for another redirect_uri"))
	}

	guard := &replayGuard{store: s.deps.Replay, owner: requestOwner(lc.req)}
	claims, err := s.codec.Redeem(ctx, guard, string(resp.State), lc.now)
	switch {
	case errors.Is(err, universal.ErrReplayed):
		return deny(ReasonReplayed, errors.New("the state was used before"))
	case errors.Is(err, universal.ErrStateExpired):
		return deny(ReasonExpiredResponse, err)
	case err != nil:
		return failure(lc.cfg.Failmode, universal.Classify(err), failmode.SecondFactor, err)
	case claims.Username != lc.username || claims.ConfigID != stateBinding(lc):
		return deny(ReasonInvalidResponse,
			errors.New("the state was issued for another login"))
	}

	// This request claimed the state before: it is being processed again
	// (a redelivery). Duo's code is single-use, so a second exchange
	// would fail: the verdict Duo gave the first time stands.
	if guard.claim.Retry && guard.claim.Verdict != nil {
		if out, ok := verdictOutcome(guard.claim.Verdict); ok {
			return out
		}
	}

	cctx, cancel := context.WithTimeout(ctx, s.opts.DuoTimeout)
	res, err := client.exchange(cctx, string(resp.Code), lc.username, claims.ID)
	cancel()
	switch {
	case errors.Is(err, universal.ErrTokenExpired):
		return deny(ReasonExpiredResponse, err)
	case err != nil:
		return failure(lc.cfg.Failmode, universal.Classify(err), failmode.SecondFactor, err)
	}
	out := authenticated("")
	if !res.Allowed {
		out = failure(lc.cfg.Failmode, res.FailureClass(), failmode.SecondFactor,
			fmt.Errorf("duo: %s", res.Reason))
	}
	out.factor = res.Factor
	out = out.with("duo_status", res.Status, "duo_message", res.StatusMsg,
		"duo_reason", res.Reason, "txid", res.TxID)
	if out.result != ResultError && guard.owner != "" {
		if err := s.deps.Replay.Settle(ctx, guard.key, guard.owner,
			outcomeVerdict(out)); err != nil {
			s.opts.Logger.WithError(err).WithField("account_id", lc.acct.ID).
				Warn("mfa: recording the verdict of a Universal Prompt response failed; " +
					"a redelivery of this request would be denied")
		}
	}
	return out
}

// outcomeVerdict is what the replay store keeps of the outcome of a
// Universal Prompt response that Duo answered, for a redelivery of the
// same request: never a secret (the outcome holds none).
func outcomeVerdict(out outcome) map[string]any {
	v := map[string]any{"result": string(out.result), "reason": out.reason,
		"factor": out.factor}
	if len(out.details) > 0 {
		v["details"] = out.details
	}
	if out.err != nil {
		v["error"] = out.err.Error()
	}
	return v
}

// verdictOutcome is the outcome outcomeVerdict kept; ok is false for a
// verdict this version does not understand.
func verdictOutcome(v map[string]any) (outcome, bool) {
	result, _ := v["result"].(string)
	switch Result(result) {
	case ResultAuthenticated, ResultDenied:
	default:
		return outcome{}, false
	}
	out := outcome{result: Result(result)}
	out.reason, _ = v["reason"].(string)
	out.factor, _ = v["factor"].(string)
	if d, ok := v["details"].(map[string]any); ok && len(d) > 0 {
		out.details = d
	}
	if e, _ := v["error"].(string); e != "" {
		out.err = errors.New(e)
	}
	return out, true
}
