package amqp

import (
	"context"
	"sync"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

type jobKind int

const (
	kindRequest jobKind = iota // a valid mfa_req
	kindAttempt                // a valid login_attempt
	kindInvalid                // an answerable message that gets an error reply
)

// jobState tracks who settles a delivery, so that it is acked, requeued or
// rejected exactly once even when Stop and a worker race.
type jobState int

const (
	statePending jobState = iota // queued or in its handler; Stop may abandon it
	stateClaimed                 // a worker is publishing the reply or settling
	stateDelayed                 // waiting for a requeue delay; Stop may expedite it
	stateSettled                 // acked, requeued, rejected or dropped
)

// settlement is what happens to a delivery at the broker.
type settlement int

const (
	settleAck settlement = iota
	settleRequeue
	settleDeadLetter
	settleDrop // the channel is gone; the broker requeued it already
)

func (s settlement) String() string {
	return [...]string{"acked", "requeued", "dead_lettered", "dropped"}[s]
}

// job is one delivery on its way through a worker.
type job struct {
	d        amqp091.Delivery
	sess     *session
	kind     jobKind
	env      Envelope
	req      *Request
	ev       *AttemptEvent
	invalid  *Reply // the error reply of a kindInvalid job
	received time.Time

	mu    sync.Mutex
	state jobState
	timer *time.Timer
	out   outcome // why a delayed job is requeued, for the log
}

// settle performs s at the broker unless the job was settled already and
// reports whether it did. Broker errors are ignored: they mean the channel
// is gone and the broker redelivers the message.
func (j *job) settle(s settlement) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.state == stateSettled {
		return false
	}
	j.state = stateSettled
	switch s {
	case settleAck:
		_ = j.d.Ack(false)
	case settleRequeue:
		_ = j.d.Nack(false, true)
	case settleDeadLetter:
		_ = j.d.Reject(false)
	}
	return true
}

// claim moves a pending job to claimed; false means Stop abandoned it.
func (j *job) claim() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.state != statePending {
		return false
	}
	j.state = stateClaimed
	return true
}

// abandon requeues a job that is still pending; false when it was claimed
// or settled already.
func (j *job) abandon() bool {
	j.mu.Lock()
	pending := j.state == statePending
	j.mu.Unlock()
	return pending && j.settle(settleRequeue)
}

// settled reports whether the job is done.
func (j *job) settled() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state == stateSettled
}

// delay requeues a claimed job after d; done runs once it is requeued.
func (j *job) delay(d time.Duration, done func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state = stateDelayed
	j.timer = time.AfterFunc(d, func() {
		if j.settle(settleRequeue) {
			done()
		}
	})
}

// expedite requeues a delayed job now; false when it is not delayed or its
// timer already fired.
func (j *job) expedite() bool {
	j.mu.Lock()
	delayed := j.state == stateDelayed && j.timer.Stop()
	j.mu.Unlock()
	return delayed && j.settle(settleRequeue)
}

// tracker holds the jobs not yet settled.
type tracker struct {
	mu      sync.Mutex
	jobs    map[*job]struct{}
	changed chan struct{} // closed and replaced on every remove
}

func newTracker() *tracker {
	return &tracker{jobs: map[*job]struct{}{}, changed: make(chan struct{})}
}

func (t *tracker) add(j *job) {
	t.mu.Lock()
	t.jobs[j] = struct{}{}
	t.mu.Unlock()
}

func (t *tracker) remove(j *job) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.jobs[j]; !ok {
		return
	}
	delete(t.jobs, j)
	close(t.changed)
	t.changed = make(chan struct{})
}

func (t *tracker) snapshot() []*job {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*job, 0, len(t.jobs))
	for j := range t.jobs {
		out = append(out, j)
	}
	return out
}

// waitEmpty returns nil once no job is tracked, or ctx's error.
func (t *tracker) waitEmpty(ctx context.Context) error {
	for {
		t.mu.Lock()
		n, changed := len(t.jobs), t.changed
		t.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}
