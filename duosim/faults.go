package duosim

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Fault makes the simulator misbehave like an unhealthy Duo. Several
// effects may be combined: Latency delays the request, then the first of
// DropConnections, RateLimit, Status5xx and BadJSON that is set answers it;
// with none of those the request is answered normally after the delay.
type Fault struct {
	// Latency is added (real time) before answering.
	Latency time.Duration
	// Status5xx, when non-zero (500..599), answers with that status and a
	// FAIL envelope whose code is the status times 100.
	Status5xx int
	// RateLimit answers HTTP 429 with code 42901, as Duo does.
	RateLimit bool
	// DropConnections ends the request without an answer: the connection
	// is closed (HTTP/1.1) or the stream reset (HTTP/2).
	DropConnections bool
	// BadJSON answers HTTP 200 with a body that is not JSON.
	BadJSON bool
	// Paths limits the fault to these request paths: an exact path, or a
	// prefix when it ends in '/'. Empty means every path.
	Paths []string
	// Count limits the fault to the next Count requests it applies to;
	// zero means until ClearFaults.
	Count int
}

// activeFault is a Fault with its remaining uses.
type activeFault struct {
	Fault
	left int // remaining uses when Count > 0
}

func (f *Fault) matches(path string) bool {
	if len(f.Paths) == 0 {
		return true
	}
	for _, p := range f.Paths {
		if p == path || strings.HasSuffix(p, "/") && strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// AddFault adds f to the active faults. For each request the first active
// fault (in the order added) whose Paths match applies. A Status5xx
// outside 500..599 panics: it is a bug in the test.
func (s *Server) AddFault(f Fault) {
	if f.Status5xx != 0 && (f.Status5xx < 500 || f.Status5xx > 599) {
		panic(fmt.Sprintf("duosim: AddFault: Status5xx %d is not a 5xx status", f.Status5xx))
	}
	f.Paths = append([]string(nil), f.Paths...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &activeFault{Fault: f, left: f.Count})
}

// SetFault replaces the active faults with f.
func (s *Server) SetFault(f Fault) {
	s.ClearFaults()
	s.AddFault(f)
}

// ClearFaults removes every fault; requests are answered normally again.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the fault that applies to path, using up one of its
// uses, or nil.
func (s *Server) takeFault(path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, af := range s.faults {
		if !af.matches(path) {
			continue
		}
		f := af.Fault
		if af.Count > 0 {
			af.left--
			if af.left <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

type latencyKey struct{}

// faultNote returns the fault name the log entry of a normally answered
// request carries: "latency" when a Latency fault delayed it.
func faultNote(ctx context.Context) string {
	if ctx.Value(latencyKey{}) != nil {
		return FaultLatency
	}
	return ""
}

// withFaults applies the active faults before next sees the request.
func (s *Server) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := s.takeFault(r.URL.Path)
		if f == nil {
			next.ServeHTTP(w, r)
			return
		}
		e := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path,
			Integration: peekIntegration(r), Outcome: "fault"}
		if f.Latency > 0 && !s.sleep(r.Context(), f.Latency) {
			e.Fault = FaultLatency
			s.record(e)
			return
		}

		switch {
		case f.DropConnections:
			e.Fault = FaultDrop
			s.record(e)
			// net/http closes the connection without a response and does
			// not log this panic.
			panic(http.ErrAbortHandler)
		case f.RateLimit:
			e.Fault, e.Status, e.Code = FaultRateLimit, http.StatusTooManyRequests, CodeRateLimited
			writeFail(w, errRateLimited())
		case f.Status5xx != 0:
			code := f.Status5xx * codeInternalPrefix
			e.Fault, e.Status, e.Code = FaultStatus, f.Status5xx, code
			writeFail(w, &apiError{f.Status5xx, code, http.StatusText(f.Status5xx), ""})
		case f.BadJSON:
			e.Fault, e.Status = FaultBadJSON, http.StatusOK
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("<html><body>upstream error</body></html>"))
		default:
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), latencyKey{}, true)))
			return
		}
		s.record(e)
	})
}

// peekIntegration returns the integration key of the Authorization header,
// unverified, for the log of a request a fault answered.
func peekIntegration(r *http.Request) string {
	ikey, _, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return ""
	}
	return ikey
}
