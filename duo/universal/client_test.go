package universal

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/golang-jwt/jwt/v5"
)

// fakeDuo is a TLS server standing in for Duo; handle answers every request.
func fakeDuo(t *testing.T, handle http.HandlerFunc) (*Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewTLSServer(handle)
	t.Cleanup(srv.Close)
	return newTestClient(t, srv.Listener.Addr().String(), srv.Client()), srv
}

func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// checkAssertion verifies the client assertion in r's form as Duo would.
func checkAssertion(t *testing.T, r *http.Request, aud string) {
	t.Helper()
	if got := r.PostForm.Get("client_id"); got != testClientID {
		t.Errorf("client_id = %q, want %q", got, testClientID)
	}
	var cl jwt.RegisteredClaims
	_, err := jwt.NewParser(jwt.WithValidMethods([]string{"HS512"}),
		jwt.WithTimeFunc(fixedClock), jwt.WithAudience(aud), jwt.WithIssuer(testClientID),
		jwt.WithSubject(testClientID), jwt.WithExpirationRequired()).
		ParseWithClaims(r.PostForm.Get("client_assertion"), &cl,
			func(*jwt.Token) (any, error) { return []byte(testSecret), nil })
	if err != nil {
		t.Errorf("client assertion: %v", err)
		return
	}
	if !cl.ExpiresAt.Equal(testNow.Add(300 * time.Second)) {
		t.Errorf("assertion exp = %v, want now+300s", cl.ExpiresAt)
	}
	if len(cl.ID) < 32 {
		t.Errorf("assertion jti %q shorter than 32", cl.ID)
	}
}

func TestHealthCheck(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		wantErr   error
		wantClass failmode.Class
		wantDuo   *DuoError
	}{
		{name: "ok", status: 200, body: `{"stat":"OK","response":{"timestamp":1700000000}}`},
		{name: "invalid client", status: 400, wantErr: ErrRejected,
			wantClass: failmode.BadConfig,
			body: `{"stat":"FAIL","code":40002,"message":"invalid_client",` +
				`"message_detail":"The provided client_assertion was invalid."}`,
			wantDuo: &DuoError{HTTPStatus: 400, Code: 40002, Message: "invalid_client",
				Detail: "The provided client_assertion was invalid."}},
		{name: "stat FAIL with 200", status: 200, wantErr: ErrRejected,
			wantClass: failmode.BadConfig,
			body:      `{"stat":"FAIL","code":40301,"message":"Access forbidden"}`,
			wantDuo:   &DuoError{HTTPStatus: 200, Code: 40301, Message: "Access forbidden"}},
		{name: "rate limited", status: 429, wantErr: ErrRejected,
			wantClass: failmode.RateLimited,
			body:      `{"stat":"FAIL","code":42901,"message":"Too Many Requests"}`,
			wantDuo:   &DuoError{HTTPStatus: 429, Code: 42901, Message: "Too Many Requests"}},
		{name: "4xx without json", status: 403, body: "<html>no</html>",
			wantErr: ErrRejected, wantClass: failmode.BadConfig,
			wantDuo: &DuoError{HTTPStatus: 403}},
		{name: "server error", status: 503, body: `{"stat":"FAIL"}`,
			wantErr: ErrUnreachable, wantClass: failmode.Unreachable},
		{name: "not json", status: 200, body: "<html>maintenance</html>",
			wantErr: ErrUnreachable, wantClass: failmode.Unreachable},
		{name: "no stat", status: 200, body: `{"response":{}}`,
			wantErr: ErrUnreachable, wantClass: failmode.Unreachable},
		{name: "redirect not followed", status: 302, body: "",
			wantErr: ErrUnreachable, wantClass: failmode.Unreachable},
		{name: "reply too large", status: 200,
			body:    `{"stat":"OK","pad":"` + strings.Repeat("a", maxReplyBytes) + `"}`,
			wantErr: ErrUnreachable, wantClass: failmode.Unreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := fakeDuo(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != healthPath {
					t.Errorf("request %s %s, want POST %s", r.Method, r.URL.Path, healthPath)
				}
				if err := r.ParseForm(); err != nil {
					t.Errorf("parsing form: %v", err)
				}
				checkAssertion(t, r, "https://"+r.Host+healthPath)
				if tt.status == 302 {
					w.Header().Set("Location", "/elsewhere")
				}
				reply(w, tt.status, tt.body)
			})

			err := c.HealthCheck(context.Background())
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if got := Classify(err); got != tt.wantClass {
				t.Errorf("Classify = %q, want %q", got, tt.wantClass)
			}
			var duoErr *DuoError
			if got, want := errors.As(err, &duoErr), tt.wantDuo != nil; got != want {
				t.Fatalf("errors.As DuoError = %v, want %v", got, want)
			}
			if tt.wantDuo != nil && *duoErr != *tt.wantDuo {
				t.Errorf("DuoError = %+v, want %+v", *duoErr, *tt.wantDuo)
			}
			if err != nil && strings.Contains(err.Error(), testSecret) {
				t.Errorf("error %q contains the secret", err)
			}
		})
	}
}

