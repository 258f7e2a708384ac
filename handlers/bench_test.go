package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/handlers"
	"github.com/duo-kazoo/duo-kazoo/metrics"
)

// BenchmarkGetConfigOverhead measures GET /duo/{id} through the whole
// handler chain (request id, log line, metrics, CORS, token check, envelope)
// with in-memory auth and store, so that what differs between the cases is
// the cost of metrics and of debug logging (one JSON line per request,
// written to io.Discard) on the API's hot path.
func BenchmarkGetConfigOverhead(b *testing.B) {
	cases := []struct {
		name    string
		metrics bool
		level   logrus.Level
	}{
		{"bare", false, logrus.InfoLevel},
		{"metrics", true, logrus.InfoLevel},
		{"debug_log", false, logrus.DebugLevel},
		{"metrics+debug_log", true, logrus.DebugLevel},
	}
	path := "/v2/accounts/" + fakeAccount + "/duo/" + fakeConfig
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			deps := handlers.Deps{Auth: allowAll{}, Configs: memConfigs{},
				Log: quietLogger(tc.level), AllowedOrigins: []string{"*"}}
			if tc.metrics {
				deps.Metrics = metrics.New(metrics.Options{NoProcessMetrics: true}).HTTP
			}
			srv := handlers.New(deps)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("X-Auth-Token", "t")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
