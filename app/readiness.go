package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// Check reports whether one dependency of the replica is usable: nil
// when it is. It must return within the context's deadline.
type Check func(ctx context.Context) error

// ErrNotReady is what a check made by ReadyWhen returns while its
// condition is false.
var ErrNotReady = errors.New("not ready")

// checkTimeout bounds one run of a check.
const checkTimeout = 2 * time.Second

// Readiness answers GET /readyz from named checks: the replica is ready
// when every check passes. Checks run on each request, so slow ones must
// be wrapped with Cached. The response names the checks and which are
// down, never why (errors are logged when a check changes state). Safe
// for concurrent use.
type Readiness struct {
	log    logrus.FieldLogger
	mu     sync.Mutex
	checks map[string]Check
	state  map[string]bool // last result of each check, for logging changes
}

// NewReadiness returns a Readiness without checks (always ready).
func NewReadiness(log logrus.FieldLogger) *Readiness {
	return &Readiness{log: log, checks: map[string]Check{}, state: map[string]bool{}}
}

// Add registers check under name, replacing a check of that name. Names
// appear in the /readyz body: "couchdb", "design_docs", "amqp".
func (r *Readiness) Add(name string, check Check) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checks[name] = check
}

// ReadinessReport is the /readyz body.
type ReadinessReport struct {
	// Status is "ready" or "not_ready".
	Status string `json:"status"`
	// Checks maps each check to "ok" or "down".
	Checks map[string]string `json:"checks"`
	// Down lists the failing checks, sorted; empty when ready.
	Down []string `json:"down"`
}

// Ready reports whether every check passes.
func (rep ReadinessReport) Ready() bool { return len(rep.Down) == 0 }

// Check runs every check, concurrently, each bounded by a short timeout.
func (r *Readiness) Check(ctx context.Context) ReadinessReport {
	r.mu.Lock()
	checks := make(map[string]Check, len(r.checks))
	for n, c := range r.checks {
		checks[n] = c
	}
	r.mu.Unlock()

	errs := make(map[string]error, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, checkTimeout)
			defer cancel()
			err := check(cctx)
			mu.Lock()
			errs[name] = err
			mu.Unlock()
		}()
	}
	wg.Wait()

	rep := ReadinessReport{Status: "ready", Checks: map[string]string{}, Down: []string{}}
	for name, err := range errs {
		rep.Checks[name] = "ok"
		if err != nil {
			rep.Checks[name] = "down"
			rep.Down = append(rep.Down, name)
		}
		r.logChange(name, err)
	}
	sort.Strings(rep.Down)
	if len(rep.Down) > 0 {
		rep.Status = "not_ready"
	}
	return rep
}

// logChange logs a check that went down or came back, once per change.
func (r *Readiness) logChange(name string, err error) {
	r.mu.Lock()
	prev, seen := r.state[name]
	r.state[name] = err == nil
	r.mu.Unlock()
	switch {
	case err != nil && (!seen || prev):
		r.log.WithField("check", name).WithError(err).Warn("readiness: check down")
	case err == nil && seen && !prev:
		r.log.WithField("check", name).Info("readiness: check ok again")
	}
}

// ServeHTTP answers GET and HEAD /readyz: 200 when ready, 503 otherwise,
// with a ReadinessReport body. It needs no auth and reveals no detail.
func (r *Readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rep := r.Check(req.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if !rep.Ready() {
		status = http.StatusServiceUnavailable
	}
	w.WriteHeader(status)
	if req.Method != http.MethodHead {
		_ = json.NewEncoder(w).Encode(rep)
	}
}

// ReadyWhen is a check that passes while ok returns true, such as the AMQP
// consumer's Consuming.
func ReadyWhen(ok func() bool) Check {
	return func(context.Context) error {
		if !ok() {
			return ErrNotReady
		}
		return nil
	}
}

// Cached returns a check that runs check at most once per interval and
// otherwise answers its last result, so /readyz stays cheap however often
// it is polled. While one caller refreshes a stale result, concurrent
// callers get the previous one instead of waiting; only the very first
// calls wait for a result.
func Cached(interval time.Duration, check Check) Check {
	c := &cachedCheck{interval: interval, check: check, ready: make(chan struct{})}
	return c.run
}

type cachedCheck struct {
	interval time.Duration
	check    Check

	mu      sync.Mutex
	at      time.Time
	err     error
	has     bool
	running bool
	ready   chan struct{} // closed once the first result exists
}

func (c *cachedCheck) run(ctx context.Context) error {
	c.mu.Lock()
	fresh := c.has && time.Since(c.at) < c.interval
	if fresh || c.running {
		has, err := c.has, c.err
		c.mu.Unlock()
		if has {
			return err
		}
		select { // the first result is being computed
		case <-c.ready:
			c.mu.Lock()
			defer c.mu.Unlock()
			return c.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c.running = true
	c.mu.Unlock()

	err := c.check(ctx)

	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.has {
		close(c.ready)
	}
	c.at, c.err, c.has, c.running = time.Now(), err, true, false
	return err
}
