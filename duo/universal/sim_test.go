package universal

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// Integration tests against the Duo simulator, on real time.

const (
	simClientID = "DIUNIVERSALKAZOO0001"
	simSecret   = "SimulatedUniversalClientSecretKazoo00001"
	simRedirect = "https://kazoo.example.com/duo/callback"
)

// simEnv is a running simulator with scripted users, a client for it, and
// the caller side of the flow: a state codec shared by "replicas" and a
// replay guard.
type simEnv struct {
	sim     *duosim.Server
	client  *Client
	browser *http.Client // does not follow redirects, like a test harness
	codec   *StateCodec
	guard   *memGuard
}

func newSimEnv(t *testing.T) *simEnv {
	t.Helper()
	sim := duosim.New(duosim.Options{})
	sim.AddUniversalClient(simClientID, simSecret)
	users := map[string]duosim.Behavior{
		"alice": duosim.Approve, "bob": duosim.Deny, "carol": duosim.Fraud,
		"dave": duosim.LockedOut, "erin": duosim.Manual, "frank": duosim.Timeout,
		"gina": duosim.NotEnrolled,
	}
	for name, b := range users {
		sim.SetUser(name, duosim.User{Behavior: b})
	}
	if err := sim.Start(); err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() {
		if err := sim.Close(); err != nil {
			t.Errorf("closing simulator: %v", err)
		}
	})

	browser := sim.HTTPClient()
	browser.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	return &simEnv{
		sim:     sim,
		client:  simClient(t, sim, simSecret),
		browser: browser,
		codec:   newCodec(t, stateKey),
		guard:   newMemGuard(time.Now),
	}
}

func simClient(t *testing.T, sim *duosim.Server, secret string) *Client {
	t.Helper()
	c, err := New(Config{ClientID: simClientID, ClientSecret: secret, APIHost: sim.Host(),
		RedirectURI: simRedirect, HTTPClient: sim.HTTPClient()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// login runs the browser's part for user: start the flow, follow Duo's
// prompt (pressing action for a Manual user) and return the callback query.
func (e *simEnv) login(t *testing.T, user, action string) (state string, claims StateClaims,
	callback url.Values) {
	t.Helper()
	state, claims, err := e.codec.Issue(user, "config-1", 5*time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	authURL, err := e.client.AuthorizeURLNonce(user, state, claims.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.browser.Get(authURL)
	if err != nil {
		t.Fatalf("opening the prompt: %v", err)
	}
	page := readBody(t, resp)
	if action != "" {
		session := regexp.MustCompile(`name="session" value="([^"]+)"`).FindStringSubmatch(page)
		if session == nil {
			t.Fatalf("prompt page without a session: %q", page)
		}
		resp, err = e.browser.PostForm(e.sim.URL()+authorizePath,
			url.Values{"session": {session[1]}, "action": {action}})
		if err != nil {
			t.Fatalf("answering the prompt: %v", err)
		}
		readBody(t, resp)
	}
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("prompt answered HTTP %d, want a redirect", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), simRedirect+"?") {
		t.Fatalf("redirected to %q, want %s", resp.Header.Get("Location"), simRedirect)
	}
	return state, claims, loc.Query()
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading reply: %v", err)
	}
	return string(b)
}

// callback is the caller's side of the redirect: redeem the state, then
// exchange the code.
func (e *simEnv) callback(t *testing.T, q url.Values) (*Result, error) {
	t.Helper()
	ctx := context.Background()
	claims, err := e.codec.Redeem(ctx, e.guard, q.Get("state"), time.Now())
	if err != nil {
		return nil, err
	}
	return e.client.ExchangeNonce(ctx, q.Get("duo_code"), claims.Username, claims.ID)
}

func TestSimHealthCheck(t *testing.T) {
	e := newSimEnv(t)
	if err := e.client.HealthCheck(context.Background()); err != nil {
		t.Fatalf("HealthCheck: %v", err)
	}

	err := simClient(t, e.sim, strings.Repeat("w", 40)).HealthCheck(context.Background())
	var duoErr *DuoError
	if !errors.As(err, &duoErr) || duoErr.Message != "invalid_client" {
		t.Fatalf("wrong secret: error = %v, want DuoError invalid_client", err)
	}
	if got := Classify(err); got != failmode.BadConfig {
		t.Errorf("wrong secret classified %q, want %q", got, failmode.BadConfig)
	}
	if d := failmode.Decide(failmode.Safe, Classify(err), failmode.Preflight); d.Allow {
		t.Errorf("wrong secret in safe mode: %+v, want deny", d)
	}
}

func TestSimHealthCheckFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault duosim.Fault
		want  failmode.Class
	}{
		{"server error", duosim.Fault{Status5xx: 503}, failmode.Unreachable},
		{"dropped connection", duosim.Fault{DropConnections: true}, failmode.Unreachable},
		{"not json", duosim.Fault{BadJSON: true}, failmode.Unreachable},
		{"rate limited", duosim.Fault{RateLimit: true}, failmode.RateLimited},
	}
	e := newSimEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.sim.SetFault(tt.fault)
			defer e.sim.ClearFaults()
			err := e.client.HealthCheck(context.Background())
			if got := Classify(err); got != tt.want {
				t.Fatalf("HealthCheck error %v classified %q, want %q", err, got, tt.want)
			}
			d := failmode.Decide(failmode.Safe, Classify(err), failmode.Preflight)
			if !d.Allow || !d.FailedOpen {
				t.Errorf("safe mode preflight decision = %+v, want a recorded fail-open", d)
			}
		})
	}
}

