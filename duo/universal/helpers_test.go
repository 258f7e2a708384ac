package universal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testClientID = "DIABCDEFGHIJKLMNOPQR"
	testSecret   = "0123456789abcdef0123456789abcdef01234567"
	testHost     = "api-12345678.duosecurity.com"
	testRedirect = "https://kazoo.example.com/duo/callback"
	testUser     = "alice"
)

// testNow is the fixed clock of unit tests.
var testNow = time.Unix(1700000000, 0)

func fixedClock() time.Time { return testNow }

// newTestClient builds a Client for host with the fixed clock.
func newTestClient(t *testing.T, host string, hc *http.Client) *Client {
	t.Helper()
	c, err := New(Config{
		ClientID:     testClientID,
		ClientSecret: testSecret,
		APIHost:      host,
		RedirectURI:  testRedirect,
		HTTPClient:   hc,
		Now:          fixedClock,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// idTokenClaims returns the claims of a valid id_token for testUser issued
// by host, approved by push.
func idTokenClaims(host string) jwt.MapClaims {
	return jwt.MapClaims{
		"iss":                "https://" + host + "/oauth/v1/token",
		"aud":                testClientID,
		"sub":                testUser,
		"exp":                testNow.Add(5 * time.Minute).Unix(),
		"iat":                testNow.Unix(),
		"auth_time":          testNow.Unix(),
		"preferred_username": testUser,
		"auth_result": map[string]any{
			"result": "allow", "status": "allow", "status_msg": "Login Successful",
		},
		"auth_context": map[string]any{
			"factor": "duo_push", "result": "success", "reason": "user_approved",
			"txid": "tx-123", "timestamp": testNow.Unix(),
			"access_device": map[string]any{
				"ip": "192.0.2.10", "browser": "Firefox", "os": "Linux",
				"location": map[string]any{"city": "Lyon", "country": "France"},
			},
			"auth_device": map[string]any{"name": "Pixel", "ip": "198.51.100.7"},
			"user":        map[string]any{"name": testUser, "key": "DUKEY1"},
		},
	}
}

// signToken signs claims with method and key.
func signToken(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("signing test token: %v", err)
	}
	return s
}

// memGuard is an in-memory ReplayGuard, atomic within one process only:
// good for tests, not for replicas.
type memGuard struct {
	mu   sync.Mutex
	used map[string]time.Time
	now  func() time.Time
	err  error // returned by every Consume when set
}

func newMemGuard(now func() time.Time) *memGuard {
	return &memGuard{used: map[string]time.Time{}, now: now}
}

func (g *memGuard) Consume(_ context.Context, key string, expires time.Time) error {
	if g.err != nil {
		return g.err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if until, ok := g.used[key]; ok && g.now().Before(until) {
		return fmt.Errorf("key %s: %w", key, ErrReplayed)
	}
	g.used[key] = expires
	return nil
}

var _ ReplayGuard = (*memGuard)(nil)

// tokenCauses lists every ErrToken* cause, to check an error has exactly one.
var tokenCauses = []error{
	ErrTokenMalformed, ErrTokenAlgorithm, ErrTokenSignature, ErrTokenIssuer,
	ErrTokenAudience, ErrTokenUser, ErrTokenExpired, ErrTokenNotYetValid, ErrTokenNonce,
}

// checkTokenErr asserts err matches ErrInvalidToken and want, and no other
// cause; a nil want asserts err is nil.
func checkTokenErr(t *testing.T, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("error = %v, want nil", err)
		}
		return
	}
	if !errors.Is(err, ErrInvalidToken) || !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
	for _, cause := range tokenCauses {
		if cause != want && errors.Is(err, cause) {
			t.Errorf("error %v also matches %v", err, cause)
		}
	}
}
