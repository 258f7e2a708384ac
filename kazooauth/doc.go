// Package kazooauth verifies KAZOO crossbar auth tokens (the
// X-Auth-Token header), authorizes the identities they carry against a
// target account, and mints tokens the way KAZOO mints them.
//
// # Tokens
//
// A crossbar token is a JWT signed with RS256 (RS384 and RS512 are also
// accepted) under the RSA key stored as attachment private_key.pem of
// document system_auth/{kid}. Its claims are account_id, owner_id (absent
// for API-key tokens), method, exp (Unix seconds), iss "kazoo",
// identity_sig and, for a user switch, original_account_id and
// original_owner_id.
//
// Verify checks, in KAZOO's order: the header (alg, typ JWT, kid), the
// signature, exp, and the identity signature:
//
//	identity_sig = base64url(HMAC-SHA256(identitySecret ++ systemSecret, identity))
//
// where identity is owner_id (account_id when there is no owner),
// identitySecret is pvt_signature_secret of that user (or account) doc
// and systemSecret is secret_for_user_signature of system_config/auth.
// Changing a user's pvt_signature_secret or deleting the user revokes
// every token of that user.
//
// The package is stricter than KAZOO where KAZOO is lax: tokens without
// exp are refused unless VerifierOptions.AllowNoExpiry is set, tokens
// without identity_sig are refused, and a user or account doc without a
// signature secret is never given a new one (the Verifier only reads).
//
// # Keys
//
// Public keys are derived from the stored private PEM and cached by kid
// (see VerifierOptions). An unknown kid causes one store read, shared by
// concurrent callers; misses are remembered and reads for uncached kids
// are rate limited, so invented kids cannot hammer CouchDB. The limit
// spares the kid system_config/auth names as current and kids that have
// had a key, so a flood cannot lock out real tokens. A kid CouchDB
// reserves (starting with '_') is an unknown key without a read.
//
// # Authorization
//
// Authorize applies KAZOO's account rules: an account acts on itself and
// its descendants, the master account's admins act everywhere, writes need
// priv_level admin, and tokens without an owner count as admins of their
// account (as KAZOO treats API keys). The master account is the one whose
// account doc holds pvt_tree as an empty list; a doc without a pvt_tree
// list is never the master: its tokens are refused, and as a target it
// is forbidden.
//
// # Errors
//
// Every error from Verify and Authorize is an *Error carrying one of the
// sentinel kinds listed in errors.go, a client-safe Reason and an HTTP
// status. No error text contains a token or a secret.
//
// Package couch implements Store over CouchDB; package kazooauthtest
// helps tests and the demo seed create keys.
package kazooauth
