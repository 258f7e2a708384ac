package kazooauth

import (
	"crypto/rsa"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultTokenLifetime is KAZOO's default token lifetime
// (crossbar token_auth_expiry).
const DefaultTokenLifetime = time.Hour

// MintClaims are the claims of a token to mint.
type MintClaims struct {
	// AccountID is required: 32 lowercase hex characters.
	AccountID string
	// OwnerID is the user; "" for an API-key style token, whose
	// identity_sig then signs AccountID.
	OwnerID string
	// Method is the auth module, e.g. "cb_user_auth"; omitted when "".
	Method string
	// As, OriginalAccountID and OriginalOwnerID are omitted when "".
	As                string
	OriginalAccountID string
	OriginalOwnerID   string
	// ExpiresAt is required; it is written as Unix seconds (truncated).
	ExpiresAt time.Time
	// Algorithm is "RS256" (the default when ""), "RS384" or "RS512".
	Algorithm string
}

// Mint signs a crossbar token the way KAZOO does: header {"alg", "typ":
// "JWT", "kid"}, claims with iss "kazoo" and identity_sig computed from
// identitySecret (pvt_signature_secret of the user, or of the account
// when OwnerID is "") and systemSecret (secret_for_user_signature). It is
// meant for the demo seed and tests; the module never issues tokens to
// users. Errors wrap ErrInvalidKey or ErrInvalidClaims.
func Mint(key *rsa.PrivateKey, kid string, c MintClaims, identitySecret,
	systemSecret string) (string, error) {
	if err := checkKeySize(key); err != nil {
		return "", fmt.Errorf("minting token: %w", err)
	}
	alg := c.Algorithm
	if alg == "" {
		alg = "RS256"
	}
	if err := c.validate(kid, alg, identitySecret); err != nil {
		return "", fmt.Errorf("minting token: %w", err)
	}

	claims := &tokenClaims{
		AccountID:         c.AccountID,
		OwnerID:           c.OwnerID,
		Method:            c.Method,
		As:                c.As,
		OriginalAccountID: c.OriginalAccountID,
		OriginalOwnerID:   c.OriginalOwnerID,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt.Truncate(time.Second)),
		},
	}
	claims.IdentitySig = IdentitySig(identitySecret, systemSecret, claims.identity())

	t := jwt.NewWithClaims(jwt.GetSigningMethod(alg), claims)
	t.Header["kid"] = kid
	s, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("minting token: signing: %w", err)
	}
	return s, nil
}

func (c *MintClaims) validate(kid, alg, identitySecret string) error {
	switch {
	case !isValidAlgorithm(alg):
		return fmt.Errorf("%w: algorithm %q not one of RS256, RS384, RS512",
			ErrInvalidClaims, alg)
	case kid == "" || !isValidKID(kid):
		return fmt.Errorf("%w: key id empty or malformed", ErrInvalidClaims)
	case !IsAccountID(c.AccountID):
		return fmt.Errorf("%w: account id must be 32 lowercase hex", ErrInvalidClaims)
	case c.ExpiresAt.IsZero():
		return fmt.Errorf("%w: expiry required", ErrInvalidClaims)
	case identitySecret == "":
		return fmt.Errorf("%w: identity secret required", ErrInvalidClaims)
	}
	return nil
}