func TestHealthCheckNetworkFailures(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		c := newTestClient(t, srv.Listener.Addr().String(), srv.Client())
		srv.Close()
		err := c.HealthCheck(context.Background())
		if !errors.Is(err, ErrUnreachable) || Classify(err) != failmode.Unreachable {
			t.Errorf("error = %v (class %q), want ErrUnreachable", err, Classify(err))
		}
	})
	t.Run("caller gives up", func(t *testing.T) {
		entered, done := make(chan struct{}), make(chan struct{})
		c, _ := fakeDuo(t, func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			select { // hold the reply until the client has gone
			case <-r.Context().Done():
			case <-done:
			}
		})
		t.Cleanup(func() { close(done) }) // runs before the server closes
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-entered; cancel() }()
		err := c.HealthCheck(ctx)
		if !errors.Is(err, ErrUnreachable) || !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want ErrUnreachable wrapping context.Canceled", err)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		defer srv.Close()
		c := newTestClient(t, srv.Listener.Addr().String(), &http.Client{})
		err := c.HealthCheck(context.Background())
		if !errors.Is(err, ErrUnreachable) {
			t.Errorf("error = %v, want ErrUnreachable", err)
		}
	})
}

// tokenReply is the token endpoint's answer carrying idToken.
func tokenReply(idToken string) string {
	b, _ := json.Marshal(map[string]any{"id_token": idToken, "access_token": "at",
		"expires_in": 3600, "token_type": "Bearer"})
	return string(b)
}

func TestExchange(t *testing.T) {
	const code = "duo-code-7f3a9c"
	tests := []struct {
		name      string
		status    int
		body      func(host string) string
		user      string
		wantErr   error
		wantClass failmode.Class
	}{
		{name: "approved", status: 200, body: func(host string) string {
			return tokenReply(signToken(t, jwt.SigningMethodHS512, []byte(testSecret),
				idTokenClaims(host)))
		}},
		{name: "bad code", status: 400, wantErr: ErrRejected,
			wantClass: failmode.InvalidResponse, body: func(string) string {
				return `{"error":"invalid_grant","error_description":"Code ` + code +
					` is invalid."}`
			}},
		{name: "bad client", status: 400, wantErr: ErrRejected, wantClass: failmode.BadConfig,
			body: func(string) string {
				return `{"error":"invalid_client","error_description":"Bad assertion"}`
			}},
		{name: "server error", status: 502, wantErr: ErrUnreachable,
			wantClass: failmode.Unreachable, body: func(string) string { return "" }},
		{name: "no id_token", status: 200, wantErr: ErrUnreachable,
			wantClass: failmode.Unreachable,
			body:      func(string) string { return `{"access_token":"x"}` }},
		{name: "token for another user", status: 200, user: "bob", wantErr: ErrTokenUser,
			wantClass: failmode.InvalidResponse, body: func(host string) string {
				return tokenReply(signToken(t, jwt.SigningMethodHS512, []byte(testSecret),
					idTokenClaims(host)))
			}},
		{name: "token from another host", status: 200, wantErr: ErrTokenIssuer,
			wantClass: failmode.InvalidResponse, body: func(string) string {
				return tokenReply(signToken(t, jwt.SigningMethodHS512, []byte(testSecret),
					idTokenClaims(testHost)))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := fakeDuo(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost || r.URL.Path != tokenPath {
					t.Errorf("request %s %s, want POST %s", r.Method, r.URL.Path, tokenPath)
				}
				_ = r.ParseForm()
				want := url.Values{"grant_type": {"authorization_code"}, "code": {code},
					"redirect_uri": {testRedirect}, "client_assertion_type": {clientAssertionType}}
				for k := range want {
					if r.PostForm.Get(k) != want.Get(k) {
						t.Errorf("form %s = %q, want %q", k, r.PostForm.Get(k), want.Get(k))
					}
				}
				checkAssertion(t, r, "https://"+r.Host+tokenPath)
				reply(w, tt.status, tt.body(r.Host))
			})
			user := tt.user
			if user == "" {
				user = testUser
			}

			res, err := c.Exchange(context.Background(), code, user)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if got := Classify(err); got != tt.wantClass {
				t.Errorf("Classify = %q, want %q", got, tt.wantClass)
			}
			if err == nil && !res.Allowed {
				t.Errorf("result not allowed: %+v", res)
			}
			if err != nil && (strings.Contains(err.Error(), code) ||
				strings.Contains(err.Error(), testSecret)) {
				t.Errorf("error %q leaks the code or the secret", err)
			}
		})
	}
}

func TestExchangeRejectsEmptyInput(t *testing.T) {
	c := newTestClient(t, testHost, nil)
	for _, in := range [][2]string{{"", testUser}, {"code", ""}} {
		if _, err := c.Exchange(context.Background(), in[0], in[1]); !errors.Is(err,
			ErrInvalidInput) {
			t.Errorf("Exchange(%q, %q) error = %v, want ErrInvalidInput", in[0], in[1], err)
		}
	}
}
