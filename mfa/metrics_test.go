package mfa_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/metrics"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

// sfLabels are the labels of one SecondFactors.Inc.
type sfLabels struct{ provider, factor, outcome, reason string }

// duoCall is one Duo.Observe, without its duration.
type duoCall struct{ endpoint, outcome string }

// fakeMetrics records what a Service reports: it implements the four
// recorder interfaces of mfa.Metrics.
type fakeMetrics struct {
	mu            sync.Mutex
	secondFactors []sfLabels
	duo           []duoCall
	durations     []time.Duration
	lockouts      []string
	pending       int // pushes waiting now
	maxPending    int
	pushes        int // Inc calls
}

type fakeSecondFactors struct{ f *fakeMetrics }
type fakeDuo struct{ f *fakeMetrics }
type fakePushes struct{ f *fakeMetrics }
type fakeLockouts struct{ f *fakeMetrics }

func (r fakeSecondFactors) Inc(provider, factor, outcome, reason string) {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	r.f.secondFactors = append(r.f.secondFactors, sfLabels{provider, factor, outcome, reason})
}

func (r fakeDuo) Observe(endpoint, outcome string, d time.Duration) {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	r.f.duo = append(r.f.duo, duoCall{endpoint, outcome})
	r.f.durations = append(r.f.durations, d)
}

func (r fakePushes) Inc() {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	r.f.pending++
	r.f.pushes++
	r.f.maxPending = max(r.f.maxPending, r.f.pending)
}

func (r fakePushes) Dec() {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	r.f.pending--
}

func (r fakeLockouts) Inc(event string) {
	r.f.mu.Lock()
	defer r.f.mu.Unlock()
	r.f.lockouts = append(r.f.lockouts, event)
}

func (f *fakeMetrics) recorders() mfa.Metrics {
	return mfa.Metrics{SecondFactors: fakeSecondFactors{f}, Duo: fakeDuo{f},
		Pushes: fakePushes{f}, Lockouts: fakeLockouts{f}}
}

// snapshot is what was recorded since the last take.
type snapshot struct {
	secondFactors []sfLabels
	duo           []duoCall
	durations     []time.Duration
	lockouts      []string
	pending       int
	maxPending    int
	pushes        int
}

// take returns what was recorded since the last take and starts afresh
// (the pending level carries over).
func (f *fakeMetrics) take() snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := snapshot{secondFactors: f.secondFactors, duo: f.duo, durations: f.durations,
		lockouts: f.lockouts, pending: f.pending, maxPending: f.maxPending,
		pushes: f.pushes}
	f.secondFactors, f.duo, f.durations, f.lockouts = nil, nil, nil, nil
	f.maxPending, f.pushes = f.pending, 0
	return s
}

// check compares a snapshot with what a case wants.
func (s snapshot) check(t *testing.T, sf []sfLabels, duo []duoCall, lockouts []string,
	pushes int) {
	t.Helper()
	if !slices.Equal(s.secondFactors, sf) {
		t.Errorf("second factors: got %v, want %v", s.secondFactors, sf)
	}
	if !slices.Equal(s.duo, duo) {
		t.Errorf("duo calls: got %v, want %v", s.duo, duo)
	}
	for i, d := range s.durations {
		if d <= 0 {
			t.Errorf("duo call %v: got duration %v, want > 0", s.duo[i], d)
		}
	}
	if !slices.Equal(s.lockouts, lockouts) {
		t.Errorf("lockouts: got %v, want %v", s.lockouts, lockouts)
	}
	if s.pushes != pushes || s.pending != 0 || s.maxPending != min(pushes, 1) {
		t.Errorf("pushes: got %d waits, %d pending, max %d; want %d waits, 0 pending, max %d",
			s.pushes, s.pending, s.maxPending, pushes, min(pushes, 1))
	}
}

var (
	preauthOK    = duoCall{"auth/v2/preauth", metrics.OutcomeOK}
	authOK       = duoCall{"auth/v2/auth", metrics.OutcomeOK}
	authStatusOK = duoCall{"auth/v2/auth_status", metrics.OutcomeOK}
)

