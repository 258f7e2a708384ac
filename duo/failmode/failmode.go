package failmode

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownMode is returned by ParseMode for a value other than "secure",
// "safe" or empty.
var ErrUnknownMode = errors.New("failmode: unknown mode")

// Mode is a configuration's failmode. The zero value behaves as Secure.
type Mode string

// Failmodes, spelled as in KAZOO's Duo provider documents.
const (
	// Secure fails closed: a Duo outage denies the login. The default.
	Secure Mode = "secure"
	// Safe fails open: a Duo outage during preflight allows the login.
	Safe Mode = "safe"
)

// ParseMode reads a failmode setting. It ignores case and surrounding
// spaces; an empty value means Secure. Anything else is ErrUnknownMode.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", string(Secure):
		return Secure, nil
	case string(Safe):
		return Safe, nil
	}
	return Secure, fmt.Errorf("parsing failmode %q: %w", s, ErrUnknownMode)
}

// Phase says at which step of a login a failure happened.
type Phase string

// Phases of a login.
const (
	// Preflight is the step before the user is asked for a second factor:
	// Auth API preauth, the Universal Prompt health check, building the
	// Web SDK request. Only failures here may fail open.
	Preflight Phase = "preflight"
	// SecondFactor is the verification itself: a push, passcode, phone
	// call, the signed Web SDK response, the Universal Prompt code exchange.
	// Every failure here denies.
	SecondFactor Phase = "second_factor"
)

// Decision is the outcome of Decide.
type Decision struct {
	// Allow reports whether the login may proceed without Duo's approval.
	Allow bool
	// FailedOpen is true when Allow is true only because of Safe mode.
	// The caller must log and record every such decision.
	FailedOpen bool
	// Reason is a short lowercase explanation for logs and failure records.
	// It holds no secret and no user data.
	Reason string
}

// Decide applies the failmode rules described in the package documentation
// to a failure of class c that happened in phase p under mode m. It never
// allows a login except by failing open, so Allow implies FailedOpen.
func Decide(m Mode, c Class, p Phase) Decision {
	if !c.Valid() {
		return deny(fmt.Sprintf("unknown failure class %q", string(c)))
	}
	if p != Preflight && p != SecondFactor {
		return deny(fmt.Sprintf("%s in unknown phase %q", c, string(p)))
	}
	if !c.ServiceFailure() {
		return deny(fmt.Sprintf("%s: %s always denies", p, c))
	}
	if p == SecondFactor {
		return deny(fmt.Sprintf("%s: %s during the second factor denies", p, c))
	}
	if m != Safe {
		return deny(fmt.Sprintf("%s: %s with failmode secure denies", p, c))
	}
	return Decision{
		Allow:      true,
		FailedOpen: true,
		Reason:     fmt.Sprintf("%s: %s with failmode safe allows", p, c),
	}
}

func deny(reason string) Decision {
	return Decision{Reason: reason}
}
