package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// AMQP records the consumer's messages and connection:
// duo_kazoo_amqp_messages_total{event, result},
// duo_kazoo_amqp_message_duration_seconds{event, result},
// duo_kazoo_amqp_connected, duo_kazoo_amqp_consuming and
// duo_kazoo_amqp_reconnects_total.
type AMQP struct {
	messages   *counterVec
	duration   *histogramVec
	connected  prometheus.Gauge
	consuming  prometheus.Gauge
	reconnects prometheus.Counter
}

// longBuckets cover calls that may wait for a user (a Duo push waits up to
// a minute).
var longBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30, 60, 120}

func newAMQP() *AMQP {
	return &AMQP{
		messages: newCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "amqp", Name: "messages_total",
			Help: "AMQP messages handled, by event name and result.",
		}, []string{"event", "result"}, []int{limitDefault, limitDefault}),
		duration: newHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "amqp", Name: "message_duration_seconds",
			Help:    "Time from delivery to settlement of an AMQP message, by event and result.",
			Buckets: longBuckets,
		}, []string{"event", "result"}, []int{limitDefault, limitDefault}),
		connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "amqp", Name: "connected",
			Help: "1 while a connection to the broker is open and the topology declared.",
		}),
		consuming: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "amqp", Name: "consuming",
			Help: "1 while deliveries flow from the module's queue.",
		}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "amqp", Name: "reconnects_total",
			Help: "Sessions opened after the first one (connection losses recovered).",
		}),
	}
}

func (a *AMQP) collectors() []prometheus.Collector {
	return []prometheus.Collector{a.messages.vec, a.duration.vec, a.connected, a.consuming,
		a.reconnects}
}

// Observe records one settled message. event is the Event-Name
// ("mfa_req", "login_attempt"); result is the reply's Result for a
// request ("challenge", "authenticated", ...) or how an event or an
// unanswerable message was settled ("recorded", "requeued",
// "dead_lettered"). d runs from delivery to settlement.
func (a *AMQP) Observe(event, result string, d time.Duration) {
	if a == nil {
		return
	}
	l := labels{event, result}
	a.messages.with(l).Inc()
	a.duration.with(l).Observe(d.Seconds())
}

// SetState records the consumer's state; call it from
// amqp.Config.OnStateChange.
func (a *AMQP) SetState(connected, consuming bool) {
	if a == nil {
		return
	}
	a.connected.Set(boolValue(connected))
	a.consuming.Set(boolValue(consuming))
}

// Reconnected counts a session opened after the first one.
func (a *AMQP) Reconnected() {
	if a == nil {
		return
	}
	a.reconnects.Inc()
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
