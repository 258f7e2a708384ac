package duosim

import (
	"net/url"
	"time"

	"github.com/sirupsen/logrus"
)

// Request is one entry of the simulator's request log.
type Request struct {
	// Time is when the request arrived, on the simulator's clock.
	Time time.Time
	// Method and Path of the request.
	Method string
	Path   string
	// Params are the request's parameters (query, form or JSON body) with
	// secret values (passcodes, assertions, codes, signed values) replaced
	// by "[redacted]". Nil when the request could not be parsed.
	Params url.Values
	// Integration is the integration key or client id the request named,
	// or "" when it named none.
	Integration string
	// Status is the HTTP status answered; 0 when the connection was
	// dropped.
	Status int
	// Code is Duo's error code of a FAIL answer, else 0.
	Code int
	// Outcome summarizes the answer: "ok" for ping, check and health
	// check; the preauth result ("auth", "allow", "deny", "enroll");
	// "result/status" of an auth or auth_status answer ("allow/allow",
	// "deny/fraud", "waiting/pushed"); "txid" for an async auth; the
	// enrollment status; "redirect" or "prompt" for a prompt page;
	// "token" for an issued id_token; "FAIL" or the OAuth error
	// ("invalid_grant", "invalid_client") for refusals; "fault" when a
	// fault answered.
	Outcome string
	// Fault names the fault applied: "", "latency", "status",
	// "rate_limit", "drop" or "bad_json".
	Fault string
	// Reason is the simulator's own account of an OAuth refusal of the
	// health check or token endpoint ("client_assertion rejected:
	// expired", "the provided client_id is invalid", "code expired"),
	// more specific than Duo's answer may be; "" otherwise.
	Reason string
}

// Values of Request.Fault.
const (
	FaultLatency   = "latency"
	FaultStatus    = "status"
	FaultRateLimit = "rate_limit"
	FaultDrop      = "drop"
	FaultBadJSON   = "bad_json"
)

// secretParams are parameters whose values never enter the log.
var secretParams = map[string]bool{
	"passcode":         true,
	"client_assertion": true,
	"client_secret":    true,
	"code":             true,
	"duo_code":         true,
	"request":          true,
	"tx":               true,
	"sig_response":     true,
	"activation_code":  true,
	"session":          true,
}

// redact copies params with secret values replaced.
func redact(params url.Values) url.Values {
	if params == nil {
		return nil
	}
	out := make(url.Values, len(params))
	for k, vs := range params {
		if secretParams[k] {
			out[k] = []string{"[redacted]"}
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// record appends an entry to the log, dropping the oldest beyond
// Options.MaxLog, and writes one debug line.
func (s *Server) record(e Request) {
	s.log.WithFields(logrus.Fields{
		"method":      e.Method,
		"path":        e.Path,
		"integration": e.Integration,
		"status":      e.Status,
		"code":        e.Code,
		"outcome":     e.Outcome,
		"fault":       e.Fault,
	}).Debug("duosim: request")

	s.mu.Lock()
	defer s.mu.Unlock()
	limit := max(s.opts.MaxLog, 0)
	if limit == 0 {
		return
	}
	s.reqs = append(s.reqs, e)
	if over := len(s.reqs) - limit; over > 0 {
		// The slice moves forward in its array; the next growth copies
		// only the kept entries, so the log never holds much more than
		// limit entries.
		clear(s.reqs[:over])
		s.reqs = s.reqs[over:]
	}
}

// Requests returns a copy of the request log, oldest first: the last
// Options.MaxLog requests handled.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.reqs))
	for i, e := range s.reqs {
		e.Params = redact(e.Params)
		out[i] = e
	}
	return out
}

// ResetLog empties the request log.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = nil
}
