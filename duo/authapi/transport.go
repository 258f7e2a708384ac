package authapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
)

// errNoHTTP2 reports that a Duo host did not negotiate HTTP/2.
var errNoHTTP2 = errors.New("duo host does not speak HTTP/2")

// duoTransport carries a Client's requests to Duo.
//
// Every pending push holds one auth_status long poll open, so a busy
// replica keeps thousands of requests in flight to one host: more than a
// single HTTP/2 connection carries (servers cap concurrent streams; Go's
// cap is 250). net/http's own HTTP/2 support adds connections poorly under
// that load: each request that finds every connection full dials a TLS
// connection of its own, and all but one are closed again, a storm of
// handshakes that kept 10,000 pushes from starting for minutes.
// golang.org/x/net/http2's pool dials one connection per host at a time,
// shared by the requests waiting for it. So requests go over HTTP/2 from
// that pool, and take the standard transport only where it is needed:
// through a proxy (CONNECT), or to a host that does not offer HTTP/2
// (remembered after the first refusal).
type duoTransport struct {
	cfg   Config
	h2    *http2.Transport
	std   *http.Transport
	noH2  atomic.Bool
	dials net.Dialer
}

func newDuoTransport(cfg Config, tlsCfg *tls.Config) *duoTransport {
	t := &duoTransport{
		cfg:   cfg,
		dials: net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second},
		std: &http.Transport{
			Proxy:                 cfg.Proxy,
			TLSClientConfig:       tlsCfg,
			ForceAttemptHTTP2:     true,
			MaxIdleConnsPerHost:   16,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   cfg.Timeout,
			ResponseHeaderTimeout: 0, // long polls: bounded per call instead
		},
	}
	t.h2 = &http2.Transport{
		TLSClientConfig: tlsCfg,
		DialTLSContext:  t.dialTLS,
		IdleConnTimeout: 90 * time.Second,
		ReadIdleTimeout: 30 * time.Second, // ping a silent connection
		PingTimeout:     15 * time.Second, // and drop it when unanswered
	}
	return t
}

// RoundTrip sends req over HTTP/2 unless a proxy or the host rules it out.
func (t *duoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.noH2.Load() {
		return t.std.RoundTrip(req)
	}
	if proxy, err := t.cfg.Proxy(req); err != nil || proxy != nil {
		return t.std.RoundTrip(req) // reports the proxy error itself
	}
	resp, err := t.h2.RoundTrip(req)
	if !errors.Is(err, errNoHTTP2) {
		return resp, err
	}
	t.noH2.Store(true)
	if req.Body != nil && req.GetBody != nil {
		body, gerr := req.GetBody()
		if gerr != nil {
			return nil, fmt.Errorf("rewinding the request for HTTP/1.1: %w", gerr)
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
	return t.std.RoundTrip(req)
}

// dialTLS connects to a Duo host, verifying its certificate, and offers
// HTTP/2 and HTTP/1.1; a host that picks HTTP/1.1 fails with errNoHTTP2.
func (t *duoTransport) dialTLS(ctx context.Context, network, addr string, cfg *tls.Config) (net.Conn, error) {
	cfg = cfg.Clone()
	cfg.NextProtos = []string{http2.NextProtoTLS, "http/1.1"}
	raw, err := t.dials.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	conn := tls.Client(raw, cfg)
	hsCtx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	defer cancel()
	if err := conn.HandshakeContext(hsCtx); err != nil {
		_ = raw.Close()
		return nil, err
	}
	if conn.ConnectionState().NegotiatedProtocol != http2.NextProtoTLS {
		_ = conn.Close()
		return nil, errNoHTTP2
	}
	return conn, nil
}

// CloseIdleConnections closes both transports' idle connections.
func (t *duoTransport) CloseIdleConnections() {
	t.h2.CloseIdleConnections()
	t.std.CloseIdleConnections()
}
