package metrics_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/metrics"
)

func TestRecorders(t *testing.T) {
	m := newMetrics()
	route := "/v2/accounts/{account_id}/duo/{config_id}"
	m.HTTP.Observe(route, http.MethodGet, 200, 3*time.Millisecond)
	m.HTTP.Observe(route, http.MethodGet, 200, 4*time.Millisecond)
	m.HTTP.Observe(route, http.MethodGet, 404, time.Millisecond)
	m.HTTP.Observe("", "BREW", 0, time.Millisecond)
	m.AMQP.Observe("mfa_req", "challenge", 20*time.Millisecond)
	m.AMQP.SetState(true, false)
	m.AMQP.Reconnected()
	m.SecondFactor.Inc("duo", "push", metrics.OutcomeDenied, "user_denied")
	m.SecondFactor.Inc("duo", "push", metrics.OutcomeFailedOpen, "unreachable")
	m.Duo.Observe("auth/v2/preauth", "unreachable", 2*time.Second)
	m.Cache.Observe("couch_docs", true)
	m.Cache.Observe("couch_docs", false)
	m.Cache.Observe("couch_docs", true)
	m.Pushes.Inc()
	m.Pushes.Inc()
	m.Pushes.Dec()
	m.Lockouts.Inc(metrics.LockoutStarted)
	m.Couch.Observe(http.MethodGet, 201, time.Millisecond)
	m.Couch.Observe(http.MethodGet, 0, time.Millisecond)
	m.Couch.Observe(http.MethodPut, 503, time.Millisecond)

	tests := []struct {
		name   string
		family string
		labels map[string]string
		want   float64
	}{
		{"http 200", "duo_kazoo_http_requests_total",
			map[string]string{"route": route, "method": "GET", "code": "200"}, 2},
		{"http 404", "duo_kazoo_http_requests_total",
			map[string]string{"route": route, "method": "GET", "code": "404"}, 1},
		{"http unmatched, odd method, nothing written", "duo_kazoo_http_requests_total",
			map[string]string{"route": "unmatched", "method": "other", "code": "200"}, 1},
		{"http latency by route", "duo_kazoo_http_request_duration_seconds",
			map[string]string{"route": route, "method": "GET"}, 3},
		{"amqp message", "duo_kazoo_amqp_messages_total",
			map[string]string{"event": "mfa_req", "result": "challenge"}, 1},
		{"amqp latency", "duo_kazoo_amqp_message_duration_seconds",
			map[string]string{"event": "mfa_req", "result": "challenge"}, 1},
		{"amqp connected", "duo_kazoo_amqp_connected", nil, 1},
		{"amqp consuming", "duo_kazoo_amqp_consuming", nil, 0},
		{"amqp reconnects", "duo_kazoo_amqp_reconnects_total", nil, 1},
		{"denied by reason", "duo_kazoo_second_factor_total",
			map[string]string{"provider": "duo", "factor": "push", "outcome": "denied",
				"reason": "user_denied"}, 1},
		{"failed open", "duo_kazoo_second_factor_total",
			map[string]string{"outcome": "failed_open", "reason": "unreachable"}, 1},
		{"duo call", "duo_kazoo_duo_requests_total",
			map[string]string{"endpoint": "auth/v2/preauth", "outcome": "unreachable"}, 1},
		{"duo latency", "duo_kazoo_duo_request_duration_seconds",
			map[string]string{"endpoint": "auth/v2/preauth"}, 1},
		{"cache hits", "duo_kazoo_cache_lookups_total",
			map[string]string{"cache": "couch_docs", "result": "hit"}, 2},
		{"cache misses", "duo_kazoo_cache_lookups_total",
			map[string]string{"cache": "couch_docs", "result": "miss"}, 1},
		{"pending pushes", "duo_kazoo_duo_pushes_pending", nil, 1},
		{"lockouts", "duo_kazoo_lockouts_total", map[string]string{"event": "started"}, 1},
		{"couch 2xx", "duo_kazoo_couch_requests_total",
			map[string]string{"method": "GET", "code_class": "2xx"}, 1},
		{"couch no answer", "duo_kazoo_couch_requests_total",
			map[string]string{"method": "GET", "code_class": "error"}, 1},
		{"couch transport error", "duo_kazoo_couch_errors_total",
			map[string]string{"method": "GET", "kind": "transport"}, 1},
		{"couch server error", "duo_kazoo_couch_errors_total",
			map[string]string{"method": "PUT", "kind": "server"}, 1},
		{"build info", "duo_kazoo_build_info",
			map[string]string{"version": "1.2.3", "commit": "abc"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := series(t, m, tc.family, tc.labels)
			if !ok {
				t.Fatalf("no series %s%v", tc.family, tc.labels)
			}
			if got != tc.want {
				t.Errorf("%s%v = %v, want %v", tc.family, tc.labels, got, tc.want)
			}
		})
	}
}

