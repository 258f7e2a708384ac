package duosim_test

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

const (
	testRedirect = "https://app.example.test/duo/callback"
	testState    = "state-0123456789abcdefghij"
)

func sign(t *testing.T, claims jwt.MapClaims, secret string) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS512, claims).SignedString([]byte(secret))
	if err != nil {
		t.Fatalf("signing jwt: %v", err)
	}
	return s
}

func assertion(t *testing.T, aud string) string {
	t.Helper()
	return sign(t, jwt.MapClaims{"iss": testClientID, "sub": testClientID, "aud": aud,
		"exp": time.Now().Add(5 * time.Minute).Unix(), "jti": rand.Text()}, testSecret)
}

// noRedirect is a client of the simulator that returns redirects instead of
// following them.
func noRedirect(sim *duosim.Server) *http.Client {
	c := sim.HTTPClient()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

func authorizeURL(t *testing.T, sim *duosim.Server, user string, extra jwt.MapClaims) string {
	t.Helper()
	claims := jwt.MapClaims{"scope": "openid", "redirect_uri": testRedirect,
		"client_id": testClientID, "iss": testClientID, "aud": "https://" + sim.Host(),
		"exp": time.Now().Add(5 * time.Minute).Unix(), "state": testState,
		"response_type": "code", "duo_uname": user, "use_duo_code_attribute": true}
	for k, v := range extra {
		claims[k] = v
	}
	q := values("response_type", "code", "client_id", testClientID,
		"request", sign(t, claims, testSecret))
	return sim.URL() + "/oauth/v1/authorize?" + q.Encode()
}

// callback follows an authorize answer to the redirect and returns its
// query.
func callback(t *testing.T, resp *http.Response) url.Values {
	t.Helper()
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: got HTTP %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), testRedirect+"?") {
		t.Fatalf("redirect: got %q, want %s?...", resp.Header.Get("Location"), testRedirect)
	}
	return loc.Query()
}

type tokenAnswer struct {
	status int
	body   map[string]any
	claims jwt.MapClaims
}

func exchange(t *testing.T, sim *duosim.Server, code, redirect, aud string,
	inQuery bool) tokenAnswer {
	t.Helper()
	form := values("grant_type", "authorization_code", "code", code, "redirect_uri", redirect,
		"client_id", testClientID,
		"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
		"client_assertion", assertion(t, aud))
	var resp *http.Response
	var err error
	if inQuery {
		resp, err = sim.HTTPClient().Post(sim.URL()+"/oauth/v1/token?"+form.Encode(), "", nil)
	} else {
		resp, err = sim.HTTPClient().PostForm(sim.URL()+"/oauth/v1/token", form)
	}
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	out := tokenAnswer{status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(&out.body); err != nil {
		t.Fatalf("decoding token reply: %v", err)
	}
	if idt, ok := out.body["id_token"].(string); ok {
		out.claims = jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(idt, out.claims,
			func(*jwt.Token) (any, error) { return []byte(testSecret), nil },
			jwt.WithValidMethods([]string{"HS512"}), jwt.WithAudience(testClientID),
			jwt.WithIssuer("https://"+sim.Host()+"/oauth/v1/token"), jwt.WithIssuedAt(),
			jwt.WithExpirationRequired())
		if err != nil {
			t.Fatalf("id_token does not verify: %v", err)
		}
	}
	return out
}

func TestHealthCheck(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	endpoint := "https://" + sim.Host() + "/oauth/v1/health_check"
	tests := []struct {
		name       string
		clientID   string
		assertion  string
		wantStatus int
		wantStat   string
	}{
		{"valid assertion", testClientID, assertion(t, endpoint), 200, "OK"},
		{"wrong audience", testClientID, assertion(t, "https://"+sim.Host()+"/oauth/v1/token"),
			400, "FAIL"},
		{"unknown client", "DINOSUCHCLIENT000000", assertion(t, endpoint), 400, "FAIL"},
		{"wrong secret", testClientID, sign(t, jwt.MapClaims{"iss": testClientID,
			"sub": testClientID, "aud": endpoint, "exp": time.Now().Add(time.Minute).Unix()},
			strings.Repeat("s", 40)), 400, "FAIL"},
		{"expired", testClientID, sign(t, jwt.MapClaims{"iss": testClientID,
			"sub": testClientID, "aud": endpoint, "exp": time.Now().Add(-time.Minute).Unix()},
			testSecret), 400, "FAIL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := sim.HTTPClient().PostForm(endpoint,
				values("client_id", tt.clientID, "client_assertion", tt.assertion))
			if err != nil {
				t.Fatalf("health check: %v", err)
			}
			defer func() { _ = resp.Body.Close() }()
			var env healthEnvelope
			if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
				t.Fatalf("decoding: %v", err)
			}
			if resp.StatusCode != tt.wantStatus || env.Stat != tt.wantStat {
				t.Errorf("got HTTP %d stat %s, want %d %s", resp.StatusCode, env.Stat,
					tt.wantStatus, tt.wantStat)
			}
			if env.Stat == "FAIL" && (env.Code != duosim.CodeInvalidParams ||
				env.Message != "invalid_client" ||
				env.MessageDetail != "The provided client_assertion was invalid.") {
				t.Errorf("failure: got code %d message %q detail %q, want Duo's 40002 "+
					"invalid_client", env.Code, env.Message, env.MessageDetail)
			}
			if ts := env.time(); ts.Before(time.Now().Add(-time.Minute)) ||
				ts.After(time.Now().Add(time.Minute)) {
				t.Errorf("timestamp: got %v, want the simulator's clock", ts)
			}
		})
	}
}

