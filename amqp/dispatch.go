package amqp

import (
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

// dispatch reads the session's deliveries until the stream closes: it
// dead-letters what cannot be answered, and queues the rest on a lane.
// After Stop it requeues whatever still arrives.
func (c *Consumer) dispatch(s *session) {
	for d := range s.deliveries {
		if c.isStopping() {
			_ = d.Nack(false, true)
			c.stats.requeued.Add(1)
			continue
		}
		j, env, err := c.classify(s, d)
		if j == nil {
			_ = d.Reject(false)
			c.stats.dead.Add(1)
			c.logOutcome(logEntry{env: env, redelivered: d.Redelivered, received: time.Now()},
				settleDeadLetter, outcome{result: "unanswerable", err: err})
			continue
		}
		c.tracker.add(j)
		lane := c.fast
		if j.kind == kindRequest && !c.cfg.SlowLane.Disabled && c.cfg.SlowLane.IsSlow(j.req) {
			lane = c.slow
		}
		select {
		case lane <- j:
		case <-c.stopping:
			c.abandon(j, "stopping")
		}
	}
}

// classify parses a delivery. It returns a job, or nil with the headers
// that could be read and why the message cannot be answered.
func (c *Consumer) classify(s *session, d amqp091.Delivery) (*job, Envelope, error) {
	obj, err := decodeObject(d.Body)
	if err != nil {
		return nil, Envelope{}, err
	}
	headers := fieldReader{obj: obj}
	env := readEnvelope(&headers, anyEnvelope)
	j := &job{d: d, sess: s, received: time.Now()}

	switch {
	case env.EventCategory == CategoryMFA && env.EventName == EventRequest:
		r := fieldReader{obj: obj}
		req := readRequest(&r)
		req.Redelivered = d.Redelivered
		j.env = req.Envelope
		if err := r.err(); err != nil {
			if !req.CanReply() {
				return nil, req.Envelope, err
			}
			j.kind, j.invalid = kindInvalid, errorReply(ReasonInvalidRequest, err.Error())
			return j, j.env, nil
		}
		j.kind, j.req = kindRequest, req
	case env.EventCategory == CategoryMFA && env.EventName == EventAttempt:
		r := fieldReader{obj: obj}
		ev := readAttempt(&r)
		ev.Redelivered = d.Redelivered
		if err := r.err(); err != nil {
			return nil, ev.Envelope, err
		}
		j.kind, j.ev, j.env = kindAttempt, ev, ev.Envelope
	default:
		err := headers.err()
		if err == nil {
			err = errUnsupported
		}
		if !env.CanReply() {
			return nil, env, err
		}
		j.kind, j.env = kindInvalid, env
		j.invalid = errorReply(ReasonUnsupportedEvent, err.Error())
	}
	return j, j.env, nil
}

// errorReply builds a transport error reply.
func errorReply(reason, message string) *Reply {
	return &Reply{Result: ResultError, Reason: reason, Message: message}
}
