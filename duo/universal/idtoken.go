package universal

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Leeway is the clock skew tolerated on exp, iat and nbf.
const Leeway = 60 * time.Second

// idClaims are the id_token claims this package reads.
type idClaims struct {
	jwt.RegisteredClaims
	PreferredUsername string `json:"preferred_username"`
	Nonce             string `json:"nonce"`
	AuthResult        struct {
		Result    string `json:"result"`
		Status    string `json:"status"`
		StatusMsg string `json:"status_msg"`
	} `json:"auth_result"`
	AuthContext struct {
		Factor       string       `json:"factor"`
		Result       string       `json:"result"`
		Reason       string       `json:"reason"`
		TxID         string       `json:"txid"`
		Timestamp    int64        `json:"timestamp"`
		AccessDevice AccessDevice `json:"access_device"`
		AuthDevice   AuthDevice   `json:"auth_device"`
		User         struct {
			Name string `json:"name"`
			Key  string `json:"key"`
		} `json:"user"`
	} `json:"auth_context"`
}

// errAlgorithm is returned by the key function for a non-HS512 token.
var errAlgorithm = errors.New("algorithm not accepted")

// ValidateIDToken validates an id_token from Duo's token endpoint for
// username and returns Duo's result. It accepts HS512 only, signed with the
// client secret; requires iss = https://{host}/oauth/v1/token, aud = exactly
// the client id, preferred_username = username, exp and iat present and
// valid at Config.Now within Leeway (nbf too when present), and
// nonce = the given nonce unless that is empty. Every failure matches
// ErrInvalidToken and one ErrToken* cause. It never panics.
func (c *Client) ValidateIDToken(idToken, username, nonce string) (*Result, error) {
	parser := jwt.NewParser(
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(c.now),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(c.base+tokenPath),
	)
	var claims idClaims
	_, err := parser.ParseWithClaims(idToken, &claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodHS512 {
			return nil, errAlgorithm
		}
		return c.secret, nil
	})
	if err != nil {
		return nil, fmt.Errorf("validating id_token: %w", tokenCause(err))
	}

	switch {
	case claims.IssuedAt == nil:
		return nil, fmt.Errorf("validating id_token: %w: no iat", ErrTokenMalformed)
	case len(claims.Audience) != 1 || claims.Audience[0] != c.clientID:
		return nil, fmt.Errorf("validating id_token: %w", ErrTokenAudience)
	case claims.PreferredUsername != username || username == "":
		return nil, fmt.Errorf("validating id_token: %w", ErrTokenUser)
	case nonce != "" && !hmac.Equal([]byte(claims.Nonce), []byte(nonce)):
		return nil, fmt.Errorf("validating id_token: %w", ErrTokenNonce)
	}
	return claims.result(), nil
}

// tokenCause maps a golang-jwt error to this package's cause. Algorithm
// and shape come first: they are decided before the signature is checked.
func tokenCause(err error) error {
	switch {
	case errors.Is(err, errAlgorithm):
		return ErrTokenAlgorithm
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return ErrTokenAlgorithm // alg missing or unknown to the library
	case errors.Is(err, jwt.ErrTokenMalformed):
		return ErrTokenMalformed
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return ErrTokenSignature
	case errors.Is(err, jwt.ErrTokenExpired):
		return ErrTokenExpired
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued), errors.Is(err, jwt.ErrTokenNotValidYet):
		return ErrTokenNotYetValid
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return ErrTokenIssuer
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return ErrTokenAudience
	}
	return ErrTokenMalformed // missing exp, claim of the wrong type
}

func (cl *idClaims) result() *Result {
	ctx := &cl.AuthContext
	r := &Result{
		Allowed: cl.AuthResult.Result == "allow" &&
			(ctx.Result == "" || ctx.Result == "success"),
		Status:       cl.AuthResult.Status,
		StatusMsg:    cl.AuthResult.StatusMsg,
		Factor:       ctx.Factor,
		Reason:       ctx.Reason,
		TxID:         ctx.TxID,
		Username:     cl.PreferredUsername,
		UserKey:      ctx.User.Key,
		AccessDevice: ctx.AccessDevice,
		AuthDevice:   ctx.AuthDevice,
	}
	if ctx.Timestamp > 0 {
		r.Timestamp = time.Unix(ctx.Timestamp, 0)
	}
	return r
}
