package amqp

import (
	"context"
	"errors"
	"fmt"
)

// outcome is what a worker made of a message, for the log.
type outcome struct {
	result string // a Result, or stored, retry, rejected, abandoned
	reason string
	err    error
}

func (c *Consumer) work(lane <-chan *job) {
	defer c.workers.Done()
	for j := range lane {
		c.process(j)
	}
}

// process runs one job: the handler, then the reply or the settlement.
func (c *Consumer) process(j *job) {
	switch {
	case j.settled():
		return
	case j.sess.isDead():
		c.finish(j, settleDrop, outcome{err: errSessionLost})
		return
	case c.isStopping():
		c.abandon(j, "stopping")
		return
	}
	switch j.kind {
	case kindRequest:
		c.answer(j, c.callRequest(j))
	case kindInvalid:
		c.answer(j, j.invalid)
	case kindAttempt:
		c.store(j)
	}
}

func (c *Consumer) callRequest(j *job) (rep *Reply) {
	ctx, cancel := context.WithTimeout(c.handlerCtx, c.cfg.HandlerTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			c.logPanic(j, p)
			rep = errorReply(ReasonInternal, "the request could not be handled")
		}
	}()
	return c.h.HandleRequest(ctx, j.req)
}

func (c *Consumer) callAttempt(j *job) (err error) {
	ctx, cancel := context.WithTimeout(c.handlerCtx, c.cfg.HandlerTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			c.logPanic(j, p)
			err = Permanent(errHandlerPanic)
		}
	}()
	return c.h.HandleAttempt(ctx, j.ev)
}

// answer publishes the reply to a request and acks it once the broker
// confirmed the reply. A failed publish requeues the request after a delay.
func (c *Consumer) answer(j *job, rep *Reply) {
	body, out := c.encodeReply(j, rep)
	if !j.claim() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.ConfirmTimeout)
	err := j.sess.pub.Publish(ctx, Message{
		Exchange: c.cfg.Topology.Targeted, RoutingKey: j.env.ServerID, Body: body,
	})
	cancel()
	if err != nil {
		c.stats.replyFailures.Add(1)
		c.retryLater(j, outcome{result: string(out.Result), reason: out.Reason,
			err: fmt.Errorf("publishing reply: %w", err)})
		return
	}
	c.stats.replies.Add(1)
	c.finish(j, settleAck, outcome{result: string(out.Result), reason: out.Reason})
}

// encodeReply fills the reply's envelope and encodes it; a missing or
// invalid reply becomes an internal error reply.
func (c *Consumer) encodeReply(j *job, rep *Reply) ([]byte, Reply) {
	if rep == nil {
		c.log.WithField("msg_id", j.env.MsgID).Error("amqp: handler returned no reply")
		rep = errorReply(ReasonInternal, "the request could not be handled")
	}
	out := *rep
	out.Envelope = Envelope{
		AppName: c.cfg.AppName, AppVersion: c.cfg.AppVersion, Node: c.cfg.Node,
		EventCategory: CategoryMFA, EventName: EventReply,
		MsgID: j.env.MsgID, AccountID: j.env.AccountID,
	}
	body, err := out.encode()
	if err != nil {
		c.log.WithField("msg_id", j.env.MsgID).WithError(err).
			Error("amqp: handler returned an invalid reply")
		fallback := *errorReply(ReasonInternal, "the request could not be handled")
		fallback.Envelope = out.Envelope
		out = fallback
		body, _ = out.encode()
	}
	return body, out
}

// store hands an attempt event to the handler and settles it by the result.
func (c *Consumer) store(j *job) {
	err := c.callAttempt(j)
	if !j.claim() {
		return
	}
	switch {
	case err == nil:
		c.streak.Store(0)
		c.finish(j, settleAck, outcome{result: "stored"})
	case errors.Is(err, ErrPermanent):
		c.finish(j, settleDeadLetter, outcome{result: "rejected", err: err})
	default:
		c.retryLater(j, outcome{result: "retry", err: err})
	}
}

// retryLater requeues a claimed job after the retry delay, so that a
// failing dependency is not hammered; the message keeps its prefetch slot
// meanwhile, but no worker.
func (c *Consumer) retryLater(j *job, o outcome) {
	if j.sess.isDead() {
		c.finish(j, settleDrop, o)
		return
	}
	n := c.streak.Add(1)
	j.out = o
	j.delay(c.cfg.Retry.Delay(int(n-1)), func() { c.settled(j, settleRequeue, o) })
	if c.isStopping() && j.expedite() {
		c.settled(j, settleRequeue, o)
	}
}

// finish settles j and records it, unless it was settled already.
func (c *Consumer) finish(j *job, s settlement, o outcome) {
	if j.settle(s) {
		c.settled(j, s, o)
	}
}

// abandon requeues a job whose handler has not finished.
func (c *Consumer) abandon(j *job, why string) {
	if j.abandon() {
		c.settled(j, settleRequeue, outcome{result: "abandoned", reason: why})
	}
}

// settled records a settlement made by finish, abandon or a retry timer.
func (c *Consumer) settled(j *job, s settlement, o outcome) {
	c.tracker.remove(j)
	switch s {
	case settleAck:
		c.stats.acked.Add(1)
	case settleRequeue:
		c.stats.requeued.Add(1)
	case settleDeadLetter:
		c.stats.dead.Add(1)
	case settleDrop:
		c.stats.dropped.Add(1)
	}
	c.logOutcome(logEntry{env: j.env, redelivered: j.d.Redelivered, received: j.received}, s, o)
}

// expediteRetries requeues now every job waiting for its retry delay.
func (c *Consumer) expediteRetries() {
	for _, j := range c.tracker.snapshot() {
		if j.expedite() {
			c.settled(j, settleRequeue, j.out)
		}
	}
}

// abandonQueued requeues the jobs waiting in the lanes.
func (c *Consumer) abandonQueued() {
	for _, lane := range []chan *job{c.fast, c.slow} {
		for drained := false; !drained; {
			select {
			case j := <-lane:
				c.abandon(j, "stopping")
			default:
				drained = true
			}
		}
	}
}
