package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/handlers"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
	"github.com/duo-kazoo/duo-kazoo/metrics"
)

var _ handlers.HTTPMetrics = (*metrics.HTTP)(nil)

const (
	fakeAccount = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	fakeConfig  = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
)

// allowAll accepts every token for every account.
type allowAll struct{}

func (allowAll) Verify(context.Context, string) (*kazooauth.Identity, error) {
	return &kazooauth.Identity{AccountID: fakeAccount, OwnerID: "owner", Method: "cb_user_auth"},
		nil
}

func (allowAll) Authorize(context.Context, *kazooauth.Identity, string, bool) error { return nil }

// memConfigs serves one fixed configuration; the id "panic" panics.
type memConfigs struct{}

var fakeView = map[string]any{"id": fakeConfig, "name": "TESTING", "enabled": true,
	"provider_name": "duo", "settings": map[string]any{"integration_key": "DIWJ8X6AEYOR5OMC6TQ1",
		"api_hostname": "api-4f1c2a9e.duosecurity.com", "secret_key_set": true,
		"application_secret_key_set": true, "client_secret_set": false}}

func (memConfigs) List(context.Context, string) ([]couch.ProviderSummary, error) {
	return nil, nil
}

func (memConfigs) Get(_ context.Context, _, id string) (map[string]any, string, error) {
	switch id {
	case fakeConfig:
		return fakeView, "1-abc", nil
	case "panic":
		panic("boom")
	}
	return nil, "", couch.ErrNotFound
}

func (memConfigs) Create(context.Context, string, json.RawMessage) (map[string]any, string,
	error) {
	return nil, "", couch.ErrUnavailable
}

func (memConfigs) Replace(context.Context, string, string, string, json.RawMessage) (
	map[string]any, string, error) {
	return nil, "", couch.ErrUnavailable
}

func (memConfigs) Patch(context.Context, string, string, string, json.RawMessage) (
	map[string]any, string, error) {
	return nil, "", couch.ErrUnavailable
}

func (memConfigs) Delete(context.Context, string, string, string) (map[string]any, string,
	error) {
	return nil, "", couch.ErrUnavailable
}

func (memConfigs) GenerateApplicationSecretKey() (string, error) { return "k", nil }

// recorded is one Observe call.
type recorded struct {
	route, method string
	status        int
}

// spyMetrics records Observe calls.
type spyMetrics struct {
	mu    sync.Mutex
	calls []recorded
}

func (s *spyMetrics) Observe(route, method string, status int, _ time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, recorded{route, method, status})
}

func quietLogger(level logrus.Level) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(io.Discard)
	log.SetFormatter(&logrus.JSONFormatter{})
	log.SetLevel(level)
	return log
}

func TestMetricsMiddleware(t *testing.T) {
	acct := "/v2/accounts/" + fakeAccount
	tests := []struct {
		name, method, path string
		want               recorded
	}{
		{"read", http.MethodGet, acct + "/duo/" + fakeConfig,
			recorded{"/v2/accounts/{account_id}/duo/{config_id}", "GET", 200}},
		{"missing document", http.MethodGet, acct + "/duo/" + fakeAccount,
			recorded{"/v2/accounts/{account_id}/duo/{config_id}", "GET", 404}},
		{"store down", http.MethodDelete, acct + "/duo/" + fakeConfig,
			recorded{"/v2/accounts/{account_id}/duo/{config_id}", "DELETE", 503}},
		{"panic", http.MethodGet, acct + "/duo/panic",
			recorded{"/v2/accounts/{account_id}/duo/{config_id}", "GET", 500}},
		{"no route", http.MethodGet, "/nothing/here/" + fakeAccount,
			recorded{"", "GET", 404}},
		{"wrong method", http.MethodPost, "/healthz", recorded{"", "POST", 405}},
		{"extra route", http.MethodGet, "/healthz", recorded{"/healthz", "GET", 204}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spy := &spyMetrics{}
			srv := handlers.New(handlers.Deps{Auth: allowAll{}, Configs: memConfigs{},
				Log: quietLogger(logrus.InfoLevel), Metrics: spy,
				Extra: func(r *mux.Router) {
					r.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
						w.WriteHeader(http.StatusNoContent)
					}).Methods(http.MethodGet)
				}})
			req := httptest.NewRequest(tc.method, tc.path, nil)
			req.Header.Set("X-Auth-Token", "t")
			srv.ServeHTTP(httptest.NewRecorder(), req)
			if len(spy.calls) != 1 {
				t.Fatalf("got %d Observe calls, want 1: %+v", len(spy.calls), spy.calls)
			}
			if got := spy.calls[0]; got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
