package amqp

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"
)

// Handler is the domain behind the consumer (package mfa).
//
// HandleRequest returns the reply to an mfa_req; the transport fills the
// reply's envelope (Msg-ID, names) and publishes it. A nil or invalid
// reply is answered as ResultError with ReasonInternal. It must not keep
// req after returning.
//
// HandleAttempt records a login_attempt. A nil error acks the message. An
// error wrapped with Permanent dead-letters it. Any other error is taken as
// temporary (e.g. CouchDB down): the message is requeued after a delay and
// redelivered, possibly to another replica, so the same event may arrive
// again; derive stored ids from Msg-ID so that a redelivery never
// duplicates.
//
// Both are called concurrently from the worker pools and must return soon
// after ctx is done (Stop's deadline, or Config.HandlerTimeout). A panic is
// recovered: an error reply for a request, dead-lettering for an event.
type Handler interface {
	HandleRequest(ctx context.Context, req *Request) *Reply
	HandleAttempt(ctx context.Context, ev *AttemptEvent) error
}

// State is the consumer's readiness, for health checks.
type State struct {
	// Connected: a connection to the broker is open and the topology is
	// declared.
	Connected bool
	// Consuming: deliveries are flowing from the queue.
	Consuming bool
	// Err is why the last connection attempt failed or the last session
	// ended; nil when none did.
	Err error
}

// Stats are the consumer's counters since Start.
type Stats struct {
	// Connects counts sessions opened; Reconnects those after the first.
	Connects, Reconnects uint64
	// ConnectFailures counts failed connection or set-up attempts.
	ConnectFailures uint64
	// Acked, Requeued and DeadLettered count settled deliveries; Dropped
	// counts those whose channel died first (the broker redelivers them).
	Acked, Requeued, DeadLettered, Dropped uint64
	// Replies counts confirmed replies; ReplyFailures replies whose
	// publish failed (the request is requeued).
	Replies, ReplyFailures uint64
}

// Consumer consumes the module's queue, hands requests and attempt events
// to a Handler on bounded worker pools, publishes replies and reconnects by
// itself. Create it with NewConsumer, then Start and finally Stop it.
type Consumer struct {
	cfg Config
	h   Handler
	log logrus.FieldLogger

	fast, slow chan *job
	tracker    *tracker
	workers    sync.WaitGroup

	handlerCtx    context.Context
	cancelHandler context.CancelFunc

	lifeMu           sync.Mutex // guards started and stopped
	started, stopped bool
	stopping         chan struct{} // closed by Stop
	release          chan struct{} // closed by Stop once in-flight work is settled
	supervisorDone   chan struct{}

	mu      sync.Mutex
	state   State
	changed chan struct{}

	streak atomic.Int64 // consecutive temporary failures
	stats  struct {
		connects, failures, acked, requeued, dead, dropped atomic.Uint64
		replies, replyFailures                             atomic.Uint64
	}
}

// NewConsumer checks cfg and returns a Consumer that is not yet connected.
func NewConsumer(cfg Config, h Handler) (*Consumer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Consumer{
		cfg:            cfg,
		h:              h,
		log:            cfg.Logger,
		tracker:        newTracker(),
		stopping:       make(chan struct{}),
		release:        make(chan struct{}),
		supervisorDone: make(chan struct{}),
		changed:        make(chan struct{}),
	}
	c.handlerCtx, c.cancelHandler = context.WithCancel(context.Background())
	c.fast = make(chan *job, 2*cfg.Prefetch)
	c.slow = c.fast
	if !cfg.SlowLane.Disabled {
		c.slow = make(chan *job, 2*cfg.Prefetch)
	}
	return c, nil
}

// Start starts the workers and connects in the background: it returns at
// once, and the consumer retries with backoff until the broker is
// reachable. Watch Consuming, WaitConsuming or Config.OnStateChange for
// readiness. Start fails with ErrStarted when called twice or after Stop.
func (c *Consumer) Start() error {
	c.lifeMu.Lock()
	defer c.lifeMu.Unlock()
	if c.started || c.stopped {
		return ErrStarted
	}
	c.started = true
	c.startWorkers()
	go c.supervise()
	return nil
}

