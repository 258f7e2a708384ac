package authapi_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testIKey = "DIAUTHAPITESTKEY0001"
	testSKey = "AuthApiTestSecretKey00000000000000000001"
)

// newSim starts a simulator with the test integration.
func newSim(tb testing.TB) *duosim.Server {
	tb.Helper()
	sim := duosim.New(duosim.Options{StatusHold: 5 * time.Second})
	sim.AddIntegration(testIKey, testSKey)
	if err := sim.Start(); err != nil {
		tb.Fatalf("starting simulator: %v", err)
	}
	tb.Cleanup(func() {
		if err := sim.Close(); err != nil {
			tb.Errorf("closing simulator: %v", err)
		}
	})
	return sim
}

// newClient returns a Client for the simulator that trusts its CA; edit
// changes the config first.
func newClient(tb testing.TB, sim *duosim.Server, edit func(*authapi.Config)) *authapi.Client {
	tb.Helper()
	cfg := authapi.Config{IKey: testIKey, SKey: testSKey, APIHost: sim.Host(),
		RootCAs: sim.CertPool(), Timeout: 2 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	c, err := authapi.New(cfg)
	if err != nil {
		tb.Fatalf("new client: %v", err)
	}
	tb.Cleanup(c.Close)
	return c
}

// wantClass fails unless err is an *Error of class want (want "" means no
// error), checks that the error text never holds a secret, and returns a
// copy of the *Error (the zero Error when want is "").
func wantClass(t *testing.T, err error, want failmode.Class, secrets ...string) authapi.Error {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return authapi.Error{}
	}
	var e *authapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want *authapi.Error of class %s", err, err, want)
	}
	if e.Class != want {
		t.Fatalf("class: got %s (%v), want %s", e.Class, err, want)
	}
	for _, s := range append(secrets, testSKey) {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error text %q contains a secret", err.Error())
		}
	}
	return *e
}
