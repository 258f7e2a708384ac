package authapi_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/internal/testproxy"
)

// TestProxy: with Config.Proxy set, every call (check, preauth, a push
// and its auth_status polls) reaches Duo through the proxy's CONNECT
// tunnels; with the proxy gone, Duo is unreachable rather than reached
// directly.
func TestProxy(t *testing.T) {
	sim := newSim(t)
	sim.SetUser("alice", duosim.User{})
	proxy := testproxy.Start(t)
	c := newClient(t, sim, func(cfg *authapi.Config) { cfg.Proxy = proxy.Func() })
	ctx := context.Background()

	_, err := c.Check(ctx)
	wantClass(t, err, "")
	_, err = c.Preauth(ctx, "alice", "")
	wantClass(t, err, "")
	_, err = c.Auth(ctx, authapi.AuthRequest{Username: "alice", Factor: authapi.FactorPush})
	wantClass(t, err, "")

	targets := proxy.Targets()
	if len(targets) == 0 {
		t.Fatal("no tunnel through the proxy: requests went around it")
	}
	for _, got := range targets {
		if got != sim.Host() {
			t.Errorf("tunnel to %s, want %s", got, sim.Host())
		}
	}
	if n := len(sim.Requests()); n < 4 {
		t.Errorf("simulator saw %d requests, want check, preauth, auth and auth_status", n)
	}

	down := closedAddr(t)
	viaNothing := newClient(t, sim, func(cfg *authapi.Config) {
		cfg.Proxy = func(*http.Request) (*url.URL, error) {
			return &url.URL{Scheme: "http", Host: down}, nil
		}
	})
	_, err = viaNothing.Check(ctx)
	wantClass(t, err, failmode.Unreachable)
}
