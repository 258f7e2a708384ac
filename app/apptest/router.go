package apptest

import (
	"io"
	"testing"

	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/handlers"
)

// NewApp builds a replica as `duo-kazoo serve` does, from env (variables
// it lacks are unset), logging to nowhere; it is closed when the test
// ends. It contacts nothing until it serves.
func NewApp(t testing.TB, env map[string]string) *app.App {
	t.Helper()
	cfg, err := app.ConfigFromEnv(func(name string) string { return env[name] })
	if err != nil {
		t.Fatal(err)
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	a, err := app.New(cfg, log)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// Router builds a replica offline (plaintext secrets, no key file) and
// returns its router, for tests that compare the routes with what
// documents them.
func Router(t testing.TB) *mux.Router {
	t.Helper()
	a := NewApp(t, map[string]string{"DUO_KAZOO_SECRETS_MODE": "plaintext"})
	srv, ok := a.Handler().(*handlers.Server)
	if !ok {
		t.Fatalf("app handler: got %T, want *handlers.Server", a.Handler())
	}
	return srv.Router()
}
