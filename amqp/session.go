package amqp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

// replier publishes replies; *Publisher is the real one.
type replier interface {
	Publish(ctx context.Context, m Message) error
}

// session is one connection with its consume and publish channels. It dies
// as a whole: when any part closes, the connection is closed and the
// broker requeues every delivery the session had not settled.
type session struct {
	conn       *amqp091.Connection
	ch         *amqp091.Channel
	pub        replier
	tag        string
	deliveries <-chan amqp091.Delivery
	opened     time.Time

	connClosed chan *amqp091.Error
	chClosed   chan *amqp091.Error
	pubClosed  chan *amqp091.Error
	canceled   chan string

	deadOnce sync.Once
	dead     chan struct{}
}

func newSessionState() *session { return &session{dead: make(chan struct{})} }

// isDead reports whether the session ended; its deliveries can no longer
// be settled.
func (s *session) isDead() bool {
	select {
	case <-s.dead:
		return true
	default:
		return false
	}
}

// kill marks the session dead and closes its connection.
func (s *session) kill() {
	s.deadOnce.Do(func() { close(s.dead) })
	if s.conn != nil && !s.conn.IsClosed() {
		_ = s.conn.Close()
	}
}

// openSession connects, declares the topology, sets the prefetch, opens
// the reply publisher and starts consuming.
func (c *Consumer) openSession() (*session, error) {
	props := amqp091.NewConnectionProperties()
	props.SetClientConnectionName(c.cfg.Node)
	conn, err := amqp091.DialConfig(c.cfg.URL, amqp091.Config{
		Heartbeat:  c.cfg.Heartbeat,
		Properties: props,
		Dial:       amqp091.DefaultDial(c.cfg.DialTimeout),
	})
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	s := newSessionState()
	s.conn = conn
	s.opened = time.Now()
	if err := c.setUpSession(s); err != nil {
		s.kill()
		return nil, err
	}
	return s, nil
}

func (c *Consumer) setUpSession(s *session) error {
	ch, err := s.conn.Channel()
	if err != nil {
		return fmt.Errorf("opening channel: %w", err)
	}
	s.ch = ch
	if err := c.cfg.Topology.Declare(ch); err != nil {
		return err
	}
	if err := ch.Qos(c.cfg.Prefetch, 0, false); err != nil {
		return fmt.Errorf("setting prefetch: %w", err)
	}
	pub, err := NewPublisher(s.conn, c.cfg.ConfirmTimeout)
	if err != nil {
		return err
	}
	s.pub = pub

	s.connClosed = s.conn.NotifyClose(make(chan *amqp091.Error, 1))
	s.chClosed = ch.NotifyClose(make(chan *amqp091.Error, 1))
	s.pubClosed = pub.notifyClose()
	s.canceled = ch.NotifyCancel(make(chan string, 1))

	s.tag = consumerTag(c.cfg.Node)
	// Manual acks; not exclusive, so that replicas share the queue.
	const autoAck, exclusive, noLocal, noWait = false, false, false, false
	s.deliveries, err = ch.Consume(c.cfg.Topology.Queue, s.tag,
		autoAck, exclusive, noLocal, noWait, nil)
	if err != nil {
		return fmt.Errorf("consuming from %s: %w", c.cfg.Topology.Queue, err)
	}
	return nil
}

// consumerTag names this consumer in the broker's management views.
func consumerTag(node string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	tag := node + "/" + hex.EncodeToString(b)
	if len(tag) > maxShortBytes {
		tag = tag[len(tag)-maxShortBytes:]
	}
	return tag
}

// waitEnd waits for the first sign that the session is over, or for stop.
// It reports whether stop came first, else why the session ended.
func (s *session) waitEnd(stopping, dispatched <-chan struct{}) (stopped bool, why error) {
	select {
	case e := <-s.connClosed:
		return false, closeReason("connection", e)
	case e := <-s.chClosed:
		return false, closeReason("consume channel", e)
	case e := <-s.pubClosed:
		return false, closeReason("publish channel", e)
	case <-s.canceled:
		return false, errConsumerCanceled
	case <-dispatched:
		return false, errStreamEnded
	case <-stopping:
		return true, nil
	}
}

func closeReason(what string, e *amqp091.Error) error {
	if e == nil {
		return fmt.Errorf("%s closed", what)
	}
	return fmt.Errorf("%s closed: %w", what, e)
}
