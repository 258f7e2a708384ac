package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Couch records requests to CouchDB, made through the RoundTripper:
// duo_kazoo_couch_requests_total{method, code_class},
// duo_kazoo_couch_request_duration_seconds{method} and
// duo_kazoo_couch_errors_total{method, kind}.
type Couch struct {
	requests *counterVec
	duration *histogramVec
	errors   *counterVec
}

// Error kinds of duo_kazoo_couch_errors_total.
const (
	// CouchErrorTransport: no HTTP answer (connection refused, reset,
	// timeout, cancelled).
	CouchErrorTransport = "transport"
	// CouchErrorServer: the server answered 5xx.
	CouchErrorServer = "server"
)

func newCouch() *Couch {
	return &Couch{
		requests: newCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "couch", Name: "requests_total",
			Help: "Requests to CouchDB by HTTP method and status class (2xx ... 5xx, error).",
		}, []string{"method", "code_class"}, []int{limitDefault, limitDefault}),
		duration: newHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "couch", Name: "request_duration_seconds",
			Help:    "Time to the response headers of a CouchDB request, by method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method"}, []int{limitDefault}),
		errors: newCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "couch", Name: "errors_total",
			Help: "CouchDB requests that failed: no answer (transport) or a 5xx (server).",
		}, []string{"method", "kind"}, []int{limitDefault, limitDefault}),
	}
}

func (c *Couch) collectors() []prometheus.Collector {
	return []prometheus.Collector{c.requests.vec, c.duration.vec, c.errors.vec}
}

// Observe records one request: its method, the status answered (0 when
// the request got no answer) and the time to the answer's headers. Status
// is recorded by class only, and no database or document name is
// recorded.
func (c *Couch) Observe(method string, status int, d time.Duration) {
	if c == nil {
		return
	}
	method = knownMethod(method)
	class := statusClass(status)
	c.requests.with(labels{method, class}).Inc()
	c.duration.with(labels{method}).Observe(d.Seconds())
	switch {
	case status == 0:
		c.errors.with(labels{method, CouchErrorTransport}).Inc()
	case status >= 500:
		c.errors.with(labels{method, CouchErrorServer}).Inc()
	}
}

func statusClass(status int) string {
	switch {
	case status == 0:
		return "error"
	case status >= 100 && status < 600:
		return [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}[status/100-1]
	}
	return valueInvalid
}

// RoundTripper returns next (http.DefaultTransport when nil) wrapped so
// that every request is recorded with Observe. Use it as the Transport of
// the http.Client given in couch.Options.HTTPClient. With a nil receiver
// it returns next unwrapped.
func (c *Couch) RoundTripper(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if c == nil {
		return next
	}
	return &couchTransport{next: next, m: c}
}

type couchTransport struct {
	next http.RoundTripper
	m    *Couch
}

// RoundTrip forwards the request and records it.
func (t *couchTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	t.m.Observe(r.Method, status, time.Since(start))
	return resp, err
}

// CloseIdleConnections forwards to the wrapped transport, so that
// http.Client.CloseIdleConnections keeps working through the wrapper.
func (t *couchTransport) CloseIdleConnections() {
	if ci, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}
