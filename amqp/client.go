package amqp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
	"github.com/sirupsen/logrus"
)

// ClientConfig configures a Client. Zero fields take the defaults of the
// matching Config fields.
type ClientConfig struct {
	// URL is the broker's AMQP URL. Required; never logged.
	URL string
	// Topology names the exchanges; only Kapps and Targeted are used.
	Topology Topology
	// AppName, AppVersion and Node fill the headers of what is sent when
	// the message leaves them empty.
	AppName, AppVersion, Node string
	// ConfirmTimeout bounds the wait for each publisher confirm.
	ConfirmTimeout time.Duration
	// DialTimeout bounds the TCP connect and AMQP handshake.
	DialTimeout time.Duration
	// Logger receives replies that cannot be parsed. Default
	// logrus.StandardLogger().
	Logger logrus.FieldLogger
}

// Client asks the module for second factors the way KAZOO does (an RPC
// over kapps and targeted) and publishes attempt events; for tools, tests
// and benchmarks. It is safe for concurrent use: concurrent calls are told
// apart by Msg-ID. It does not reconnect: when its connection is lost
// every call fails with ErrClosed and the owner makes a new Client.
type Client struct {
	cfg   ClientConfig
	conn  *amqp091.Connection
	pub   *Publisher
	queue string
	log   logrus.FieldLogger

	mu      sync.Mutex
	waiting map[string]chan callResult
	done    chan struct{} // closed when the reply stream ends
	late    atomic.Uint64
}

type callResult struct {
	rep *Reply
	err error
}

// NewClient connects, declares kapps and targeted as KAZOO does, and an
// exclusive, auto-delete reply queue bound to targeted with its own name.
func NewClient(cfg ClientConfig) (*Client, error) {
	full, err := Config{URL: cfg.URL, AppName: cfg.AppName, AppVersion: cfg.AppVersion,
		Node: cfg.Node, ConfirmTimeout: cfg.ConfirmTimeout, DialTimeout: cfg.DialTimeout,
		Logger: cfg.Logger, Topology: cfg.Topology, SlowLane: SlowLane{Disabled: true},
	}.withDefaults()
	if err != nil {
		return nil, err
	}
	cfg = ClientConfig{URL: full.URL, Topology: full.Topology, AppName: full.AppName,
		AppVersion: full.AppVersion, Node: full.Node, ConfirmTimeout: full.ConfirmTimeout,
		DialTimeout: full.DialTimeout, Logger: full.Logger}

	conn, err := amqp091.DialConfig(cfg.URL, amqp091.Config{
		Heartbeat: DefaultHeartbeat, Dial: amqp091.DefaultDial(cfg.DialTimeout),
	})
	if err != nil {
		return nil, fmt.Errorf("connecting: %w", err)
	}
	c := &Client{cfg: cfg, conn: conn, log: cfg.Logger,
		waiting: map[string]chan callResult{}, done: make(chan struct{})}
	deliveries, err := c.setUp()
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	go c.readReplies(deliveries)
	return c, nil
}

func (c *Client) setUp() (<-chan amqp091.Delivery, error) {
	ch, err := c.conn.Channel()
	if err != nil {
		return nil, fmt.Errorf("opening channel: %w", err)
	}
	if err := c.cfg.Topology.kazooExchanges(ch); err != nil {
		return nil, err
	}
	q, err := declareQueue(ch, queueSpec{Exclusive: true, AutoDelete: true})
	if err != nil {
		return nil, err
	}
	if err := bindQueue(ch, q.Name, q.Name, c.cfg.Topology.Targeted); err != nil {
		return nil, err
	}
	c.queue = q.Name
	// The reply queue is exclusive: replies are acked on delivery.
	const autoAck, exclusive, noLocal, noWait = true, true, false, false
	deliveries, err := ch.Consume(q.Name, "", autoAck, exclusive, noLocal, noWait, nil)
	if err != nil {
		return nil, fmt.Errorf("consuming replies: %w", err)
	}
	if c.pub, err = NewPublisher(c.conn, c.cfg.ConfirmTimeout); err != nil {
		return nil, err
	}
	return deliveries, nil
}

// Queue returns the reply queue's name, which Call puts in Server-ID.
func (c *Client) Queue() string { return c.queue }

// Late counts replies that matched no waiting call (answered after the
// call gave up, or answered twice).
func (c *Client) Late() uint64 { return c.late.Load() }

