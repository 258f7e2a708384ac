package metrics_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/metrics"
)

// The cost of a recorder call on the hot paths, enabled and disabled (a
// nil recorder, what a component built without metrics holds).

func BenchmarkHTTPObserve(b *testing.B) {
	for _, tc := range []struct {
		name string
		m    *metrics.Metrics
	}{{"enabled", newMetrics()}, {"disabled", metrics.Discard()}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					tc.m.HTTP.Observe("/v2/accounts/{account_id}/duo/{config_id}",
						http.MethodGet, 200, time.Millisecond)
				}
			})
		})
	}
}

func BenchmarkSecondFactorInc(b *testing.B) {
	m := newMetrics()
	b.ReportAllocs()
	for b.Loop() {
		m.SecondFactor.Inc("duo", "push", metrics.OutcomeDenied, "user_denied")
	}
}

func BenchmarkAMQPObserve(b *testing.B) {
	m := newMetrics()
	b.ReportAllocs()
	for b.Loop() {
		m.AMQP.Observe("mfa_req", "authenticated", 40*time.Millisecond)
	}
}
