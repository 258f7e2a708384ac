package mfa

import (
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
)

// outcome is what a step decided, before it is recorded and answered.
type outcome struct {
	result    Result
	reason    string
	challenge map[string]any
	// factor is the factor used, for the record ("push", "prompt", ...).
	factor string
	// details go to the record's details (Duo's status and message, txid,
	// ...): never a secret.
	details map[string]any
	// err is the cause of a failure: logged, and its text recorded. Error
	// texts of this module's packages carry no secret.
	err error
}

// recorded reports whether the outcome becomes a login_attempt: every
// denial, and every fail-open.
func (o outcome) recorded() bool {
	return o.result == ResultDenied ||
		o.result == ResultAuthenticated && o.reason == ReasonFailedOpen
}

// with returns o with details added from key, value pairs; empty string
// values are left out.
func (o outcome) with(kv ...any) outcome {
	if o.details == nil {
		o.details = map[string]any{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if v, isString := kv[i+1].(string); !ok || isString && v == "" {
			continue
		}
		o.details[k] = kv[i+1]
	}
	return o
}

// deny is a denial for reason, caused by err (nil when there is no error
// to show).
func deny(reason string, err error) outcome {
	return outcome{result: ResultDenied, reason: reason, err: err}
}

// internal is a failure of a store or of this service: ResultError, to be
// retried by the caller, never a grant.
func internal(err error) outcome {
	return outcome{result: ResultError, reason: ReasonInternal, err: err}
}

func authenticated(reason string) outcome {
	return outcome{result: ResultAuthenticated, reason: reason}
}

func challenge(reason string, c map[string]any) outcome {
	return outcome{result: ResultChallenge, reason: reason, challenge: c}
}

// failure turns a Duo client's failure of class c in phase p into an
// outcome, applying the configuration's failmode in the one place it is
// decided, failmode.Decide: only a Duo service failure during preflight
// under failmode safe allows the login (ReasonFailedOpen, recorded);
// everything else denies with the class's reason. An Internal class (a
// store failed, e.g. the replay guard) is ResultError.
func failure(mode failmode.Mode, c failmode.Class, p failmode.Phase, err error) outcome {
	d := failmode.Decide(mode, c, p)
	switch {
	case d.Allow:
		return outcome{result: ResultAuthenticated, reason: ReasonFailedOpen, err: err}.
			with("duo_class", string(c), "phase", string(p), "failmode", string(mode))
	case c == failmode.Internal:
		return internal(err)
	}
	return deny(reasonFor(c), err).with("duo_class", string(c), "phase", string(p))
}
