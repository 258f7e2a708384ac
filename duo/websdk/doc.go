// Package websdk implements Duo Web SDK v2, the "traditional" iframe prompt
// that stock KAZOO's duo provider uses.
//
// The application signs a request for a user with [SignRequest] and hands
// the result (sig_request) to Duo's JavaScript, which loads the prompt from
// the TX part (see [AuthFrameURL]). After the user approves, the browser
// posts back a sig_response, an AUTH value signed by Duo with the secret key
// followed by the application's own APP value; [VerifyResponse] checks both
// signatures, the integration key, the expiry and that both name the same
// user, and returns that user. [SignEnrollRequest] and
// [VerifyEnrollResponse] are the enrollment-only variant.
//
// A signed value has the form
//
//	PREFIX|base64(username|ikey|expiry)|hex(HMAC-SHA1(key, PREFIX|base64(...)))
//
// with standard padded base64, the expiry in Unix seconds and the HMAC in
// lowercase hex. The output is byte-for-byte what Duo's own SDKs produce, and
// the tests check Duo's published reference vectors.
//
// Every function takes the current time as a parameter, so callers (and
// tests) own the clock. No function panics on any input; every rejection is
// one of the sentinel errors in errors.go, so callers branch with errors.Is.
// Error texts never contain a key, a signature or a username.
//
// Duo has deprecated Web SDK v2 in favour of the Universal Prompt (see
// duo/universal); this package exists for deployments still using it.
package websdk