// healthEnvelope is a health check answer: Duo's clock is in
// response.timestamp when healthy, in timestamp beside a refusal.
type healthEnvelope struct {
	Stat          string `json:"stat"`
	Code          int    `json:"code"`
	Message       string `json:"message"`
	MessageDetail string `json:"message_detail"`
	Timestamp     int64  `json:"timestamp"`
	Response      struct {
		Timestamp int64 `json:"timestamp"`
	} `json:"response"`
}

func (e healthEnvelope) time() time.Time {
	return time.Unix(max(e.Timestamp, e.Response.Timestamp), 0)
}

// TestHealthCheckClockAhead: a simulator ten minutes ahead of the client
// refuses its fresh assertion as expired, and tells its clock.
func TestHealthCheckClockAhead(t *testing.T) {
	ahead := 10 * time.Minute
	sim := newSim(t, duosim.Options{Now: func() time.Time { return time.Now().Add(ahead) }})
	endpoint := "https://" + sim.Host() + "/oauth/v1/health_check"
	resp, err := sim.HTTPClient().PostForm(endpoint,
		values("client_id", testClientID, "client_assertion", assertion(t, endpoint)))
	if err != nil {
		t.Fatalf("health check: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var env healthEnvelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	skew := time.Until(env.time())
	if resp.StatusCode != 400 || env.Message != "invalid_client" ||
		skew < ahead-time.Minute || skew > ahead+time.Minute {
		t.Errorf("got HTTP %d %q, clock %v ahead; want 400 invalid_client, %v ahead",
			resp.StatusCode, env.Message, skew, ahead)
	}
	if got := lastRequest(t, sim, "/oauth/v1/health_check"); !strings.Contains(got.Reason,
		"expired") {
		t.Errorf("log reason: got %q, want the assertion expired", got.Reason)
	}
}

func TestUniversalAutomaticResults(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	for _, b := range []duosim.Behavior{duosim.Approve, duosim.Deny, duosim.Fraud,
		duosim.Timeout, duosim.Bypass, duosim.LockedOut} {
		sim.SetUser(string(b), duosim.User{Behavior: b})
	}
	tokenURL := "https://" + sim.Host() + "/oauth/v1/token"

	tests := []struct {
		user       string
		wantResult string
		wantReason string
	}{
		{"approve", "allow", "user_approved"},
		{"bypass", "allow", "bypass_user"},
		{"deny", "deny", "user_cancelled"},
		{"fraud", "deny", "user_marked_fraud"},
		{"timeout", "deny", "no_response"},
		{"locked_out", "deny", "locked_out"},
		{"stranger", "deny", "deny_unenrolled_user"},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			resp, err := noRedirect(sim).Get(authorizeURL(t, sim, tt.user,
				jwt.MapClaims{"nonce": "n-" + tt.user}))
			if err != nil {
				t.Fatalf("authorize: %v", err)
			}
			cb := callback(t, resp)
			if cb.Get("state") != testState || cb.Get("duo_code") == "" {
				t.Fatalf("callback: got %v, want state and duo_code", cb)
			}
			got := exchange(t, sim, cb.Get("duo_code"), testRedirect, tokenURL, false)
			if got.status != 200 {
				t.Fatalf("token: got HTTP %d %v", got.status, got.body)
			}
			ar, _ := got.claims["auth_result"].(map[string]any)
			ac, _ := got.claims["auth_context"].(map[string]any)
			if ar["result"] != tt.wantResult || ac["reason"] != tt.wantReason {
				t.Errorf("got result %v reason %v, want %s %s", ar["result"], ac["reason"],
					tt.wantResult, tt.wantReason)
			}
			if got.claims["preferred_username"] != tt.user || got.claims["nonce"] != "n-"+tt.user {
				t.Errorf("claims: got preferred_username %v nonce %v",
					got.claims["preferred_username"], got.claims["nonce"])
			}
		})
	}
}

