package kazooauth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

func TestVerify(t *testing.T) {
	type check func(t *testing.T, id *kazooauth.Identity)
	wantIdentity := func(account, owner, priv string, master bool) check {
		return func(t *testing.T, id *kazooauth.Identity) {
			t.Helper()
			if id.AccountID != account || id.OwnerID != owner {
				t.Errorf("got identity %s/%s, want %s/%s",
					id.AccountID, id.OwnerID, account, owner)
			}
			if id.PrivLevel != priv {
				t.Errorf("got PrivLevel %q, want %q", id.PrivLevel, priv)
			}
			if id.IsMaster != master {
				t.Errorf("got IsMaster %v, want %v", id.IsMaster, master)
			}
		}
	}
	withAlg := func(alg string) func(t *testing.T, f *fixture) string {
		return func(t *testing.T, f *fixture) string {
			return f.mintWith(t, keyA, kidA, kazooauth.MintClaims{
				AccountID: resellerID, OwnerID: resellerAdmin, Method: "cb_user_auth",
				ExpiresAt: f.clock.Now().Add(time.Hour), Algorithm: alg,
			})
		}
	}
	withoutClaim := func(name string) func(t *testing.T, f *fixture) string {
		return func(t *testing.T, f *fixture) string {
			c := f.validClaims(t)
			delete(c, name)
			return signRaw(t, keyA, "RS256", map[string]any{"kid": kidA}, c)
		}
	}
	withClaim := func(name string, v any) func(t *testing.T, f *fixture) string {
		return func(t *testing.T, f *fixture) string {
			c := f.validClaims(t)
			c[name] = v
			return signRaw(t, keyA, "RS256", map[string]any{"kid": kidA}, c)
		}
	}
	withHeader := func(alg string, h map[string]any) func(t *testing.T, f *fixture) string {
		return func(t *testing.T, f *fixture) string {
			return signRaw(t, keyA, alg, h, f.validClaims(t))
		}
	}

	tests := []struct {
		name    string
		token   func(t *testing.T, f *fixture) string
		after   func(f *fixture) // store changes after minting
		wantErr error
		check   check
	}{
		{name: "valid RS256 admin", token: withAlg("RS256"),
			check: wantIdentity(resellerID, resellerAdmin, kazooauth.PrivAdmin, false)},
		{name: "valid RS384", token: withAlg("RS384"),
			check: wantIdentity(resellerID, resellerAdmin, kazooauth.PrivAdmin, false)},
		{name: "valid RS512", token: withAlg("RS512"),
			check: wantIdentity(resellerID, resellerAdmin, kazooauth.PrivAdmin, false)},
		{name: "valid plain user",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerUser)
			},
			check: wantIdentity(resellerID, resellerUser, kazooauth.PrivUser, false)},
		{name: "valid master admin",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, masterID, masterAdmin)
			},
			check: wantIdentity(masterID, masterAdmin, kazooauth.PrivAdmin, true)},
		{name: "valid API key token without owner is admin",
			token: func(t *testing.T, f *fixture) string {
				return f.mintWith(t, keyA, kidA, kazooauth.MintClaims{
					AccountID: childID, Method: "cb_api_auth",
					ExpiresAt: f.clock.Now().Add(time.Hour),
				})
			},
			check: wantIdentity(childID, "", kazooauth.PrivAdmin, false)},
		{name: "valid masquerade keeps original identity",
			token: func(t *testing.T, f *fixture) string {
				return f.mintWith(t, keyB, kidB, kazooauth.MintClaims{
					AccountID: childID, OwnerID: childAdmin, Method: "cb_user_auth",
					OriginalAccountID: masterID, OriginalOwnerID: masterAdmin, As: "x",
					ExpiresAt: f.clock.Now().Add(time.Hour),
				})
			},
			check: func(t *testing.T, id *kazooauth.Identity) {
				wantIdentity(childID, childAdmin, kazooauth.PrivAdmin, false)(t, id)
				if !id.Masquerading() || id.OriginalAccountID != masterID ||
					id.OriginalOwnerID != masterAdmin || id.As != "x" || id.KeyID != kidB {
					t.Errorf("got %+v, want masquerade of %s/%s via %s",
						id, masterID, masterAdmin, kidB)
				}
			}},
		{name: "valid token carries expiry and method", token: withAlg(""),
			check: func(t *testing.T, id *kazooauth.Identity) {
				want := time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC)
				if !id.ExpiresAt.Equal(want) || id.Method != "cb_user_auth" {
					t.Errorf("got exp %v method %q, want %v cb_user_auth",
						id.ExpiresAt, id.Method, want)
				}
			}},
		{name: "valid with padded identity_sig",
			token: withClaim("identity_sig", kazooauth.IdentitySig(
				"secret-ra", systemSecret, resellerAdmin)+"="),
			check: wantIdentity(resellerID, resellerAdmin, kazooauth.PrivAdmin, false)},

		{name: "expired one second ago",
			token:   withClaim("exp", time.Date(2026, 3, 1, 11, 59, 59, 0, time.UTC).Unix()),
			wantErr: kazooauth.ErrExpired},
		{name: "expiring this very second",
			token:   withClaim("exp", time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Unix()),
			wantErr: kazooauth.ErrExpired},
		{name: "not valid before a future nbf",
			token:   withClaim("nbf", time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC).Unix()),
			wantErr: kazooauth.ErrExpired},
		{name: "expired and bad signature reports signature first",
			token: func(t *testing.T, f *fixture) string {
				c := f.validClaims(t)
				c["exp"] = int64(1)
				return signRaw(t, keyB, "RS256", map[string]any{"kid": kidA}, c)
			},
			wantErr: kazooauth.ErrBadSignature},
		{name: "tampered payload",
			token: func(t *testing.T, f *fixture) string {
				c := f.validClaims(t)
				c["account_id"] = masterID
				return replacePayload(t, f.mint(t, resellerID, resellerAdmin), c)
			},
			wantErr: kazooauth.ErrBadSignature},
		{name: "tampered signature",
			token: func(t *testing.T, f *fixture) string {
				tok := []byte(f.mint(t, resellerID, resellerAdmin))
				i := len(tok) - 10 // inside the signature, away from its last bits
				if tok[i] == 'A' {
					tok[i] = 'B'
				} else {
					tok[i] = 'A'
				}
				return string(tok)
			},
			wantErr: kazooauth.ErrBadSignature},
		{name: "wrong kid for the signing key",
			token:   withHeader("RS256", map[string]any{"kid": kidB}),
			wantErr: kazooauth.ErrBadSignature},
		{name: "unknown kid",
			token:   withHeader("RS256", map[string]any{"kid": "no-such-key"}),
			wantErr: kazooauth.ErrUnknownKey},
		{name: "alg none",
			token: func(t *testing.T, f *fixture) string {
				return unsigned(t, map[string]any{"alg": "none", "typ": "JWT", "kid": kidA},
					f.validClaims(t))
			},
			wantErr: kazooauth.ErrAlgorithm},
		{name: "alg None with a signature",
			token: func(t *testing.T, f *fixture) string {
				return unsigned(t, map[string]any{"alg": "None", "typ": "JWT", "kid": kidA},
					f.validClaims(t)) + "c2ln"
			},
			wantErr: kazooauth.ErrAlgorithm},
		{name: "HS256 signed with the public key PEM",
			token:   withHeader("HS256", map[string]any{"kid": kidA}),
			wantErr: kazooauth.ErrAlgorithm},
		{name: "HS512 signed with the public key PEM",
			token:   withHeader("HS512", map[string]any{"kid": kidA}),
			wantErr: kazooauth.ErrAlgorithm},
		{name: "PS256 is not KAZOO's",
			token:   withHeader("PS256", map[string]any{"kid": kidA}),
			wantErr: kazooauth.ErrAlgorithm},
		{name: "ES256 header",
			token: func(t *testing.T, f *fixture) string {
				return unsigned(t, map[string]any{"alg": "ES256", "typ": "JWT", "kid": kidA},
					f.validClaims(t)) + "c2ln"
			},
			wantErr: kazooauth.ErrAlgorithm},
		{name: "missing kid",
			token:   withHeader("RS256", map[string]any{}),
			wantErr: kazooauth.ErrAlgorithm},
		{name: "kid not a string",
			token:   withHeader("RS256", map[string]any{"kid": 7}),
			wantErr: kazooauth.ErrAlgorithm},
		{name: "kid with a slash",
			token:   withHeader("RS256", map[string]any{"kid": "../_all_docs"}),
			wantErr: kazooauth.ErrMalformed},
		{name: "typ missing",
			token:   withHeader("RS256", map[string]any{"kid": kidA, "typ": nil}),
			wantErr: kazooauth.ErrAlgorithm},
		{name: "typ not JWT",
			token:   withHeader("RS256", map[string]any{"kid": kidA, "typ": "JOSE"}),
			wantErr: kazooauth.ErrAlgorithm},

		{name: "revoked: user signature secret changed",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerAdmin)
			},
			after: func(f *fixture) {
				f.store.putUser(resellerID, resellerAdmin, "rotated", kazooauth.PrivAdmin)
			},
			wantErr: kazooauth.ErrBadIdentity},
		{name: "revoked: account secret changed for API key token",
			token: func(t *testing.T, f *fixture) string {
				return f.mintWith(t, keyA, kidA, kazooauth.MintClaims{
					AccountID: childID, ExpiresAt: f.clock.Now().Add(time.Hour),
				})
			},
			after:   func(f *fixture) { f.store.putAccount(childID, "rotated", masterID) },
			wantErr: kazooauth.ErrBadIdentity},
		{name: "revoked: system signature secret changed",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerAdmin)
			},
			after:   func(f *fixture) { f.store.setSystemSecret("rotated") },
			wantErr: kazooauth.ErrBadIdentity},
		{name: "revoked: user deleted",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerUser)
			},
			after:   func(f *fixture) { f.store.deleteUser(resellerID, resellerUser) },
			wantErr: kazooauth.ErrBadIdentity},
		{name: "revoked: user secret removed",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerUser)
			},
			after: func(f *fixture) {
				f.store.putUser(resellerID, resellerUser, "", kazooauth.PrivUser)
			},
			wantErr: kazooauth.ErrBadIdentity},
		{name: "identity_sig of another user",
			token: withClaim("identity_sig", kazooauth.IdentitySig(
				"secret-ru", systemSecret, resellerUser)),
			wantErr: kazooauth.ErrBadIdentity},
		{name: "identity_sig not base64url",
			token: withClaim("identity_sig", "!!!"), wantErr: kazooauth.ErrBadIdentity},
		{name: "owner_id swapped under a valid signature of the other user",
			token: withClaim("owner_id", resellerUser), wantErr: kazooauth.ErrBadIdentity},

		{name: "missing exp", token: withoutClaim("exp"), wantErr: kazooauth.ErrMalformed},
		{name: "missing account_id", token: withoutClaim("account_id"),
			wantErr: kazooauth.ErrMalformed},
		{name: "missing iss", token: withoutClaim("iss"), wantErr: kazooauth.ErrMalformed},
		{name: "missing identity_sig", token: withoutClaim("identity_sig"),
			wantErr: kazooauth.ErrBadIdentity},
		{name: "issuer not kazoo", token: withClaim("iss", "evil"),
			wantErr: kazooauth.ErrMalformed},
		{name: "account_id not hex", token: withClaim("account_id", "account/12/34"),
			wantErr: kazooauth.ErrMalformed},
		{name: "account_id a number", token: withClaim("account_id", 42),
			wantErr: kazooauth.ErrMalformed},
		{name: "exp a string", token: withClaim("exp", "tomorrow"),
			wantErr: kazooauth.ErrMalformed},
		{name: "account deleted after minting",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerAdmin)
			},
			after:   func(f *fixture) { f.store.deleteAccount(resellerID) },
			wantErr: kazooauth.ErrBadIdentity},

		// A token's account must have a valid pvt_tree: an account doc
		// without one is never taken for the master (no tree = master).
		{name: "account doc without pvt_tree",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerAdmin)
			},
			after: func(f *fixture) {
				f.store.breakAccount(resellerID,
					fmt.Errorf("fake: pvt_tree missing: %w", kazooauth.ErrInvalidDoc))
			},
			wantErr: kazooauth.ErrBadIdentity},
		{name: "API key token of an account doc with a non-list pvt_tree",
			token: func(t *testing.T, f *fixture) string {
				return f.mintWith(t, keyA, kidA, kazooauth.MintClaims{
					AccountID: childID, Method: "cb_api_auth",
					ExpiresAt: f.clock.Now().Add(time.Hour),
				})
			},
			after: func(f *fixture) {
				f.store.breakAccount(childID,
					fmt.Errorf("fake: pvt_tree is a string: %w", kazooauth.ErrInvalidDoc))
			},
			wantErr: kazooauth.ErrBadIdentity},
		{name: "store answers a nil tree",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerAdmin)
			},
			after:   func(f *fixture) { f.store.breakAccount(resellerID, nil) },
			wantErr: kazooauth.ErrBadIdentity},
		{name: "store answers a tree entry that is not an account id",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerAdmin)
			},
			after: func(f *fixture) {
				f.store.putAccountTree(resellerID, "reseller-secret", []string{"master"})
			},
			wantErr: kazooauth.ErrBadIdentity},
		{name: "store answers a tree naming the account itself",
			token: func(t *testing.T, f *fixture) string {
				return f.mint(t, resellerID, resellerAdmin)
			},
			after: func(f *fixture) {
				f.store.putAccountTree(resellerID, "reseller-secret", []string{resellerID})
			},
			wantErr: kazooauth.ErrBadIdentity},
		{name: "account unknown to the store",
			token: func(t *testing.T, f *fixture) string {
				c := f.validClaims(t)
				c["account_id"] = "ffffffffffffffffffffffffffffffff"
				return signRaw(t, keyA, "RS256", map[string]any{"kid": kidA}, c)
			},
			wantErr: kazooauth.ErrBadIdentity},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, kazooauth.VerifierOptions{})
			tok := tc.token(t, f)
			if tc.after != nil {
				tc.after(f)
			}

			id, err := f.v.Verify(context.Background(), tok)
			wantKind(t, err, tc.wantErr)
			if tc.wantErr != nil {
				if id != nil {
					t.Errorf("got identity %+v with error %v, want nil", id, err)
				}
				if strings.Contains(err.Error(), tok) {
					t.Errorf("error text contains the token")
				}
				return
			}
			if tc.check != nil {
				tc.check(t, id)
			}
		})
	}
}

