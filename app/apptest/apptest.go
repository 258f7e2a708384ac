// Package apptest starts a real duo-kazoo replica for integration tests:
// the service built by app.New over the CouchDB-API server at COUCH_URL,
// served by httptest on loopback, with a freshly seeded KAZOO and the
// replica's log captured at debug level.
package apptest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/secrets"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

// Env is a running replica and the KAZOO it serves.
type Env struct {
	URL   string
	App   *app.App
	KAZOO *seed.KAZOO
	Couch *couch.Client
	Log   *LogBuffer
	// KeyFile is the secrets key file the replica reads.
	KeyFile string
	// Topology names the replica's private exchanges and queue (with
	// Options.AMQP).
	Topology amqp.Topology

	stop func() // stops the replica (with Options.AMQP)
}

// StopReplica stops the replica now, gracefully, as SIGTERM would (with
// Options.AMQP); the test's end stops it otherwise.
func (e *Env) StopReplica() {
	if e.stop != nil {
		e.stop()
	}
}

// Options tune Start. The zero value is the default service.
type Options struct {
	// Configure edits the configuration before the replica is built.
	Configure func(*app.Config)
	// AMQP runs the whole replica (app.Run: HTTP and the AMQP consumer)
	// on exchanges and a queue private to this Env, instead of serving
	// only the HTTP API.
	AMQP bool
	// Join makes this replica another member of Join's replica set: the
	// same exchanges, queue and secrets key file. Implies AMQP.
	Join *Env
}

// Start builds, serves and seeds a replica; everything stops when the test
// ends.
func Start(t testing.TB, opts Options) *Env {
	t.Helper()
	couchURL := testenv.CouchURL(t)
	keyFile := filepath.Join(t.TempDir(), "secrets.key")
	if opts.Join != nil {
		keyFile = opts.Join.KeyFile
		opts.AMQP = true
	} else {
		key, err := secrets.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(keyFile, []byte(secrets.EncodeKey(key)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := app.ConfigFromEnv(func(name string) string {
		switch name {
		case "COUCH_URL":
			return couchURL
		case "AMQP_URL":
			return os.Getenv("AMQP_URL")
		case "DUO_KAZOO_SECRET_KEY_FILE":
			return keyFile
		case "DUO_KAZOO_CACHE_TTL":
			return "0s"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	// Tests capture everything; Configure may raise the level (benchmarks
	// log as production does).
	cfg.LogLevel = "debug"
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	logs := &LogBuffer{}
	log := logrus.New()
	log.SetOutput(logs)
	level, err := logrus.ParseLevel(cfg.LogLevel)
	if err != nil {
		t.Fatal(err)
	}
	log.SetLevel(level)
	log.SetFormatter(&logrus.JSONFormatter{})

	switch {
	case opts.Join != nil:
		cfg.Topology = opts.Join.Topology
	case opts.AMQP:
		cfg.Topology = privateTopology()
	}
	a, err := app.New(cfg, log)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	env := &Env{App: a, Couch: a.Couch(), Log: logs, KeyFile: keyFile, Topology: cfg.Topology}
	if opts.AMQP {
		env.URL, env.stop = runReplica(t, a, cfg)
	} else {
		srv := httptest.NewServer(a.Handler())
		t.Cleanup(func() {
			srv.Close()
			a.Close()
		})
		env.URL = srv.URL
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	env.KAZOO, err = seed.Seed(ctx, a.Couch(), seed.Options{TokenLifetime: time.Hour})
	if err != nil {
		t.Fatalf("seeding: %v", err)
	}
	return env
}

// Do sends a request with token (none when empty) and a JSON body (none
// when nil) and returns the status and body.
func (e *Env) Do(t testing.TB, method, path, token string, body any) (int, []byte) {
	t.Helper()
	return e.DoHeaders(t, method, path, token, body, nil)
}

// DoHeaders is Do with extra request headers.
func (e *Env) DoHeaders(t testing.TB, method, path, token string, body any,
	headers map[string]string) (int, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		r = bytes.NewReader(mustJSON(t, b))
	}
	req, err := http.NewRequest(method, e.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// LogBuffer collects log output safely across goroutines.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
