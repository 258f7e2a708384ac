package universal

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Exchange trades the duo_code from the callback for Duo's verdict on
// username: it posts the code to the token endpoint with a client assertion
// and validates the returned id_token (see ValidateIDToken).
//
// A nil error means Duo's answer was verified; the login may proceed only if
// Result.Allowed. Errors match ErrInvalidInput (empty code or username),
// ErrUnreachable, ErrRejected (*DuoError: invalid_grant for a bad or used
// code, invalid_client for bad credentials) or ErrInvalidToken.
func (c *Client) Exchange(ctx context.Context, code, username string) (*Result, error) {
	return c.ExchangeNonce(ctx, code, username, "")
}

// ExchangeNonce is Exchange for a flow started with AuthorizeURLNonce: the
// id_token must carry nonce.
func (c *Client) ExchangeNonce(ctx context.Context, code, username,
	nonce string) (*Result, error) {
	if code == "" || username == "" {
		return nil, fmt.Errorf("exchanging code: %w: empty code or username", ErrInvalidInput)
	}
	endpoint := c.base + tokenPath
	assertion, err := c.clientAssertion(endpoint)
	if err != nil {
		return nil, fmt.Errorf("exchanging code: %w", err)
	}
	form := url.Values{
		"grant_type":            {"authorization_code"},
		"code":                  {code},
		"redirect_uri":          {c.redirect},
		"client_id":             {c.clientID},
		"client_assertion_type": {clientAssertionType},
		"client_assertion":      {assertion},
	}

	var reply struct {
		envelope
		IDToken     string `json:"id_token"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	if err := c.post(ctx, endpoint, form, &reply); err != nil {
		return nil, fmt.Errorf("exchanging code: %w", err)
	}
	if reply.Stat == "FAIL" || reply.OAuthError != "" {
		err := redact(reply.duoError(http.StatusOK), form)
		return nil, fmt.Errorf("exchanging code: %w", err)
	}
	if reply.IDToken == "" {
		return nil, fmt.Errorf("exchanging code: %w: reply without id_token", ErrUnreachable)
	}

	res, err := c.ValidateIDToken(reply.IDToken, username, nonce)
	if err != nil {
		return nil, fmt.Errorf("exchanging code: %w", err)
	}
	return res, nil
}
