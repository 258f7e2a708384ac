package mfa_test

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/configstore"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duo/websdk"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/mfa"
	"github.com/duo-kazoo/duo-kazoo/secrets"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

// Credentials of the simulated Duo applications. The tests check that none
// of them reaches a stored attempt or a log entry.
const (
	simIKey     = "DIKAZOOMFATESTS00001"
	simSKey     = "SimulatedSecretKeyOfTheMFATestsKazoo0001"
	simAKey     = "ApplicationSecretKeyOfTheMFATestsAtLeast40Chars"
	uniClientID = "DIKAZOOMFAUNIVERSAL1"
	uniSecret   = "SimulatedUniversalClientSecretMFATests01"
	redirectURI = "https://kazoo.example.com/duo/callback"
	authModule  = "cb_user_auth"
)

// clock is the service's clock: real time plus an offset tests can move.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// env is a fresh KAZOO in the test CouchDB, a running Duo simulator and a
// Service over both.
type env struct {
	couch   *couch.Client
	kz      *seed.KAZOO
	sim     *duosim.Server // nil with an external simulator
	host    string         // the simulator's host:port
	configs *configstore.Store
	svc     *mfa.Service
	deps    mfa.Deps
	clock   *clock
	logs    *test.Hook
	browser *http.Client // follows no redirect, like a test harness
}

type envOptions struct {
	external       *externalSim  // a simulator in another process; nil: in-process
	simPushTimeout time.Duration // the simulator's; default 3 s
	pushTimeout    time.Duration // the service's; default 10 s
	wrapRecorder   func(mfa.AttemptRecorder) mfa.AttemptRecorder
	metrics        mfa.Metrics // the service's recorders
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	ctx := context.Background()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxConnsPerHost = 64 // bursts of thousands of logins queue, not flood the server
	c, err := couch.Open(testenv.CouchURL(t), couch.Options{CacheTTL: time.Minute,
		HTTPClient: &http.Client{Transport: tr, Timeout: 30 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		tr.CloseIdleConnections()
	})
	kz, err := seed.Seed(ctx, c, seed.Options{})
	if err != nil {
		t.Fatalf("seeding: %v", err)
	}

	e := &env{couch: c, kz: kz, clock: &clock{}}
	var roots *x509.CertPool
	if o.external != nil {
		e.host, roots = o.external.host, o.external.roots
	} else {
		e.sim = startSim(t, o.simPushTimeout)
		e.host, roots = e.sim.Host(), e.sim.CertPool()
		e.browser = e.sim.HTTPClient()
		e.browser.CheckRedirect = func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}
	}

	key, err := secrets.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	ring, err := secrets.NewKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	stateKey, err := ring.Derive(mfa.StateKeyPurpose)
	if err != nil {
		t.Fatal(err)
	}
	e.configs = configstore.New(c, ring)
	e.deps = mfa.CouchDeps(c, e.configs, attempts.NewRecorder(c, attempts.RecorderOptions{}))
	if o.wrapRecorder != nil {
		e.deps.Attempts = o.wrapRecorder(e.deps.Attempts)
	}
	logger, hook := test.NewNullLogger()
	logger.SetLevel(logrus.DebugLevel)
	e.logs = hook
	if o.pushTimeout == 0 {
		o.pushTimeout = 10 * time.Second
	}
	e.svc, err = mfa.New(e.deps, mfa.Options{StateKey: stateKey, RootCAs: roots,
		Now: e.clock.Now, Logger: logger, PushTimeout: o.pushTimeout,
		DuoTimeout: 5 * time.Second, Metrics: o.metrics})
	if err != nil {
		t.Fatalf("mfa.New: %v", err)
	}
	t.Cleanup(e.svc.Close)
	return e
}

