package universal

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// FuzzValidateIDToken checks that arbitrary tokens never panic the
// validator, and that every rejection is an ErrInvalidToken.
func FuzzValidateIDToken(f *testing.F) {
	c, err := New(Config{ClientID: testClientID, ClientSecret: testSecret,
		APIHost: testHost, RedirectURI: testRedirect, Now: fixedClock})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signToken(f, jwt.SigningMethodHS512, []byte(testSecret), idTokenClaims(testHost)))
	f.Add(signToken(f, jwt.SigningMethodHS256, []byte(testSecret), idTokenClaims(testHost)))
	f.Add(signToken(f, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType,
		idTokenClaims(testHost)))
	f.Add("")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJIUzUxMiJ9.e30.")

	f.Fuzz(func(t *testing.T, token string) {
		res, err := c.ValidateIDToken(token, testUser, "n")
		if err == nil {
			t.Fatalf("fuzzed token verified: %q -> %+v", token, res)
		}
		if !errors.Is(err, ErrInvalidToken) || res != nil {
			t.Fatalf("ValidateIDToken = %v, %v; want nil and ErrInvalidToken", res, err)
		}
	})
}

// FuzzStateOpen checks that arbitrary states never panic Open, and that
// whatever Open accepts carries claims the codec issued. (Each fuzz worker
// issues its own seed state, so the check is on claims, not bytes.)
func FuzzStateOpen(f *testing.F) {
	c, err := NewStateCodec(stateKey)
	if err != nil {
		f.Fatal(err)
	}
	good, _, _ := c.Issue(testUser, "c", time.Minute, testNow)
	f.Add(good)
	f.Add("s1..")
	f.Add("s1.e30.")
	f.Fuzz(func(t *testing.T, state string) {
		claims, err := c.Open(state, testNow)
		if err == nil && (claims.Username != testUser || claims.ConfigID != "c") {
			t.Fatalf("Open accepted %q as %+v", state, claims)
		}
		if err != nil && !errors.Is(err, ErrStateInvalid) && !errors.Is(err, ErrStateExpired) {
			t.Fatalf("Open error = %v, want ErrStateInvalid or ErrStateExpired", err)
		}
	})
}
