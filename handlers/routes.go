package handlers

import (
	"net/http"

	"github.com/gorilla/mux"
)

// accountPrefix is where every account API route lives.
const accountPrefix = "/v2/accounts/{account_id}"

// routes builds the router. Order matters for gorilla/mux: fixed path
// segments (application_secret_key, failure_logs, preferences, attempts)
// come before the {id} patterns they would otherwise match.
func (s *Server) routes() *mux.Router {
	root := mux.NewRouter()
	root.Use(s.observe, s.measure, s.cors)
	root.NotFoundHandler = s.observe(s.measure(s.cors(s.adapt(s.noRoute))))
	root.MethodNotAllowedHandler = s.observe(s.measure(s.cors(s.adapt(s.wrongMethod))))

	acct := root.PathPrefix(accountPrefix).Subrouter()
	acct.Use(s.authenticate)

	h := s.adapt
	acct.Handle("/duo", h(s.listConfigs)).Methods(http.MethodGet)
	acct.Handle("/duo", h(s.createConfig)).Methods(http.MethodPut)
	acct.Handle("/duo/application_secret_key", h(s.generateAppKey)).Methods(http.MethodPut)
	acct.Handle("/duo/failure_logs", h(s.listFailures)).Methods(http.MethodGet)
	acct.Handle("/duo/failure_logs/{attempt_id}", h(s.getFailure)).Methods(http.MethodGet)
	acct.Handle("/duo/preferences", h(s.getPreferences)).Methods(http.MethodGet)
	acct.Handle("/duo/{config_id}", h(s.getConfig)).Methods(http.MethodGet)
	acct.Handle("/duo/{config_id}", h(s.replaceConfig)).Methods(http.MethodPost)
	acct.Handle("/duo/{config_id}", h(s.patchConfig)).Methods(http.MethodPatch)
	acct.Handle("/duo/{config_id}", h(s.deleteConfig)).Methods(http.MethodDelete)
	acct.Handle("/duo/{config_id}/check", h(s.checkConfig)).Methods(http.MethodPut)

	acct.Handle("/multi_factor", h(s.kazooListProviders)).Methods(http.MethodGet)
	acct.Handle("/multi_factor", h(s.kazooCreateProvider)).Methods(http.MethodPut)
	acct.Handle("/multi_factor/attempts", h(s.kazooListAttempts)).Methods(http.MethodGet)
	acct.Handle("/multi_factor/attempts/{attempt_id}", h(s.kazooGetAttempt)).
		Methods(http.MethodGet)
	acct.Handle("/multi_factor/{config_id}", h(s.kazooGetProvider)).Methods(http.MethodGet)
	acct.Handle("/multi_factor/{config_id}", h(s.replaceConfig)).Methods(http.MethodPost)
	acct.Handle("/multi_factor/{config_id}", h(s.patchConfig)).Methods(http.MethodPatch)
	acct.Handle("/multi_factor/{config_id}", h(s.deleteConfig)).Methods(http.MethodDelete)

	if s.deps.Extra != nil {
		s.deps.Extra(root)
	}
	if s.deps.Static != nil {
		root.PathPrefix("/").Handler(s.deps.Static).Methods(http.MethodGet, http.MethodHead)
	}
	return root
}

func (s *Server) noRoute(r *http.Request) (reply, error) {
	return reply{}, &APIError{Status: http.StatusNotFound, Message: "not_found",
		Data: map[string]any{"message": "no such endpoint", "key": "errors.no_route"}}
}

func (s *Server) wrongMethod(r *http.Request) (reply, error) {
	return reply{}, &APIError{Status: http.StatusMethodNotAllowed, Message: msgMethod,
		Data: map[string]any{"message": "method " + r.Method + " not allowed here",
			"key": "errors.method_not_allowed"}}
}