// startSim starts an in-process simulator knowing the tests' applications.
func startSim(t testing.TB, pushTimeout time.Duration) *duosim.Server {
	t.Helper()
	if pushTimeout == 0 {
		pushTimeout = 3 * time.Second
	}
	sim := duosim.New(duosim.Options{PushTimeout: pushTimeout, StatusHold: time.Second})
	sim.AddIntegration(simIKey, simSKey)
	sim.AddUniversalClient(uniClientID, uniSecret)
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

// duoConfig creates a duo (Web SDK v2) configuration in acct with extra
// settings, and returns its id.
func (e *env) duoConfig(t testing.TB, acct string, extra map[string]any) string {
	t.Helper()
	settings := map[string]any{"integration_key": simIKey, "secret_key": simSKey,
		"application_secret_key": simAKey, "api_hostname": e.host,
		"username_source": "username"}
	return e.config(t, acct, "duo", settings, extra)
}

// universalConfig creates a duo_universal configuration in acct.
func (e *env) universalConfig(t testing.TB, acct string, extra map[string]any) string {
	t.Helper()
	settings := map[string]any{"client_id": uniClientID, "client_secret": uniSecret,
		"api_hostname": e.host, "redirect_uri": redirectURI,
		"username_source": "username"}
	return e.config(t, acct, "duo_universal", settings, extra)
}

func (e *env) config(t testing.TB, acct, provider string, settings,
	extra map[string]any) string {
	t.Helper()
	for k, v := range extra {
		settings[k] = v
	}
	body, _ := json.Marshal(map[string]any{"name": "cfg " + testenv.NewID()[:6],
		"enabled": true, "provider_name": provider, "settings": settings})
	doc, _, err := e.configs.Create(context.Background(), acct, body)
	if err != nil {
		t.Fatalf("creating configuration: %v", err)
	}
	return doc["id"].(string)
}

// enable writes acct's configs_crossbar.auth turning multi_factor on for
// module with configuration configID in acct.
func (e *env) enable(t testing.TB, acct, module string, mf map[string]any) {
	t.Helper()
	db, _ := couch.AccountDB(acct)
	ctx := context.Background()
	doc := couch.Doc{"_id": couch.AuthConfigDocID, "pvt_type": "account_config",
		"auth_modules": map[string]any{module: map[string]any{"multi_factor": mf}}}
	if old, err := e.couch.Get(ctx, db, couch.AuthConfigDocID); err == nil {
		doc["_rev"] = old["_rev"]
	}
	if _, err := e.couch.Put(ctx, db, doc); err != nil {
		t.Fatalf("writing %s: %v", couch.AuthConfigDocID, err)
	}
}

// enableDuo is the common set-up: a duo configuration in the sub-account,
// enabled for cb_user_auth there. It returns the account and config ids.
func (e *env) enableDuo(t testing.TB, extra map[string]any) (string, string) {
	t.Helper()
	acct := e.kz.Sub.ID
	id := e.duoConfig(t, acct, extra)
	e.enable(t, acct, authModule, map[string]any{"enabled": true, "configuration_id": id,
		"account_id": acct})
	return acct, id
}

// request returns a login request for username in acct.
func request(acct, username string) mfa.Request {
	return mfa.Request{AccountID: acct, OwnerID: testenv.NewID(), Username: username,
		AuthModule: authModule, ClientIP: "203.0.113.7", UserAgent: "mfa-tests/1",
		MsgID: testenv.NewID()}
}

// user scripts a fresh simulator user and returns its name.
func (e *env) user(b duosim.Behavior, delay time.Duration) string {
	name := "user-" + strings.ToLower(rand.Text()[:10])
	e.sim.SetUser(name, duosim.User{Behavior: b, Delay: delay})
	return name
}

// frame plays the browser's Web SDK iframe for a challenge and returns the
// sig_response for an approving user ("" when Duo did not approve).
func (e *env) frame(t testing.TB, challenge map[string]any) string {
	t.Helper()
	settings, _ := challenge["settings"].(map[string]any)
	sigRequest, _ := settings["duo_sig_request"].(string)
	duoPart, appPart, err := websdk.ParseRequest(sigRequest)
	if err != nil {
		t.Fatalf("challenge %v: %v", challenge, err)
	}
	resp, err := e.sim.HTTPClient().Get(websdk.AuthFrameURL(e.sim.Host(), duoPart,
		"https://kazoo.example.com/login") + "&format=json")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var env struct {
		Response struct {
			Cookie string `json:"cookie"`
		} `json:"response"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("frame reply: %v", err)
	}
	if env.Response.Cookie == "" {
		return ""
	}
	return env.Response.Cookie + ":" + appPart
}

// prompt follows a Universal Prompt challenge's redirect as a browser and
// returns the callback's duo_code and state.
func (e *env) prompt(t testing.TB, challenge map[string]any) (code, state string) {
	t.Helper()
	authURL, _ := challenge["duo_redirect"].(string)
	resp, err := e.browser.Get(authURL)
	if err != nil {
		t.Fatalf("opening the prompt: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("prompt answered HTTP %d, want a redirect", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), redirectURI+"?") {
		t.Fatalf("redirected to %q, want %s", resp.Header.Get("Location"), redirectURI)
	}
	return loc.Query().Get("duo_code"), loc.Query().Get("state")
}

// attemptDoc reads the attempt a reply names, and checks the fields every
// recorded failure has and that none of the forbidden values (secrets)
// appears anywhere in it.
func (e *env) attemptDoc(t testing.TB, acct string, reply mfa.Reply,
	forbidden ...string) couch.Doc {
	t.Helper()
	if reply.AttemptID == "" {
		t.Fatalf("reply %+v has no Attempt-ID", reply)
	}
	doc, err := e.couch.GetMODBDoc(context.Background(), acct, reply.AttemptID)
	if err != nil {
		t.Fatalf("reading attempt %s: %v", reply.AttemptID, err)
	}
	if doc["pvt_type"] != "login_attempt" || doc["status"] != "failed" ||
		doc["auth_type"] != "multi_factor" || doc["reason"] != reply.Reason ||
		doc["auth_module"] != authModule || doc["client_ip"] != "203.0.113.7" {
		t.Errorf("attempt %v: want a failed multi_factor login_attempt with reason %q",
			doc, reply.Reason)
	}
	raw, _ := json.Marshal(doc)
	for _, s := range append(forbidden, simSKey, simAKey, uniSecret) {
		if s != "" && strings.Contains(string(raw), s) {
			t.Errorf("attempt holds a secret %.12q...: %s", s, raw)
		}
	}
	return doc
}

// details returns an attempt's details.
func details(doc couch.Doc) map[string]any {
	d, _ := doc["details"].(map[string]any)
	return d
}

// noSecretsLogged fails when a log entry holds one of the values.
func (e *env) noSecretsLogged(t testing.TB, values ...string) {
	t.Helper()
	for _, entry := range e.logs.AllEntries() {
		line, _ := entry.String()
		for _, v := range append(values, simSKey, simAKey, uniSecret) {
			if v != "" && strings.Contains(line, v) {
				t.Errorf("log entry holds a secret %.12q...: %s", v, line)
			}
		}
	}
}

// wantReply checks a reply's result and reason.
func wantReply(t testing.TB, got mfa.Reply, result mfa.Result, reason string) {
	t.Helper()
	if got.Result != result || got.Reason != reason {
		t.Fatalf("reply = %s/%s (%s), want %s/%s", got.Result, got.Reason, got.Message,
			result, reason)
	}
}

// countRequests counts simulator requests to path.
func (e *env) countRequests(path string) int {
	n := 0
	for _, r := range e.sim.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

// failingRecorder fails every Record, as a CouchDB that is down would.
type failingRecorder struct {
	mu    sync.Mutex
	calls int
}

func (f *failingRecorder) Record(context.Context, string, attempts.Attempt) (string, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	return "", fmt.Errorf("recording: %w", couch.ErrUnavailable)
}
