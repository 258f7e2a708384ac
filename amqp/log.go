package amqp

import (
	"fmt"
	"time"

	"github.com/sirupsen/logrus"
)

// logEntry is what the per-message log line may show: validated headers
// only, never the body, a passcode or a Multi-Factor-Response.
type logEntry struct {
	env         Envelope
	redelivered bool
	received    time.Time
}

// logOutcome writes the one log entry of a message.
func (c *Consumer) logOutcome(e logEntry, s settlement, o outcome) {
	f := logrus.Fields{
		"settlement":  s.String(),
		"result":      o.result,
		"duration_ms": float64(time.Since(e.received).Microseconds()) / 1000,
	}
	add := func(k, v string) {
		if v != "" {
			f[k] = v
		}
	}
	add("msg_id", e.env.MsgID)
	add("account_id", e.env.AccountID)
	add("event", e.env.EventName)
	add("reason", o.reason)
	if e.redelivered {
		f["redelivered"] = true
	}
	entry := c.log.WithFields(f)
	if o.err != nil {
		entry = entry.WithError(o.err)
	}
	switch s {
	case settleAck:
		entry.Info("amqp: message handled")
	default:
		entry.Warn("amqp: message not handled")
	}
}

// logPanic records a handler panic; the panic value is cut short, as it is
// the handler's text.
func (c *Consumer) logPanic(j *job, p any) {
	text := fmt.Sprint(p)
	if len(text) > 200 {
		text = text[:200]
	}
	c.log.WithFields(logrus.Fields{"msg_id": j.env.MsgID, "event": j.env.EventName,
		"panic": text}).Error("amqp: handler panicked")
}