// TestMetricsAuthAPI runs Auth API flows one after another and checks what
// each reported.
func TestMetricsAuthAPI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fm := &fakeMetrics{}
	e := newEnv(t, envOptions{metrics: fm.recorders(), pushTimeout: 300 * time.Millisecond})
	acct, _ := e.enableDuo(t, map[string]any{"failmode": "safe", "lockout": map[string]any{
		"max_failures": 1, "window_s": 600, "duration_s": 900}})
	denier := e.user(duosim.Deny, 0)
	slow := e.user(duosim.ApproveAfter, 5*time.Second)

	tests := []struct {
		name     string
		req      mfa.Request
		fault    *duosim.Fault
		sf       sfLabels
		duo      []duoCall
		lockouts []string
		pushes   int
	}{
		{name: "push approved", req: factorRequest(acct, e.user(duosim.Approve, 0), "push"),
			sf:     sfLabels{"duo", "push", metrics.OutcomeAuthenticated, ""},
			duo:    []duoCall{preauthOK, authOK, authStatusOK},
			pushes: 1},
		{name: "push denied locks the user", req: factorRequest(acct, denier, "push"),
			sf:       sfLabels{"duo", "push", metrics.OutcomeDenied, mfa.ReasonUserDenied},
			duo:      []duoCall{preauthOK, authOK, authStatusOK},
			lockouts: []string{metrics.LockoutStarted}, pushes: 1},
		{name: "locked user refused without Duo", req: factorRequest(acct, denier, "push"),
			sf:       sfLabels{"duo", "push", metrics.OutcomeDenied, mfa.ReasonLockedOut},
			lockouts: []string{metrics.LockoutRefused}},
		{name: "locked user refused the prompt too", req: request(acct, denier),
			sf:       sfLabels{"duo", "prompt", metrics.OutcomeDenied, mfa.ReasonLockedOut},
			lockouts: []string{metrics.LockoutRefused}},
		{name: "sms sent", req: factorRequest(acct, e.user(duosim.Approve, 0), "sms"),
			sf:  sfLabels{"duo", "sms", metrics.OutcomeChallenged, mfa.ReasonSMSSent},
			duo: []duoCall{preauthOK, authOK}},
		{name: "not enrolled at Duo", req: factorRequest(acct,
			e.user(duosim.NotEnrolled, 0), "phone"),
			sf:  sfLabels{"duo", "phone", metrics.OutcomeDenied, mfa.ReasonNotEnrolled},
			duo: []duoCall{preauthOK}},
		{name: "push unanswered in PushTimeout", req: factorRequest(acct, slow, "push"),
			sf:  sfLabels{"duo", "push", metrics.OutcomeDenied, mfa.ReasonTimeout},
			duo: []duoCall{preauthOK, authOK, {"auth/v2/auth_status", "timeout"}},
			// the timeout locks this user too (max_failures 1)
			lockouts: []string{metrics.LockoutStarted}, pushes: 1},
		{name: "preauth unreachable fails open",
			req:   factorRequest(acct, e.user(duosim.Approve, 0), "auto"),
			fault: &duosim.Fault{Status5xx: 503, Paths: []string{"/auth/v2/preauth"}},
			sf:    sfLabels{"duo", "auto", metrics.OutcomeFailedOpen, "unreachable"},
			duo:   []duoCall{{"auth/v2/preauth", "unreachable"}}},
		{name: "rate limited during the push",
			req:   factorRequest(acct, e.user(duosim.Approve, 0), "push"),
			fault: &duosim.Fault{RateLimit: true, Paths: []string{"/auth/v2/auth"}},
			sf: sfLabels{"duo", "push", metrics.OutcomeDenied,
				mfa.ReasonRateLimited},
			duo: []duoCall{preauthOK, {"auth/v2/auth", "rate_limited"}}},
		{name: "unknown factor is not a label",
			req: factorRequest(acct, e.user(duosim.Approve, 0), "carrier_pigeon"),
			sf:  sfLabels{"duo", "", metrics.OutcomeDenied, mfa.ReasonInvalidRequest}},
		{name: "module without multi_factor",
			req: mfa.Request{AccountID: acct, AuthModule: "cb_api_auth", MsgID: "m1"},
			sf:  sfLabels{"", "", mfa.OutcomeNotRequired, mfa.ReasonMFANotEnabled}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != nil {
				e.sim.SetFault(*tt.fault)
				defer e.sim.ClearFaults()
			}
			fm.take()
			reply := e.svc.Handle(ctx, tt.req)
			if reply.Reason != tt.sf.reason && reply.Reason != mfa.ReasonFailedOpen {
				t.Fatalf("reply %+v, want reason %s", reply, tt.sf.reason)
			}
			fm.take().check(t, []sfLabels{tt.sf}, tt.duo, tt.lockouts, tt.pushes)
		})
	}
}

// TestMetricsUniversal checks the Universal Prompt's reports: the health
// check and the challenge, then the code exchange and the approval.
func TestMetricsUniversal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fm := &fakeMetrics{}
	e := newEnv(t, envOptions{metrics: fm.recorders()})
	acct := e.kz.Sub.ID
	id := e.universalConfig(t, acct, nil)
	e.enable(t, acct, authModule, map[string]any{"enabled": true, "configuration_id": id,
		"account_id": acct})
	user := e.user(duosim.Approve, 0)

	reply := e.svc.Handle(ctx, request(acct, user))
	wantReply(t, reply, mfa.ResultChallenge, "")
	fm.take().check(t,
		[]sfLabels{{"duo_universal", "prompt", metrics.OutcomeChallenged, ""}},
		[]duoCall{{"oauth/v1/health_check", metrics.OutcomeOK}}, nil, 0)

	code, state := e.prompt(t, reply.Challenge)
	req := request(acct, user)
	req.Response = &mfa.Response{Universal: &mfa.UniversalResponse{
		Code: mfa.Secret(code), State: mfa.Secret(state)}}
	wantReply(t, e.svc.Handle(ctx, req), mfa.ResultAuthenticated, "")
	fm.take().check(t,
		[]sfLabels{{"duo_universal", "prompt", metrics.OutcomeAuthenticated, ""}},
		[]duoCall{{"oauth/v1/token", metrics.OutcomeOK}}, nil, 0)
}

// TestMetricsNilRecorders: a Service with no recorders, or typed nil ones
// from the metrics package, runs a push without panicking.
func TestMetricsNilRecorders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    mfa.Metrics
	}{
		{name: "zero Metrics"},
		{name: "typed nil recorders", m: mfa.Metrics{SecondFactors: (*metrics.SecondFactor)(nil),
			Duo: (*metrics.Duo)(nil), Pushes: (*metrics.Pushes)(nil),
			Lockouts: (*metrics.Lockouts)(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, envOptions{metrics: tt.m})
			acct, _ := e.enableDuo(t, nil)
			reply := e.svc.Handle(context.Background(),
				factorRequest(acct, e.user(duosim.Approve, 0), "push"))
			wantReply(t, reply, mfa.ResultAuthenticated, "")
		})
	}
}
