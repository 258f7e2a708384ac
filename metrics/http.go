package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// RouteUnmatched is the route label of requests that matched no route
// (404 and 405 answers of the router itself).
const RouteUnmatched = "unmatched"

// HTTP records API requests: duo_kazoo_http_requests_total{route, method,
// code} and duo_kazoo_http_request_duration_seconds{route, method}.
type HTTP struct {
	requests *counterVec
	duration *histogramVec
}

func newHTTP() *HTTP {
	return &HTTP{
		requests: newCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by route template, method and status code.",
		}, []string{"route", "method", "code"}, []int{limitRoute, limitDefault, limitDefault}),
		duration: newHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}, []int{limitRoute, limitDefault}),
	}
}

func (h *HTTP) collectors() []prometheus.Collector {
	return []prometheus.Collector{h.requests.vec, h.duration.vec}
}

// Observe records one answered request. route is the router's path
// template ("/v2/accounts/{account_id}/duo/{config_id}"), never the raw
// path; "" is recorded as RouteUnmatched. Methods outside the standard
// set are recorded as "other"; status is the code sent (200 when the
// handler wrote nothing).
func (h *HTTP) Observe(route, method string, status int, d time.Duration) {
	if h == nil {
		return
	}
	if route == "" {
		route = RouteUnmatched
	}
	method = knownMethod(method)
	h.requests.with(labels{route, method, statusCode(status)}).Inc()
	h.duration.with(labels{route, method}).Observe(d.Seconds())
}

func knownMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return valueOther
}

// statusCodes holds the label of every valid status code, so the hot
// path does not format numbers.
var statusCodes = func() [600]string {
	var s [600]string
	for i := 100; i < 600; i++ {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

func statusCode(status int) string {
	if status == 0 {
		return "200"
	}
	if status < 100 || status >= 600 {
		return valueInvalid
	}
	return statusCodes[status]
}