func (c *Client) readReplies(deliveries <-chan amqp091.Delivery) {
	defer close(c.done)
	for d := range deliveries {
		rep, err := ParseReply(d.Body)
		if rep == nil || rep.MsgID == "" {
			c.late.Add(1)
			c.log.WithError(err).Warn("amqp: client: reply without a usable Msg-ID")
			continue
		}
		c.mu.Lock()
		w, ok := c.waiting[rep.MsgID]
		delete(c.waiting, rep.MsgID)
		c.mu.Unlock()
		if !ok {
			c.late.Add(1)
			continue
		}
		w <- callResult{rep: rep, err: err}
	}
}

// Call sends req as an mfa_req and waits for its mfa_resp until ctx ends;
// when ctx has a deadline the request expires in the queue at that time.
// It fills the headers: App-Name, App-Version and Node when empty,
// Event-Category and Event-Name, Server-ID (the Client's queue) and Msg-ID
// (fresh when empty). It validates the request as the consumer will and
// returns a *ValidationError before sending an invalid one. A reply that
// fails ParseReply is returned with its *ValidationError.
func (c *Client) Call(ctx context.Context, req *Request) (*Reply, error) {
	r := *req
	r.Envelope = c.envelope(r.Envelope, EventRequest)
	r.ServerID = c.queue
	body, err := json.Marshal(&r)
	if err != nil {
		return nil, fmt.Errorf("encoding request: %w", err)
	}
	if _, err := ParseRequest(body); err != nil {
		return nil, err
	}

	w := make(chan callResult, 1)
	c.mu.Lock()
	if _, busy := c.waiting[r.MsgID]; busy {
		c.mu.Unlock()
		return nil, ErrMsgIDInUse
	}
	c.waiting[r.MsgID] = w
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if c.waiting[r.MsgID] == w {
			delete(c.waiting, r.MsgID)
		}
		c.mu.Unlock()
	}()

	m := Message{Exchange: c.cfg.Topology.Kapps, RoutingKey: RequestKey(r.AccountID), Body: body}
	if deadline, ok := ctx.Deadline(); ok {
		// Nobody waits for a reply after the deadline: let the broker drop
		// the request rather than start a second factor nobody sees.
		m.Expiration = max(time.Until(deadline), time.Millisecond)
	}
	err = c.pub.Publish(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("sending request: %w", err)
	}
	select {
	case res := <-w:
		return res.rep, res.err
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for reply: %w", ctx.Err())
	case <-c.done:
		return nil, fmt.Errorf("waiting for reply: %w", ErrClosed)
	}
}

// PublishAttempt publishes ev as a login_attempt (persistent, routing key
// "mfa.attempt.<ACCOUNT_ID>") and returns once the broker confirmed it. It
// fills the headers as Call does (without Server-ID) and returns a
// *ValidationError before sending an invalid event. ev is not modified.
func (c *Client) PublishAttempt(ctx context.Context, ev *AttemptEvent) error {
	e := *ev
	e.Envelope = c.envelope(e.Envelope, EventAttempt)
	body, err := json.Marshal(&e)
	if err != nil {
		return fmt.Errorf("encoding attempt: %w", err)
	}
	if _, err := ParseAttempt(body); err != nil {
		return err
	}
	return c.pub.Publish(ctx, Message{Exchange: c.cfg.Topology.Kapps,
		RoutingKey: AttemptKey(e.AccountID), Body: body, Persistent: true})
}

// Publish publishes m as it is and waits for the confirm; see
// Publisher.Publish.
func (c *Client) Publish(ctx context.Context, m Message) error {
	return c.pub.Publish(ctx, m)
}

// Close closes the connection; waiting calls fail with ErrClosed.
func (c *Client) Close() error {
	err := c.conn.Close()
	<-c.done
	if errors.Is(err, amqp091.ErrClosed) {
		return nil
	}
	return err
}

// envelope fills the headers of an outgoing message.
func (c *Client) envelope(e Envelope, event string) Envelope {
	e.AppName = orString(e.AppName, c.cfg.AppName)
	e.AppVersion = orString(e.AppVersion, c.cfg.AppVersion)
	e.Node = orString(e.Node, c.cfg.Node)
	e.EventCategory, e.EventName = CategoryMFA, event
	if e.MsgID == "" {
		e.MsgID = NewMsgID()
	}
	return e
}

// NewMsgID returns a fresh Msg-ID: 32 random lowercase hex characters.
func NewMsgID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
