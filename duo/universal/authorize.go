package universal

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"

	"github.com/golang-jwt/jwt/v5"
)

// stateBytes random bytes make a 36-character URL-safe state.
const stateBytes = 27

// NewState returns a fresh random state: 36 URL-safe base64 characters
// (216 bits), within Duo's 22..1024. StateCodec.Issue makes states that
// any replica can check; NewState suits callers that keep the state
// server-side themselves.
func NewState() (string, error) {
	var b [stateBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generating state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// AuthorizeURL returns the address to redirect the browser to so that
// username authenticates with Duo's Universal Prompt. state comes back on
// the callback and must be checked there (see StateCodec and ReplayGuard).
// An empty username or a state outside 22..1024 characters is
// ErrInvalidInput. The request JWT expires 300 s after Config.Now.
func (c *Client) AuthorizeURL(username, state string) (string, error) {
	return c.AuthorizeURLNonce(username, state, "")
}

// AuthorizeURLNonce is AuthorizeURL with an OpenID nonce; Duo copies it
// into the id_token, and ExchangeNonce checks it. An empty nonce is omitted.
func (c *Client) AuthorizeURLNonce(username, state, nonce string) (string, error) {
	if username == "" {
		return "", fmt.Errorf("authorize url: %w: empty username", ErrInvalidInput)
	}
	if len(state) < MinStateLen || len(state) > MaxStateLen {
		return "", fmt.Errorf("authorize url: %w: state must be %d..%d characters",
			ErrInvalidInput, MinStateLen, MaxStateLen)
	}

	claims := jwt.MapClaims{
		"scope":                  "openid",
		"redirect_uri":           c.redirect,
		"client_id":              c.clientID,
		"iss":                    c.clientID,
		"aud":                    c.base,
		"exp":                    c.now().Add(assertionLifetime).Unix(),
		"state":                  state,
		"response_type":          "code",
		"duo_uname":              username,
		"use_duo_code_attribute": true,
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	request, err := c.sign(claims)
	if err != nil {
		return "", fmt.Errorf("authorize url: %w", err)
	}

	q := url.Values{
		"response_type": {"code"},
		"client_id":     {c.clientID},
		"request":       {request},
	}
	return c.base + authorizePath + "?" + q.Encode(), nil
}
