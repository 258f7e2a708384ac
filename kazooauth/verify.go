package kazooauth

import (
	"context"
	"crypto/rsa"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Verifier checks crossbar tokens (X-Auth-Token) the way KAZOO does and
// authorizes the identities they carry. It is safe for concurrent use;
// create one per process and share it, so its key cache is shared.
type Verifier struct {
	store  Store
	opts   VerifierOptions
	keys   *keyCache
	parser *jwt.Parser
}

// NewVerifier returns a Verifier reading keys, secrets and accounts from
// store. Zero fields of opts take their documented defaults.
func NewVerifier(store Store, opts VerifierOptions) *Verifier {
	opts = opts.withDefaults()
	popts := []jwt.ParserOption{
		jwt.WithValidMethods(validAlgorithms),
		jwt.WithTimeFunc(opts.Now),
	}
	if !opts.AllowNoExpiry {
		popts = append(popts, jwt.WithExpirationRequired())
	}
	return &Verifier{
		store:  store,
		opts:   opts,
		keys:   newKeyCache(store, opts),
		parser: jwt.NewParser(popts...),
	}
}

// Verify checks token in KAZOO's order: header (alg RS256/384/512, typ
// JWT, kid), signature with the key system_auth/{kid}, exp, then the
// identity signature against the current secrets. On success it returns
// the token's identity, with PrivLevel and IsMaster read from the store.
//
// Every error is an *Error whose Kind is one of the package sentinels;
// none of them contains the token. A token whose user, account or key
// has been deleted, or whose user's signature secret changed, fails with
// ErrBadIdentity or ErrUnknownKey: that is how KAZOO revokes tokens.
func (v *Verifier) Verify(ctx context.Context, token string) (*Identity, error) {
	kid, err := checkHeader(token)
	if err != nil {
		return nil, err
	}

	c, key, err := v.parse(ctx, token, kid, nil)
	if errors.Is(err, ErrBadSignature) && key != nil {
		// The key may have been reset under the same kid: re-read it once.
		if fresh, changed := v.keys.refresh(ctx, kid, key); changed {
			c, _, err = v.parse(ctx, token, kid, fresh)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := c.checkShape(); err != nil {
		return nil, err
	}

	return v.identify(ctx, kid, c)
}

// parse runs the JWT library over token: payload decoding, alg allowlist,
// key lookup (key, or the cache when key is nil), signature and exp. It
// returns the key it used so a signature failure can trigger a re-read.
func (v *Verifier) parse(ctx context.Context, token, kid string, key *rsa.PublicKey) (
	*tokenClaims, *rsa.PublicKey, error) {
	c := new(tokenClaims)
	_, err := v.parser.ParseWithClaims(token, c, func(*jwt.Token) (any, error) {
		if key != nil {
			return key, nil
		}
		k, err := v.keys.get(ctx, kid)
		if err != nil {
			return nil, err
		}
		key = k
		return k, nil
	})
	if err != nil {
		return nil, key, mapJWTError(err)
	}
	return c, key, nil
}

// mapJWTError turns an error of the JWT library (or of our key function,
// which it wraps) into this package's *Error.
func mapJWTError(err error) error {
	var own *Error
	if errors.As(err, &own) {
		return own
	}
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return newError(ErrMalformed, "token is not a well-formed JWT", err)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return newError(ErrBadSignature, "token signature does not match", err)
	case errors.Is(err, jwt.ErrTokenExpired):
		return newError(ErrExpired, "token expired", err)
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return newError(ErrExpired, "token not valid yet", err)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return newError(ErrMalformed, "token has no expiry", err)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return newError(ErrAlgorithm, "token algorithm not accepted", err)
	default:
		return newError(ErrMalformed, "token claims invalid", err)
	}
}

// expiry converts the exp claim; zero when absent (AllowNoExpiry).
func expiry(c *tokenClaims) time.Time {
	if c.ExpiresAt == nil {
		return time.Time{}
	}
	return c.ExpiresAt.Time
}
