package kazooauth_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"go.uber.org/goleak"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
	"github.com/duo-kazoo/duo-kazoo/kazooauth/kazooauthtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Account layout of the fixture:
//
//	master
//	├── reseller
//	│   └── child
//	│       └── grandchild
//	└── sibling
const (
	masterID     = "00000000000000000000000000000001"
	resellerID   = "00000000000000000000000000000002"
	childID      = "00000000000000000000000000000003"
	grandchildID = "00000000000000000000000000000004"
	siblingID    = "00000000000000000000000000000005"

	masterAdmin   = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa01"
	masterUser    = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa02"
	resellerAdmin = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa03"
	resellerUser  = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa04"
	childAdmin    = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa05"

	kidA         = "1a2b3c4d5e6f1a2b3c4d5e6f1a2b3c4d"
	kidB         = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
	systemSecret = "system-secret-0123456789"
)

// Keys A and B are generated once per test binary: RSA generation is slow.
var (
	keysOnce   sync.Once
	keyA, keyB *rsa.PrivateKey
	pemA, pemB []byte
)

func loadKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		keyA, pemA = kazooauthtest.NewKey(t)
		keyB, pemB = kazooauthtest.NewKey(t)
	})
}

// clock is a settable time source for VerifierOptions.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a store with the account tree above, keys A and B under
// kidA and kidB, and a Verifier on a fake clock.
type fixture struct {
	store *fakeStore
	clock *clock
	v     *kazooauth.Verifier
}

func newFixture(t testing.TB, opts kazooauth.VerifierOptions) *fixture {
	t.Helper()
	loadKeys(t)

	s := newFakeStore(systemSecret)
	s.putKey(kidA, pemA)
	s.putKey(kidB, pemB)
	s.putAccount(masterID, "master-secret")
	s.putAccount(resellerID, "reseller-secret", masterID)
	s.putAccount(childID, "child-secret", masterID, resellerID)
	s.putAccount(grandchildID, "grandchild-secret", masterID, resellerID, childID)
	s.putAccount(siblingID, "sibling-secret", masterID)
	s.putUser(masterID, masterAdmin, "secret-ma", kazooauth.PrivAdmin)
	s.putUser(masterID, masterUser, "secret-mu", kazooauth.PrivUser)
	s.putUser(resellerID, resellerAdmin, "secret-ra", kazooauth.PrivAdmin)
	s.putUser(resellerID, resellerUser, "secret-ru", kazooauth.PrivUser)
	s.putUser(childID, childAdmin, "secret-ca", kazooauth.PrivAdmin)

	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	return &fixture{store: s, clock: c, v: kazooauth.NewVerifier(s, opts)}
}

// secretOf returns the identity secret the fixture stores for a token of
// accountID/ownerID.
func (f *fixture) secretOf(t testing.TB, accountID, ownerID string) string {
	t.Helper()
	s, err := f.store.IdentitySecret(context.Background(), accountID, ownerID)
	if err != nil {
		t.Fatalf("fixture has no identity %s/%s: %v", accountID, ownerID, err)
	}
	return s
}

// mint signs a token for accountID/ownerID with key A, valid for an hour.
func (f *fixture) mint(t testing.TB, accountID, ownerID string) string {
	t.Helper()
	return f.mintWith(t, keyA, kidA, kazooauth.MintClaims{
		AccountID: accountID,
		OwnerID:   ownerID,
		Method:    "cb_user_auth",
		ExpiresAt: f.clock.Now().Add(kazooauth.DefaultTokenLifetime),
	})
}

func (f *fixture) mintWith(t testing.TB, key *rsa.PrivateKey, kid string,
	c kazooauth.MintClaims) string {
	t.Helper()
	tok, err := kazooauth.Mint(key, kid, c, f.secretOf(t, c.AccountID, c.OwnerID),
		systemSecret)
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	return tok
}

// identity verifies a fresh token for accountID/ownerID.
func (f *fixture) identity(t testing.TB, accountID, ownerID string) *kazooauth.Identity {
	t.Helper()
	id, err := f.v.Verify(context.Background(), f.mint(t, accountID, ownerID))
	if err != nil {
		t.Fatalf("Verify(token of %s/%s): %v", accountID, ownerID, err)
	}
	return id
}

// validClaims are the claims of a well-formed token of resellerAdmin, for
// hand-built tokens.
func (f *fixture) validClaims(t testing.TB) jwt.MapClaims {
	t.Helper()
	return jwt.MapClaims{
		"account_id": resellerID,
		"owner_id":   resellerAdmin,
		"method":     "cb_user_auth",
		"iss":        "kazoo",
		"exp":        f.clock.Now().Add(time.Hour).Unix(),
		"identity_sig": kazooauth.IdentitySig(
			f.secretOf(t, resellerID, resellerAdmin), systemSecret, resellerAdmin),
	}
}

// signRaw signs arbitrary claims and header fields with an RSA key; extra
// header fields replace jwt's defaults (nil deletes one).
func signRaw(t testing.TB, key *rsa.PrivateKey, alg string, header map[string]any,
	claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.GetSigningMethod(alg), claims)
	for k, v := range header {
		if v == nil {
			delete(tok.Header, k)
			continue
		}
		tok.Header[k] = v
	}
	var signKey any = key
	if strings.HasPrefix(alg, "HS") {
		signKey = kazooauthtest.PublicPEM(t, key)
	}
	s, err := tok.SignedString(signKey)
	if err != nil {
		t.Fatalf("signing raw token: %v", err)
	}
	return s
}

// unsigned builds "header.payload." with no signature, as alg none does.
func unsigned(t testing.TB, header map[string]any, claims jwt.MapClaims) string {
	t.Helper()
	return segment(t, header) + "." + segment(t, claims) + "."
}

func segment(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal segment: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// replacePayload swaps the payload of a signed token, keeping header and
// signature.
func replacePayload(t testing.TB, token string, claims jwt.MapClaims) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d segments, want 3", len(parts))
	}
	return parts[0] + "." + segment(t, claims) + "." + parts[2]
}

// wantKind fails t unless err is an *kazooauth.Error of kind want (nil
// want: no error). It returns the *Error for further checks.
func wantKind(t testing.TB, err, want error) *kazooauth.Error {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return nil
	}
	var e *kazooauth.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want *kazooauth.Error of kind %v", err, err, want)
	}
	if !errors.Is(err, want) || e.Kind != want {
		t.Fatalf("got error kind %v (%v), want %v", e.Kind, err, want)
	}
	if e.Reason == "" {
		t.Fatalf("error %v has an empty Reason", err)
	}
	return e
}
