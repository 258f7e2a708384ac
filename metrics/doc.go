// Package metrics is duo-kazoo's Prometheus instrumentation: one Metrics
// value owns a private prometheus.Registry and small typed recorders that
// the other packages call through narrow interfaces.
//
// # Recorders
//
// Each recorder is a pointer type whose methods are safe for concurrent
// use and do nothing on a nil receiver, so a package holding a recorder
// needs no nil checks and a test can pass a no-op ([Discard], or a nil
// pointer):
//
//	m.HTTP.Observe(route, method, status, d)          // handlers middleware
//	m.AMQP.Observe(event, result, d)                  // one per message
//	m.AMQP.SetState(connected, consuming)             // Config.OnStateChange
//	m.SecondFactor.Inc(provider, factor, outcome, reason)
//	m.Duo.Observe(endpoint, outcome, d)               // one per Duo call
//	m.Couch.RoundTripper(next)                        // couch.Options.HTTPClient
//	m.Cache.Observe(cache, hit)
//	m.Pushes.Inc() / m.Pushes.Dec()                   // pushes waiting on Duo
//	m.Lockouts.Inc(event)
//
// The interfaces in interfaces.go ([HTTPObserver], [AMQPObserver],
// [SecondFactorCounter], [DuoObserver], [CacheCounter], [PushGauge],
// [LockoutCounter]) are what callers should depend on.
//
// # Bounded labels
//
// No label carries an account id, a user name, a document id or any other
// value that grows with the data. Callers pass small vocabularies (route
// templates, event names, result and reason codes); every label value is
// still checked here: a value longer than 96 bytes or with characters
// outside [A-Za-z0-9_./:{}-] is recorded as "invalid", an empty one as
// "none", and once a label has seen its maximum number of distinct values
// (32 for most labels, 64 for reasons, 128 for routes) any new value is
// recorded as "other". A bug upstream can therefore never blow up the
// number of series.
//
// # Exposition
//
// [Metrics.Handler] serves the registry in the Prometheus text format
// (GET /metrics); it also holds the Go runtime and process collectors and
// duo_kazoo_build_info. docs/operations.md lists every metric with example
// alert rules.
package metrics
