package universal

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Lengths and limits Duo imposes.
const (
	ClientIDLen     = 20   // exact client id length
	ClientSecretLen = 40   // exact client secret length
	MinStateLen     = 22   // shortest state Duo accepts
	MaxStateLen     = 1024 // longest state Duo accepts
)

// DefaultTimeout bounds each request when Config.HTTPClient is nil.
const DefaultTimeout = 10 * time.Second

// Config describes one Universal Prompt application.
type Config struct {
	// ClientID is the application's client id (integration key), exactly
	// 20 characters.
	ClientID string
	// ClientSecret is the client secret (secret key), exactly 40
	// characters. It signs every JWT and is never logged or echoed.
	ClientSecret string
	// APIHost is Duo's API hostname, e.g. api-XXXXXXXX.duosecurity.com,
	// optionally with ":port". No scheme, no path: the base URL is
	// https://APIHost.
	APIHost string
	// RedirectURI is where Duo sends the browser back, an absolute https
	// URL. Plain http is accepted only for a loopback host (tests, demos).
	RedirectURI string
	// HTTPClient sends the requests to Duo. Nil means a client with
	// DefaultTimeout. Either way the Client never follows redirects.
	HTTPClient *http.Client
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// Validate checks the configuration and returns an error matching
// ErrInvalidConfig naming the first bad field (never its value for secrets).
func (c Config) Validate() error {
	if len(c.ClientID) != ClientIDLen {
		return fmt.Errorf("%w: client id must be %d characters", ErrInvalidConfig, ClientIDLen)
	}
	if len(c.ClientSecret) != ClientSecretLen {
		return fmt.Errorf("%w: client secret must be %d characters",
			ErrInvalidConfig, ClientSecretLen)
	}
	if err := validateAPIHost(c.APIHost); err != nil {
		return fmt.Errorf("%w: api host: %w", ErrInvalidConfig, err)
	}
	if err := validateRedirectURI(c.RedirectURI); err != nil {
		return fmt.Errorf("%w: redirect uri: %w", ErrInvalidConfig, err)
	}
	return nil
}

// validateAPIHost accepts a DNS name (dot-separated labels of letters,
// digits and inner hyphens; dotted IPv4 addresses pass too) with an optional
// port 1..65535.
func validateAPIHost(hostport string) error {
	host := hostport
	if strings.Contains(hostport, ":") {
		h, port, err := net.SplitHostPort(hostport)
		if err != nil {
			return errors.New("not host or host:port")
		}
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return errors.New("bad port")
		}
		host = h
	}
	if host == "" || len(host) > 253 {
		return errors.New("bad host name length")
	}
	for label := range strings.SplitSeq(host, ".") {
		if !validLabel(label) {
			return errors.New("not a DNS name")
		}
	}
	return nil
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func validateRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return errors.New("not an absolute URL")
	}
	if u.User != nil || u.Fragment != "" {
		return errors.New("must not carry user info or a fragment")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
	}
	return errors.New("must be https")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
