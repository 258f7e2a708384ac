package apptest

import (
	"io"
	"testing"

	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/handlers"
)

// Router builds a replica as `duo-kazoo serve` does, without contacting
// anything (plaintext secrets, no key file), and returns its router, for
// tests that compare the routes with what documents them.
func Router(t testing.TB) *mux.Router {
	t.Helper()
	cfg, err := app.ConfigFromEnv(func(name string) string {
		if name == "DUO_KAZOO_SECRETS_MODE" {
			return "plaintext"
		}
		return ""
	})
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
	srv, ok := a.Handler().(*handlers.Server)
	if !ok {
		t.Fatalf("app handler: got %T, want *handlers.Server", a.Handler())
	}
	return srv.Router()
}
