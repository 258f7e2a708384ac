// Package credcheck tests a stored Duo configuration's credentials against
// Duo and explains the verdict in plain words: the Auth API's signed
// check for Web SDK (duo) configurations, the Universal Prompt health
// check for duo_universal ones. It backs the Settings tab's "Test
// connection" button (PUT /duo/{id}/check).
//
// The verdicts: ok, wrong integration key (40102), wrong secret key
// (40103), bad credentials (Universal: Duo does not say which of the
// client id and secret is wrong), Duo unreachable, rate limited, and clock
// skew: Duo's 40104/40105 for the Auth API; for the Universal Prompt, Duo's
// clock in the health check's answer (beside an OK or a refused client
// assertion) more than universal.Leeway off this server's.
package credcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duo/universal"
	"github.com/duo-kazoo/duo-kazoo/handlers"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// Loader reads a configuration with its secrets opened
// (*configstore.Store implements it).
type Loader interface {
	Load(ctx context.Context, accountID, id string) (provider.Config, error)
}

// Checker runs credential tests. The zero value is not usable; use New.
type Checker struct {
	loader  Loader
	caFile  string
	timeout time.Duration
	now     func() time.Time
}

// Options tune a Checker.
type Options struct {
	// CAFile adds trusted CA certificates (DUO_KAZOO_CA_FILE).
	CAFile string
	// Timeout bounds one test; 10 s when zero.
	Timeout time.Duration
}

// Result codes of a test, beside "ok".
const (
	ResultOK             = "ok"
	ResultWrongIKey      = "wrong_integration_key"
	ResultWrongSecret    = "wrong_secret_key"
	ResultClockSkew      = "clock_skew"
	ResultBadCredentials = "bad_credentials"
	ResultUnreachable    = "duo_unreachable"
	ResultRateLimited    = "rate_limited"
	ResultInvalidConfig  = "invalid_configuration"
)

// maxSkew is how far Duo lets a request's date drift.
const maxSkew = 300 * time.Second

var _ handlers.CredentialChecker = (*Checker)(nil)

// New returns a Checker reading configurations through loader.
func New(loader Loader, opts Options) *Checker {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	return &Checker{loader: loader, caFile: opts.CAFile, timeout: opts.Timeout, now: time.Now}
}

