package duosim

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// reply is a successful Auth API answer; outcome is its log summary.
type reply interface{ outcome() string }

// apiCall is a parsed (and, for signed endpoints, verified) request.
type apiCall struct {
	req    *apiRequest
	params url.Values
	ikey   string // verified integration key; "" for unsigned endpoints
}

type apiFunc func(ctx context.Context, c *apiCall) (reply, error)

// errUnavailable answers a request abandoned because the server is closing.
var errUnavailable = &apiError{http.StatusServiceUnavailable, 50300,
	"Service Unavailable", "simulator closing"}

// authAPI adapts an Auth API handler: it parses the request, verifies the
// signature when signed, runs fn, writes Duo's envelope and logs one entry.
func (s *Server) authAPI(signed bool, fn apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path,
			Fault: faultNote(r.Context())}
		out, err := s.runAPI(r, signed, fn, &e)

		var ae *apiError
		switch {
		case err == nil:
			e.Status, e.Outcome = http.StatusOK, out.outcome()
			writeOK(w, out)
		case errors.As(err, &ae):
			e.Status, e.Code, e.Outcome = ae.Status, ae.Code, "FAIL"
			writeFail(w, ae)
		default:
			ae = &apiError{http.StatusInternalServerError, 50000, "Internal server error", ""}
			e.Status, e.Code, e.Outcome = ae.Status, ae.Code, "FAIL"
			writeFail(w, ae)
		}
		s.record(e)
	})
}

func (s *Server) runAPI(r *http.Request, signed bool, fn apiFunc, e *Request) (reply, error) {
	p, aerr := parseAPIRequest(r)
	if aerr != nil {
		return nil, aerr
	}
	e.Params = redact(p.Params)
	c := &apiCall{req: p, params: p.Params}
	if signed {
		ikey, aerr := verifySignature(p, r.Header, s.skeyOf, s.now(), s.opts.MaxSkew)
		if aerr != nil {
			e.Integration = peekIntegration(r)
			return nil, aerr
		}
		c.ikey, e.Integration = ikey, ikey
	}
	return fn(r.Context(), c)
}

// AddIntegration registers an Auth API / Web SDK application with its
// integration key and secret key, replacing an earlier one with the same
// ikey. The simulator does not insist on Duo's key lengths (20 and 40) so
// that tests can probe clients' own checks; real keys have them.
func (s *Server) AddIntegration(ikey, skey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.integrations[ikey] = skey
}

func (s *Server) skeyOf(ikey string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	skey, ok := s.integrations[ikey]
	return skey, ok
}

type timeReply struct {
	Time int64 `json:"time"`
}

func (timeReply) outcome() string { return "ok" }

func (s *Server) ping(_ context.Context, _ *apiCall) (reply, error) {
	return timeReply{Time: s.now().Unix()}, nil
}

func (s *Server) check(_ context.Context, _ *apiCall) (reply, error) {
	return timeReply{Time: s.now().Unix()}, nil
}

type preauthReply struct {
	Result          string   `json:"result"`
	StatusMsg       string   `json:"status_msg"`
	Devices         []Device `json:"devices,omitempty"`
	EnrollPortalURL string   `json:"enroll_portal_url,omitempty"`
}

func (p preauthReply) outcome() string { return p.Result }

