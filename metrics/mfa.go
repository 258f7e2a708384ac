package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes of a second factor, the outcome label of
// duo_kazoo_second_factor_total.
const (
	// OutcomeChallenged: the client was sent a challenge (a Web SDK
	// sig_request or a Universal Prompt URL) to complete.
	OutcomeChallenged = "challenged"
	// OutcomeAuthenticated: Duo approved the user.
	OutcomeAuthenticated = "authenticated"
	// OutcomeDenied: the login was refused; reason says why.
	OutcomeDenied = "denied"
	// OutcomeFailedOpen: Duo could not be used and the configuration's
	// failmode "safe" let the user in; reason says why.
	OutcomeFailedOpen = "failed_open"
	// OutcomeError: the request could not be handled; reason says why.
	OutcomeError = "error"
)

// Lockout events, the event label of duo_kazoo_lockouts_total.
const (
	// LockoutStarted: a user reached the failure limit and is now locked
	// out.
	LockoutStarted = "started"
	// LockoutRefused: a login was refused, without calling Duo, because
	// its user is locked out.
	LockoutRefused = "refused"
)

// SecondFactor counts second factors run:
// duo_kazoo_second_factor_total{provider, factor, outcome, reason}.
type SecondFactor struct {
	total *counterVec
}

func newSecondFactor() *SecondFactor {
	return &SecondFactor{total: newCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "second_factor_total",
		Help: "Second factors by provider, factor, outcome and reason code.",
	}, []string{"provider", "factor", "outcome", "reason"},
		[]int{limitDefault, limitDefault, limitDefault, limitReason})}
}

func (s *SecondFactor) collectors() []prometheus.Collector {
	return []prometheus.Collector{s.total.vec}
}

// Inc counts one second factor. provider is the provider_name ("duo",
// "duo_universal"); factor is "prompt" for the Web SDK frame and the
// Universal Prompt, or the Auth API factor ("push", "sms", "phone",
// "passcode", "auto"); outcome is one of the Outcome constants; reason is
// the stable reason code of a denial, failure or fail-open (a failmode
// class such as "unreachable", or an mfa code such as "locked_out"), ""
// otherwise.
func (s *SecondFactor) Inc(provider, factor, outcome, reason string) {
	if s == nil {
		return
	}
	s.total.with(labels{provider, factor, outcome, reason}).Inc()
}

// Pushes is the number of Auth API requests waiting for the user (push,
// phone call): duo_kazoo_duo_pushes_pending.
type Pushes struct {
	pending prometheus.Gauge
}

func newPushes() *Pushes {
	return &Pushes{pending: prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "duo", Name: "pushes_pending",
		Help: "Auth API requests waiting for the user's answer (push, phone call).",
	})}
}

func (p *Pushes) collectors() []prometheus.Collector {
	return []prometheus.Collector{p.pending}
}

// Inc counts a request that starts waiting for the user. Every Inc must
// be followed by one Dec (defer it).
func (p *Pushes) Inc() {
	if p == nil {
		return
	}
	p.pending.Inc()
}

// Dec counts a waiting request that ended, whatever its outcome.
func (p *Pushes) Dec() {
	if p == nil {
		return
	}
	p.pending.Dec()
}

// Lockouts counts lockout events: duo_kazoo_lockouts_total{event}.
type Lockouts struct {
	total *counterVec
}

func newLockouts() *Lockouts {
	return &Lockouts{total: newCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "lockouts_total",
		Help: "Lockout events: users locked out (started) and logins refused while locked.",
	}, []string{"event"}, []int{limitDefault})}
}

func (l *Lockouts) collectors() []prometheus.Collector {
	return []prometheus.Collector{l.total.vec}
}

// Inc counts one lockout event, LockoutStarted or LockoutRefused.
func (l *Lockouts) Inc(event string) {
	if l == nil {
		return
	}
	l.total.with(labels{event}).Inc()
}
