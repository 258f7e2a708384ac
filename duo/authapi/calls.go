package authapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	official "github.com/duosecurity/duo_api_golang/authapi"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

// minPollGap is the least time between two auth_status polls that both
// answered "waiting" at once: a guard against a server that does not hold
// long polls. The first poll, which Duo answers at once, is not delayed.
const minPollGap = 250 * time.Millisecond

// Ping calls the unsigned /ping: it tells an unreachable Duo from bad
// credentials, and returns Duo's clock.
func (c *Client) Ping(ctx context.Context) (CheckResult, error) {
	s := c.session(ctx, c.cfg.Timeout)
	defer s.done()
	res, err := s.api.Ping()
	if err != nil {
		return CheckResult{}, fail(ctx, "ping", s, err, false)
	}
	if e := checkStat("ping", res.StatResult, s.tr.status); e != nil {
		return CheckResult{}, e
	}
	return clockResult(res.Response.Time), nil
}

// Check implements API.
func (c *Client) Check(ctx context.Context) (CheckResult, error) {
	s := c.session(ctx, c.cfg.Timeout)
	defer s.done()
	res, err := s.api.Check()
	if err != nil {
		return CheckResult{}, fail(ctx, "check", s, err, false)
	}
	if e := checkStat("check", res.StatResult, s.tr.status); e != nil {
		return CheckResult{}, e
	}
	return clockResult(res.Response.Time), nil
}

func clockResult(unix int64) CheckResult {
	server := time.Unix(unix, 0)
	return CheckResult{ServerTime: server, Skew: time.Until(server).Truncate(time.Second)}
}

// Preauth implements API.
func (c *Client) Preauth(ctx context.Context, username, ipaddr string) (Preauth, error) {
	if username == "" {
		return Preauth{}, &Error{Class: failmode.BadConfig, Op: "preauth",
			Err: fmt.Errorf("%w: empty username", ErrInvalidRequest)}
	}
	opts := []func(*url.Values){official.PreauthUsername(username)}
	if ipaddr != "" {
		opts = append(opts, official.PreauthIpAddr(ipaddr))
	}

	s := c.session(ctx, c.cfg.Timeout)
	defer s.done()
	res, err := s.api.Preauth(opts...)
	if err != nil {
		return Preauth{}, fail(ctx, "preauth", s, err, false)
	}
	if e := checkStat("preauth", res.StatResult, s.tr.status); e != nil {
		return Preauth{}, e
	}

	r := res.Response
	out := Preauth{Result: r.Result, StatusMsg: r.Status_Msg, EnrollPortalURL: r.Enroll_Portal_Url}
	for _, d := range r.Devices {
		out.Devices = append(out.Devices, Device{ID: d.Device, Type: d.Type, Name: d.Name,
			Number: d.Number, Capabilities: d.Capabilities})
	}
	switch r.Result {
	case PreauthAuth, PreauthAllow:
		return out, nil
	case PreauthDeny:
		return out, &Error{Class: failmode.LockedOut, Op: "preauth", HTTPStatus: s.tr.status,
			Message: r.Status_Msg}
	case PreauthEnroll:
		return out, &Error{Class: failmode.NotEnrolled, Op: "preauth", HTTPStatus: s.tr.status,
			Message: r.Status_Msg}
	}
	return out, &Error{Class: failmode.Unreachable, Op: "preauth", HTTPStatus: s.tr.status,
		Err: fmt.Errorf("%w: preauth result %q", ErrMalformedReply, r.Result)}
}

// Auth implements API. Passcode and SMS take one request each; an SMS
// answers deny/"sent" with a nil error (ask the user for a passcode). Push,
// phone and auto start an asynchronous authentication and Wait for it:
// the call returns when the user answers, Duo gives up (about 60 s) or
// ctx ends (Timeout). The wait is a goroutine blocked on network I/O;
// run it outside bounded worker pools.
func (c *Client) Auth(ctx context.Context, req AuthRequest) (AuthResult, error) {
	req, err := req.normalize()
	if err != nil {
		return AuthResult{}, &Error{Class: failmode.BadConfig, Op: "auth", Err: err}
	}
	if req.Factor == FactorPasscode || req.Factor == FactorSMS {
		return c.authSync(ctx, req)
	}
	txid, err := c.StartAuth(ctx, req)
	if err != nil {
		return AuthResult{}, err
	}
	return c.Wait(ctx, txid)
}

// StartAuth implements API: it sends the authentication with async=1 and
// returns Duo's transaction id at once.
func (c *Client) StartAuth(ctx context.Context, req AuthRequest) (string, error) {
	req, err := req.normalize()
	if err != nil {
		return "", &Error{Class: failmode.BadConfig, Op: "auth", Err: err}
	}
	s := c.session(ctx, c.cfg.Timeout)
	defer s.done()
	res, err := s.api.Auth(req.Factor, append(req.options(), official.AuthAsync())...)
	if err != nil {
		return "", fail(ctx, "auth", s, err, false)
	}
	if e := checkStat("auth", res.StatResult, s.tr.status); e != nil {
		return "", e
	}
	if res.Response.Txid == "" {
		return "", &Error{Class: failmode.Unreachable, Op: "auth", HTTPStatus: s.tr.status,
			Err: fmt.Errorf("%w: async auth without txid", ErrMalformedReply)}
	}
	return res.Response.Txid, nil
}

