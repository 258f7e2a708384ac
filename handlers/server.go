package handlers

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// Authenticator verifies KAZOO tokens and decides what an identity may do;
// *kazooauth.Verifier implements it.
type Authenticator interface {
	Verify(ctx context.Context, token string) (*kazooauth.Identity, error)
	Authorize(ctx context.Context, id *kazooauth.Identity, targetAccountID string, write bool) error
}

var _ Authenticator = (*kazooauth.Verifier)(nil)

// Deps are what the API is built from. Auth and Configs are required; the
// others enable their routes when set.
type Deps struct {
	Auth    Authenticator
	Configs ConfigService
	// Checker runs PUT /duo/{id}/check; without it the route answers 501.
	Checker CredentialChecker
	// FailureLogs serves the failure log routes; without it they are 501.
	FailureLogs FailureLogService
	// Directory serves GET /duo/preferences (the user's time zone);
	// without it the route answers 501.
	Directory Directory
	// Localizer translates messages for Accept-Language; English when nil.
	Localizer Localizer
	// Static serves everything outside /v2 (the standalone UI); optional.
	Static http.Handler
	// Extra registers more routes (health, metrics) on the router.
	Extra func(r *mux.Router)
	Log   *logrus.Logger
	// Node and Version fill the envelope's node and version fields.
	Node, Version string
	// AllowedOrigins lists the Monster-UI origins allowed by CORS; "*"
	// allows any origin (tokens travel in a header, not a cookie).
	AllowedOrigins []string
	// MaxBodyBytes bounds request bodies; 64 KiB when zero.
	MaxBodyBytes int64
	// Metrics records every request (see measure); none when nil.
	Metrics HTTPMetrics
}

// Server is the HTTP API. Build it with New; it is an http.Handler.
type Server struct {
	deps         Deps
	router       *mux.Router
	log          *logrus.Logger
	node         string
	version      string
	errorMappers []func(error) *APIError
}

// New builds the API's router.
func New(deps Deps) *Server {
	if deps.Log == nil {
		deps.Log = logrus.New()
	}
	if deps.MaxBodyBytes <= 0 {
		deps.MaxBodyBytes = 64 << 10
	}
	s := &Server{deps: deps, log: deps.Log, node: deps.Node, version: deps.Version}
	s.errorMappers = []func(error) *APIError{authError, storeError, validationError}
	s.router = s.routes()
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// Router exposes the router, for tools that walk the routes (the OpenAPI
// document's drift test).
func (s *Server) Router() *mux.Router { return s.router }

// handlerFunc is an API handler: it returns what to answer or an error.
type handlerFunc func(r *http.Request) (reply, error)

// adapt turns a handlerFunc into an http.Handler that writes the envelope.
func (s *Server) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, err := h(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if rep.raw != nil {
			w.Header().Set("Content-Type", rep.raw.contentType)
			if rep.raw.filename != "" {
				w.Header().Set("Content-Disposition",
					`attachment; filename="`+rep.raw.filename+`"`)
			}
			for k, vs := range rep.raw.header {
				w.Header()[k] = vs
			}
			w.Header().Set("X-Request-ID", requestID(r.Context()))
			w.WriteHeader(http.StatusOK)
			if rep.raw.stream == nil {
				_, _ = w.Write(rep.raw.body)
				return
			}
			if err := rep.raw.stream(w); err != nil {
				s.log.WithError(err).WithField("request_id", requestID(r.Context())).
					Error("http: streaming a response failed; aborting it")
				panic(http.ErrAbortHandler)
			}
			return
		}
		s.writeReply(w, r, rep)
	})
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	apiErr := s.asAPIError(err)
	setLogError(r.Context(), apiErr)
	data := s.localizeErrorData(r, apiErr.Data)
	s.writeJSON(w, r, apiErr.Status, envelope{
		Status: "error", Error: strconv.Itoa(apiErr.Status), Message: apiErr.Message, Data: data,
	})
}
