package amqp

import (
	"context"
	"fmt"
	"strconv"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

// DefaultConfirmTimeout bounds the wait for a publisher confirm when none
// is configured.
const DefaultConfirmTimeout = 5 * time.Second

// Message is one JSON message to publish.
type Message struct {
	Exchange   string
	RoutingKey string
	// Body is the JSON body; it is sent as application/json.
	Body []byte
	// Persistent asks the broker to write the message to disk when it is
	// routed to a durable queue (attempt events); replies and requests
	// are transient, as in KAZOO.
	Persistent bool
	// Expiration, when positive, is the message's time to live in queues
	// (rounded up to a millisecond); an expired message is dropped, or
	// dead-lettered where the queue has a dead-letter exchange.
	Expiration time.Duration
}

// Publisher publishes on one channel in confirm mode and waits for the
// broker's confirm of each message. It is safe for concurrent use; it does
// not reconnect: once its channel or connection is closed every Publish
// fails, and the owner makes a new Publisher on a new connection.
type Publisher struct {
	ch      *amqp091.Channel
	timeout time.Duration
}

// NewPublisher opens a channel on conn and puts it in confirm mode.
// confirmTimeout bounds each Publish's wait for the confirm (0 means
// DefaultConfirmTimeout). Close the Publisher to close the channel.
func NewPublisher(conn *amqp091.Connection, confirmTimeout time.Duration) (*Publisher, error) {
	ch, err := conn.Channel()
	if err != nil {
		return nil, fmt.Errorf("opening publish channel: %w", err)
	}
	if err := ch.Confirm(false); err != nil {
		_ = ch.Close()
		return nil, fmt.Errorf("enabling publisher confirms: %w", err)
	}
	if confirmTimeout <= 0 {
		confirmTimeout = DefaultConfirmTimeout
	}
	return &Publisher{ch: ch, timeout: confirmTimeout}, nil
}

// Publish sends m and returns once the broker confirmed it. It fails with
// ctx's error or a timeout after the confirm timeout, with ErrNotConfirmed
// when the broker nacks the message or the channel closes first, and with
// ErrClosed when the channel was already closed. A message whose exchange
// exists but matches no binding is confirmed and dropped by the broker.
func (p *Publisher) Publish(ctx context.Context, m Message) error {
	if p.ch.IsClosed() {
		return fmt.Errorf("publishing to %s: %w", m.Exchange, ErrClosed)
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()

	mode := amqp091.Transient
	if m.Persistent {
		mode = amqp091.Persistent
	}
	msg := amqp091.Publishing{ContentType: "application/json", DeliveryMode: mode,
		Timestamp: time.Now(), Body: m.Body}
	if m.Expiration > 0 {
		ms := (m.Expiration + time.Millisecond - 1) / time.Millisecond
		msg.Expiration = strconv.FormatInt(int64(ms), 10)
	}
	const mandatory, immediate = false, false
	dc, err := p.ch.PublishWithDeferredConfirmWithContext(ctx, m.Exchange, m.RoutingKey,
		mandatory, immediate, msg)
	if err != nil {
		return fmt.Errorf("publishing to %s: %w", m.Exchange, err)
	}
	acked, err := dc.WaitContext(ctx)
	switch {
	case err != nil:
		return fmt.Errorf("publishing to %s: waiting for confirm: %w", m.Exchange, err)
	case !acked:
		return fmt.Errorf("publishing to %s: %w", m.Exchange, ErrNotConfirmed)
	}
	return nil
}

// Close closes the publisher's channel. Publishes still waiting fail with
// ErrNotConfirmed.
func (p *Publisher) Close() error {
	if p.ch.IsClosed() {
		return nil
	}
	return p.ch.Close()
}

// notifyClose registers for the close of the publisher's channel.
func (p *Publisher) notifyClose() chan *amqp091.Error {
	return p.ch.NotifyClose(make(chan *amqp091.Error, 1))
}