// Wait implements API. Each poll is one long-poll request bounded by
// LongPollTimeout and ctx; a ctx deadline ends the wait with Timeout, as
// an unanswered push. It holds no lock and no worker slot of this package.
func (c *Client) Wait(ctx context.Context, txid string) (AuthResult, error) {
	for first := true; ; first = false {
		started := time.Now()
		s := c.session(ctx, c.cfg.LongPollTimeout)
		res, err := s.api.AuthStatus(txid)
		s.done()
		if err != nil {
			return AuthResult{Txid: txid}, fail(ctx, "auth_status", s, err, true)
		}
		if e := checkStat("auth_status", res.StatResult, s.tr.status); e != nil {
			return AuthResult{Txid: txid}, e
		}

		r := res.Response
		out := AuthResult{Result: r.Result, Status: r.Status, StatusMsg: r.Status_Msg, Txid: txid}
		if r.Result != ResultWaiting {
			return out, verdict("auth_status", out, "", s.tr.status)
		}
		if gap := minPollGap - time.Since(started); !first && gap > 0 {
			if err := sleep(ctx, gap); err != nil {
				return out, ctxError("auth_status", err)
			}
		}
	}
}

func (c *Client) authSync(ctx context.Context, req AuthRequest) (AuthResult, error) {
	s := c.session(ctx, c.cfg.Timeout)
	defer s.done()
	res, err := s.api.Auth(req.Factor, req.options()...)
	if err != nil {
		return AuthResult{}, fail(ctx, "auth", s, err, false)
	}
	if e := checkStat("auth", res.StatResult, s.tr.status); e != nil {
		return AuthResult{}, e
	}
	r := res.Response
	out := AuthResult{Result: r.Result, Status: r.Status, StatusMsg: r.Status_Msg}
	if req.Factor == FactorSMS && r.Status == StatusSent {
		return out, nil
	}
	return out, verdict("auth", out, req.Factor, s.tr.status)
}

// verdict classifies a final answer: allow is no error; a deny is
// Fraud, Timeout, LockedOut, InvalidPasscode (passcode factor) or
// UserDenied after its status; any other result is a malformed reply.
func verdict(op string, r AuthResult, factor string, status int) error {
	e := &Error{Op: op, HTTPStatus: status, Message: r.Status + ": " + r.StatusMsg}
	switch {
	case r.Result == ResultAllow:
		return nil
	case r.Result != ResultDeny:
		e.Class, e.Message = failmode.Unreachable, ""
		e.Err = fmt.Errorf("%w: auth result %q", ErrMalformedReply, r.Result)
	case r.Status == "fraud":
		e.Class = failmode.Fraud
	case r.Status == "timeout":
		e.Class = failmode.Timeout
	case r.Status == "locked_out":
		e.Class = failmode.LockedOut
	case factor == FactorPasscode:
		e.Class = failmode.InvalidPasscode
	default:
		e.Class = failmode.UserDenied
	}
	return e
}

// normalize checks a request and fills in defaults.
func (r AuthRequest) normalize() (AuthRequest, error) {
	if r.Factor == "" {
		r.Factor = FactorAuto
	}
	switch {
	case r.Username == "":
		return r, fmt.Errorf("%w: empty username", ErrInvalidRequest)
	case r.Factor == FactorPasscode && r.Passcode == "":
		return r, fmt.Errorf("%w: passcode factor without passcode", ErrInvalidRequest)
	case r.Factor != FactorAuto && r.Factor != FactorPush && r.Factor != FactorSMS &&
		r.Factor != FactorPhone && r.Factor != FactorPasscode:
		return r, fmt.Errorf("%w: unknown factor %q", ErrInvalidRequest, r.Factor)
	}
	if r.Device == "" && r.Factor != FactorPasscode {
		r.Device = "auto"
	}
	return r, nil
}

// options are the official client's parameters for r.
func (r AuthRequest) options() []func(*url.Values) {
	opts := []func(*url.Values){official.AuthUsername(r.Username)}
	add := func(v string, o func(string) func(*url.Values)) {
		if v != "" {
			opts = append(opts, o(v))
		}
	}
	add(r.Device, official.AuthDevice)
	add(r.Passcode, official.AuthPasscode)
	add(r.IPAddr, official.AuthIpAddr)
	add(r.DisplayUsername, official.AuthDisplayUsername)
	add(r.PushInfo, official.AuthPushinfo)
	add(r.Type, official.AuthType)
	return opts
}

// ctxError classifies the end of a wait by its context: a deadline is
// Timeout (the user did not answer in time), a cancellation Unreachable.
func ctxError(op string, err error) *Error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Class: failmode.Timeout, Op: op, Err: err}
	}
	return &Error{Class: failmode.Unreachable, Op: op, Err: err}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
