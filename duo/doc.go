// Package duo is the root of the Duo Security client packages. It holds no
// code of its own; each protocol lives in a subpackage:
//
//   - duo/websdk: Duo Web SDK v2 (the "traditional prompt"), the signed
//     sig_request / sig_response exchange used by the iframe prompt, and its
//     enrollment variant.
//   - duo/universal: the Universal Prompt (Web SDK v4), an OpenID Connect
//     client: health check, authorize URL, code exchange and id_token
//     validation, plus a stateless state codec and the ReplayGuard contract
//     that makes each state single-use across replicas.
//   - duo/authapi: Auth API v2 (preauth, push, SMS, phone, passcode).
//   - duo/failmode: the single place deciding whether a failure to reach
//     or use Duo allows the login (fail open, "safe") or denies it (fail
//     closed, "secure"), and the failure classes all clients report.
//
// These packages know nothing of KAZOO: they speak Duo's protocols and take
// keys, usernames and clocks as plain parameters. Mapping accounts, users
// and provider documents onto them is the job of the mfa package.
//
// None of them contacts a host other than the one configured, and none puts
// a secret (skey, akey, client secret, codes, tokens) in an error text.
package duo
