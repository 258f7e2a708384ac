package duosim

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// promptSession is an authorize request waiting for an answer on the
// prompt page (Manual users), or being answered.
type promptSession struct {
	id          string
	clientID    string
	redirectURI string
	state       string
	username    string
	nonce       string
	duoCode     bool // use_duo_code_attribute: answer with duo_code, not code
	ip          string
	userAgent   string
	expires     time.Time
}

// authCode is an issued authorization code and what the id_token will say.
type authCode struct {
	clientID    string
	redirectURI string
	username    string
	nonce       string
	result      promptResult
	txid        string
	device      string
	ip          string
	userAgent   string
	issued      time.Time
	expires     time.Time
}

// promptResult is the outcome of a prompt, in id_token vocabulary.
type promptResult struct {
	Result    string // auth_result.result: allow or deny
	Status    string // auth_result.status
	StatusMsg string
	Context   string // auth_context.result: success or denied
	Reason    string // auth_context.reason
	Factor    string // auth_context.factor
}

var (
	prApproved = promptResult{"allow", "allow", "Login Successful", "success",
		"user_approved", "duo_push"}
	prBypass = promptResult{"allow", "allow", "Login Successful", "success",
		"bypass_user", "not_available"}
	prCancelled = promptResult{"deny", "deny", "Login denied", "denied",
		"user_cancelled", "duo_push"}
	prFraud = promptResult{"deny", "deny", "Login denied", "denied",
		"user_marked_fraud", "duo_push"}
	prNoResponse = promptResult{"deny", "deny", "Login timed out", "denied",
		"no_response", "duo_push"}
	prLocked = promptResult{"deny", "deny", "Login denied", "denied",
		"locked_out", "not_available"}
	prUnenrolled = promptResult{"deny", "deny", "Login denied", "denied",
		"deny_unenrolled_user", "not_available"}
)

// automaticResult is what the scripted behavior answers on its own; ok is
// false for Manual, whose prompt waits for a button.
func automaticResult(b Behavior) (promptResult, bool) {
	switch b {
	case Approve, ApproveAfter:
		return prApproved, true
	case Bypass:
		return prBypass, true
	case Deny:
		return prCancelled, true
	case Fraud:
		return prFraud, true
	case Timeout:
		return prNoResponse, true
	case LockedOut:
		return prLocked, true
	case NotEnrolled:
		return prUnenrolled, true
	}
	return promptResult{}, false
}

// answeredResult is the outcome of a button ("approve", "deny", "fraud")
// pressed for a user of behavior b; users Duo refuses stay refused.
func answeredResult(b Behavior, action string) (promptResult, bool) {
	switch b {
	case Bypass, LockedOut, NotEnrolled:
		return automaticResult(b)
	}
	switch action {
	case "approve":
		return prApproved, true
	case "deny":
		return prCancelled, true
	case "fraud":
		return prFraud, true
	}
	return promptResult{}, false
}

// authorize answers GET /oauth/v1/authorize. It validates the request
// JWT; then a Manual user gets the prompt page, any other user waits Delay
// and is redirected to redirect_uri with state and duo_code.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	e := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Fault: faultNote(r.Context())}
	defer func() { s.record(e) }()

	q := r.URL.Query()
	e.Params, e.Integration = redact(q), q.Get("client_id")
	ps, err := s.readAuthorize(r, q)
	if err != nil {
		e.Status, e.Outcome = http.StatusBadRequest, "FAIL"
		renderError(w, http.StatusBadRequest, err.Error())
		return
	}

	s.mu.Lock()
	st := s.lookupLocked(ps.username)
	b, delay := st.Behavior, st.Delay
	s.mu.Unlock()
	res, auto := automaticResult(b)
	if !auto {
		s.mu.Lock()
		for id, old := range s.sessions {
			if !s.now().Before(old.expires) {
				delete(s.sessions, id)
			}
		}
		s.sessions[ps.id] = ps
		s.mu.Unlock()
		e.Status, e.Outcome = http.StatusOK, "prompt"
		renderPrompt(w, promptPage{Title: "Duo Universal Prompt (simulated)",
			Username: ps.username, Action: "/oauth/v1/authorize", Session: ps.id})
		return
	}
	if b.enrolled() && !s.sleep(r.Context(), delay) {
		e.Outcome = "abandoned"
		return
	}
	e.Status, e.Outcome = http.StatusFound, "redirect"
	http.Redirect(w, r, s.finishPrompt(ps, res), http.StatusFound)
}

