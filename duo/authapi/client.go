package authapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	duoapi "github.com/duosecurity/duo_api_golang"
	official "github.com/duosecurity/duo_api_golang/authapi"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

// Client calls Duo's Auth API through the official client. It is safe for
// concurrent use; create one per configuration and Close it when done.
type Client struct {
	cfg       Config
	base      duoapi.DuoApi // template: copied per call with a call's HTTP client
	transport *http.Transport
}

var _ API = (*Client)(nil)

// New validates cfg and returns a Client. It makes no request. Failures
// wrap ErrInvalidConfig.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	tlsCfg, err := cfg.tlsConfig()
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{
		Proxy:                 cfg.Proxy,
		TLSClientConfig:       tlsCfg,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: 0, // long polls: bounded per call instead
	}
	api := duoapi.NewDuoApi(cfg.IKey, cfg.SKey, cfg.APIHost, cfg.UserAgent)
	return &Client{cfg: cfg, base: *api, transport: tr}, nil
}

// Close releases idle connections. Calls in flight are not interrupted.
func (c *Client) Close() { c.transport.CloseIdleConnections() }

// callTransport binds one call's requests to its context, records the last
// HTTP status, and turns HTTP 429 into ErrRateLimited so that the official
// client returns at once instead of sleeping and retrying (see doc.go).
type callTransport struct {
	base   http.RoundTripper
	ctx    context.Context
	status int
}

func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req.WithContext(t.ctx))
	if err != nil {
		return nil, err
	}
	t.status = resp.StatusCode
	if resp.StatusCode == http.StatusTooManyRequests {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		_ = resp.Body.Close() // the reply is discarded either way
		return nil, ErrRateLimited
	}
	return resp, nil
}

// session is one call's view of the official client. done must be
// called once the call returned (the official client has read the reply).
type session struct {
	api  *official.AuthApi
	tr   *callTransport
	done context.CancelFunc
}

// session returns the official client bound to ctx, with requests bounded
// by timeout. The bound is a context deadline rather than
// http.Client.Timeout, which would start a timer goroutine per request
// around a wrapped transport: a pending push would cost one more stack.
func (c *Client) session(ctx context.Context, timeout time.Duration) session {
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	tr := &callTransport{base: c.transport, ctx: callCtx}
	api := c.base // a copy: SetCustomHTTPClient below affects this call only
	api.SetCustomHTTPClient(&http.Client{Transport: tr})
	return session{api: official.NewAuthApi(api), tr: tr, done: cancel}
}

// fail turns a transport or decoding error of the official client into an
// *Error. In the wait phase a context deadline means the user did not
// answer in time (Timeout); elsewhere any failure to get an answer is
// Unreachable, except a 429 (RateLimited).
func fail(ctx context.Context, op string, s session, err error, waiting bool) *Error {
	e := &Error{Op: op, HTTPStatus: s.tr.status, Class: failmode.Unreachable, Err: err}
	switch {
	case errors.Is(err, ErrRateLimited):
		e.Class, e.HTTPStatus = failmode.RateLimited, http.StatusTooManyRequests
	case waiting && errors.Is(ctx.Err(), context.DeadlineExceeded):
		e.Class, e.Err = failmode.Timeout, ctx.Err()
	case ctx.Err() != nil:
		e.Err = ctx.Err()
	case isDecodeError(err):
		e.Err = fmt.Errorf("%w: %w", ErrMalformedReply, err)
	}
	return e
}

// isDecodeError reports whether err comes from decoding a reply body.
func isDecodeError(err error) bool {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(err, &syntax) || errors.As(err, &typ)
}

// Duo's code and message_detail for an auth that none of the user's
// devices can do; a user who is not enrolled has no device at all.
const (
	codeInvalidParams = 40002
	noCapableDevice   = "no capable device"
)

// checkStat classifies a decoded reply. stat OK passes. stat FAIL is
// Unreachable for an HTTP 5xx, RateLimited for code 42901, NotEnrolled for
// 40002 "no capable device" (an auth the user has no device for: Duo's
// answer to a direct auth of a user who is not enrolled), and BadConfig
// otherwise (a 4xx: bad keys, signature, date or parameters). Any other
// stat is a malformed reply.
func checkStat(op string, st duoapi.StatResult, status int) *Error {
	switch st.Stat {
	case "OK":
		return nil
	case "FAIL":
	default:
		return &Error{Class: failmode.Unreachable, Op: op, HTTPStatus: status,
			Err: fmt.Errorf("%w: stat %q", ErrMalformedReply, st.Stat)}
	}
	e := &Error{Class: failmode.BadConfig, Op: op, HTTPStatus: status, Message: failMessage(st)}
	if st.Code != nil {
		e.Code = int(*st.Code)
	}
	switch {
	case status >= 500:
		e.Class = failmode.Unreachable
	case status == http.StatusTooManyRequests || e.Code == 42901:
		e.Class, e.Err = failmode.RateLimited, ErrRateLimited
	case e.Code == codeInvalidParams && st.Message_Detail != nil &&
		strings.EqualFold(*st.Message_Detail, noCapableDevice):
		e.Class = failmode.NotEnrolled
	}
	return e
}

func failMessage(st duoapi.StatResult) string {
	var msg string
	if st.Message != nil {
		msg = *st.Message
	}
	if st.Message_Detail != nil && *st.Message_Detail != "" {
		msg += " (" + *st.Message_Detail + ")"
	}
	return msg
}