// username reads the user a request names: username, or user_id (Duo's
// user key) of a scripted user. Exactly one must be given.
func (s *Server) username(p url.Values) (string, error) {
	name, id := p.Get("username"), p.Get("user_id")
	switch {
	case name == "" && id == "":
		return "", errMissingParam("username")
	case name != "" && id != "":
		return "", errInvalidParam("username and user_id both given")
	case name != "":
		return name, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for n := range s.users {
		if userKey(n) == id {
			return n, nil
		}
	}
	return "", errInvalidParam("user_id")
}

func checkIP(p url.Values) error {
	if ip := p.Get("ipaddr"); ip != "" && net.ParseIP(ip) == nil {
		return errInvalidParam("ipaddr")
	}
	return nil
}

func (s *Server) preauth(_ context.Context, c *apiCall) (reply, error) {
	name, err := s.username(c.params)
	if err != nil {
		return nil, err
	}
	if err := checkIP(c.params); err != nil {
		return nil, err
	}

	s.mu.Lock()
	st := s.lookupLocked(name)
	b, devices := st.Behavior, append([]Device(nil), st.Devices...)
	s.mu.Unlock()

	switch b {
	case Bypass:
		return preauthReply{Result: "allow", StatusMsg: "Allowing bypass user."}, nil
	case LockedOut:
		return preauthReply{Result: "deny", StatusMsg: "Your account is locked out."}, nil
	case NotEnrolled:
		portal := "https://" + c.req.Host + "/portal?code=" + randomID(16)
		return preauthReply{Result: "enroll",
			StatusMsg:       "Enroll an authentication device to proceed",
			EnrollPortalURL: portal}, nil
	}
	return preauthReply{Result: "auth", StatusMsg: "Account is active", Devices: devices}, nil
}

type txidReply struct {
	Txid string `json:"txid"`
}

func (txidReply) outcome() string { return "txid" }

type verdictReply verdict

func (v verdictReply) outcome() string { return verdict(v).outcome() }

func (s *Server) auth(ctx context.Context, c *apiCall) (reply, error) {
	factor := c.params.Get("factor")
	if factor == "" {
		return nil, errMissingParam("factor")
	}
	name, err := s.username(c.params)
	if err != nil {
		return nil, err
	}
	if err := checkIP(c.params); err != nil {
		return nil, err
	}
	async := isTrue(c.params.Get("async"))

	s.mu.Lock()
	st := s.lookupLocked(name)
	pl, aerr := s.planAuthLocked(st, factor, c.params)
	if aerr != nil {
		s.mu.Unlock()
		return nil, aerr
	}
	tx := s.startTxLocked(name, c.ikey, pl)
	s.mu.Unlock()

	if async {
		return txidReply{Txid: tx.id}, nil
	}
	if !s.wait(ctx, tx, 0) {
		return nil, errUnavailable
	}
	return verdictReply(tx.final), nil
}

func isTrue(v string) bool {
	b, err := strconv.ParseBool(v)
	return err == nil && b
}

// waitingMsg is the status_msg of a pending transaction.
var waitingMsg = map[string]string{
	"pushed":  "Pushed a login request to your device...",
	"calling": "Calling your phone...",
}

func (s *Server) authStatus(ctx context.Context, c *apiCall) (reply, error) {
	id := c.params.Get("txid")
	if id == "" {
		return nil, errMissingParam("txid")
	}
	s.mu.Lock()
	tx, ok := s.txs[id]
	if !ok || tx.ikey != c.ikey {
		s.mu.Unlock()
		return nil, errInvalidParam("txid")
	}
	first := !tx.polled
	tx.polled = true
	s.mu.Unlock()

	// Like Duo, report the interim status once at once, then hold later
	// polls until the answer comes or the hold lapses.
	if !first {
		s.wait(ctx, tx, s.opts.StatusHold)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if tx.resolved {
		return verdictReply(tx.final), nil
	}
	return verdictReply{Result: "waiting", Status: tx.interim,
		StatusMsg: waitingMsg[tx.interim]}, nil
}

// knownPaths maps every served path to its methods, for Duo-style 404 and
// 405 answers.
var knownPaths = map[string]string{
	"/auth/v2/ping":          "GET",
	"/auth/v2/check":         "GET",
	"/auth/v2/preauth":       "POST",
	"/auth/v2/auth":          "POST",
	"/auth/v2/auth_status":   "GET",
	"/auth/v2/enroll":        "POST",
	"/auth/v2/enroll_status": "POST",
	"/oauth/v1/health_check": "POST",
	"/oauth/v1/authorize":    "GET POST",
	"/oauth/v1/token":        "POST",
	"/frame/web/v1/auth":     "GET POST",
}

// routes builds the simulator's endpoint table.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /auth/v2/ping", s.authAPI(false, s.ping))
	mux.Handle("GET /auth/v2/check", s.authAPI(true, s.check))
	mux.Handle("POST /auth/v2/preauth", s.authAPI(true, s.preauth))
	mux.Handle("POST /auth/v2/auth", s.authAPI(true, s.auth))
	mux.Handle("GET /auth/v2/auth_status", s.authAPI(true, s.authStatus))
	mux.Handle("POST /auth/v2/enroll", s.authAPI(true, s.enroll))
	mux.Handle("POST /auth/v2/enroll_status", s.authAPI(true, s.enrollStatus))
	mux.Handle("POST /oauth/v1/health_check", http.HandlerFunc(s.healthCheck))
	mux.Handle("GET /oauth/v1/authorize", http.HandlerFunc(s.authorize))
	mux.Handle("POST /oauth/v1/authorize", http.HandlerFunc(s.authorizeAnswer))
	mux.Handle("POST /oauth/v1/token", http.HandlerFunc(s.token))
	mux.Handle("GET /frame/web/v1/auth", http.HandlerFunc(s.frame))
	mux.Handle("POST /frame/web/v1/auth", http.HandlerFunc(s.frame))
	mux.Handle("/", http.HandlerFunc(s.notFound))
	return mux
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	ae := &apiError{http.StatusNotFound, CodeNotFound, "Resource not found", ""}
	methods, known := knownPaths[r.URL.Path]
	if known && !slices.Contains(strings.Fields(methods), r.Method) {
		ae = &apiError{http.StatusMethodNotAllowed, CodeBadMethod, "Method not allowed", ""}
	}
	s.record(Request{Time: s.now(), Method: r.Method, Path: r.URL.Path,
		Status: ae.Status, Code: ae.Code, Outcome: "FAIL", Fault: faultNote(r.Context())})
	writeFail(w, ae)
}
