package duosim

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// verdict is Duo's answer to an authentication: result, status, message.
type verdict struct {
	Result    string `json:"result"`
	Status    string `json:"status"`
	StatusMsg string `json:"status_msg"`
}

func (v verdict) outcome() string { return v.Result + "/" + v.Status }

// The verdicts the simulator hands out, by Duo status.
var (
	vAllow   = verdict{"allow", "allow", "Success. Logging you in..."}
	vBypass  = verdict{"allow", "bypass", "Allowing bypass user."}
	vDeny    = verdict{"deny", "deny", "Login request denied."}
	vFraud   = verdict{"deny", "fraud", "Login request reported as fraudulent."}
	vTimeout = verdict{"deny", "timeout", "Login timed out."}
	vLocked  = verdict{"deny", "locked_out", "Your account is locked out."}
	vSent    = verdict{"deny", "sent", "New SMS passcodes sent."}
	vBadCode = verdict{"deny", "deny", "Incorrect passcode. Please try again."}
)

// interimStatus is the auth_status status of a pending transaction, by
// factor.
var interimStatus = map[string]string{"push": "pushed", "phone": "calling"}

// verdictFor is the final answer of a push or call for behavior b (which
// is never NotEnrolled: such a user has no device to push or call).
func verdictFor(b Behavior) verdict {
	switch b {
	case Approve, ApproveAfter:
		return vAllow
	case Deny:
		return vDeny
	case Fraud:
		return vFraud
	case Bypass:
		return vBypass
	case LockedOut:
		return vLocked
	}
	return vTimeout // Timeout, Manual
}

// transaction is one authentication, answered at once or later.
type transaction struct {
	id       string
	user     string
	ikey     string // integration that started it; only it may poll
	factor   string // effective factor: push, phone, sms, passcode
	interim  string // status while waiting: pushed or calling
	created  time.Time
	final    verdict
	done     chan struct{} // closed when resolved
	resolved bool
	polled   bool // auth_status has reported the interim status once
	timer    *time.Timer
}

// resolveLocked fixes the answer and wakes waiters; later calls do
// nothing. s.mu must be held.
func (tx *transaction) resolveLocked(v verdict) {
	if tx.resolved {
		return
	}
	tx.resolved = true
	tx.final = v
	close(tx.done)
	tx.stopTimer()
}

func (tx *transaction) stopTimer() {
	if tx.timer != nil {
		tx.timer.Stop()
	}
}

// txRetention is how long a resolved transaction stays queryable.
const txRetention = 10 * time.Minute

// plan is what an auth request will do: answer v at once, or, when
// pending (push, phone), after wait of real time unless Answer comes
// first.
type plan struct {
	factor  string
	v       verdict
	wait    time.Duration
	pending bool
}

// planAuthLocked decides the answer to /auth/v2/auth for the user and
// parameters. s.mu must be held (it consumes passcodes and sends SMS).
//
// A bypass or locked out user is answered at once whatever the factor. A
// user without a device able to do the factor, such as one not enrolled,
// is refused as Duo refuses it: HTTP 400, code 40002, detail "no capable
// device" (or "device" for a device id the user does not have). A
// passcode is checked against the user's passcodes; a not enrolled user's
// scripted ones act as bypass codes.
func (s *Server) planAuthLocked(st *userState, factor string, p url.Values) (plan, *apiError) {
	b := st.Behavior
	device := p.Get("device")
	switch factor {
	case "auto", "push", "phone", "sms":
		if factor != "auto" && device == "" {
			return plan{}, errMissingParam("device")
		}
	case "passcode":
		if p.Get("passcode") == "" {
			return plan{}, errMissingParam("passcode")
		}
	default:
		return plan{}, errInvalidParam("factor")
	}
	if b == Bypass || b == LockedOut {
		return plan{factor: factor, v: verdictFor(b)}, nil
	}

	switch factor {
	case "passcode":
		if st.usePasscodeLocked(p.Get("passcode")) {
			return plan{factor: factor, v: vAllow}, nil
		}
		return plan{factor: factor, v: vBadCode}, nil
	case "sms":
		if aerr := st.capableDevice(device, CapSMS); aerr != nil {
			return plan{}, aerr
		}
		st.sendSMSLocked()
		return plan{factor: factor, v: vSent}, nil
	case "auto":
		if st.capableDevice(device, CapPush) == nil {
			factor = "push"
		} else {
			factor = "phone"
		}
	}
	if aerr := st.capableDevice(device, factor); aerr != nil {
		return plan{}, aerr
	}

	pl := plan{factor: factor, v: verdictFor(b), wait: st.Delay, pending: true}
	if (b == Timeout && st.Delay == 0) || b == Manual {
		pl.wait = s.opts.PushTimeout
	}
	return pl, nil
}

// startTxLocked registers a transaction for pl. s.mu must be held.
func (s *Server) startTxLocked(user, ikey string, pl plan) *transaction {
	s.purgeTxsLocked()
	tx := &transaction{
		id:      txID(),
		user:    user,
		ikey:    ikey,
		factor:  pl.factor,
		interim: interimStatus[pl.factor],
		created: time.Now(),
		done:    make(chan struct{}),
	}
	s.txs[tx.id] = tx
	if !pl.pending || pl.wait <= 0 {
		tx.resolveLocked(pl.v)
		return tx
	}
	if s.closed {
		return tx // Close already stopped the timers; waiters wake on closing
	}
	tx.timer = time.AfterFunc(pl.wait, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		tx.resolveLocked(pl.v)
	})
	return tx
}

func (s *Server) purgeTxsLocked() {
	if time.Since(s.lastPurge) < time.Minute {
		return
	}
	s.lastPurge = time.Now()
	cutoff := time.Now().Add(-txRetention)
	for id, tx := range s.txs {
		if tx.resolved && tx.created.Before(cutoff) {
			delete(s.txs, id)
		}
	}
}

// wait blocks until tx is resolved, ctx ends, the server closes or hold
// lapses (hold <= 0: no limit). It reports whether tx is resolved.
func (s *Server) wait(ctx context.Context, tx *transaction, hold time.Duration) bool {
	var lapse <-chan time.Time
	if hold > 0 {
		t := time.NewTimer(hold)
		defer t.Stop()
		lapse = t.C
	}
	select {
	case <-tx.done:
		return true
	case <-ctx.Done():
	case <-s.closing:
	case <-lapse:
	}
	return false
}

// txID returns a transaction id shaped like Duo's (a UUID).
func txID() string {
	id := strings.ToLower(randomID(32))
	return id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]
}