func TestLabelsAreBounded(t *testing.T) {
	m := newMetrics()
	for i := 0; i < 1000; i++ {
		m.SecondFactor.Inc("duo", "push", metrics.OutcomeDenied, fmt.Sprintf("reason_%d", i))
		m.HTTP.Observe(fmt.Sprintf("/v2/accounts/%032x/duo", i), "GET", 200, time.Millisecond)
	}
	if n := seriesCount(t, m, "duo_kazoo_second_factor_total"); n > 65 {
		t.Errorf("second factor series: got %d, want at most 65 (64 reasons + other)", n)
	}
	if got, _ := series(t, m, "duo_kazoo_second_factor_total",
		map[string]string{"reason": "other"}); got != 1000-64 {
		t.Errorf("reasons past the limit: got %v as other, want %d", got, 1000-64)
	}
	if n := seriesCount(t, m, "duo_kazoo_http_requests_total"); n > 129 {
		t.Errorf("http series: got %d, want at most 129", n)
	}
}

func TestLabelValuesAreChecked(t *testing.T) {
	tests := []struct {
		name, reason, want string
	}{
		{"empty", "", "none"},
		{"ordinary", "locked_out", "locked_out"},
		{"invalid utf-8", "bad\xff", "invalid"},
		{"space", "user name", "invalid"},
		{"too long", strings.Repeat("a", 97), "invalid"},
		{"longest allowed", strings.Repeat("b", 96), strings.Repeat("b", 96)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newMetrics()
			m.SecondFactor.Inc("duo", "push", metrics.OutcomeDenied, tc.reason)
			if _, ok := series(t, m, "duo_kazoo_second_factor_total",
				map[string]string{"reason": tc.want}); !ok {
				t.Errorf("reason %q: no series with reason %q", tc.reason, tc.want)
			}
		})
	}
}

func TestNilRecordersDoNothing(t *testing.T) {
	m := metrics.Discard()
	m.HTTP.Observe("/", "GET", 200, time.Millisecond)
	m.AMQP.Observe("mfa_req", "challenge", time.Millisecond)
	m.AMQP.SetState(true, true)
	m.AMQP.Reconnected()
	m.SecondFactor.Inc("duo", "push", metrics.OutcomeAuthenticated, "")
	m.Duo.Observe("auth/v2/auth", metrics.OutcomeOK, time.Millisecond)
	m.Cache.Observe("x", true)
	m.Pushes.Inc()
	m.Pushes.Dec()
	m.Lockouts.Inc(metrics.LockoutRefused)
	m.Couch.Observe("GET", 200, time.Millisecond)
	if rt := m.Couch.RoundTripper(nil); rt != http.DefaultTransport {
		t.Errorf("nil Couch RoundTripper: got %T, want the default transport", rt)
	}
	var nilM *metrics.Metrics
	if nilM.Registry() != nil {
		t.Error("nil Metrics: got a registry, want nil")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("Discard handler: got %d, want 200", rec.Code)
	}
}

func TestHandlerExposition(t *testing.T) {
	m := metrics.New(metrics.Options{Version: "9.9.9"})
	m.HTTP.Observe("/healthz", "GET", 200, time.Millisecond)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status: got %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{
		`duo_kazoo_http_requests_total{code="200",method="GET",route="/healthz"} 1`,
		`duo_kazoo_build_info{commit="unknown",go_version=`,
		"go_goroutines ",
		"process_",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}
