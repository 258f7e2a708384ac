package kazooauth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
	"github.com/duo-kazoo/duo-kazoo/kazooauth/kazooauthtest"
)

func TestIdentitySig(t *testing.T) {
	// Vectors computed independently (Python hmac/hashlib/base64).
	tests := []struct {
		name                     string
		identity, system, signed string
		want                     string
	}{
		{"owner", "user-secret", "system-secret", "4c1f0e2d3b5a69788796a5b4c3d2e1f0",
			"DaE7oDiaETDJ5b6bnDQpqm9fce9EKF8lgzeh92aw79w"},
		{"all empty", "", "", "", "thNnmggU2ex3L5XXeMNfxf8Wl8STcVZTxscSFEKSxa0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kazooauth.IdentitySig(tc.identity, tc.system, tc.signed)
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// decodeSegment decodes one base64url JSON segment into a map, keeping
// numbers as json.Number so their exact text can be checked.
func decodeSegment(t *testing.T, seg string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("segment not unpadded base64url: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("segment not a JSON object: %v", err)
	}
	return m
}

func TestMintShape(t *testing.T) {
	loadKeys(t)
	exp := time.Date(2026, 3, 1, 13, 0, 0, 900_000_000, time.UTC)
	tests := []struct {
		name       string
		claims     kazooauth.MintClaims
		wantHeader map[string]any
		wantClaims map[string]any
	}{
		{
			name: "user token",
			claims: kazooauth.MintClaims{
				AccountID: resellerID, OwnerID: resellerUser, Method: "cb_user_auth",
				ExpiresAt: exp,
			},
			wantHeader: map[string]any{"alg": "RS256", "typ": "JWT", "kid": kidA},
			wantClaims: map[string]any{
				"account_id": resellerID, "owner_id": resellerUser,
				"method": "cb_user_auth", "iss": "kazoo",
				"exp":          json.Number("1772370000"),
				"identity_sig": kazooauth.IdentitySig("id-secret", "sys", resellerUser),
			},
		},
		{
			name: "API key token, RS512, masquerade fields",
			claims: kazooauth.MintClaims{
				AccountID: childID, Method: "cb_api_auth", Algorithm: "RS512",
				OriginalAccountID: masterID, OriginalOwnerID: masterAdmin, As: "a",
				ExpiresAt: exp,
			},
			wantHeader: map[string]any{"alg": "RS512", "typ": "JWT", "kid": kidA},
			wantClaims: map[string]any{
				"account_id": childID, "method": "cb_api_auth", "iss": "kazoo",
				"original_account_id": masterID, "original_owner_id": masterAdmin,
				"as": "a", "exp": json.Number("1772370000"),
				"identity_sig": kazooauth.IdentitySig("id-secret", "sys", childID),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := kazooauth.Mint(keyA, kidA, tc.claims, "id-secret", "sys")
			if err != nil {
				t.Fatalf("Mint: %v", err)
			}
			parts := strings.Split(tok, ".")
			if len(parts) != 3 {
				t.Fatalf("got %d segments, want 3", len(parts))
			}
			if h := decodeSegment(t, parts[0]); !maps.Equal(h, tc.wantHeader) {
				t.Errorf("got header %v, want %v", h, tc.wantHeader)
			}
			c := decodeSegment(t, parts[1])
			if !maps.Equal(c, tc.wantClaims) {
				t.Errorf("got claims %v, want %v (keys %v)",
					c, tc.wantClaims, slices.Sorted(maps.Keys(c)))
			}
		})
	}
}

func TestMintRejects(t *testing.T) {
	loadKeys(t)
	valid := kazooauth.MintClaims{AccountID: resellerID, ExpiresAt: time.Now()}
	with := func(edit func(c *kazooauth.MintClaims)) kazooauth.MintClaims {
		c := valid
		edit(&c)
		return c
	}
	tests := []struct {
		name    string
		kid     string
		claims  kazooauth.MintClaims
		secret  string
		wantErr error
	}{
		{"no expiry", kidA, with(func(c *kazooauth.MintClaims) { c.ExpiresAt = time.Time{} }),
			"s", kazooauth.ErrInvalidClaims},
		{"no account", kidA, with(func(c *kazooauth.MintClaims) { c.AccountID = "" }),
			"s", kazooauth.ErrInvalidClaims},
		{"account in uppercase", kidA, with(func(c *kazooauth.MintClaims) {
			c.AccountID = strings.ToUpper("abcdef" + resellerID[6:])
		}), "s", kazooauth.ErrInvalidClaims},
		{"HS256", kidA, with(func(c *kazooauth.MintClaims) { c.Algorithm = "HS256" }),
			"s", kazooauth.ErrInvalidClaims},
		{"no kid", "", valid, "s", kazooauth.ErrInvalidClaims},
		{"kid with slash", "a/b", valid, "s", kazooauth.ErrInvalidClaims},
		{"no identity secret", kidA, valid, "", kazooauth.ErrInvalidClaims},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := kazooauth.Mint(keyA, tc.kid, tc.claims, tc.secret, "sys")
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("got (%q, %v), want error %v", tok, err, tc.wantErr)
			}
		})
	}

	t.Run("nil key", func(t *testing.T) {
		if _, err := kazooauth.Mint(nil, kidA, valid, "s", "sys"); !errors.Is(err,
			kazooauth.ErrInvalidKey) {
			t.Fatalf("got %v, want ErrInvalidKey", err)
		}
	})
}

func TestParsePrivateKeyPEM(t *testing.T) {
	loadKeys(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generating EC key: %v", err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatalf("encoding EC key: %v", err)
	}
	tests := []struct {
		name    string
		pem     []byte
		wantErr error
	}{
		{"PKCS#1", kazooauthtest.PEM(keyA), nil},
		{"PKCS#8", kazooauthtest.PKCS8PEM(t, keyA), nil},
		{"PKCS#8 EC key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}),
			kazooauth.ErrInvalidKey},
		{"public key", kazooauthtest.PublicPEM(t, keyA), kazooauth.ErrInvalidKey},
		{"PKCS#1 label, garbage body",
			pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte("x")}),
			kazooauth.ErrInvalidKey},
		{"empty", nil, kazooauth.ErrInvalidKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, err := kazooauth.ParsePrivateKeyPEM(tc.pem)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("got error %v, want %v", err, tc.wantErr)
			}
			if err == nil && !key.Equal(keyA) {
				t.Errorf("got a different key back")
			}
		})
	}
}
