package metrics_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCouchRoundTripper(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.EscapedPath() {
		case "/account%2Fab%2Fcd%2Fsecret-db/doc":
			w.WriteHeader(http.StatusNotFound)
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	m := newMetrics()
	client := &http.Client{Transport: m.Couch.RoundTripper(nil)}

	for _, path := range []string{"/", "/", "/account%2Fab%2Fcd%2Fsecret-db/doc", "/down"} {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	srv.Close()
	if _, err := client.Get(srv.URL + "/"); err == nil {
		t.Fatal("request to a closed server: got no error")
	}

	tests := []struct {
		name, family string
		labels       map[string]string
		want         float64
	}{
		{"2xx", "duo_kazoo_couch_requests_total",
			map[string]string{"method": "GET", "code_class": "2xx"}, 2},
		{"4xx", "duo_kazoo_couch_requests_total",
			map[string]string{"method": "GET", "code_class": "4xx"}, 1},
		{"5xx", "duo_kazoo_couch_requests_total",
			map[string]string{"method": "GET", "code_class": "5xx"}, 1},
		{"no answer", "duo_kazoo_couch_requests_total",
			map[string]string{"method": "GET", "code_class": "error"}, 1},
		{"server errors", "duo_kazoo_couch_errors_total",
			map[string]string{"kind": "server"}, 1},
		{"transport errors", "duo_kazoo_couch_errors_total",
			map[string]string{"kind": "transport"}, 1},
		{"latency", "duo_kazoo_couch_request_duration_seconds",
			map[string]string{"method": "GET"}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := series(t, m, tc.family, tc.labels)
			if !ok || got != tc.want {
				t.Errorf("%s%v = %v (present %v), want %v", tc.family, tc.labels, got, ok,
					tc.want)
			}
		})
	}
	if n := seriesCount(t, m, "duo_kazoo_couch_requests_total"); n != 4 {
		t.Errorf("couch request series: got %d, want 4 (no db or path label)", n)
	}
}

type failingTransport struct{ closed bool }

func (f *failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("refused")
}

func (f *failingTransport) CloseIdleConnections() { f.closed = true }

func TestCouchRoundTripperForwardsCloseIdle(t *testing.T) {
	ft := &failingTransport{}
	client := &http.Client{Transport: newMetrics().Couch.RoundTripper(ft)}
	client.CloseIdleConnections()
	if !ft.closed {
		t.Error("CloseIdleConnections: not forwarded to the wrapped transport")
	}
}
