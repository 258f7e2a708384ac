package credcheck_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/duo-kazoo/duo-kazoo/credcheck"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/handlers"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Keys with Duo's lengths (20 and 40).
const (
	ikey         = "DICREDCHECKTEST00001"
	skey         = "CredCheckTestSecretKey000000000000000001"
	clientID     = "DICREDCHECKUNIVERSAL"
	clientSecret = "CredCheckUniversalClientSecret0000000001"
	wrongID      = "DINOSUCHINTEGRATION0"
	wrongSecret  = "WrongSecretWrongSecretWrongSecretWrong01"
	redirectURI  = "https://kazoo.example.test/duo/callback"
)

// loader serves configurations from a map.
type loader map[string]provider.Config

func (l loader) Load(_ context.Context, _, id string) (provider.Config, error) {
	cfg, ok := l[id]
	if !ok {
		return provider.Config{}, fmt.Errorf("loading %s: %w", id, provider.ErrInvalid)
	}
	return cfg, nil
}

// startSim runs a simulator whose clock is shift off ours, knowing the
// test integration and Universal client; it appends its CA to caFile (one
// file for every simulator of a test, as DUO_KAZOO_CA_FILE) and is closed
// when the test ends.
func startSim(t *testing.T, shift time.Duration, caFile string) *duosim.Server {
	t.Helper()
	sim := duosim.New(duosim.Options{Now: func() time.Time { return time.Now().Add(shift) }})
	sim.AddIntegration(ikey, skey)
	sim.AddUniversalClient(clientID, clientSecret)
	if err := sim.Start(); err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() {
		if err := sim.Close(); err != nil {
			t.Errorf("closing simulator: %v", err)
		}
	})
	f, err := os.OpenFile(caFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatalf("opening ca file: %v", err)
	}
	if _, err := f.Write(sim.CACertPEM()); err != nil {
		t.Fatalf("writing ca file: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("closing ca file: %v", err)
	}
	return sim
}

func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("closing listener: %v", err)
	}
	return addr
}

func authAPIConfig(host, ik, sk string) provider.Config {
	return provider.Config{Provider: provider.ProviderDuo, IntegrationKey: ik,
		SecretKey: provider.Secret(sk), APIHostname: host}
}

func universalConfig(host, id, secret string) provider.Config {
	return provider.Config{Provider: provider.ProviderUniversal, ClientID: id,
		ClientSecret: provider.Secret(secret), APIHostname: host, RedirectURI: redirectURI}
}

// TestVerdicts runs every verdict of both credential tests against the
// simulator: Auth API check and Universal Prompt health check.
func TestVerdicts(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	sim := startSim(t, 0, caFile)
	ahead := startSim(t, 10*time.Minute, caFile)   // this server 10 min behind Duo
	behind := startSim(t, -10*time.Minute, caFile) // this server 10 min ahead
	drift := startSim(t, 200*time.Second, caFile)  // within Duo's 300 s, beyond 60 s
	down := closedAddr(t)

	tests := []struct {
		name        string
		cfg         provider.Config
		wantResult  string
		wantMessage string // in the plain-words message
		wantDuo     string // Duo's own message; "" for none
	}{
		{"auth api ok", authAPIConfig(sim.Host(), ikey, skey), credcheck.ResultOK,
			"accepted", ""},
		{"auth api wrong integration key", authAPIConfig(sim.Host(), wrongID, skey),
			credcheck.ResultWrongIKey, "integration key",
			"Invalid integration key in request credentials"},
		{"auth api wrong secret key", authAPIConfig(sim.Host(), ikey, wrongSecret),
			credcheck.ResultWrongSecret, "secret key",
			"Invalid signature in request credentials"},
		{"auth api host unreachable", authAPIConfig(down, ikey, skey),
			credcheck.ResultUnreachable, down, ""},
		{"auth api server clock behind duo", authAPIConfig(ahead.Host(), ikey, skey),
			credcheck.ResultClockSkew, "clock", "Invalid request timestamp"},
		{"auth api server clock ahead of duo", authAPIConfig(behind.Host(), ikey, skey),
			credcheck.ResultClockSkew, "clock", "Invalid request timestamp"},
		{"auth api clock drifting but accepted", authAPIConfig(drift.Host(), ikey, skey),
			credcheck.ResultOK, "clock", ""},

		{"universal ok", universalConfig(sim.Host(), clientID, clientSecret),
			credcheck.ResultOK, "accepted", ""},
		{"universal wrong client id", universalConfig(sim.Host(), wrongID, clientSecret),
			credcheck.ResultBadCredentials, "client id or client secret",
			"invalid_client (The provided client_assertion was invalid.)"},
		{"universal wrong client secret", universalConfig(sim.Host(), clientID, wrongSecret),
			credcheck.ResultBadCredentials, "client id or client secret",
			"invalid_client (The provided client_assertion was invalid.)"},
		{"universal host unreachable", universalConfig(down, clientID, clientSecret),
			credcheck.ResultUnreachable, down, ""},
		{"universal assertion expired at duo", universalConfig(ahead.Host(), clientID,
			clientSecret), credcheck.ResultClockSkew, "clock",
			"invalid_client (The provided client_assertion was invalid.)"},
		{"universal accepted but clock off", universalConfig(behind.Host(), clientID,
			clientSecret), credcheck.ResultClockSkew, "clock", ""},
		{"universal clock off within duo's 300 s", universalConfig(drift.Host(), clientID,
			clientSecret), credcheck.ResultClockSkew, "clock", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checker := credcheck.New(loader{"cfg": tt.cfg},
				credcheck.Options{CAFile: caFile, Timeout: 5 * time.Second})
			res, err := checker.Check(context.Background(), "acct", "cfg")
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			wantVerdict(t, res, tt.wantResult, tt.wantMessage, tt.wantDuo)
			for _, secret := range []string{skey, clientSecret, wrongSecret} {
				if strings.Contains(res.Message+res.DuoMessage, secret) {
					t.Errorf("answer %+v holds a secret", res)
				}
			}
		})
	}
}

func wantVerdict(t *testing.T, res handlers.CheckResult, result, message, duo string) {
	t.Helper()
	if res.Result != result || res.OK != (result == credcheck.ResultOK) {
		t.Errorf("result: got %q (ok %v), want %q; message %q", res.Result, res.OK, result,
			res.Message)
	}
	if !strings.Contains(res.Message, message) {
		t.Errorf("message: got %q, want it to mention %q", res.Message, message)
	}
	if !strings.HasPrefix(res.DuoMessage, duo) || (duo == "" && res.DuoMessage != "") {
		t.Errorf("duo message: got %q, want %q", res.DuoMessage, duo)
	}
	if res.Endpoint == "" || res.RoundTripMS <= 0 {
		t.Errorf("endpoint %q, round trip %v ms: want both", res.Endpoint, res.RoundTripMS)
	}
}

func TestUnreadableConfiguration(t *testing.T) {
	checker := credcheck.New(loader{}, credcheck.Options{})
	res, err := checker.Check(context.Background(), "acct", "missing")
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if res.Result != credcheck.ResultInvalidConfig || res.OK {
		t.Errorf("got %+v, want %s", res, credcheck.ResultInvalidConfig)
	}
}
