package mfa

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duo/websdk"
)

// factorPrompt is the recorded factor of the browser prompts, whose actual
// factor Duo does not report (Web SDK) or did not get to (Universal).
const factorPrompt = "prompt"

// runWebSDK runs the duo provider (Web SDK v2): without a response, a
// challenge carrying the signed sig_request; with one, its verification.
// Nothing here contacts Duo: the browser does.
func (s *Service) runWebSDK(ctx context.Context, lc *login) outcome {
	cfg, req := lc.cfg, lc.req
	if req.Response == nil {
		sig, err := websdk.SignRequestExpire(cfg.IntegrationKey, cfg.SecretKey.Reveal(),
			cfg.ApplicationSecretKey.Reveal(), lc.username, lc.now, cfg.DuoExpire, cfg.AppExpire)
		switch {
		case errors.Is(err, websdk.ErrInvalidUsername):
			return deny(ReasonUnknownUser, err)
		case err != nil:
			return deny(ReasonInvalidConfiguration, err)
		}
		return challenge("", map[string]any{
			"provider_name": cfg.Provider,
			"settings": map[string]any{
				"duo_sig_request":  sig,
				"duo_api_hostname": cfg.APIHostname,
			},
		})
	}

	out := s.verifySigResponse(ctx, lc)
	out.factor = factorPrompt
	return out
}

func (s *Service) verifySigResponse(ctx context.Context, lc *login) outcome {
	cfg := lc.cfg
	sigResponse := string(lc.req.Response.SigResponse)
	if sigResponse == "" {
		return deny(ReasonInvalidRequest,
			errors.New("the duo provider expects a sig_response string"))
	}
	user, err := websdk.VerifyResponse(cfg.IntegrationKey, cfg.SecretKey.Reveal(),
		cfg.ApplicationSecretKey.Reveal(), sigResponse, lc.now)
	switch {
	case errors.Is(err, websdk.ErrExpired):
		return deny(ReasonExpiredResponse, err)
	case err != nil:
		return deny(ReasonInvalidResponse, err)
	case user != lc.username:
		return deny(ReasonInvalidResponse, errors.New("the response is for another user"))
	}

	// A verified response is accepted once, by any replica. Duo's values
	// are deterministic per second, so the key is the whole response:
	// two logins of one user share it only if both were challenged and
	// approved within the same second (the second is then denied). The
	// same request processed again (a redelivery) claims it as its own:
	// the verification above is deterministic, so it gets the same
	// verdict.
	authPart, _, _ := strings.Cut(sigResponse, ":")
	expires, ok := signedExpiry(authPart)
	if !ok {
		expires = lc.now.Add(cfg.DuoExpire + cfg.AppExpire)
	}
	_, err = s.deps.Replay.Claim(ctx, "duo_sig:"+cfg.ID+":"+sigResponse,
		requestOwner(lc.req), expires)
	switch {
	case errors.Is(err, couch.ErrReplayed):
		return deny(ReasonReplayed, errors.New("the response was used before"))
	case err != nil:
		return internal(fmt.Errorf("checking the response for replay: %w", err))
	}
	return authenticated("")
}

// signedExpiry reads the expiry of a verified signed value,
// "PREFIX|base64(user|ikey|exp)|sig".
func signedExpiry(value string) (time.Time, bool) {
	parts := strings.Split(value, "|")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	plain, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}, false
	}
	fields := strings.Split(string(plain), "|")
	if len(fields) != 3 {
		return time.Time{}, false
	}
	exp, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(exp, 0), true
}