// authorizeAnswer answers POST /oauth/v1/authorize: a button of the prompt
// page, form fields "session" and "action" (approve, deny or fraud).
func (s *Server) authorizeAnswer(w http.ResponseWriter, r *http.Request) {
	e := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Fault: faultNote(r.Context())}
	defer func() { s.record(e) }()

	params, err := oauthParams(r)
	if err != nil {
		e.Status, e.Outcome = http.StatusBadRequest, "FAIL"
		renderError(w, http.StatusBadRequest, "unreadable form")
		return
	}
	e.Params = redact(params)
	s.mu.Lock()
	ps, ok := s.sessions[params.Get("session")]
	delete(s.sessions, params.Get("session"))
	var b Behavior
	if ok {
		b = s.lookupLocked(ps.username).Behavior
	}
	s.mu.Unlock()
	if !ok || !s.now().Before(ps.expires) {
		e.Status, e.Outcome = http.StatusBadRequest, "FAIL"
		renderError(w, http.StatusBadRequest, "unknown or expired prompt session")
		return
	}
	e.Integration = ps.clientID
	res, ok := answeredResult(b, params.Get("action"))
	if !ok {
		e.Status, e.Outcome = http.StatusBadRequest, "FAIL"
		renderError(w, http.StatusBadRequest, "action must be approve, deny or fraud")
		return
	}
	e.Status, e.Outcome = http.StatusFound, "redirect"
	http.Redirect(w, r, s.finishPrompt(ps, res), http.StatusFound)
}

// readAuthorize validates an authorize request and returns its session.
func (s *Server) readAuthorize(r *http.Request, q url.Values) (*promptSession, error) {
	clientID := q.Get("client_id")
	secret, ok := s.secretOf(clientID)
	switch {
	case q.Get("response_type") != "code":
		return nil, &oauthError{"unsupported_response_type", "response_type must be code"}
	case !ok:
		return nil, &oauthError{"invalid_client", "the provided client_id is invalid"}
	case q.Get("request") == "":
		return nil, &oauthError{"invalid_request", "missing request"}
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(q.Get("request"), claims, hmacKey(secret),
		jwt.WithValidMethods([]string{"HS512"}), jwt.WithAudience(endpointURL(r, "")),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.now))
	if err != nil {
		return nil, &oauthError{"invalid_request", "request rejected: " + jwtReason(err)}
	}

	str := func(name string) string { v, _ := claims[name].(string); return v }
	ps := &promptSession{id: randomID(32), clientID: clientID,
		redirectURI: str("redirect_uri"), state: str("state"), username: str("duo_uname"),
		nonce: str("nonce"), ip: remoteIP(r), userAgent: r.UserAgent(),
		expires: s.now().Add(sessionLifetime)}
	ps.duoCode, _ = claims["use_duo_code_attribute"].(bool)
	switch {
	case str("client_id") != clientID:
		return nil, &oauthError{"invalid_request", "client_id claim does not match"}
	case str("response_type") != "code":
		return nil, &oauthError{"invalid_request", "response_type claim must be code"}
	case !strings.Contains(" "+str("scope")+" ", " openid "):
		return nil, &oauthError{"invalid_request", "scope must include openid"}
	case !validRedirect(ps.redirectURI):
		return nil, &oauthError{"invalid_request", "redirect_uri must be an https URL"}
	case len(ps.state) < 22 || len(ps.state) > 1024:
		return nil, &oauthError{"invalid_request", "state must be 22 to 1024 characters"}
	case ps.username == "":
		return nil, &oauthError{"invalid_request", "missing duo_uname"}
	}
	return ps, nil
}

