package mfa

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duo/universal"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// clientCache keeps one Duo client per configuration and settings: the key
// is a hash of the account, the configuration id and every setting the
// client uses (secrets included, hashed), so an edited configuration gets
// a new client at once and the old one ages out. The least recently used
// client is dropped (and its idle connections closed) beyond the size.
type clientCache struct {
	opts Options
	http *http.Client // shared by Universal Prompt clients

	mu      sync.Mutex
	entries map[string]*cachedClient
}

type cachedClient struct {
	auth *authapi.Client
	univ *universal.Client
	used time.Time
}

func newClientCache(opts Options) (*clientCache, error) {
	tr, err := duoTransport(opts)
	if err != nil {
		return nil, err
	}
	return &clientCache{
		opts:    opts,
		http:    &http.Client{Transport: tr, Timeout: opts.DuoTimeout},
		entries: map[string]*cachedClient{},
	}, nil
}

// duoTransport is the transport of Universal Prompt calls: verification
// always on, roots from Options.RootCAs (or the system) plus CAFile.
func duoTransport(opts Options) (*http.Transport, error) {
	pool := opts.RootCAs
	switch {
	case pool != nil:
		pool = pool.Clone()
	default:
		sys, err := x509.SystemCertPool()
		if err != nil {
			sys = x509.NewCertPool()
		}
		pool = sys
	}
	if opts.CAFile != "" {
		pem, err := os.ReadFile(opts.CAFile)
		if err != nil {
			return nil, fmt.Errorf("%w: reading the CA file: %w", ErrInvalidOptions, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: CA file %s holds no certificate", ErrInvalidOptions,
				opts.CAFile)
		}
	}
	return &http.Transport{
		Proxy:               opts.Proxy,
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: opts.DuoTimeout,
	}, nil
}

// clientKey identifies a configuration's settings. Secrets enter only
// through the hash.
func clientKey(kind, accountID string, c provider.Config) string {
	h := sha256.New()
	for _, part := range []string{kind, accountID, c.ID, c.IntegrationKey,
		c.SecretKey.Reveal(), c.APIHostname, c.ClientID, c.ClientSecret.Reveal(),
		c.RedirectURI} {
		fmt.Fprintf(h, "%d:%s;", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// authClient returns the Auth API client of a configuration, made from its
// integration key and secret key, observed into Options.Metrics.
func (cc *clientCache) authClient(accountID string, c provider.Config) (authCalls, error) {
	client, err := cc.rawAuthClient(accountID, c)
	return authCalls{client: client, m: cc.opts.Metrics}, err
}

func (cc *clientCache) rawAuthClient(accountID string,
	c provider.Config) (*authapi.Client, error) {
	key := clientKey("auth", accountID, c)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if e, ok := cc.entries[key]; ok {
		e.used = time.Now()
		return e.auth, nil
	}
	client, err := authapi.New(authapi.Config{
		IKey: c.IntegrationKey, SKey: c.SecretKey.Reveal(), APIHost: c.APIHostname,
		Timeout: cc.opts.DuoTimeout, LongPollTimeout: cc.opts.PushTimeout,
		RootCAs: cc.opts.RootCAs, CAFile: cc.opts.CAFile, Proxy: cc.opts.Proxy,
		UserAgent: "duo-kazoo",
	})
	if err != nil {
		return nil, err
	}
	cc.addLocked(key, &cachedClient{auth: client, used: time.Now()})
	return client, nil
}

// universalClient returns the Universal Prompt client of a configuration,
// observed into Options.Metrics.
func (cc *clientCache) universalClient(accountID string,
	c provider.Config) (universalCalls, error) {
	client, err := cc.rawUniversalClient(accountID, c)
	return universalCalls{client: client, m: cc.opts.Metrics}, err
}

func (cc *clientCache) rawUniversalClient(accountID string,
	c provider.Config) (*universal.Client, error) {
	key := clientKey("universal", accountID, c)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if e, ok := cc.entries[key]; ok {
		e.used = time.Now()
		return e.univ, nil
	}
	client, err := universal.New(universal.Config{
		ClientID: c.ClientID, ClientSecret: c.ClientSecret.Reveal(), APIHost: c.APIHostname,
		RedirectURI: c.RedirectURI, HTTPClient: cc.http,
	})
	if err != nil {
		return nil, err
	}
	cc.addLocked(key, &cachedClient{univ: client, used: time.Now()})
	return client, nil
}

func (cc *clientCache) addLocked(key string, e *cachedClient) {
	if len(cc.entries) >= cc.opts.ClientCacheSize {
		var oldest string
		for k, v := range cc.entries {
			if oldest == "" || v.used.Before(cc.entries[oldest].used) {
				oldest = k
			}
		}
		cc.dropLocked(oldest)
	}
	cc.entries[key] = e
}

func (cc *clientCache) dropLocked(key string) {
	if e := cc.entries[key]; e != nil && e.auth != nil {
		e.auth.Close()
	}
	delete(cc.entries, key)
}

// close drops every client and closes idle connections. Calls in flight
// are not interrupted.
func (cc *clientCache) close() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	for k := range cc.entries {
		cc.dropLocked(k)
	}
	cc.http.CloseIdleConnections()
}
