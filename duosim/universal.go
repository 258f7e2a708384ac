package duosim

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// clientAssertionType is the only client_assertion_type Duo accepts.
const clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// Lifetimes of Universal Prompt artifacts.
const (
	codeLifetime    = 60 * time.Second // an authorization code
	sessionLifetime = 10 * time.Minute // a prompt waiting for an answer
	idTokenLifetime = time.Hour
)

// AddUniversalClient registers a Universal Prompt (OIDC) application,
// replacing an earlier one with the same client id. As with
// AddIntegration, Duo's key lengths are not enforced.
func (s *Server) AddUniversalClient(clientID, clientSecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[clientID] = clientSecret
}

func (s *Server) secretOf(clientID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	secret, ok := s.clients[clientID]
	return secret, ok
}

// oauthError is a refusal of the token endpoint ("error" and
// "error_description") or of the health check (FAIL 40002).
type oauthError struct {
	Code        string // invalid_client, invalid_grant, invalid_request, ...
	Description string
}

// invalidAssertion is the message_detail of every health check refused
// for its client: Duo says the same whatever was wrong (unknown client id,
// wrong secret, expired assertion), as its SDKs' tests record.
const invalidAssertion = "The provided client_assertion was invalid."

func (e *oauthError) Error() string { return "duosim: " + e.Code + ": " + e.Description }

// oauthParams reads an OAuth endpoint's parameters from the form body and
// the query; a body value wins over a query value of the same name, since
// Duo's SDKs send either.
func oauthParams(r *http.Request) (url.Values, error) {
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	if r.Body == nil {
		return params, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return nil, errors.New("unreadable body")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	for k, v := range form {
		params[k] = v
	}
	return params, nil
}

// verifyAssertion checks a client_assertion JWT: HS512 under the client
// secret, iss = sub = clientID, aud = endpoint, an unexpired exp, and a jti
// not seen before. It returns the client id.
func (s *Server) verifyAssertion(params url.Values, endpoint string) (string, error) {
	assertion := params.Get("client_assertion")
	if assertion == "" {
		return "", &oauthError{"invalid_client", "missing client_assertion"}
	}
	clientID := params.Get("client_id")
	if clientID == "" {
		clientID = unverifiedIssuer(assertion)
	}
	secret, ok := s.secretOf(clientID)
	if !ok {
		return "", &oauthError{"invalid_client", "the provided client_id is invalid"}
	}

	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(assertion, claims, hmacKey(secret),
		jwt.WithValidMethods([]string{"HS512"}), jwt.WithAudience(endpoint),
		jwt.WithIssuer(clientID), jwt.WithSubject(clientID),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.now))
	if err != nil {
		return "", &oauthError{"invalid_client", "client_assertion rejected: " + jwtReason(err)}
	}

	jti, _ := claims["jti"].(string)
	exp, _ := claims.GetExpirationTime()
	if !s.useJTI(clientID, jti, exp.Time) {
		return "", &oauthError{"invalid_client", "client_assertion replayed"}
	}
	return clientID, nil
}

// useJTI records a client assertion's jti until it expires and reports
// whether it was new. An assertion without jti is accepted.
func (s *Server) useJTI(clientID, jti string, exp time.Time) bool {
	if jti == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, until := range s.assertions {
		if now.After(until) {
			delete(s.assertions, k)
		}
	}
	key := clientID + "\x00" + jti
	if _, seen := s.assertions[key]; seen {
		return false
	}
	s.assertions[key] = exp
	return true
}

func hmacKey(secret string) jwt.Keyfunc {
	return func(*jwt.Token) (any, error) { return []byte(secret), nil }
}

// unverifiedIssuer reads a JWT's iss without checking it, to find which
// secret verifies it.
func unverifiedIssuer(token string) string {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return ""
	}
	iss, _ := claims["iss"].(string)
	return iss
}

// jwtReason names why golang-jwt refused a token, without echoing it.
func jwtReason(err error) string {
	for _, c := range []struct {
		err  error
		text string
	}{
		{jwt.ErrTokenMalformed, "malformed"},
		{jwt.ErrTokenSignatureInvalid, "bad signature or algorithm"},
		{jwt.ErrTokenUnverifiable, "unverifiable"},
		{jwt.ErrTokenExpired, "expired"},
		{jwt.ErrTokenRequiredClaimMissing, "required claim missing"},
		{jwt.ErrTokenInvalidAudience, "wrong audience"},
		{jwt.ErrTokenInvalidIssuer, "wrong issuer"},
		{jwt.ErrTokenInvalidSubject, "wrong subject"},
		{jwt.ErrTokenNotValidYet, "not valid yet"},
	} {
		if errors.Is(err, c.err) {
			return c.text
		}
	}
	return "invalid"
}

