package failmode

// Class names what went wrong with Duo, independently of the protocol. All
// Duo clients in this module classify their failures with it, and failure
// records store it as their reason code, so the values are stable.
type Class string

// Failure classes. The first group are Duo's answers about the user; the
// second are failures of the integration or the service.
const (
	// UserDenied: the user rejected the request (push denied, call ended
	// without approval), or Duo's policy denied it.
	UserDenied Class = "user_denied"
	// Fraud: the user marked the request as fraudulent.
	Fraud Class = "fraud"
	// Timeout: the user did not answer the second factor in time. A
	// network timeout is Unreachable, not Timeout.
	Timeout Class = "timeout"
	// LockedOut: Duo refuses the user (locked out, disabled, not allowed).
	LockedOut Class = "locked_out"
	// NotEnrolled: the user has no Duo device; Duo answered "enroll" (or,
	// to an authentication, that the user has no capable device).
	NotEnrolled Class = "not_enrolled"
	// InvalidPasscode: the passcode the user typed was rejected.
	InvalidPasscode Class = "invalid_passcode"
	// InvalidResponse: an answer that should prove Duo's approval failed
	// verification: bad signature, expired, wrong user, wrong issuer or
	// audience, replayed or forged state. It may be an attack.
	InvalidResponse Class = "invalid_response"

	// BadConfig: Duo rejected the integration itself (HTTP 4xx or stat
	// FAIL: wrong ikey/skey, bad signature, bad parameters, invalid_client),
	// or the local configuration is invalid. Never fails open.
	BadConfig Class = "bad_config"
	// Unreachable: Duo could not be used: network error, network timeout,
	// HTTP 5xx, or a reply that is not a well-formed Duo answer.
	Unreachable Class = "unreachable"
	// RateLimited: Duo answered HTTP 429 (code 42901). The clients of this
	// module do not retry: duo/authapi stops the official client's sleeping
	// retries and reports the first 429. Treated like Unreachable.
	RateLimited Class = "rate_limited"
	// Internal: a local failure that is neither Duo's nor the user's: a
	// store used to make states single-use is down, an unexpected error.
	// Never fails open.
	Internal Class = "internal"
)

// Classes lists every defined class, in declaration order.
func Classes() []Class {
	return []Class{
		UserDenied, Fraud, Timeout, LockedOut, NotEnrolled, InvalidPasscode,
		InvalidResponse, BadConfig, Unreachable, RateLimited, Internal,
	}
}

// Valid reports whether c is one of the defined classes.
func (c Class) Valid() bool {
	switch c {
	case UserDenied, Fraud, Timeout, LockedOut, NotEnrolled, InvalidPasscode,
		InvalidResponse, BadConfig, Unreachable, RateLimited, Internal:
		return true
	}
	return false
}

// ServiceFailure reports whether c means that Duo's service could not be
// used (Unreachable, RateLimited), as opposed to an answer about the user or
// a configuration error. Only service failures can fail open.
func (c Class) ServiceFailure() bool {
	return c == Unreachable || c == RateLimited
}

// String returns the class's stable code.
func (c Class) String() string { return string(c) }
