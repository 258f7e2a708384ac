package universal

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Errors returned by this package. Branch on them with errors.Is; a reply
// Duo refused also matches errors.As(err, *DuoError). No error text holds
// the client secret, an authorization code, a token or a state.
var (
	// ErrInvalidConfig: a Config or a state key failed validation.
	ErrInvalidConfig = errors.New("universal: invalid configuration")
	// ErrInvalidInput: an argument is unusable: empty username or code,
	// state outside Duo's 22..1024 characters.
	ErrInvalidInput = errors.New("universal: invalid input")
	// ErrUnreachable: Duo could not be used: network error or timeout,
	// HTTP 5xx, or a reply that is not a well-formed Duo answer. The cause
	// is wrapped.
	ErrUnreachable = errors.New("universal: duo unreachable")
	// ErrRejected: Duo refused the request (HTTP 4xx or stat FAIL), which
	// means bad credentials, bad parameters or an invalid or used code. The
	// error is a *DuoError carrying Duo's answer.
	ErrRejected = errors.New("universal: duo rejected the request")

	// ErrInvalidToken: the id_token failed validation. Every such error
	// also matches exactly one of the ErrToken* causes below.
	ErrInvalidToken = errors.New("universal: invalid id_token")
	// ErrTokenMalformed: not a JWT, or a required claim (exp, iat, iss) is
	// missing or of the wrong type.
	ErrTokenMalformed = fmt.Errorf("%w: malformed", ErrInvalidToken)
	// ErrTokenAlgorithm: signed with anything but HS512 (none, RS256,
	// HS256, unknown).
	ErrTokenAlgorithm = fmt.Errorf("%w: algorithm not HS512", ErrInvalidToken)
	// ErrTokenSignature: the HS512 signature does not match the secret.
	ErrTokenSignature = fmt.Errorf("%w: bad signature", ErrInvalidToken)
	// ErrTokenIssuer: iss is not https://{host}/oauth/v1/token.
	ErrTokenIssuer = fmt.Errorf("%w: wrong issuer", ErrInvalidToken)
	// ErrTokenAudience: aud is not exactly the client id.
	ErrTokenAudience = fmt.Errorf("%w: wrong audience", ErrInvalidToken)
	// ErrTokenUser: preferred_username is not the expected username.
	ErrTokenUser = fmt.Errorf("%w: wrong user", ErrInvalidToken)
	// ErrTokenExpired: exp is past, beyond the leeway.
	ErrTokenExpired = fmt.Errorf("%w: expired", ErrInvalidToken)
	// ErrTokenNotYetValid: iat or nbf is in the future, beyond the leeway.
	ErrTokenNotYetValid = fmt.Errorf("%w: not yet valid", ErrInvalidToken)
	// ErrTokenNonce: a nonce was expected and the token's differs.
	ErrTokenNonce = fmt.Errorf("%w: nonce mismatch", ErrInvalidToken)

	// ErrStateInvalid: a state was not issued by a StateCodec holding one
	// of our keys, or was altered.
	ErrStateInvalid = errors.New("universal: invalid state")
	// ErrStateExpired: a genuine state whose lifetime is over.
	ErrStateExpired = errors.New("universal: state expired")
	// ErrReplayed: a ReplayGuard saw the key before: the state was used.
	ErrReplayed = errors.New("universal: state already used")
)

// DuoError is Duo's refusal of a request: an HTTP 4xx, or a stat FAIL
// envelope. It matches ErrRejected with errors.Is.
type DuoError struct {
	// HTTPStatus is the HTTP status of the reply.
	HTTPStatus int
	// Code is Duo's numeric code (e.g. 40002) when the reply had one.
	Code int
	// Message is Duo's short message or OAuth error, e.g. invalid_client
	// or invalid_grant.
	Message string
	// Detail is Duo's message_detail or error_description.
	Detail string
	// ServerTime is Duo's clock when the reply carried a timestamp (a
	// refused health check does), else zero. Duo says only that the
	// client assertion was invalid; a ServerTime far from the local clock
	// tells that the assertion was refused as expired on Duo's clock.
	ServerTime time.Time
}

// Error describes the refusal with Duo's own words, which carry no secret.
func (e *DuoError) Error() string {
	s := "universal: duo rejected the request: HTTP " + strconv.Itoa(e.HTTPStatus)
	if e.Code != 0 {
		s += " code " + strconv.Itoa(e.Code)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Is reports whether target is ErrRejected.
func (e *DuoError) Is(target error) bool { return target == ErrRejected }
