package app

import (
	"context"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/duo-kazoo/duo-kazoo/maintenance"
	"github.com/duo-kazoo/duo-kazoo/metrics"
	"github.com/duo-kazoo/duo-kazoo/openapi"
)

// Intervals of the cached readiness checks: /readyz may be polled every
// second by every orchestrator without costing CouchDB more than this.
const (
	couchCheckInterval  = time.Second
	designCheckInterval = 10 * time.Second
)

// Metrics returns the replica's metrics, so that the AMQP consumer, the
// second-factor flow and the Duo clients can be given their recorders.
func (a *App) Metrics() *metrics.Metrics { return a.metrics }

// Readiness returns the replica's readiness checks, so that more can be
// added (the AMQP consumer: Add("amqp", ReadyWhen(consumer.Consuming))).
func (a *App) Readiness() *Readiness { return a.ready }

func newMetrics() *metrics.Metrics {
	return metrics.New(metrics.Options{Version: Version, Commit: Commit})
}

// couchHTTPClient is the CouchDB client's HTTP client: couch's defaults (a
// 30 s timeout, a large idle pool) with every request recorded by m.
func couchHTTPClient(m *metrics.Metrics) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 256
	return &http.Client{Timeout: 30 * time.Second, Transport: m.Couch.RoundTripper(t)}
}

// newReadiness builds the checks that need nothing but the stores:
// CouchDB answers (a ping at most once per second), and a migration has
// installed this version's design docs (see maintenance.DesignStatus).
func (a *App) newReadiness() *Readiness {
	r := NewReadiness(a.log)
	r.Add("couchdb", Cached(couchCheckInterval, a.couch.Ping))
	r.Add("design_docs", Cached(designCheckInterval, func(ctx context.Context) error {
		return maintenance.DesignStatus(ctx, a.couch)
	}))
	return r
}

// extraRoutes registers the operational endpoints beside the API: none
// needs auth, none reveals a secret.
func (a *App) extraRoutes(r *mux.Router) {
	a.healthRoutes(r)
	r.Handle("/readyz", a.ready).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", a.metrics.Handler()).Methods(http.MethodGet)
	r.Handle("/openapi.json", openapi.Handler()).Methods(http.MethodGet, http.MethodHead)
}