func (c *Consumer) startWorkers() {
	c.workers.Add(c.cfg.Workers)
	for range c.cfg.Workers {
		go c.work(c.fast)
	}
	if !c.cfg.SlowLane.Disabled {
		c.workers.Add(c.cfg.SlowLane.Workers)
		for range c.cfg.SlowLane.Workers {
			go c.work(c.slow)
		}
	}
}

// Stop shuts the consumer down gracefully: it cancels the consumer at the
// broker (basic.cancel) and requeues deliveries not yet started, requeues
// now the events waiting for a retry delay, and waits for the handlers in
// progress until ctx is done. Then it cancels the handlers' context,
// requeues every delivery whose handler has not finished (another replica
// takes it; a late result is discarded, never published), waits up to
// ConfirmTimeout for a reply being published at that moment, and closes
// the connection. It returns ctx's error when ctx ended first; handlers
// still running then return in the background. Stop may be called once
// the consumer was started or not; later calls return nil at once.
func (c *Consumer) Stop(ctx context.Context) error {
	c.lifeMu.Lock()
	already, started := c.stopped, c.started
	c.stopped = true
	c.lifeMu.Unlock()
	if already {
		return nil
	}
	close(c.stopping)
	if !started {
		c.cancelHandler()
		return nil
	}

	var err error
	c.expediteRetries()
	c.abandonQueued()
	if err = c.tracker.waitEmpty(ctx); err != nil {
		c.cancelHandler()
		for _, j := range c.tracker.snapshot() {
			c.abandon(j, "stop deadline")
		}
		c.expediteRetries()
		grace, cancel := context.WithTimeout(context.Background(), c.cfg.ConfirmTimeout)
		_ = c.tracker.waitEmpty(grace)
		cancel()
	}

	close(c.release)
	<-c.supervisorDone
	close(c.fast)
	if c.slow != c.fast {
		close(c.slow)
	}
	if err == nil {
		c.workers.Wait()
	}
	c.cancelHandler()
	return err
}

// State returns the current readiness state.
func (c *Consumer) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Connected reports whether a connection is open with the topology
// declared.
func (c *Consumer) Connected() bool { return c.State().Connected }

// Consuming reports whether deliveries are flowing.
func (c *Consumer) Consuming() bool { return c.State().Consuming }

// WaitConsuming returns nil once the consumer is consuming, or ctx's error.
func (c *Consumer) WaitConsuming(ctx context.Context) error {
	for {
		c.mu.Lock()
		ok, changed := c.state.Consuming, c.changed
		c.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// Stats returns the counters.
func (c *Consumer) Stats() Stats {
	connects := c.stats.connects.Load()
	return Stats{
		Connects:        connects,
		Reconnects:      max(connects, 1) - 1,
		ConnectFailures: c.stats.failures.Load(),
		Acked:           c.stats.acked.Load(),
		Requeued:        c.stats.requeued.Load(),
		DeadLettered:    c.stats.dead.Load(),
		Dropped:         c.stats.dropped.Load(),
		Replies:         c.stats.replies.Load(),
		ReplyFailures:   c.stats.replyFailures.Load(),
	}
}

// setState applies change and notifies watchers and OnStateChange. Only
// the supervisor goroutine calls it, so notifications arrive in order.
func (c *Consumer) setState(change func(*State)) {
	c.mu.Lock()
	change(&c.state)
	now := c.state
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
	if c.cfg.OnStateChange != nil {
		c.cfg.OnStateChange(now)
	}
}

func (c *Consumer) isStopping() bool {
	select {
	case <-c.stopping:
		return true
	default:
		return false
	}
}

// sleep waits d or until Stop; false means Stop.
func (c *Consumer) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.stopping:
		return false
	}
}