// Check tests the configuration's credentials now. Errors are reserved
// for a configuration that cannot be read (not found, store down); every
// answer from Duo, or its absence, is a CheckResult.
func (c *Checker) Check(ctx context.Context, accountID, id string) (handlers.CheckResult, error) {
	cfg, err := c.loader.Load(ctx, accountID, id)
	if errors.Is(err, provider.ErrInvalid) {
		return handlers.CheckResult{Result: ResultInvalidConfig,
			Message: "the configuration is incomplete or invalid; fix it and save it first"}, nil
	}
	if err != nil {
		return handlers.CheckResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	start := c.now()
	var res handlers.CheckResult
	if cfg.Provider == provider.ProviderUniversal {
		res = c.checkUniversal(ctx, cfg)
	} else {
		res = c.checkAuthAPI(ctx, cfg)
	}
	res.RoundTripMS = float64(c.now().Sub(start).Microseconds()) / 1000
	res.OK = res.Result == ResultOK
	return res, nil
}

func (c *Checker) checkAuthAPI(ctx context.Context, cfg provider.Config) handlers.CheckResult {
	res := handlers.CheckResult{Endpoint: "/auth/v2/check"}
	client, err := authapi.New(authapi.Config{IKey: cfg.IntegrationKey,
		SKey: cfg.SecretKey.Reveal(), APIHost: cfg.APIHostname, CAFile: c.caFile})
	if err != nil {
		res.Result, res.Message = ResultInvalidConfig,
			"the keys or the API hostname cannot be used: "+err.Error()
		return res
	}
	defer client.Close()
	check, err := client.Check(ctx)
	if err == nil {
		if check.Skew > maxSkew/2 || check.Skew < -maxSkew/2 {
			res.Result = ResultOK
			res.Message = fmt.Sprintf("Duo accepted the credentials, but this server's clock "+
				"is %s off Duo's; fix it before it passes %s", check.Skew.Round(time.Second), maxSkew)
			return res
		}
		res.Result, res.Message = ResultOK, "Duo accepted the integration key and secret key"
		return res
	}
	var ae *authapi.Error
	if errors.As(err, &ae) {
		res.DuoMessage = ae.Message
	}
	switch {
	case ae != nil && ae.Code == 40102:
		res.Result, res.Message = ResultWrongIKey,
			"Duo does not know this integration key: copy it again from the Duo Admin Panel"
	case ae != nil && ae.Code == 40103:
		res.Result, res.Message = ResultWrongSecret,
			"Duo refused the signature: the secret key does not match the integration key"
	case ae != nil && (ae.Code == 40104 || ae.Code == 40105):
		res.Result, res.Message = ResultClockSkew,
			"Duo refused the request's date: this server's clock is more than 5 minutes off"
	default:
		res.Result, res.Message = classMessage(authapi.ClassOf(err), cfg.APIHostname)
	}
	return res
}

func (c *Checker) checkUniversal(ctx context.Context, cfg provider.Config) handlers.CheckResult {
	res := handlers.CheckResult{Endpoint: "/oauth/v1/health_check"}
	hc, err := c.httpClient()
	if err != nil {
		res.Result, res.Message = ResultInvalidConfig, err.Error()
		return res
	}
	defer hc.CloseIdleConnections()
	client, err := universal.New(universal.Config{ClientID: cfg.ClientID,
		ClientSecret: cfg.ClientSecret.Reveal(), APIHost: cfg.APIHostname,
		RedirectURI: cfg.RedirectURI, HTTPClient: hc})
	if err != nil {
		res.Result, res.Message = ResultInvalidConfig,
			"the client id, secret, API hostname or redirect URI cannot be used: "+err.Error()
		return res
	}
	health, err := client.CheckHealth(ctx)
	explainHealth(&res, health, err, cfg.APIHostname, c.now())
	return res
}

// explainHealth fills res from a health check's answer. Duo refuses every
// bad client with the same "invalid client assertion", but tells its clock
// beside the refusal and beside an OK: a clock off Duo's by more than
// universal.Leeway is the explanation, not the credentials.
func explainHealth(res *handlers.CheckResult, health universal.Health, err error,
	host string, now time.Time) {
	if err == nil {
		if skew, off := clockOff(health.ServerTime, now); off {
			res.Result, res.Message = ResultClockSkew, fmt.Sprintf("Duo accepted the client "+
				"id and client secret, but this server's clock is %s off Duo's: sign-ins "+
				"will fail Duo's token checks (%s tolerance) until the clock is fixed (NTP)",
				skew, universal.Leeway)
			return
		}
		res.Result, res.Message = ResultOK, "Duo accepted the client id and client secret"
		return
	}

	var de *universal.DuoError
	var skew time.Duration
	var off bool
	if errors.As(err, &de) {
		res.DuoMessage = de.Message
		if de.Detail != "" {
			res.DuoMessage += " (" + de.Detail + ")"
		}
		skew, off = clockOff(de.ServerTime, now)
	}
	class := universal.Classify(err)
	switch {
	case class != failmode.BadConfig:
		res.Result, res.Message = classMessage(class, host)
	case off:
		res.Result, res.Message = ResultClockSkew, fmt.Sprintf("Duo refused the client "+
			"assertion, and this server's clock is %s off Duo's: Duo refuses an assertion "+
			"that has expired on its clock. Fix the clock (NTP), then test again; if Duo "+
			"still refuses, check the client id and client secret", skew)
	default:
		res.Result, res.Message = ResultBadCredentials,
			"Duo refused the client id or client secret: copy both again from the Duo Admin Panel"
	}
}

// clockOff returns how far the local clock (now) is from Duo's
// (serverTime, zero when unknown), rounded to the second, and whether that
// is beyond universal.Leeway, the tolerance of the Universal Prompt's
// token checks.
func clockOff(serverTime, now time.Time) (time.Duration, bool) {
	if serverTime.IsZero() {
		return 0, false
	}
	skew := now.Sub(serverTime).Round(time.Second)
	return skew.Abs(), skew > universal.Leeway || skew < -universal.Leeway
}

func classMessage(class failmode.Class, host string) (string, string) {
	switch class {
	case failmode.BadConfig:
		return ResultBadCredentials, "Duo refused the credentials"
	case failmode.RateLimited:
		return ResultRateLimited, "Duo is rate limiting this application; try again in a minute"
	default:
		return ResultUnreachable, "Duo could not be reached at " + host +
			": check the API hostname and this server's outbound network"
	}
}

// httpClient is the Universal client's HTTP client: system roots plus
// the extra CA file, TLS verification always on, proxy from environment.
func (c *Checker) httpClient() (*http.Client, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if c.caFile != "" {
		pem, err := os.ReadFile(c.caFile)
		if err != nil {
			return nil, fmt.Errorf("reading DUO_KAZOO_CA_FILE: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, errors.New("DUO_KAZOO_CA_FILE holds no PEM certificate")
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	tr.Proxy = http.ProxyFromEnvironment
	return &http.Client{Transport: tr, Timeout: c.timeout}, nil
}
