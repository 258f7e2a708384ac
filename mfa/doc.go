// Package mfa is the module's domain: it decides whether a KAZOO login
// needs a second factor, runs it with Duo, answers, and records every
// failure. It knows nothing of AMQP or HTTP: the transports turn their
// messages into a Request (and an AttemptEvent) and a Reply back.
//
// # Use
//
//	svc, err := mfa.New(mfa.CouchDeps(couchClient, configStore, recorder), mfa.Options{
//		StateKey: stateKey, // keyring.Derive(mfa.StateKeyPurpose)
//	})
//	reply := svc.Handle(ctx, req)          // an mfa_req
//	id, err := svc.RecordAttempt(ctx, ev)  // a login_attempt event
//
// A Service is safe for concurrent use and keeps no state of its own
// between requests: lockouts and single-use values live in CouchDB, and
// Universal Prompt states are signed with a key every replica shares, so
// any replica can answer any request. The application should also sweep
// expired single-use records now and then (couch.ReplayGuard.Sweep).
//
// # How a request is decided
//
// Handle documents the steps. The decisions this package makes, beyond
// what KAZOO does:
//
//   - Which setting applies: Resolve merges
//     auth_modules.<module>.multi_factor field by field over the account's
//     own configs_crossbar.auth, each ancestor's (nearest first) and the
//     system default, as KAZOO's hierarchy merge does. KAZOO stops the walk
//     at the account's reseller; this module walks the whole pvt_tree (it
//     has no reliable reseller marker), so a master-level setting reaches
//     accounts below a reseller that does not override it.
//   - Where the configuration is: configuration_id in account_id's
//     database, or, with account_id unset, in the database of the account
//     whose level set configuration_id.
//   - No configuration: KAZOO falls back to its system provider and lets
//     the login through when there is none, or when the settings are
//     invalid. This module denies: no_configuration (no configuration_id,
//     or it is not found), provider_disabled, invalid_configuration
//     (invalid, or its secrets cannot be opened). A second factor that
//     was asked for is never silently skipped.
//   - Lockout (push-fatigue protection), per account, configuration and
//     Duo username: lockout.max_failures failures within window_s lock the
//     user for duration_s, checked before Duo is contacted (no pushes reach
//     a locked user). Only the user's second-factor failures count (denied,
//     fraud, timeout, wrong passcode, invalid, expired or replayed
//     response); Duo unreachable, configuration errors and locks do not.
//     A success clears the count; a redelivered request counts once.
//   - Failmode, decided only by failmode.Decide: Duo unreachable (or rate
//     limiting) during the preflight (Auth API preauth, Universal Prompt
//     health check) is authenticated with reason failed_open under safe,
//     and denied with duo_unreachable (or rate_limited) under secure. Bad
//     credentials and every failure during the second factor deny.
//   - Records: every denial, and every fail-open, is a login_attempt in
//     the MODb of the account logged into, status "failed" (a fail-open is
//     a login that went through without its second factor, and belongs in
//     the Failure Logs), with the reason code and details (Duo's status,
//     message and txid, the failure class and phase, factor, device, Duo
//     username, configuration id, provider name, the error text; never a
//     secret, passcode, response, code, state or enrollment link). Its id
//     derives from the account and Msg-ID, so a redelivery records once.
//     If the record cannot be written the reply is an error, never a
//     silent denial or grant. Successes, including Duo bypass users
//     (reason bypass), are not recorded: Duo logs them, and KAZOO's own
//     success log is crossbar's business.
//   - Requests that name no valid account are denied invalid_request and
//     not recorded: there is no account to record them in.
//
// # Prompts and the Auth API
//
// The duo provider (Web SDK v2) challenges with a sig_request signed with
// duo_expire and app_expire, and verifies the sig_response: a verified
// response is accepted once across replicas. The duo_universal provider
// challenges with Duo's authorize URL and a state bound to the account,
// configuration and Duo username, valid for Options.StateTTL and
// single-use; the client must send the state back with the code.
// "Accepted once" means once per request: each single-use value is
// claimed with the request's identity (its Msg-ID and the login it asks
// for), so the same message processed again (its reply or ack was lost,
// its replica stopped) is a retry that gets the verdict of the first
// processing, not a replay; a different request presenting the value is
// denied replayed. A Request without a MsgID has no identity: its values
// are strictly single-use. A
// Request with a Factor uses the Auth API with the configuration's
// integration key and secret key: preauth (not enrolled, locked out at
// Duo, bypass), then the factor. sms answers with a challenge (reason
// sms_sent) asking for Factor passcode with one of the texted codes. The
// factor must be among the configuration's factors; auto, with which Duo
// picks a push or a phone call, needs both.
//
// # Waiting
//
// A push, a phone call or auto waits for the user up to
// Options.PushTimeout, blocked on Duo's long poll: no lock is held, and
// each pending push costs this process its goroutines and an HTTP/2 stream
// (BenchmarkPendingPushes measures it). Run such requests on a pool of
// their own (the amqp package's slow lane does).
//
// # Metrics
//
// Options.Metrics takes the recorders of the metrics package: each Handle
// is counted once by provider, factor, outcome and reason; each call to
// Duo is timed by endpoint and outcome in one place (duocalls.go); a gauge
// counts the pushes waiting for their user; lockouts count the users
// locked and the logins refused because of a lock. Labels never hold an
// id, a username or anything the client chose freely.
//
// # Logging
//
// One structured entry per Handle (see logHandle): ids, result, reason,
// factor, attempt id, duration and the error text. Never a username, a
// passcode, a response, a code or a state.
package mfa
