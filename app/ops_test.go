package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/brokerproxy"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/maintenance"
	"github.com/duo-kazoo/duo-kazoo/maintenance/couchtest"
	"github.com/duo-kazoo/duo-kazoo/secrets"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

// unreachableAMQP is a broker address nothing listens on: the replicas of
// these tests must not consume the shared broker's queue.
const unreachableAMQP = "amqp://guest:guest@127.0.0.1:1/"

// newReplica builds a replica over couchURL in plaintext mode, logging to
// nowhere.
func newReplica(t *testing.T, couchURL string) *app.App {
	t.Helper()
	return apptest.NewApp(t, map[string]string{
		"COUCH_URL":               couchURL,
		"AMQP_URL":                unreachableAMQP,
		"DUO_KAZOO_SECRETS_MODE":  "plaintext",
		"DUO_KAZOO_CACHE_TTL":     "0s",
		"DUO_KAZOO_DRAIN_TIMEOUT": "1m",
	})
}

// readyz reads /readyz once.
func readyz(t *testing.T, base string) (int, app.ReadinessReport) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	defer resp.Body.Close()
	var rep app.ReadinessReport
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatalf("decoding /readyz: %v", err)
	}
	if (resp.StatusCode == http.StatusOK) != rep.Ready() {
		t.Fatalf("/readyz: status %d with down %v", resp.StatusCode, rep.Down)
	}
	return resp.StatusCode, rep
}

// waitFor polls /readyz until cond holds, failing after a minute.
func waitFor(t *testing.T, base, what string, cond func(app.ReadinessReport) bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		_, rep := readyz(t, base)
		if cond(rep) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: last /readyz %+v", what, rep)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// downBesidesAMQP lists the checks down other than the AMQP consumer's,
// which these tests do not start.
func downBesidesAMQP(rep app.ReadinessReport) []string {
	return slices.DeleteFunc(slices.Clone(rep.Down), func(s string) bool { return s == "amqp" })
}

// TestReadinessFollowsCouchDB stops a private CouchDB-API server under a
// migrated KAZOO and starts it again: /readyz turns red naming couchdb,
// then green.
func TestReadinessFollowsCouchDB(t *testing.T) {
	srv := couchtest.Start(t)
	c, err := couch.Open(srv.URL, couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := seed.Seed(ctx, c, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	ring, err := secrets.NewKeyring(make([]byte, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := maintenance.Migrate(ctx, c, ring, maintenance.Options{}); err != nil {
		t.Fatalf("migrate: %v", err)
	}

	api := httptest.NewServer(newReplica(t, srv.URL).Handler())
	defer api.Close()

	waitFor(t, api.URL, "ready", func(rep app.ReadinessReport) bool {
		return len(downBesidesAMQP(rep)) == 0 && rep.Checks["couchdb"] == "ok" &&
			rep.Checks["design_docs"] == "ok"
	})
	srv.Stop()
	waitFor(t, api.URL, "couchdb down", func(rep app.ReadinessReport) bool {
		return rep.Checks["couchdb"] == "down" && slices.Contains(rep.Down, "couchdb")
	})
	if status, _ := readyz(t, api.URL); status != http.StatusServiceUnavailable {
		t.Errorf("couchdb down: got status %d, want 503", status)
	}
	srv.Start()
	waitFor(t, api.URL, "ready again", func(rep app.ReadinessReport) bool {
		return len(downBesidesAMQP(rep)) == 0 && rep.Checks["couchdb"] == "ok"
	})
}

// TestReadinessFollowsAMQP runs a whole replica whose broker connection
// goes through a relay, and cuts it: /readyz turns red naming amqp (a 503),
// then green once the consumer has reconnected by itself.
func TestReadinessFollowsAMQP(t *testing.T) {
	px := brokerproxy.Start(t)
	e := apptest.Start(t, apptest.Options{AMQP: true,
		Configure: func(c *app.Config) { c.AMQPURL = px.URL() }})
	t.Cleanup(px.Restore) // before the replica stops: its topology is deleted through the relay

	ready := func(rep app.ReadinessReport) bool { return rep.Ready() && rep.Checks["amqp"] == "ok" }
	waitFor(t, e.URL, "ready", ready)
	if px.Cut() == 0 {
		t.Fatal("the replica had no broker connection to cut")
	}
	waitFor(t, e.URL, "amqp down", func(rep app.ReadinessReport) bool {
		return rep.Checks["amqp"] != "ok" && slices.Equal(rep.Down, []string{"amqp"})
	})
	if status, _ := readyz(t, e.URL); status != http.StatusServiceUnavailable {
		t.Errorf("amqp down: got status %d, want 503", status)
	}
	px.Restore()
	waitFor(t, e.URL, "ready again", ready)
}

// gate is a CouchDB reverse proxy that can hold requests until released:
// only the providers listing (the API's GET /duo), so that background
// work of the replica (design docs at start-up) passes.
type gate struct {
	holding atomic.Bool
	entered chan struct{}
	release chan struct{}
	srv     *httptest.Server
}

func newGate(t *testing.T, target string) *gate {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{entered: make(chan struct{}, 1), release: make(chan struct{})}
	rp := httputil.NewSingleHostReverseProxy(u)
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.holding.Load() && strings.Contains(r.URL.Path, "/_view/crossbar_listing") {
			select {
			case g.entered <- struct{}{}:
			default:
			}
			<-g.release
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		g.open()
		g.srv.Close()
	})
	return g
}

func (g *gate) open() {
	if g.holding.CompareAndSwap(true, false) {
		close(g.release)
	}
}

// TestShutdownAnswersRequestsInFlight holds a request's CouchDB read,
// starts the shutdown, waits until the listener is closed, then lets the
// read finish: the request is still answered, and Run returns cleanly.
func TestShutdownAnswersRequestsInFlight(t *testing.T) {
	couchURL := testenv.CouchURL(t)
	direct, err := couch.Open(couchURL, couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	k, err := seed.Seed(ctx, direct, seed.Options{TokenLifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(t, couchURL)
	a := newReplica(t, g.srv.URL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	runCtx, stop := context.WithCancel(context.Background())
	defer stop()
	ran := make(chan error, 1)
	go func() { ran <- a.Run(runCtx, ln) }()
	waitHealthy(t, base)

	g.holding.Store(true)
	type answer struct {
		status int
		body   []byte
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, base+"/v2/accounts/"+k.Sub.ID+"/duo", nil)
		req.Header.Set("X-Auth-Token", k.Sub.Admin.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		answered <- answer{status: resp.StatusCode, body: body, err: err}
	}()
	<-g.entered // the request is in flight, waiting for CouchDB

	stop()
	waitClosed(t, ln.Addr().String())
	g.open()

	got := <-answered
	if got.err != nil || got.status != http.StatusOK {
		t.Fatalf("request in flight at shutdown: got %d, %v, want 200\n%s", got.status,
			got.err, got.body)
	}
	var env struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(got.body, &env); err != nil || env.Status != "success" {
		t.Errorf("request in flight at shutdown: body %s", got.body)
	}
	if err := <-ran; err != nil {
		t.Errorf("Run: got %v, want nil after a graceful shutdown", err)
	}
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica not serving: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitClosed waits until nothing accepts connections at addr: the server
// has stopped listening, so its shutdown has begun.
func waitClosed(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			var op *net.OpError
			if errors.As(err, &op) {
				return
			}
			t.Fatalf("dialing %s: %v", addr, err)
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener is still open")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
