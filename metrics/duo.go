package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// OutcomeOK is the outcome label of a Duo call that Duo answered as
// expected (whatever it said about the user).
const OutcomeOK = "ok"

// Duo records calls to Duo's APIs:
// duo_kazoo_duo_requests_total{endpoint, outcome} and
// duo_kazoo_duo_request_duration_seconds{endpoint}.
type Duo struct {
	requests *counterVec
	duration *histogramVec
}

func newDuo() *Duo {
	return &Duo{
		requests: newCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "duo", Name: "requests_total",
			Help: "Calls to Duo by endpoint and outcome (ok or a failure class).",
		}, []string{"endpoint", "outcome"}, []int{limitDefault, limitDefault}),
		duration: newHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "duo", Name: "request_duration_seconds",
			Help:    "Time of a call to Duo, by endpoint.",
			Buckets: longBuckets,
		}, []string{"endpoint"}, []int{limitDefault}),
	}
}

func (d *Duo) collectors() []prometheus.Collector {
	return []prometheus.Collector{d.requests.vec, d.duration.vec}
}

// Observe records one call. endpoint is Duo's path without the host and
// without ids ("auth/v2/preauth", "auth/v2/auth", "auth/v2/auth_status",
// "auth/v2/check", "oauth/v1/token", "oauth/v1/health_check"); outcome is
// OutcomeOK or the failmode class of the failure ("unreachable",
// "rate_limited", "bad_config", ...).
func (d *Duo) Observe(endpoint, outcome string, dur time.Duration) {
	if d == nil {
		return
	}
	d.requests.with(labels{endpoint, outcome}).Inc()
	d.duration.with(labels{endpoint}).Observe(dur.Seconds())
}
