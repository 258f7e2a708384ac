// Package failmode decides, in one place, whether a failure while talking to
// Duo allows the login or denies it, and defines the failure classes that
// every Duo client in this module reports.
//
// A client (duo/websdk, duo/universal, duo/authapi) classifies what went
// wrong as a [Class]; the caller passes that class, the configured [Mode]
// and the [Phase] in which it happened to [Decide], and acts on the returned
// [Decision]. The rules:
//
//   - Only a Duo service that cannot be used ([Unreachable], [RateLimited])
//     during the [Preflight] phase (preauth, health check) can fail open,
//     and only in [Safe] mode. Such a decision has FailedOpen set, and the
//     caller must log and record it: a silent fail-open is the complaint
//     users of Duo integrations raise most.
//   - [BadConfig] (a 4xx or stat FAIL: wrong keys, bad signature, bad
//     parameters) always fails closed: wrong credentials must never turn
//     into a way around the second factor.
//   - Every failure in the [SecondFactor] phase denies, whatever the mode:
//     once Duo has been asked to verify the user, only Duo's "allow" lets the
//     user in.
//   - Answers from Duo about the user (denied, fraud, locked out, not
//     enrolled, timeout, wrong passcode) deny in every phase and mode.
//   - An unknown class or phase denies.
//
// Rate limiting: Duo's official clients retry HTTP 429 with exponential
// backoff, but this module's clients do not (duo/authapi turns the official
// client's retries off, since they ignore the caller's context and resend
// consumed POST bodies): the first 429 is reported. It means the service
// cannot answer now, not that the credentials are wrong, so it is treated
// like [Unreachable] (fail open in Safe mode during Preflight, deny
// otherwise).
package failmode
