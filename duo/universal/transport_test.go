package universal

import (
	"context"
	"crypto/tls"
	"net/http"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/internal/testproxy"
)

// clientWith returns a client for the simulator whose HTTP client is hc.
func clientWith(t *testing.T, sim *duosim.Server, hc *http.Client) *Client {
	t.Helper()
	c, err := New(Config{ClientID: simClientID, ClientSecret: simSecret, APIHost: sim.Host(),
		RedirectURI: simRedirect, HTTPClient: hc})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// TestSimTimeouts: a Duo slower than the HTTP client's timeout, or than
// the caller's deadline, is Unreachable, for the health check and the
// code exchange alike.
func TestSimTimeouts(t *testing.T) {
	e := newSimEnv(t)
	bounded := e.sim.HTTPClient()
	bounded.Timeout = 100 * time.Millisecond
	slow := func(path string) duosim.Fault {
		return duosim.Fault{Latency: 5 * time.Second, Paths: []string{path}}
	}

	tests := []struct {
		name     string
		client   *Client
		deadline time.Duration // of the caller's context; 0 for none
		path     string
		exchange bool // else health check
	}{
		{"health check past the client timeout", clientWith(t, e.sim, bounded), 0,
			healthPath, false},
		{"health check past the caller's deadline", e.client, 100 * time.Millisecond,
			healthPath, false},
		{"exchange past the client timeout", clientWith(t, e.sim, bounded), 0,
			tokenPath, true},
		{"exchange past the caller's deadline", e.client, 100 * time.Millisecond,
			tokenPath, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			var err error
			if tt.exchange {
				_, claims, q := e.login(t, "alice", "")
				e.sim.SetFault(slow(tt.path))
				defer e.sim.ClearFaults()
				_, err = tt.client.ExchangeNonce(ctx, q.Get("duo_code"), "alice", claims.ID)
			} else {
				e.sim.SetFault(slow(tt.path))
				defer e.sim.ClearFaults()
				err = tt.client.HealthCheck(ctx)
			}
			if got := Classify(err); got != failmode.Unreachable {
				t.Errorf("error %v classified %q, want %q", err, got, failmode.Unreachable)
			}
		})
	}
}

// TestSimProxy: the client sends every request (health check, code
// exchange) through Config.HTTPClient, so a proxy set there, as the
// service sets it from the environment, carries them.
func TestSimProxy(t *testing.T) {
	e := newSimEnv(t)
	proxy := testproxy.Start(t)
	hc := &http.Client{Transport: &http.Transport{
		Proxy:           proxy.Func(),
		TLSClientConfig: &tls.Config{RootCAs: e.sim.CertPool(), MinVersion: tls.VersionTLS12},
	}}
	defer hc.CloseIdleConnections()
	c := clientWith(t, e.sim, hc)

	if err := c.HealthCheck(context.Background()); err != nil {
		t.Fatalf("health check through the proxy: %v", err)
	}
	_, claims, q := e.login(t, "alice", "")
	res, err := c.ExchangeNonce(context.Background(), q.Get("duo_code"), "alice", claims.ID)
	if err != nil || !res.Allowed {
		t.Fatalf("exchange through the proxy: %+v, %v", res, err)
	}
	targets := proxy.Targets()
	if len(targets) == 0 {
		t.Fatal("no tunnel through the proxy: requests went around it")
	}
	for _, got := range targets {
		if got != e.sim.Host() {
			t.Errorf("tunnel to %s, want %s", got, e.sim.Host())
		}
	}
}