func TestVerifyKIDShape(t *testing.T) {
	// The kid names document system_auth/{kid}. CouchDB reserves ids
	// starting with '_' and answers 400 for some: such a kid is an
	// unknown key (401) decided without a store read, never a store
	// failure (503).
	tests := []struct {
		name    string
		kid     string
		wantErr error
		reads   int // store reads: 1 for a well-formed kid
	}{
		{"design doc prefix", "_design", kazooauth.ErrUnknownKey, 0},
		{"all docs", "_all_docs", kazooauth.ErrUnknownKey, 0},
		{"changes feed", "_changes", kazooauth.ErrUnknownKey, 0},
		{"local doc prefix", "_local", kazooauth.ErrUnknownKey, 0},
		{"lone underscore", "_", kazooauth.ErrUnknownKey, 0},
		{"design doc path", "_design/x", kazooauth.ErrMalformed, 0},
		{"leading dot", ".hidden", kazooauth.ErrMalformed, 0},
		{"dot dot", "..", kazooauth.ErrMalformed, 0},
		{"leading dash", "-x", kazooauth.ErrMalformed, 0},
		{"percent escape", "a%2Fb", kazooauth.ErrMalformed, 0},
		{"query", "a?rev=1", kazooauth.ErrMalformed, 0},
		{"space", "a b", kazooauth.ErrMalformed, 0},
		{"non-ASCII", "clé", kazooauth.ErrMalformed, 0},
		{"too long", strings.Repeat("a", 129), kazooauth.ErrMalformed, 0},
		{"longest accepted, merely unknown", strings.Repeat("a", 128),
			kazooauth.ErrUnknownKey, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, kazooauth.VerifierOptions{})
			tok := signRaw(t, keyA, "RS256", map[string]any{"kid": tc.kid}, f.validClaims(t))

			id, err := f.v.Verify(context.Background(), tok)
			e := wantKind(t, err, tc.wantErr)
			if id != nil {
				t.Errorf("got identity %+v, want nil", id)
			}
			if e.HTTPStatus() != 401 {
				t.Errorf("got status %d, want 401", e.HTTPStatus())
			}
			if got := f.store.totalReads(); got != tc.reads {
				t.Errorf("got %d store reads, want %d", got, tc.reads)
			}
		})
	}
}