func TestUniversalManualPrompt(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetUser("manual", duosim.User{Behavior: duosim.Manual})

	resp, err := noRedirect(sim).Get(authorizeURL(t, sim, "manual", nil))
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	page := readBody(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(page, `id="duo-username">manual<`) {
		t.Fatalf("prompt page: got HTTP %d %s", resp.StatusCode, page)
	}
	session := between(page, `name="session" value="`, `"`)
	if session == "" {
		t.Fatalf("prompt page has no session field: %s", page)
	}

	answer, err := noRedirect(sim).PostForm(sim.URL()+"/oauth/v1/authorize",
		values("session", session, "action", "approve"))
	if err != nil {
		t.Fatalf("posting the prompt form: %v", err)
	}
	cb := callback(t, answer)
	got := exchange(t, sim, cb.Get("duo_code"), testRedirect,
		"https://"+sim.Host()+"/oauth/v1/token", true)
	ac, _ := got.claims["auth_context"].(map[string]any)
	if got.status != 200 || ac["reason"] != "user_approved" {
		t.Errorf("token: got HTTP %d reason %v, want 200 user_approved", got.status, ac["reason"])
	}

	again, err := noRedirect(sim).PostForm(sim.URL()+"/oauth/v1/authorize",
		values("session", session, "action", "approve"))
	if err != nil {
		t.Fatalf("reposting: %v", err)
	}
	_ = again.Body.Close()
	if again.StatusCode != http.StatusBadRequest {
		t.Errorf("session reuse: got HTTP %d, want 400", again.StatusCode)
	}
}

func TestTokenRefusals(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetUser("alice", duosim.User{})
	tokenURL := "https://" + sim.Host() + "/oauth/v1/token"
	newCode := func() string {
		resp, err := noRedirect(sim).Get(authorizeURL(t, sim, "alice", nil))
		if err != nil {
			t.Fatalf("authorize: %v", err)
		}
		return callback(t, resp).Get("duo_code")
	}

	used := newCode()
	if got := exchange(t, sim, used, testRedirect, tokenURL, false); got.status != 200 {
		t.Fatalf("first exchange: got HTTP %d %v", got.status, got.body)
	}
	tests := []struct {
		name      string
		code      string
		redirect  string
		aud       string
		wantError string
	}{
		{"code used twice", used, testRedirect, tokenURL, "invalid_grant"},
		{"unknown code", "NOSUCHCODE", testRedirect, tokenURL, "invalid_grant"},
		{"redirect mismatch", newCode(), "https://evil.example.test/cb", tokenURL,
			"invalid_grant"},
		{"assertion for another endpoint", newCode(), testRedirect,
			"https://" + sim.Host() + "/oauth/v1/health_check", "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := exchange(t, sim, tt.code, tt.redirect, tt.aud, false)
			if got.status != 400 || got.body["error"] != tt.wantError {
				t.Errorf("got HTTP %d %v, want 400 %s", got.status, got.body, tt.wantError)
			}
		})
	}
}

func TestAuthorizeRefusals(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	tests := []struct {
		name  string
		extra jwt.MapClaims
	}{
		{"short state", jwt.MapClaims{"state": "short"}},
		{"plain http redirect", jwt.MapClaims{"redirect_uri": "http://app.example.test/cb"}},
		{"wrong audience", jwt.MapClaims{"aud": "https://api-other.duosecurity.com"}},
		{"no username", jwt.MapClaims{"duo_uname": ""}},
		{"expired", jwt.MapClaims{"exp": time.Now().Add(-time.Minute).Unix()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := noRedirect(sim).Get(authorizeURL(t, sim, "alice", tt.extra))
			if err != nil {
				t.Fatalf("authorize: %v", err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("got HTTP %d, want 400", resp.StatusCode)
			}
		})
	}
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return string(b)
}

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}
