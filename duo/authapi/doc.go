// Package authapi runs Duo's Auth API v2 (preauth, push, SMS passcodes,
// phone call, passcode) through Duo's official Go client,
// github.com/duosecurity/duo_api_golang, behind the narrow API interface
// this project owns.
//
// # Transport
//
// A Client verifies Duo's certificate against the system roots (or
// Config.RootCAs) plus Config.CAFile; verification is never turned off.
// Requests go through Config.Proxy, by default the HTTPS_PROXY / NO_PROXY
// environment. Each call is bounded by its context and by Config.Timeout;
// each auth_status long poll by Config.LongPollTimeout.
//
// # Rate limiting
//
// The official client answers HTTP 429 by sleeping (1 s doubling to 32 s,
// plus jitter) and retrying, without looking at any context, and its
// retry of a POST resends an already consumed body, which Duo refuses as
// a bad signature. This package therefore stops a 429 at the transport: the
// call fails at once with ErrRateLimited (class RateLimited), bounded by
// the caller's context. The trade-off: a burst that a retry a second later
// would have absorbed is reported to the caller, who decides (the failmode
// rules treat it like Unreachable).
//
// # Waiting for the user
//
// A push or call may take a person 60 s. Auth (for push, phone and auto)
// and Wait poll auth_status, which Duo holds open until the answer comes.
// The waiting goroutine is blocked on network I/O and holds no lock; run
// it outside bounded worker pools (or use StartAuth, then Wait from a
// goroutine of its own), and give it a context whose deadline is the push
// timeout: reaching it ends the wait with class Timeout.
//
// # Failures
//
// Every failure is an *Error with a failmode.Class:
//
//   - UserDenied, Fraud, Timeout, LockedOut, InvalidPasscode: Duo's answer
//     about the user (auth status deny, fraud, timeout, locked_out; a
//     rejected passcode), or a wait that reached its deadline.
//   - LockedOut and NotEnrolled: preauth answered "deny" or "enroll". An
//     auth is NotEnrolled too when Duo refuses it with 40002 "no capable
//     device": the user has no device for the factor (a user who is not
//     enrolled has none), which Duo answers instead of a verdict.
//   - BadConfig: Duo refused the request (HTTP 4xx, stat FAIL: unknown
//     integration key 40102, bad signature 40103, bad date 40105, other
//     bad parameters 40002), or the request or Config is unusable.
//   - Unreachable: network error, TLS failure, timeout, HTTP 5xx, or a
//     reply that is not a well-formed Duo answer.
//   - RateLimited: HTTP 429 (code 42901).
//
// Error texts carry Duo's messages and codes, never the secret key, a
// passcode or a username.
package authapi
