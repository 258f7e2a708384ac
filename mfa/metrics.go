package mfa

import (
	"time"

	"github.com/duo-kazoo/duo-kazoo/metrics"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// Metrics are the recorders a Service reports to. Each field may be nil,
// which records nothing; *metrics.SecondFactor, *metrics.Duo,
// *metrics.Pushes and *metrics.Lockouts implement them. Every label value
// comes from a bounded set: never an account id, a username or a Duo txid.
type Metrics struct {
	// SecondFactors counts every Handle once, when its reply is known:
	// provider "duo", "duo_universal" or "" (no configuration loaded);
	// factor "prompt", "push", "sms", "phone", "passcode", "auto" or ""
	// (see handleFactor); outcome metrics.OutcomeAuthenticated,
	// OutcomeChallenged, OutcomeDenied, OutcomeError, OutcomeFailedOpen or
	// OutcomeNotRequired; reason the reply's reason code, or for a
	// fail-open the failure class ("unreachable", "rate_limited").
	SecondFactors metrics.SecondFactorCounter
	// Duo records every call to Duo: endpoint "auth/v2/preauth",
	// "auth/v2/auth", "auth/v2/auth_status" (the whole wait for the user,
	// however many long polls it took), "oauth/v1/health_check" or
	// "oauth/v1/token" (the code exchange, id_token check included);
	// outcome metrics.OutcomeOK when Duo answered, whatever it said about
	// the user, "timeout" or "cancelled" when the call's context ended
	// first, else the failure class ("unreachable", "rate_limited",
	// "bad_config", "invalid_response", "internal"); and its duration.
	Duo metrics.DuoObserver
	// Pushes is raised while a push, phone call or auto waits for the
	// user's answer, and lowered when the wait ends, however it ends.
	Pushes metrics.PushGauge
	// Lockouts counts metrics.LockoutStarted when a failure locks a user,
	// and metrics.LockoutRefused when a locked user is refused without
	// contacting Duo. Duo's own lock (preauth deny) counts neither.
	Lockouts metrics.LockoutCounter
}

// OutcomeNotRequired is the outcome label of a Handle answered
// ResultNotRequired (the metrics package names the other outcomes).
const OutcomeNotRequired = string(ResultNotRequired)

// withDefaults replaces the nil recorders by ones that record nothing, so
// that callers never test for nil.
func (m Metrics) withDefaults() Metrics {
	if m.SecondFactors == nil {
		m.SecondFactors = nopSecondFactors{}
	}
	if m.Duo == nil {
		m.Duo = nopDuo{}
	}
	if m.Pushes == nil {
		m.Pushes = nopPushes{}
	}
	if m.Lockouts == nil {
		m.Lockouts = nopLockouts{}
	}
	return m
}

type nopSecondFactors struct{}

func (nopSecondFactors) Inc(_, _, _, _ string) {}

type nopDuo struct{}

func (nopDuo) Observe(string, string, time.Duration) {}

type nopPushes struct{}

func (nopPushes) Inc() {}
func (nopPushes) Dec() {}

type nopLockouts struct{}

func (nopLockouts) Inc(string) {}

// countHandle counts a handled request in Metrics.SecondFactors.
func (s *Service) countHandle(lc *login, out outcome, reply Reply) {
	provider := handleProvider(lc)
	outcomeLabel, reason := handleOutcome(out, reply)
	s.opts.Metrics.SecondFactors.Inc(provider, handleFactor(lc, provider), outcomeLabel,
		reason)
}

// handleProvider is the provider label: the loaded configuration's
// provider when it is a known one, else "".
func handleProvider(lc *login) string {
	switch p := lc.cfg.Provider; p {
	case provider.ProviderDuo, provider.ProviderUniversal:
		return p
	}
	return ""
}

// handleFactor is the factor label: the requested Auth API factor when it
// is a known one; "prompt" for a request without a factor once a provider
// is known (its prompt was, or would have been, used); else "". Unknown
// factors, which the client chose, are never used as labels.
func handleFactor(lc *login, provider string) string {
	switch f := lc.req.Factor; {
	case f != "" && knownFactor(f):
		return f
	case f == "" && provider != "":
		return factorPrompt
	}
	return ""
}

// handleOutcome is the outcome and reason labels of a reply.
func handleOutcome(out outcome, reply Reply) (string, string) {
	switch reply.Result {
	case ResultAuthenticated:
		if reply.Reason == ReasonFailedOpen {
			class, _ := out.details["duo_class"].(string)
			if class == "" {
				class = reply.Reason
			}
			return metrics.OutcomeFailedOpen, class
		}
		return metrics.OutcomeAuthenticated, reply.Reason
	case ResultChallenge:
		return metrics.OutcomeChallenged, reply.Reason
	case ResultDenied:
		return metrics.OutcomeDenied, reply.Reason
	case ResultNotRequired:
		return OutcomeNotRequired, reply.Reason
	}
	return metrics.OutcomeError, reply.Reason
}
