// Package universal is a client for Duo's Universal Prompt (Web SDK v4), an
// OpenID Connect flow in which the browser is redirected to Duo and back.
//
// A login goes:
//
//  1. Before asking for the second factor, optionally HealthCheck: an
//     error matching ErrUnreachable is the "Duo is down" case that a
//     failmode may let through (see duo/failmode and Classify).
//     CheckHealth also returns Duo's clock, even beside a refusal, to
//     tell a clock off Duo's (Duo refuses expired client assertions, and
//     the id_token check allows 60 s) from bad credentials.
//  2. Issue a state bound to the user with a StateCodec, and redirect the
//     browser to AuthorizeURLNonce(username, state, claims.ID).
//  3. On the callback (GET redirect_uri?state=...&duo_code=...), Redeem the
//     state with a ReplayGuard shared by all replicas: any replica can
//     check it, and only once.
//  4. ExchangeNonce the duo_code for the user's Result. The id_token is
//     validated strictly (HS512 only, issuer, audience, user, expiry with
//     60 s leeway, nonce); let the user in only when Result.Allowed.
//
// All JWTs are HS512, signed with the client secret. The Client speaks to
// https://APIHost only, never follows redirects, and puts neither the client
// secret, nor a code, a token or a state in any error text.
//
// The prompt must not be framed; redirect the top-level window.
package universal
