package mfa

import (
	"context"
	"errors"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duo/universal"
	"github.com/duo-kazoo/duo-kazoo/metrics"
)

// Endpoint labels of Metrics.Duo: Duo's paths without host or ids.
const (
	endpointPreauth     = "auth/v2/preauth"
	endpointAuth        = "auth/v2/auth"
	endpointAuthStatus  = "auth/v2/auth_status"
	endpointHealthCheck = "oauth/v1/health_check"
	endpointToken       = "oauth/v1/token"
)

// Outcome labels of Metrics.Duo besides metrics.OutcomeOK and the failure
// classes.
const (
	duoOutcomeTimeout   = "timeout"   // the call's context deadline passed
	duoOutcomeCancelled = "cancelled" // the caller's context was cancelled
)

// authCalls is the Auth API client as this package calls it: every call
// that reaches Duo is timed and observed here, and nowhere else.
type authCalls struct {
	client *authapi.Client
	m      Metrics
}

func (a authCalls) preauth(ctx context.Context, username, ip string) (authapi.Preauth,
	error) {
	started := time.Now()
	pre, err := a.client.Preauth(ctx, username, ip)
	a.observe(endpointPreauth, started, err)
	return pre, err
}

// auth sends an authentication: the whole factor for sms and passcode, the
// start of it (with async) for the others, whose answer comes by wait.
func (a authCalls) auth(ctx context.Context, req authapi.AuthRequest) (authapi.AuthResult,
	string, error) {
	started := time.Now()
	if !asyncFactor(req.Factor) {
		res, err := a.client.Auth(ctx, req)
		a.observe(endpointAuth, started, err)
		return res, "", err
	}
	txid, err := a.client.StartAuth(ctx, req)
	a.observe(endpointAuth, started, err)
	return authapi.AuthResult{}, txid, err
}

// wait waits for the user's answer to a started authentication; the
// pending pushes gauge counts it while it lasts.
func (a authCalls) wait(ctx context.Context, txid string) (authapi.AuthResult, error) {
	a.m.Pushes.Inc()
	defer a.m.Pushes.Dec()
	started := time.Now()
	res, err := a.client.Wait(ctx, txid)
	a.observe(endpointAuthStatus, started, err)
	return res, err
}

func (a authCalls) observe(endpoint string, started time.Time, err error) {
	a.m.Duo.Observe(endpoint, duoOutcome(err, authapi.ClassOf(err)), time.Since(started))
}

// universalCalls is the Universal Prompt client as this package calls it,
// observed like authCalls.
type universalCalls struct {
	client *universal.Client
	m      Metrics
}

func (u universalCalls) healthCheck(ctx context.Context) error {
	started := time.Now()
	err := u.client.HealthCheck(ctx)
	u.observe(endpointHealthCheck, started, err)
	return err
}

func (u universalCalls) exchange(ctx context.Context, code, username,
	nonce string) (*universal.Result, error) {
	started := time.Now()
	res, err := u.client.ExchangeNonce(ctx, code, username, nonce)
	u.observe(endpointToken, started, err)
	return res, err
}

// authorizeURL builds the prompt's URL; it contacts nobody.
func (u universalCalls) authorizeURL(username, state, nonce string) (string, error) {
	return u.client.AuthorizeURLNonce(username, state, nonce)
}

func (u universalCalls) observe(endpoint string, started time.Time, err error) {
	u.m.Duo.Observe(endpoint, duoOutcome(err, universal.Classify(err)), time.Since(started))
}

// duoOutcome is the outcome label of a call that ended with err, of class
// c: metrics.OutcomeOK when Duo answered as expected, whatever it said
// about the user (approved, denied, fraud, timed out at Duo, locked out,
// not enrolled, wrong passcode); "timeout" or "cancelled" when the call's
// context ended first (a push nobody answered in PushTimeout is a
// timeout); else the failure class ("unreachable", "rate_limited",
// "bad_config", "invalid_response", "internal").
func duoOutcome(err error, c failmode.Class) string {
	switch {
	case err == nil:
		return metrics.OutcomeOK
	case errors.Is(err, context.DeadlineExceeded):
		return duoOutcomeTimeout
	case errors.Is(err, context.Canceled):
		return duoOutcomeCancelled
	}
	switch c {
	case failmode.UserDenied, failmode.Fraud, failmode.Timeout, failmode.LockedOut,
		failmode.NotEnrolled, failmode.InvalidPasscode:
		return metrics.OutcomeOK
	}
	return string(c)
}
