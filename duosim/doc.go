// Package duosim is a simulated Duo Security service for tests and demos:
// the Auth API v2, the Universal Prompt (OIDC) endpoints and the Web SDK v2
// frame, with Duo's request signatures, envelopes, error codes and scripted
// users. Clients that pass against it are expected to pass against Duo; no
// test of this module talks to the real service.
//
// # Lifecycle
//
//	sim := duosim.New(duosim.Options{})
//	sim.AddIntegration(ikey, skey)           // Auth API / Web SDK app
//	sim.AddUniversalClient(clientID, secret) // Universal Prompt app
//	sim.SetUser("alice", duosim.User{Behavior: duosim.Approve})
//	if err := sim.Start(); err != nil { ... } // https://127.0.0.1:PORT
//	defer sim.Close()
//	host := sim.Host() // Duo "API hostname" for clients: 127.0.0.1:PORT
//
// The server certificate is issued by a CA generated in memory by New;
// clients trust it through CertPool, CACertPEM or HTTPClient, never by
// disabling verification. Handler returns the bare http.Handler for
// mounting elsewhere. ListenAndServe runs a seeded simulator for a command
// and writes the CA to a file; Seed, ParseSeed, LoadSeed and DemoSeed
// describe what it starts with.
//
// # Scripted users
//
// Each username has a Behavior: Approve, ApproveAfter, Deny, Fraud,
// Timeout, Bypass, LockedOut, NotEnrolled or Manual. A username never set
// is not enrolled (preauth answers "enroll"), as Duo treats unknown users
// under its default new-user policy; such a user has no device, so a
// push, call or SMS to it is refused as Duo refuses an auth that no device
// can do: HTTP 400, code 40002, message_detail "no capable device". User.Delay is how long (real time)
// the user takes to answer pushes, calls and prompts. Manual users wait
// for Answer (Auth API) or for a button on the prompt page (Universal
// Prompt, Web SDK frame).
//
// factor=sms answers deny/"sent" and issues a batch of 10 seven-digit
// passcodes, readable with Passcodes; factor=passcode accepts each of
// them, and each User.Passcodes entry, once.
//
// # Auth API v2
//
// GET /auth/v2/ping (unsigned), GET /auth/v2/check, POST /auth/v2/preauth,
// POST /auth/v2/auth (synchronous, or async=1 answering a txid), GET
// /auth/v2/auth_status, POST /auth/v2/enroll and /auth/v2/enroll_status
// (Activate completes an enrollment). Requests are verified as Duo does:
// HMAC-SHA1 or HMAC-SHA512 (told apart by the signature's length) over the
// canonical string of signature version 2 (form or query parameters), or
// HMAC-SHA512 over that of version 5 (query parameters plus SHA-512
// digests of the body and of the X-Duo-* headers), dated by X-Duo-Date or
// Date within MaxSkew. A JSON body is accepted only under version 5, the
// only one that covers it. Errors use Duo's FAIL envelope and codes (see
// the Code constants).
//
// auth_status reports a pending transaction's interim status ("pushed",
// "calling") at once the first time it is polled; later polls are held
// until the answer comes or Options.StatusHold lapses, like Duo's long
// poll. Transactions are visible only to the integration that started
// them.
//
// # Universal Prompt
//
// POST /oauth/v1/health_check and POST /oauth/v1/token verify the
// client_assertion JWT (HS512 under the client secret, iss = sub =
// client_id, aud = the endpoint URL on the host the client addressed, exp
// on the simulator's clock, single-use jti). The health check answers
// Duo's clock either way (response.timestamp, or timestamp beside a
// refusal) and, like Duo, refuses every bad client with the same 40002
// invalid_client "The provided client_assertion was invalid."; the log
// entry's Reason says what was wrong. GET /oauth/v1/authorize verifies the request JWT (aud
// "https://HOST", state of 22 to 1024 characters, redirect_uri https, or
// http on loopback). A user with an automatic behavior is redirected to
// redirect_uri with state and duo_code (code without
// use_duo_code_attribute) after Delay, even when denied: the id_token then
// says why. A Manual user gets a page with Approve, Deny and "report
// fraud" buttons that POST "session" and "action" back to
// /oauth/v1/authorize; a test can post that form without a browser. Codes
// are single use and live 60 seconds. The id_token's auth_result is
// allow/allow or deny/deny; auth_context.reason tells denials apart:
// user_cancelled, user_marked_fraud, no_response, locked_out,
// deny_unenrolled_user (and bypass_user for an allowed bypass user).
//
// # Web SDK v2 frame
//
// GET or POST /frame/web/v1/auth?tx=...&parent=... verifies the TX (or
// ENROLL_REQUEST) part of a sig_request and, for an approving user, answers
// the AUTH (or ENROLL) value signed with the integration's secret key, as
// an HTML page that posts it to the parent window, or as Duo's JSON
// envelope {"result","status_msg","username","cookie","parent"} when the
// request accepts application/json or has format=json. Manual users get
// buttons; a POST with action=approve|deny|fraud answers for them.
//
// # Faults and log
//
// AddFault and SetFault make requests slow (Latency), fail with a 5xx,
// rate limited (HTTP 429, code 42901), dropped, or answered with a body
// that is not JSON, optionally only on some paths and for a number of
// requests. Requests returns the requests handled (the last
// Options.MaxLog), with secret parameters redacted.
package duosim
