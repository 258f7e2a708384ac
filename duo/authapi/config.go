package authapi

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// EnvCAFile names the environment variable operators use for extra trusted
// CA certificates (PEM). The application reads it into Config.CAFile.
const EnvCAFile = "DUO_KAZOO_CA_FILE"

// Defaults of Config fields left zero.
const (
	DefaultTimeout         = 10 * time.Second
	DefaultLongPollTimeout = 75 * time.Second
)

// Duo's key lengths.
const (
	IKeyLen = 20
	SKeyLen = 40
)

// Config is one Auth API application's credentials and transport settings.
type Config struct {
	// IKey is the integration key (20 characters).
	IKey string
	// SKey is the secret key (40 characters). It signs requests and never
	// appears in an error or log.
	SKey string
	// APIHost is Duo's API hostname, e.g. "api-xxxxxxxx.duosecurity.com",
	// optionally with ":port"; no scheme, no path.
	APIHost string
	// Timeout bounds each ordinary call (check, preauth, starting an auth,
	// a passcode or SMS auth) on top of the caller's context. Zero means
	// DefaultTimeout.
	Timeout time.Duration
	// LongPollTimeout bounds one auth_status poll, which Duo holds open
	// while the user has not answered. Zero means DefaultLongPollTimeout,
	// more than Duo's 60 s push lifetime. The caller's context still
	// bounds the whole wait.
	LongPollTimeout time.Duration
	// RootCAs are the trusted roots; nil means the system roots. The pool
	// is copied, not modified.
	RootCAs *x509.CertPool
	// CAFile, when set, names a PEM file of extra CA certificates added to
	// the roots (typically from DUO_KAZOO_CA_FILE).
	CAFile string
	// Proxy chooses the HTTP proxy per request; nil means
	// http.ProxyFromEnvironment (HTTPS_PROXY, NO_PROXY).
	Proxy func(*http.Request) (*url.URL, error)
	// UserAgent is prepended to the official client's User-Agent.
	UserAgent string
}

// validate checks the config and returns it with defaults filled in.
func (c Config) validate() (Config, error) {
	switch {
	case len(c.IKey) != IKeyLen:
		return c, fmt.Errorf("%w: integration key must be %d characters",
			ErrInvalidConfig, IKeyLen)
	case len(c.SKey) != SKeyLen:
		return c, fmt.Errorf("%w: secret key must be %d characters",
			ErrInvalidConfig, SKeyLen)
	case !validHost(c.APIHost):
		return c, fmt.Errorf("%w: api hostname must be a host name, optionally with a port",
			ErrInvalidConfig)
	case c.Timeout < 0 || c.LongPollTimeout < 0:
		return c, fmt.Errorf("%w: negative timeout", ErrInvalidConfig)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.LongPollTimeout == 0 {
		c.LongPollTimeout = DefaultLongPollTimeout
	}
	if c.Proxy == nil {
		c.Proxy = http.ProxyFromEnvironment
	}
	return c, nil
}

func validHost(h string) bool {
	if h == "" || strings.ContainsAny(h, "/?#@ ") {
		return false
	}
	u, err := url.Parse("https://" + h)
	return err == nil && u.Host == h && u.Hostname() != ""
}

// tlsConfig builds the client TLS settings: verification always on, roots
// from RootCAs (or the system) plus CAFile.
func (c Config) tlsConfig() (*tls.Config, error) {
	var pool *x509.CertPool
	if c.RootCAs != nil {
		pool = c.RootCAs.Clone()
	} else if sys, err := x509.SystemCertPool(); err == nil {
		pool = sys
	} else {
		pool = x509.NewCertPool()
	}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("%w: reading ca file: %w", ErrInvalidConfig, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: ca file %s holds no PEM certificate",
				ErrInvalidConfig, c.CAFile)
		}
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}