func TestVerifyGarbage(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{})
	header := segment(t, map[string]any{"alg": "RS256", "typ": "JWT", "kid": kidA})
	tests := []struct {
		name    string
		token   string
		wantErr error
	}{
		{"empty", "", kazooauth.ErrMalformed},
		{"one dot", ".", kazooauth.ErrMalformed},
		{"two dots", "..", kazooauth.ErrMalformed},
		{"words", "not a token", kazooauth.ErrMalformed},
		{"three junk segments", "a.b.c", kazooauth.ErrMalformed},
		{"header not JSON", "bm90IGpzb24.e30.c2ln", kazooauth.ErrMalformed},
		{"header a JSON array", segment(t, []int{1}) + ".e30.c2ln", kazooauth.ErrMalformed},
		{"bearer prefix", "Bearer " + f.mint(t, resellerID, resellerAdmin),
			kazooauth.ErrMalformed},
		{"payload not base64", header + ".%%%." + "c2ln", kazooauth.ErrMalformed},
		{"payload not JSON", header + ".bm90IGpzb24.c2ln", kazooauth.ErrMalformed},
		{"four segments", header + ".e30.c2ln.c2ln", kazooauth.ErrMalformed},
		{"signature not base64", header + ".e30.%%%", kazooauth.ErrMalformed},
		{"empty signature", header + "." + segment(t, f.validClaims(t)) + ".",
			kazooauth.ErrBadSignature},
		{"too long", header + "." + strings.Repeat("A", kazooauth.MaxTokenLen) + ".c2ln",
			kazooauth.ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := f.v.Verify(context.Background(), tc.token)
			wantKind(t, err, tc.wantErr)
			if id != nil {
				t.Errorf("got identity %+v, want nil", id)
			}
		})
	}
}

