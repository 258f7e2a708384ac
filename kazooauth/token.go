package kazooauth

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// Issuer is the iss claim of every crossbar token.
const Issuer = "kazoo"

// MaxTokenLen bounds the accepted token size. KAZOO tokens are well under
// 2 KiB; anything longer is refused before any decoding.
const MaxTokenLen = 8 << 10

// maxKIDLen bounds the header kid, which becomes a CouchDB document id.
const maxKIDLen = 128

// validAlgorithms are the header algs KAZOO's verifier accepts.
var validAlgorithms = []string{"RS256", "RS384", "RS512"}

// tokenClaims is the payload of a crossbar token, as KAZOO writes it.
type tokenClaims struct {
	AccountID         string `json:"account_id"`
	OwnerID           string `json:"owner_id,omitempty"`
	Method            string `json:"method,omitempty"`
	As                string `json:"as,omitempty"`
	OriginalAccountID string `json:"original_account_id,omitempty"`
	OriginalOwnerID   string `json:"original_owner_id,omitempty"`
	IdentitySig       string `json:"identity_sig"`
	jwt.RegisteredClaims
}

// identity is the string identity_sig signs: the owner, or the account
// for tokens without an owner (API-key tokens).
func (c *tokenClaims) identity() string {
	if c.OwnerID != "" {
		return c.OwnerID
	}
	return c.AccountID
}

// checkShape validates the claims KAZOO's later steps rely on. It runs
// after signature and exp, so it only judges KAZOO-signed payloads.
func (c *tokenClaims) checkShape() error {
	switch {
	case c.Issuer != Issuer:
		return newError(ErrMalformed, "token issuer is not kazoo", nil)
	case !IsAccountID(c.AccountID):
		return newError(ErrMalformed, "token account_id missing or malformed", nil)
	case c.IdentitySig == "":
		return newError(ErrBadIdentity, "token has no identity signature", nil)
	}
	return nil
}

// checkHeader is the first of KAZOO's checks: alg among RS256/384/512,
// typ JWT, and a kid. It returns the kid. It reads the header with exact
// key names, as the JWT library does, so both see the same alg.
func checkHeader(token string) (string, error) {
	if len(token) > MaxTokenLen {
		return "", newError(ErrMalformed, "token too long", nil)
	}
	end := strings.IndexByte(token, '.')
	if end < 0 {
		return "", newError(ErrMalformed, "token is not a JWT", nil)
	}
	raw, err := base64.RawURLEncoding.DecodeString(token[:end])
	if err != nil {
		return "", newError(ErrMalformed, "token header is not base64url", err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", newError(ErrMalformed, "token header is not a JSON object", err)
	}

	alg, _ := h["alg"].(string)
	if !isValidAlgorithm(alg) {
		return "", newError(ErrAlgorithm, "token algorithm not accepted", nil)
	}
	if typ, _ := h["typ"].(string); typ != "JWT" {
		return "", newError(ErrAlgorithm, "token type is not JWT", nil)
	}
	kid, _ := h["kid"].(string)
	if kid == "" {
		return "", newError(ErrAlgorithm, "token has no key id", nil)
	}
	if err := checkKID(kid); err != nil {
		return "", err
	}
	return kid, nil
}

func isValidAlgorithm(alg string) bool {
	for _, a := range validAlgorithms {
		if alg == a {
			return true
		}
	}
	return false
}

// checkKID judges a header kid, which names document system_auth/{kid}.
// KAZOO's key ids are 32 hex characters; any plain document id of ASCII
// letters, digits, '-', '_' and '.' up to maxKIDLen, starting with a
// letter, a digit or '_', is accepted as well formed. One starting with
// '_' is an id CouchDB reserves (_design, _all_docs, ...), which never
// names a key: an unknown key, decided without a store read.
func checkKID(kid string) error {
	if len(kid) == 0 || len(kid) > maxKIDLen || !isAlnum(kid[0]) && kid[0] != '_' {
		return newError(ErrMalformed, "token key id malformed", nil)
	}
	for i := 1; i < len(kid); i++ {
		if c := kid[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return newError(ErrMalformed, "token key id malformed", nil)
		}
	}
	if kid[0] == '_' {
		return newError(ErrUnknownKey, "unknown signing key", nil)
	}
	return nil
}

// isValidKID reports whether Verify would look kid up.
func isValidKID(kid string) bool { return checkKID(kid) == nil }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// IsAccountID reports whether s has the shape of a KAZOO account id: 32
// lowercase hexadecimal characters.
func IsAccountID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