func TestSimLogin(t *testing.T) {
	tests := []struct {
		name      string
		user      string
		action    string // for the Manual user
		allowed   bool
		wantClass failmode.Class
		reason    string
	}{
		{"approved", "alice", "", true, "", "user_approved"},
		{"denied", "bob", "", false, failmode.UserDenied, "user_cancelled"},
		{"fraud", "carol", "", false, failmode.Fraud, "user_marked_fraud"},
		{"locked out", "dave", "", false, failmode.LockedOut, "locked_out"},
		{"no answer", "frank", "", false, failmode.Timeout, "no_response"},
		{"not enrolled", "gina", "", false, failmode.NotEnrolled, "deny_unenrolled_user"},
		{"manual approve", "erin", "approve", true, "", "user_approved"},
		{"manual fraud", "erin", "fraud", false, failmode.Fraud, "user_marked_fraud"},
	}
	e := newSimEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state, _, q := e.login(t, tt.user, tt.action)
			if q.Get("state") != state || q.Get("duo_code") == "" {
				t.Fatalf("callback %v, want our state and a duo_code", q)
			}
			res, err := e.callback(t, q)
			if err != nil {
				t.Fatalf("callback: %v", err)
			}
			if res.Allowed != tt.allowed || res.FailureClass() != tt.wantClass ||
				res.Reason != tt.reason || res.Username != tt.user {
				t.Errorf("result %+v (class %q), want allowed=%v class %q reason %s user %s",
					res, res.FailureClass(), tt.allowed, tt.wantClass, tt.reason, tt.user)
			}
			if res.TxID == "" || res.Timestamp.IsZero() {
				t.Errorf("result %+v lacks txid or timestamp", res)
			}
		})
	}
}

func TestSimReplays(t *testing.T) {
	e := newSimEnv(t)
	_, _, q := e.login(t, "alice", "")
	if _, err := e.callback(t, q); err != nil {
		t.Fatalf("first callback: %v", err)
	}

	t.Run("state replayed", func(t *testing.T) {
		_, err := e.callback(t, q)
		if !errors.Is(err, ErrReplayed) || Classify(err) != failmode.InvalidResponse {
			t.Errorf("error = %v, want ErrReplayed", err)
		}
	})
	t.Run("code replayed with a fresh state", func(t *testing.T) {
		_, claims, _ := e.login(t, "alice", "")
		_, err := e.client.ExchangeNonce(context.Background(), q.Get("duo_code"), "alice",
			claims.ID)
		var duoErr *DuoError
		if !errors.As(err, &duoErr) || duoErr.Message != "invalid_grant" {
			t.Fatalf("error = %v, want DuoError invalid_grant", err)
		}
		if strings.Contains(err.Error(), q.Get("duo_code")) {
			t.Errorf("error %q contains the code", err)
		}
	})
	t.Run("code exchanged for another user", func(t *testing.T) {
		_, claims, q2 := e.login(t, "alice", "")
		_, err := e.client.ExchangeNonce(context.Background(), q2.Get("duo_code"), "mallory",
			claims.ID)
		if !errors.Is(err, ErrTokenUser) {
			t.Errorf("error = %v, want ErrTokenUser", err)
		}
	})
	t.Run("nonce of another flow", func(t *testing.T) {
		_, _, q3 := e.login(t, "alice", "")
		_, err := e.client.ExchangeNonce(context.Background(), q3.Get("duo_code"), "alice",
			"some-other-nonce")
		if !errors.Is(err, ErrTokenNonce) {
			t.Errorf("error = %v, want ErrTokenNonce", err)
		}
	})
}

func TestSimWrongSecretExchange(t *testing.T) {
	e := newSimEnv(t)
	_, claims, q := e.login(t, "alice", "")
	bad := simClient(t, e.sim, strings.Repeat("w", 40))
	_, err := bad.ExchangeNonce(context.Background(), q.Get("duo_code"), "alice", claims.ID)
	var duoErr *DuoError
	if !errors.As(err, &duoErr) || duoErr.Message != "invalid_client" {
		t.Fatalf("error = %v, want DuoError invalid_client", err)
	}
	if Classify(err) != failmode.BadConfig {
		t.Errorf("classified %q, want %q", Classify(err), failmode.BadConfig)
	}
}
