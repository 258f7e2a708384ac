package mfa

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// runAuthAPI runs a second factor through Duo's Auth API, with the
// configuration's integration key and secret key: preauth, then the
// factor.
//
//   - Preauth unreachable or rate limited: the failmode (preflight).
//     "enroll": denied not_enrolled (the record says whether Duo offered an
//     enrollment link, never the link). "deny": denied locked_out (by
//     Duo). "allow" (a bypass user): authenticated with reason bypass, not
//     recorded: only failures and fail-opens are; Duo logs the bypass.
//   - push, phone, auto: started asynchronously and waited for up to
//     PushTimeout, blocked on the long poll only (no lock held).
//   - sms: Duo texts passcodes; the reply is a challenge with reason
//     sms_sent asking for Factor passcode with one of them.
//   - passcode: checked at once.
//
// The factor must be among the configuration's factors; auto, with which
// Duo picks push or a phone call, needs both.
func (s *Service) runAuthAPI(ctx context.Context, lc *login) outcome {
	out := s.authAPI(ctx, lc)
	out.factor = lc.req.Factor
	return out
}

func (s *Service) authAPI(ctx context.Context, lc *login) outcome {
	req, cfg := lc.req, lc.cfg
	switch {
	case !knownFactor(req.Factor):
		return deny(ReasonInvalidRequest, fmt.Errorf("unknown factor %q", req.Factor))
	case !factorAllowed(cfg.Factors, req.Factor):
		return deny(ReasonFactorNotAllowed, fmt.Errorf("factor %s is not among %v",
			req.Factor, cfg.Factors))
	case req.Factor == authapi.FactorPasscode && req.Passcode == "":
		return deny(ReasonInvalidRequest, errors.New("factor passcode without a passcode"))
	case cfg.IntegrationKey == "" || !cfg.SecretKey.IsSet():
		return deny(ReasonInvalidConfiguration,
			errors.New("the configuration has no integration key and secret key for the Auth API"))
	}
	client, err := s.clients.authClient(lc.decision.Setting.ProviderAccountID, cfg)
	if err != nil {
		return deny(ReasonInvalidConfiguration, err)
	}

	pctx, cancel := context.WithTimeout(ctx, s.opts.DuoTimeout)
	pre, err := client.preauth(pctx, lc.username, req.ClientIP)
	cancel()
	if out, done := preauthOutcome(cfg.Failmode, pre, err); done {
		return out
	}
	if req.Device != "" && req.Device != "auto" && !hasDevice(pre.Devices, req.Device) {
		return deny(ReasonInvalidRequest, errors.New("the device is not one of the user's"))
	}

	wait := s.opts.DuoTimeout
	if asyncFactor(req.Factor) {
		wait = s.opts.PushTimeout
	}
	actx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	res, txid, err := client.auth(actx, authapi.AuthRequest{
		Username: lc.username, Factor: req.Factor, Device: req.Device,
		Passcode: string(req.Passcode), IPAddr: req.ClientIP,
	})
	if err == nil && txid != "" {
		res, err = client.wait(actx, txid)
	}
	return authOutcome(cfg, res, err)
}

// asyncFactor reports whether a factor waits for the user (push, phone
// call, auto) rather than answering in one request (sms, passcode).
func asyncFactor(f string) bool {
	return f != authapi.FactorSMS && f != authapi.FactorPasscode
}

// preauthOutcome decides what a preauth answer means; done is false when
// the user must go on to the factor.
func preauthOutcome(mode failmode.Mode, pre authapi.Preauth, err error) (outcome, bool) {
	if err != nil {
		switch class := authapi.ClassOf(err); class {
		case failmode.NotEnrolled:
			return deny(ReasonNotEnrolled, err).with("enroll_portal",
				pre.EnrollPortalURL != "", "duo_message", pre.StatusMsg), true
		case failmode.LockedOut:
			return deny(ReasonLockedOut, err).with("locked_by", "duo",
				"duo_message", pre.StatusMsg), true
		default:
			return failure(mode, class, failmode.Preflight, err), true
		}
	}
	if pre.Result == authapi.PreauthAllow {
		return authenticated(ReasonBypass).with("duo_message", pre.StatusMsg), true
	}
	return outcome{}, false
}

// authOutcome decides what the factor's answer means.
func authOutcome(cfg provider.Config, res authapi.AuthResult, err error) outcome {
	var out outcome
	switch {
	case err != nil:
		out = failure(cfg.Failmode, authapi.ClassOf(err), failmode.SecondFactor, err)
	case res.Status == authapi.StatusSent && !res.Allowed():
		out = challenge(ReasonSMSSent, map[string]any{
			"provider_name": cfg.Provider,
			"settings": map[string]any{
				"duo_factor":     authapi.FactorPasscode,
				"duo_status":     res.Status,
				"duo_status_msg": res.StatusMsg,
			},
		})
	case res.Allowed() && res.Status == "bypass":
		out = authenticated(ReasonBypass)
	case res.Allowed():
		out = authenticated("")
	default:
		out = deny(ReasonUserDenied, fmt.Errorf("duo answered %s/%s", res.Result, res.Status))
	}
	return out.with("duo_status", res.Status, "duo_message", res.StatusMsg, "txid", res.Txid)
}

func knownFactor(f string) bool {
	switch f {
	case authapi.FactorAuto, authapi.FactorPush, authapi.FactorSMS, authapi.FactorPhone,
		authapi.FactorPasscode:
		return true
	}
	return false
}

// factorAllowed reports whether the configuration's factors allow f. Auto
// lets Duo choose between a push and a phone call, so it needs both.
func factorAllowed(allowed []string, f string) bool {
	if f == authapi.FactorAuto {
		return slices.Contains(allowed, provider.FactorPush) &&
			slices.Contains(allowed, provider.FactorPhone)
	}
	return slices.Contains(allowed, f)
}

func hasDevice(devices []authapi.Device, id string) bool {
	for _, d := range devices {
		if d.ID == id {
			return true
		}
	}
	return false
}