func TestVerifyAllowNoExpiry(t *testing.T) {
	tests := []struct {
		name    string
		allow   bool
		wantErr error
	}{
		{"refused by default", false, kazooauth.ErrMalformed},
		{"accepted when allowed", true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, kazooauth.VerifierOptions{AllowNoExpiry: tc.allow})
			c := f.validClaims(t)
			delete(c, "exp")
			tok := signRaw(t, keyA, "RS256", map[string]any{"kid": kidA}, c)

			id, err := f.v.Verify(context.Background(), tok)
			wantKind(t, err, tc.wantErr)
			if err == nil && !id.ExpiresAt.IsZero() {
				t.Errorf("got ExpiresAt %v, want zero", id.ExpiresAt)
			}
		})
	}
}

func TestVerifyStoreDown(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{})
	tok := f.mint(t, resellerID, resellerAdmin)
	f.store.setDown(errStoreDown)

	_, err := f.v.Verify(context.Background(), tok)
	e := wantKind(t, err, kazooauth.ErrUnavailable)
	if e.HTTPStatus() != 503 {
		t.Errorf("got status %d, want 503", e.HTTPStatus())
	}
}

func TestVerifyErrorsAreTyped(t *testing.T) {
	// Every error Verify returns is an *Error, so the HTTP edge needs no
	// fallback: checked here for a representative token of each kind.
	f := newFixture(t, kazooauth.VerifierOptions{})
	tok := signRaw(t, keyA, "RS256", map[string]any{"kid": kidA}, jwt.MapClaims{})
	_, err := f.v.Verify(context.Background(), tok)
	e := wantKind(t, err, kazooauth.ErrMalformed)
	if got := kazooauth.Reason(err); got != e.Reason {
		t.Errorf("got Reason(err) %q, want %q", got, e.Reason)
	}
	if e.HTTPStatus() != 401 {
		t.Errorf("got status %d, want 401", e.HTTPStatus())
	}
}
