package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"time"

	"github.com/sirupsen/logrus"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyLogEntry
	keyIdentity
)

// logState collects what the single per-request log line reports.
type logState struct {
	fields logrus.Fields
	err    *APIError
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// addLogFields adds fields to the request's log line.
func addLogFields(ctx context.Context, f logrus.Fields) {
	if st, ok := ctx.Value(keyLogEntry).(*logState); ok {
		for k, v := range f {
			st.fields[k] = v
		}
	}
}

func setLogError(ctx context.Context, err *APIError) {
	if st, ok := ctx.Value(keyLogEntry).(*logState); ok {
		st.err = err
	}
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter records the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// observe gives each request an id (X-Request-ID echoed or generated),
// recovers panics into a 500, and writes one log line per request with
// fixed fields. The token, bodies and query values are never logged.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		st := &logState{fields: logrus.Fields{}}
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = context.WithValue(ctx, keyLogEntry, st)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}

		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler { //nolint:errorlint // the sentinel itself
					// A response cut short on purpose: the server must
					// drop the connection, not end the body cleanly.
					s.logRequest(r, sw, st, time.Since(start))
					panic(p)
				}
				s.log.WithFields(logrus.Fields{"request_id": id, "panic": p}).
					Error("http: handler panicked")
				if sw.status == 0 {
					s.writeError(sw, r, &APIError{Status: http.StatusInternalServerError,
						Message: msgInternal,
						Data:    map[string]any{"message": "internal error"}})
				}
			}
			s.logRequest(r, sw, st, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

func (s *Server) logRequest(r *http.Request, sw *statusWriter, st *logState, d time.Duration) {
	fields := logrus.Fields{
		"request_id":  requestID(r.Context()),
		"method":      r.Method,
		"path":        r.URL.Path,
		"status":      sw.status,
		"duration_ms": float64(d.Microseconds()) / 1000,
		"bytes":       sw.bytes,
	}
	for k, v := range st.fields {
		fields[k] = v
	}
	entry := s.log.WithFields(fields)
	switch {
	case st.err != nil && st.err.Status >= 500:
		entry.WithError(st.err).Error("http request failed")
	case st.err != nil:
		entry.WithField("reason", st.err.Message).WithError(st.err).Info("http request refused")
	default:
		entry.Debug("http request")
	}
}

// cors answers preflight requests and sets CORS headers for allowed
// origins, so Monster-UI (another origin) can call the API with the
// user's token in X-Auth-Token.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && s.originAllowed(origin) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Allow-Headers",
				"Content-Type, Accept, Accept-Language, X-Auth-Token, Authorization, "+
					"X-Request-ID, If-Match")
			h.Set("Access-Control-Allow-Methods", "GET, PUT, POST, PATCH, DELETE, OPTIONS")
			h.Set("Access-Control-Expose-Headers", "X-Request-ID, Content-Disposition")
			h.Set("Access-Control-Max-Age", "600")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) originAllowed(origin string) bool {
	for _, o := range s.deps.AllowedOrigins {
		if o == "*" || o == origin {
			return true
		}
	}
	return false
}