// validRedirect accepts absolute https URLs, and http ones on loopback
// hosts for local demos.
func validRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Fragment != "" {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	return u.Scheme == "http" && (host == "localhost" || ip != nil && ip.IsLoopback())
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// finishPrompt issues the code for a session's result and returns the
// callback URL carrying it and the state.
func (s *Server) finishPrompt(ps *promptSession, res promptResult) string {
	now := s.now()
	code := randomID(32)
	s.mu.Lock()
	st := s.lookupLocked(ps.username)
	device := ""
	if len(st.Devices) > 0 && st.Behavior.enrolled() {
		device = st.Devices[0].Name
	}
	for k, c := range s.codes {
		if !now.Before(c.expires) {
			delete(s.codes, k)
		}
	}
	s.codes[code] = &authCode{clientID: ps.clientID, redirectURI: ps.redirectURI,
		username: ps.username, nonce: ps.nonce, result: res, txid: txID(), device: device,
		ip: ps.ip, userAgent: ps.userAgent, issued: now, expires: now.Add(codeLifetime)}
	s.mu.Unlock()

	u, _ := url.Parse(ps.redirectURI) // validated by readAuthorize
	q := u.Query()
	q.Set("state", ps.state)
	if ps.duoCode {
		q.Set("duo_code", code)
	} else {
		q.Set("code", code)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// idToken signs the id_token for an exchanged code.
func (s *Server) idToken(ac *authCode, issuer, secret string) (string, error) {
	now := s.now()
	browser, osName := describeAgent(ac.userAgent)
	claims := jwt.MapClaims{
		"iss":                issuer,
		"aud":                ac.clientID,
		"sub":                ac.username,
		"preferred_username": ac.username,
		"iat":                now.Unix(),
		"exp":                now.Add(idTokenLifetime).Unix(),
		"auth_time":          ac.issued.Unix(),
		"jti":                randomID(32),
		"auth_result": map[string]string{
			"result": ac.result.Result, "status": ac.result.Status,
			"status_msg": ac.result.StatusMsg,
		},
		"auth_context": map[string]any{
			"event_type": "authentication",
			"factor":     ac.result.Factor,
			"result":     ac.result.Context,
			"reason":     ac.result.Reason,
			"access_device": map[string]any{
				"ip": ac.ip, "browser": browser, "os": osName,
				"location": map[string]string{"city": "", "state": "", "country": ""},
			},
			"auth_device":  map[string]string{"name": ac.device, "ip": ""},
			"application":  map[string]string{"key": ac.clientID, "name": "duosim"},
			"txid":         ac.txid,
			"timestamp":    ac.issued.Unix(),
			"isotimestamp": ac.issued.UTC().Format(time.RFC3339),
			"user": map[string]any{"name": ac.username, "key": userKey(ac.username),
				"groups": []string{}},
		},
	}
	if ac.nonce != "" {
		claims["nonce"] = ac.nonce
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS512, claims).SignedString([]byte(secret))
}

// agentNames maps User-Agent tokens to names, most specific first.
var (
	browserNames = [][2]string{{"Edg/", "Edge"}, {"Firefox/", "Firefox"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}}
	osNames = [][2]string{{"Windows", "Windows"}, {"Android", "Android"},
		{"iPhone", "iOS"}, {"Mac OS X", "Mac OS X"}, {"Linux", "Linux"}}
)

// describeAgent guesses browser and OS names from a User-Agent header;
// unknown ones are "".
func describeAgent(ua string) (browser, osName string) {
	return firstMatch(ua, browserNames), firstMatch(ua, osNames)
}

func firstMatch(ua string, table [][2]string) string {
	for _, t := range table {
		if strings.Contains(ua, t[0]) {
			return t[1]
		}
	}
	return ""
}
