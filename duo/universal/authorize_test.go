package universal

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestAuthorizeURL(t *testing.T) {
	c := newTestClient(t, testHost+":8443", nil)
	state := strings.Repeat("s", MinStateLen)
	tests := []struct {
		name  string
		nonce string
	}{
		{name: "without nonce"},
		{name: "with nonce", nonce: "nonce-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := c.AuthorizeURLNonce(testUser, state, tt.nonce)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := u.Scheme+"://"+u.Host+u.Path,
				"https://"+testHost+":8443/oauth/v1/authorize"; got != want {
				t.Errorf("endpoint = %q, want %q", got, want)
			}
			q := u.Query()
			if q.Get("response_type") != "code" || q.Get("client_id") != testClientID {
				t.Errorf("query = %v, want response_type=code and client_id", q)
			}

			claims := jwt.MapClaims{}
			_, err = jwt.NewParser(jwt.WithValidMethods([]string{"HS512"}),
				jwt.WithTimeFunc(fixedClock)).ParseWithClaims(q.Get("request"), claims,
				func(*jwt.Token) (any, error) { return []byte(testSecret), nil })
			if err != nil {
				t.Fatalf("request jwt: %v", err)
			}
			want := map[string]any{
				"scope": "openid", "redirect_uri": testRedirect, "client_id": testClientID,
				"iss": testClientID, "aud": "https://" + testHost + ":8443",
				"exp": float64(testNow.Unix() + 300), "state": state,
				"response_type": "code", "duo_uname": testUser,
				"use_duo_code_attribute": true,
			}
			if tt.nonce != "" {
				want["nonce"] = tt.nonce
			}
			if len(claims) != len(want) {
				t.Errorf("claims = %v, want exactly %v", claims, want)
			}
			for k, v := range want {
				if claims[k] != v {
					t.Errorf("claim %s = %v, want %v", k, claims[k], v)
				}
			}
		})
	}
}

func TestAuthorizeURLRejects(t *testing.T) {
	c := newTestClient(t, testHost, nil)
	tests := []struct {
		name, user, state string
		ok                bool
	}{
		{"shortest state", testUser, strings.Repeat("s", MinStateLen), true},
		{"longest state", testUser, strings.Repeat("s", MaxStateLen), true},
		{"state too short", testUser, strings.Repeat("s", MinStateLen-1), false},
		{"state too long", testUser, strings.Repeat("s", MaxStateLen+1), false},
		{"empty user", "", strings.Repeat("s", 36), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := c.AuthorizeURL(tt.user, tt.state)
			if tt.ok != (err == nil) {
				t.Fatalf("AuthorizeURL error = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok && (!errors.Is(err, ErrInvalidInput) || u != "") {
				t.Errorf("AuthorizeURL = %q, %v; want ErrInvalidInput", u, err)
			}
		})
	}
}

func TestNewState(t *testing.T) {
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{36}$`)
	seen := map[string]bool{}
	for range 100 {
		s, err := NewState()
		if err != nil {
			t.Fatal(err)
		}
		if !urlSafe.MatchString(s) {
			t.Fatalf("state %q is not 36 URL-safe characters", s)
		}
		if seen[s] {
			t.Fatalf("state %q repeated", s)
		}
		seen[s] = true
	}
}
