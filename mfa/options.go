package mfa

import (
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/duo/universal"
)

// Defaults of Options fields left zero.
const (
	DefaultStateTTL        = 10 * time.Minute
	DefaultPushTimeout     = 75 * time.Second
	DefaultDuoTimeout      = 10 * time.Second
	DefaultClientCacheSize = 1000
)

// StateKeyPurpose is the purpose to derive the state key with from the
// secrets keyring (secrets.Keyring.Derive), so that every replica signs
// and checks Universal Prompt states with the same key.
const StateKeyPurpose = "duo-kazoo/mfa/universal-state"

// Options tune a Service.
type Options struct {
	// StateKey signs the Universal Prompt states; required, at least
	// universal.MinStateKeyLen (32) bytes, and the same on every replica
	// (typically secrets.Keyring.Derive(StateKeyPurpose)).
	StateKey []byte
	// PreviousStateKeys are accepted too, for key rotation.
	PreviousStateKeys [][]byte
	// StateTTL is how long a user has to come back from the Universal
	// Prompt. Default DefaultStateTTL (10 minutes).
	StateTTL time.Duration
	// PushTimeout bounds the wait for an answer to a push, a phone call or
	// auto (Duo itself gives up after about 60 s). Default 75 s.
	PushTimeout time.Duration
	// DuoTimeout bounds every other call to Duo. Default 10 s.
	DuoTimeout time.Duration
	// RootCAs are the roots trusted for Duo's certificate; nil means the
	// system roots. CAFile names a PEM file of extra roots (the
	// DUO_KAZOO_CA_FILE setting).
	RootCAs *x509.CertPool
	CAFile  string
	// Proxy chooses the HTTP proxy for Duo's requests; nil means
	// http.ProxyFromEnvironment.
	Proxy func(*http.Request) (*url.URL, error)
	// Now is the clock for Web SDK signatures and their verification,
	// states, lockouts and attempt times; nil means time.Now. Requests to
	// Duo always carry the real time (Duo checks it).
	Now func() time.Time
	// Logger receives one entry per Handle; nil discards.
	Logger logrus.FieldLogger
	// ClientCacheSize bounds the Duo clients kept (one per configuration
	// and settings). Default 1000.
	ClientCacheSize int
	// Metrics receive second factors, Duo calls, pending pushes and
	// lockout events; nil fields record nothing.
	Metrics Metrics
}

// withDefaults checks o and fills in the defaults.
func (o Options) withDefaults() (Options, error) {
	if len(o.StateKey) < universal.MinStateKeyLen {
		return o, fmt.Errorf("%w: a state key of at least %d bytes is required",
			ErrInvalidOptions, universal.MinStateKeyLen)
	}
	if o.StateTTL <= 0 {
		o.StateTTL = DefaultStateTTL
	}
	if o.PushTimeout <= 0 {
		o.PushTimeout = DefaultPushTimeout
	}
	if o.DuoTimeout <= 0 {
		o.DuoTimeout = DefaultDuoTimeout
	}
	if o.Proxy == nil {
		o.Proxy = http.ProxyFromEnvironment
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		o.Logger = l
	}
	if o.ClientCacheSize <= 0 {
		o.ClientCacheSize = DefaultClientCacheSize
	}
	o.Metrics = o.Metrics.withDefaults()
	return o, nil
}
