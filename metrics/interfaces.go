package metrics

import "time"

// The narrow interfaces other packages depend on. Each recorder type
// implements one; a nil pointer of that type is a no-op implementation.

// HTTPObserver records answered HTTP requests (*HTTP).
type HTTPObserver interface {
	Observe(route, method string, status int, d time.Duration)
}

// AMQPObserver records settled AMQP messages and the consumer's state
// (*AMQP).
type AMQPObserver interface {
	Observe(event, result string, d time.Duration)
	SetState(connected, consuming bool)
	Reconnected()
}

// SecondFactorCounter counts second factors by provider, factor, outcome
// and reason (*SecondFactor).
type SecondFactorCounter interface {
	Inc(provider, factor, outcome, reason string)
}

// DuoObserver records calls to Duo by endpoint and outcome (*Duo).
type DuoObserver interface {
	Observe(endpoint, outcome string, d time.Duration)
}

// CacheCounter counts read-cache hits and misses (*Cache).
type CacheCounter interface {
	Observe(cache string, hit bool)
}

// PushGauge tracks requests waiting for the user's answer (*Pushes).
type PushGauge interface {
	Inc()
	Dec()
}

// LockoutCounter counts lockout events (*Lockouts).
type LockoutCounter interface {
	Inc(event string)
}

var (
	_ HTTPObserver        = (*HTTP)(nil)
	_ AMQPObserver        = (*AMQP)(nil)
	_ SecondFactorCounter = (*SecondFactor)(nil)
	_ DuoObserver         = (*Duo)(nil)
	_ CacheCounter        = (*Cache)(nil)
	_ PushGauge           = (*Pushes)(nil)
	_ LockoutCounter      = (*Lockouts)(nil)
)
