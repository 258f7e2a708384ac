package universal

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Endpoint paths on the API host.
const (
	healthPath    = "/oauth/v1/health_check"
	authorizePath = "/oauth/v1/authorize"
	tokenPath     = "/oauth/v1/token"
)

const (
	assertionLifetime   = 300 * time.Second
	clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	maxReplyBytes       = 1 << 20
	userAgent           = "duo-kazoo-universal/1"
)

// Client talks to Duo's Universal Prompt endpoints for one application.
// It is safe for concurrent use.
type Client struct {
	clientID string
	secret   []byte
	redirect string
	base     string // https://host[:port]
	http     *http.Client
	now      func() time.Time
}

// New validates cfg (see Config.Validate) and returns a Client.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	hc := &http.Client{Timeout: DefaultTimeout}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Client{
		clientID: cfg.ClientID,
		secret:   []byte(cfg.ClientSecret),
		redirect: cfg.RedirectURI,
		base:     "https://" + cfg.APIHost,
		http:     hc,
		now:      now,
	}, nil
}

// HealthCheck asks Duo whether it can serve this application now, with a
// client assertion as Duo requires. It returns nil when Duo answers stat OK,
// an error matching ErrUnreachable when Duo cannot be used, and a *DuoError
// (ErrRejected) when Duo refuses the credentials.
func (c *Client) HealthCheck(ctx context.Context) error {
	_, err := c.CheckHealth(ctx)
	return err
}

// Health is Duo's answer to a health check.
type Health struct {
	// ServerTime is Duo's clock (the reply's timestamp); zero when the
	// reply had none.
	ServerTime time.Time
}

// CheckHealth is HealthCheck that also returns Duo's clock. Duo checks the
// client assertion's exp on its own clock and this client checks the
// id_token's iat and exp within Leeway on the local one, so a local clock
// off Duo's shows up here first: compare ServerTime (or, when Duo refused
// the assertion, DuoError.ServerTime) with the local clock.
func (c *Client) CheckHealth(ctx context.Context) (Health, error) {
	endpoint := c.base + healthPath
	assertion, err := c.clientAssertion(endpoint)
	if err != nil {
		return Health{}, fmt.Errorf("health check: %w", err)
	}
	form := url.Values{"client_id": {c.clientID}, "client_assertion": {assertion}}

	var reply struct {
		envelope
		Response struct {
			Timestamp int64 `json:"timestamp"`
		} `json:"response"`
	}
	if err := c.post(ctx, endpoint, form, &reply); err != nil {
		return Health{}, fmt.Errorf("health check: %w", err)
	}
	if err := reply.check(http.StatusOK, form); err != nil {
		return Health{}, fmt.Errorf("health check: %w", err)
	}
	return Health{ServerTime: unixTime(reply.Response.Timestamp)}, nil
}

// unixTime is the time of a Unix timestamp in seconds; 0 or less is the
// zero time (absent).
func unixTime(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// clientAssertion signs the JWT that authenticates the client to endpoint.
func (c *Client) clientAssertion(endpoint string) (string, error) {
	now := c.now()
	claims := jwt.RegisteredClaims{
		Issuer:    c.clientID,
		Subject:   c.clientID,
		Audience:  jwt.ClaimStrings{endpoint},
		ExpiresAt: jwt.NewNumericDate(now.Add(assertionLifetime)),
		IssuedAt:  jwt.NewNumericDate(now),
		ID:        rand.Text() + rand.Text(),
	}
	return c.sign(claims)
}

func (c *Client) sign(claims jwt.Claims) (string, error) {
	tok := jwt.NewWithClaims(jwt.SigningMethodHS512, claims)
	s, err := tok.SignedString(c.secret)
	if err != nil {
		return "", fmt.Errorf("signing jwt: %w", err)
	}
	return s, nil
}

// envelope is the stat/code/message part of Duo's API replies and the
// error/error_description part of OAuth error replies.
type envelope struct {
	Stat          string `json:"stat"`
	Code          int    `json:"code"`
	Message       string `json:"message"`
	MessageDetail string `json:"message_detail"`
	OAuthError    string `json:"error"`
	OAuthDetail   string `json:"error_description"`
	Timestamp     int64  `json:"timestamp"` // beside a health check refusal
}

// check turns a decoded 2xx reply into nil when stat is OK, a *DuoError for
// stat FAIL, and ErrUnreachable for anything else.
func (e *envelope) check(status int, form url.Values) error {
	switch e.Stat {
	case "OK":
		return nil
	case "FAIL":
		return redact(e.duoError(status), form)
	}
	return fmt.Errorf("%w: reply without stat", ErrUnreachable)
}

func (e *envelope) duoError(status int) *DuoError {
	d := &DuoError{HTTPStatus: status, Code: e.Code, Message: e.Message, Detail: e.MessageDetail,
		ServerTime: unixTime(e.Timestamp)}
	if e.OAuthError != "" {
		d.Message, d.Detail = e.OAuthError, e.OAuthDetail
	}
	return d
}

// post sends form to endpoint and decodes a 2xx JSON reply into out.
// Transport failures, 5xx and undecodable 2xx replies are ErrUnreachable;
// 4xx replies are *DuoError, with Duo's fields when the body has them.
func (c *Client) post(ctx context.Context, endpoint string, form url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint,
		strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("building request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)

	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
	if err != nil {
		return fmt.Errorf("%w: reading reply: %w", ErrUnreachable, err)
	}
	if len(body) > maxReplyBytes {
		return fmt.Errorf("%w: reply over %d bytes", ErrUnreachable, maxReplyBytes)
	}

	switch {
	case resp.StatusCode >= 500:
		return fmt.Errorf("%w: HTTP %d", ErrUnreachable, resp.StatusCode)
	case resp.StatusCode >= 400:
		var e envelope
		if json.Unmarshal(body, &e) != nil {
			return &DuoError{HTTPStatus: resp.StatusCode}
		}
		return redact(e.duoError(resp.StatusCode), form)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return fmt.Errorf("%w: unexpected HTTP %d", ErrUnreachable, resp.StatusCode)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%w: decoding reply: %w", ErrUnreachable, errMalformedJSON)
	}
	return nil
}

// redact blanks the code and the client assertion we sent out of Duo's
// message and detail, in case the server quotes them back.
func redact(d *DuoError, form url.Values) *DuoError {
	for _, name := range []string{"code", "client_assertion"} {
		if v := form.Get(name); v != "" {
			d.Message = strings.ReplaceAll(d.Message, v, "["+name+"]")
			d.Detail = strings.ReplaceAll(d.Detail, v, "["+name+"]")
		}
	}
	return d
}

// errMalformedJSON replaces the decoder's error, whose text could quote
// parts of a reply that holds a token.
var errMalformedJSON = errors.New("malformed json")
