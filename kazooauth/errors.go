package kazooauth

import (
	"errors"
	"net/http"
)

// Errors returned by Verify, Authorize and Mint, and expected from Store
// implementations. Every error from Verify and Authorize is an *Error whose
// Kind is one of these sentinels, so callers branch with errors.Is:
//
//	ErrMalformed     401  not a well-formed KAZOO token (size, segments,
//	                      base64, JSON, missing or ill-typed claims, exp
//	                      absent, issuer not "kazoo")
//	ErrAlgorithm     401  header alg is not RS256/RS384/RS512, typ is not
//	                      JWT, or kid is missing
//	ErrUnknownKey    401  no signing key in system_auth for the header kid,
//	                      a kid CouchDB reserves (_design, ...), or lookups
//	                      of uncached kids are rate limited
//	ErrBadSignature  401  the RSA signature does not match
//	ErrExpired       401  exp has passed (or an nbf is still ahead)
//	ErrBadIdentity   401  identity_sig missing or wrong, or the identity
//	                      (user or account doc) is gone: revoked; or the
//	                      token's account doc has no valid pvt_tree
//	ErrForbidden     403  the token's account may not act on the target
//	                      (also a target that is missing or has no valid
//	                      pvt_tree)
//	ErrNotAdmin      403  a write needs priv_level admin
//	ErrUnavailable   503  the Store failed, or the stored signing key is
//	                      unusable; the token was not judged
//
// ErrInvalidKey is returned by ParsePrivateKeyPEM and Mint for a key that
// is not an RSA private key of at least MinKeyBits, and ErrInvalidClaims
// by Mint for claims it refuses to sign. ErrNotFound and ErrInvalidDoc
// are not returned to callers of the Verifier: Store implementations wrap
// them to say a document does not exist, or exists but cannot be trusted
// (an account doc without a pvt_tree list).
var (
	ErrMalformed    = errors.New("malformed token")
	ErrAlgorithm    = errors.New("unsupported token algorithm")
	ErrUnknownKey   = errors.New("unknown signing key")
	ErrBadSignature = errors.New("bad token signature")
	ErrExpired      = errors.New("token expired")
	ErrBadIdentity  = errors.New("identity verification failed")
	ErrForbidden    = errors.New("account access forbidden")
	ErrNotAdmin     = errors.New("admin privilege required")
	ErrUnavailable  = errors.New("auth store unavailable")
	ErrNotFound     = errors.New("document not found")
	ErrInvalidDoc   = errors.New("document invalid")

	ErrInvalidKey    = errors.New("invalid RSA private key")
	ErrInvalidClaims = errors.New("invalid token claims")
)

// Error is the error type of Verify and Authorize. Reason is a short,
// fixed English text that is safe to show a client in a 401/403 body: it
// never contains the token, its claims or any secret. Err, when set, is
// the underlying cause (a JWT library or Store error) for logs.
type Error struct {
	// Kind is one of the sentinel errors of this package.
	Kind error
	// Reason is a short human-readable explanation, safe to return.
	Reason string
	// Err is the underlying cause, or nil.
	Err error
}

// Error returns "kazooauth: <reason>", followed by the cause if any.
func (e *Error) Error() string {
	if e.Err == nil {
		return "kazooauth: " + e.Reason
	}
	return "kazooauth: " + e.Reason + ": " + e.Err.Error()
}

// Unwrap exposes both Kind and the cause to errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// HTTPStatus maps the error to the status code the HTTP edge should
// answer with: 403 for ErrForbidden and ErrNotAdmin, 503 for
// ErrUnavailable, 401 for every token problem.
func (e *Error) HTTPStatus() int {
	switch {
	case errors.Is(e.Kind, ErrForbidden), errors.Is(e.Kind, ErrNotAdmin):
		return http.StatusForbidden
	case errors.Is(e.Kind, ErrUnavailable):
		return http.StatusServiceUnavailable
	default:
		return http.StatusUnauthorized
	}
}

// Reason returns the client-safe reason of an *Error found in err's
// chain, or "" when err carries none.
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func newError(kind error, reason string, cause error) *Error {
	return &Error{Kind: kind, Reason: reason, Err: cause}
}