// healthCheck answers POST /oauth/v1/health_check. Like Duo, it tells its
// clock either way: response.timestamp when healthy, a top-level timestamp
// beside a refusal, whose message_detail does not say what was wrong with
// the client (the log entry's Reason does).
func (s *Server) healthCheck(w http.ResponseWriter, r *http.Request) {
	e := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Fault: faultNote(r.Context())}
	defer func() { s.record(e) }()

	params, err := oauthParams(r)
	if err != nil {
		e.Status, e.Code, e.Outcome = http.StatusBadRequest, CodeInvalidParams, "FAIL"
		writeFail(w, &apiError{http.StatusBadRequest, CodeInvalidParams, "invalid_request",
			"unreadable parameters"})
		return
	}
	e.Params, e.Integration = redact(params), params.Get("client_id")
	if params.Get("client_id") == "" {
		err = &oauthError{"invalid_client", "missing client_id"}
	} else {
		_, err = s.verifyAssertion(params, endpointURL(r, "/oauth/v1/health_check"))
	}
	var oe *oauthError
	if errors.As(err, &oe) {
		e.Status, e.Code, e.Outcome, e.Reason = http.StatusBadRequest, CodeInvalidParams,
			"FAIL", oe.Description
		writeJSON(w, http.StatusBadRequest, failEnvelope{Stat: "FAIL", Code: CodeInvalidParams,
			Message: oe.Code, MessageDetail: invalidAssertion, Timestamp: s.now().Unix()})
		return
	}
	e.Status, e.Outcome = http.StatusOK, "ok"
	writeOK(w, map[string]int64{"timestamp": s.now().Unix()})
}

// endpointURL is the https URL of path on the host the request addressed:
// the audience Duo expects in assertions.
func endpointURL(r *http.Request, path string) string {
	return "https://" + strings.ToLower(r.Host) + path
}

type tokenReply struct {
	IDToken     string `json:"id_token"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	TokenType   string `json:"token_type"`
}

// token answers POST /oauth/v1/token: it exchanges a single-use code for
// an id_token describing the prompt's result.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	e := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Fault: faultNote(r.Context())}
	defer func() { s.record(e) }()

	out, err := s.exchange(r, &e)
	var oe *oauthError
	if errors.As(err, &oe) {
		e.Status, e.Outcome, e.Reason = http.StatusBadRequest, oe.Code, oe.Description
		writeJSON(w, http.StatusBadRequest, map[string]string{
			"error": oe.Code, "error_description": oe.Description})
		return
	}
	if err != nil {
		e.Status, e.Outcome = http.StatusInternalServerError, "FAIL"
		writeJSON(w, http.StatusInternalServerError, map[string]string{
			"error": "server_error", "error_description": "issuing token failed"})
		return
	}
	e.Status, e.Outcome = http.StatusOK, "token"
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) exchange(r *http.Request, e *Request) (tokenReply, error) {
	params, err := oauthParams(r)
	if err != nil {
		return tokenReply{}, &oauthError{"invalid_request", "unreadable parameters"}
	}
	e.Params = redact(params)
	switch {
	case params.Get("grant_type") != "authorization_code":
		return tokenReply{}, &oauthError{"unsupported_grant_type",
			"grant_type must be authorization_code"}
	case params.Get("client_assertion_type") != clientAssertionType:
		return tokenReply{}, &oauthError{"invalid_client", "unsupported client_assertion_type"}
	case params.Get("code") == "":
		return tokenReply{}, &oauthError{"invalid_grant", "missing code"}
	}
	issuer := endpointURL(r, "/oauth/v1/token")
	clientID, err := s.verifyAssertion(params, issuer)
	e.Integration = clientID
	if err != nil {
		return tokenReply{}, err
	}

	s.mu.Lock()
	ac, ok := s.codes[params.Get("code")]
	if ok && ac.clientID == clientID {
		delete(s.codes, params.Get("code")) // single use, even if refused below
	}
	s.mu.Unlock()
	switch {
	case !ok || ac.clientID != clientID:
		return tokenReply{}, &oauthError{"invalid_grant", "unknown or used code"}
	case !s.now().Before(ac.expires):
		return tokenReply{}, &oauthError{"invalid_grant", "code expired"}
	case params.Get("redirect_uri") != ac.redirectURI:
		return tokenReply{}, &oauthError{"invalid_grant", "redirect_uri does not match"}
	}

	secret, _ := s.secretOf(clientID)
	idToken, err := s.idToken(ac, issuer, secret)
	if err != nil {
		return tokenReply{}, fmt.Errorf("signing id_token: %w", err)
	}
	return tokenReply{IDToken: idToken, AccessToken: randomID(32),
		ExpiresIn: int64(idTokenLifetime / time.Second), TokenType: "Bearer"}, nil
}
