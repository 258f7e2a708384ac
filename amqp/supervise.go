package amqp

import (
	"time"

	"github.com/sirupsen/logrus"
)

// stableSession is how long a session must last for the reconnect backoff
// to start over from Reconnect.Initial; shorter sessions keep growing it,
// so a broker that accepts and then drops connections is not hammered.
const stableSession = 10 * time.Second

// supervise connects, runs sessions and reconnects with backoff until Stop.
func (c *Consumer) supervise() {
	defer close(c.supervisorDone)
	attempt := 0
	for !c.isStopping() {
		s, err := c.openSession()
		if err != nil {
			c.stats.failures.Add(1)
			c.setState(func(st *State) { *st = State{Err: err} })
			c.log.WithError(err).WithField("attempt", attempt+1).
				Warn("amqp: cannot connect to the broker; retrying")
			if !c.sleep(c.cfg.Reconnect.Delay(attempt)) {
				return
			}
			attempt++
			continue
		}

		c.stats.connects.Add(1)
		c.setState(func(st *State) { st.Connected, st.Consuming = true, true })
		c.log.WithFields(logrus.Fields{"queue": c.cfg.Topology.Queue,
			"prefetch": c.cfg.Prefetch}).Info("amqp: consuming")

		stopped, why := c.runSession(s)
		if stopped {
			return
		}
		c.setState(func(st *State) { *st = State{Err: why} })
		c.log.WithError(why).Warn("amqp: connection lost; reconnecting")
		if time.Since(s.opened) >= stableSession {
			attempt = 0
		}
		if !c.sleep(c.cfg.Reconnect.Delay(attempt)) {
			return
		}
		attempt++
	}
}

// runSession dispatches the session's deliveries until the session ends or
// Stop. On Stop it cancels the consumer, lets the dispatcher requeue what
// is still buffered, and holds the connection open until Stop has settled
// the work in progress.
func (c *Consumer) runSession(s *session) (stopped bool, why error) {
	dispatched := make(chan struct{})
	go func() {
		defer close(dispatched)
		c.dispatch(s)
	}()

	stopped, why = s.waitEnd(c.stopping, dispatched)
	if stopped {
		_ = s.ch.Cancel(s.tag, false)
		<-dispatched
		c.setState(func(st *State) { st.Consuming = false })
		<-c.release
		s.kill()
		c.setState(func(st *State) { *st = State{} })
		return true, nil
	}
	s.kill()
	<-dispatched
	return false, why
}
