package amqp

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
	"github.com/sirupsen/logrus"
)

// fakeAck records how deliveries are settled.
type fakeAck struct {
	mu      sync.Mutex
	settled map[uint64]string // tag -> acked | requeued | nacked | dead_lettered
	changed chan struct{}     // closed and replaced on every settlement
}

func newFakeAck() *fakeAck {
	return &fakeAck{settled: map[uint64]string{}, changed: make(chan struct{})}
}

func (f *fakeAck) record(tag uint64, how string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settled[tag] = how
	close(f.changed)
	f.changed = make(chan struct{})
	return nil
}

func (f *fakeAck) Ack(tag uint64, _ bool) error { return f.record(tag, "acked") }

func (f *fakeAck) Nack(tag uint64, _ bool, requeue bool) error {
	if requeue {
		return f.record(tag, "requeued")
	}
	return f.record(tag, "nacked")
}

func (f *fakeAck) Reject(tag uint64, requeue bool) error {
	if requeue {
		return f.record(tag, "requeued")
	}
	return f.record(tag, "dead_lettered")
}

func (f *fakeAck) how(tag uint64) (string, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settled[tag], f.changed
}

// fakePub records published messages and fails when err is set.
type fakePub struct {
	mu   sync.Mutex
	sent []Message
	err  error
}

func (p *fakePub) Publish(_ context.Context, m Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.sent = append(p.sent, m)
	return nil
}

func (p *fakePub) messages() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.sent...)
}

// funcHandler adapts functions to Handler; nil functions answer
// authenticated and store successfully.
type funcHandler struct {
	request func(context.Context, *Request) *Reply
	attempt func(context.Context, *AttemptEvent) error
}

func (h funcHandler) HandleRequest(ctx context.Context, r *Request) *Reply {
	if h.request == nil {
		return &Reply{Result: ResultAuthenticated}
	}
	return h.request(ctx, r)
}

func (h funcHandler) HandleAttempt(ctx context.Context, ev *AttemptEvent) error {
	if h.attempt == nil {
		return nil
	}
	return h.attempt(ctx, ev)
}

func quietLogger() logrus.FieldLogger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetLevel(logrus.ErrorLevel)
	return l
}

// unitRig drives a Consumer's dispatcher and workers without a broker.
type unitRig struct {
	t    *testing.T
	c    *Consumer
	ack  *fakeAck
	pub  *fakePub
	sess *session
	feed chan amqp091.Delivery
	done chan struct{}
	tag  uint64
}

func newUnitRig(t *testing.T, cfg Config, h Handler) *unitRig {
	t.Helper()
	cfg.URL = "amqp://unit.invalid/"
	cfg.Logger = quietLogger()
	if cfg.Retry.Initial == 0 {
		cfg.Retry = Backoff{Initial: time.Millisecond, Max: 2 * time.Millisecond}
	}
	c, err := NewConsumer(cfg, h)
	if err != nil {
		t.Fatalf("NewConsumer: %v", err)
	}
	r := &unitRig{t: t, c: c, ack: newFakeAck(), pub: &fakePub{},
		sess: newSessionState(), feed: make(chan amqp091.Delivery), done: make(chan struct{})}
	r.sess.pub = r.pub
	r.sess.deliveries = r.feed
	c.startWorkers()
	go func() {
		defer close(r.done)
		c.dispatch(r.sess)
	}()
	t.Cleanup(r.close)
	return r
}

// send delivers body and returns its delivery tag.
func (r *unitRig) send(body []byte) uint64 {
	r.tag++
	r.feed <- amqp091.Delivery{Acknowledger: r.ack, DeliveryTag: r.tag, Body: body}
	return r.tag
}

// wait returns how tag was settled, failing the test after a generous
// deadline (the work itself takes microseconds).
func (r *unitRig) wait(tag uint64) string {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		how, changed := r.ack.how(tag)
		if how != "" {
			return how
		}
		select {
		case <-changed:
		case <-deadline:
			r.t.Fatalf("delivery %d never settled", tag)
		}
	}
}

func (r *unitRig) close() {
	close(r.feed)
	<-r.done
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.c.tracker.waitEmpty(ctx); err != nil {
		r.t.Errorf("jobs left unsettled: %v", err)
	}
	r.c.cancelHandler()
	close(r.c.fast)
	if r.c.slow != r.c.fast {
		close(r.c.slow)
	}
	r.c.workers.Wait()
}

var errTemporary = errors.New("store unavailable")
