package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/handlers"
	"github.com/duo-kazoo/duo-kazoo/metrics"
)

// BenchmarkGetConfigOverhead measures GET /duo/{id} through the whole handler
// chain (request id, log line, metrics, CORS, token check, envelope) with
// in-memory auth and store, so that what differs between the cases is the
// cost of metrics and of debug logging (one JSON line per request, written
// to io.Discard) on the API's hot path. The sub-benchmark "interleaved"
// runs the four cases in turn within one loop, so that they share the
// machine's load, and reports each case's ns/req and the overhead of
// metrics and of debug logging over the bare chain (its own ns/op covers
// four requests).
func BenchmarkGetConfigOverhead(b *testing.B) {
	for _, tc := range overheadCases {
		b.Run(tc.name, func(b *testing.B) {
			srv := tc.server()
			b.ReportAllocs()
			for b.Loop() {
				getConfig(b, srv)
			}
		})
	}
	b.Run("interleaved", benchInterleaved)
}

func benchInterleaved(b *testing.B) {
	servers := make([]*handlers.Server, len(overheadCases))
	for i, tc := range overheadCases {
		servers[i] = tc.server()
	}
	spent := make([]time.Duration, len(overheadCases))
	n := 0
	for b.Loop() {
		for i := range servers {
			j := (i + n) % len(servers) // rotate who goes first
			start := time.Now()
			getConfig(b, servers[j])
			spent[j] += time.Since(start)
		}
		n++
	}
	per := func(i int) float64 { return float64(spent[i].Nanoseconds()) / float64(n) }
	for i, tc := range overheadCases {
		b.ReportMetric(per(i), tc.name+"-ns/req")
	}
	b.ReportMetric(per(1)-per(0), "metrics-overhead-ns/req")
	b.ReportMetric(per(2)-per(0), "debuglog-overhead-ns/req")
}

// overheadCase is one handler chain to compare.
type overheadCase struct {
	name    string
	metrics bool
	level   logrus.Level
}

// overheadCases are the handler chains compared.
var overheadCases = []overheadCase{
	{"bare", false, logrus.InfoLevel},
	{"metrics", true, logrus.InfoLevel},
	{"debug_log", false, logrus.DebugLevel},
	{"metrics+debug_log", true, logrus.DebugLevel},
}

func (tc overheadCase) server() *handlers.Server {
	deps := handlers.Deps{Auth: allowAll{}, Configs: memConfigs{},
		Log: quietLogger(tc.level), AllowedOrigins: []string{"*"}}
	if tc.metrics {
		deps.Metrics = metrics.New(metrics.Options{NoProcessMetrics: true}).HTTP
	}
	return handlers.New(deps)
}

var getConfigPath = "/v2/accounts/" + fakeAccount + "/duo/" + fakeConfig

func getConfig(b *testing.B, srv *handlers.Server) {
	req := httptest.NewRequest(http.MethodGet, getConfigPath, nil)
	req.Header.Set("X-Auth-Token", "t")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("status %d", rec.Code)
	}
}
