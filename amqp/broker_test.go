package amqp

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	amqp091 "github.com/rabbitmq/amqp091-go"
)

// testTimeout bounds each integration test's waits; the work itself takes
// milliseconds, so reaching it means a bug, not a slow machine.
const testTimeout = 60 * time.Second

func testContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// testTopology returns names unique to the test, so that parallel runs on
// the shared broker never see each other's messages, and deletes them at
// the end.
func testTopology(t testing.TB) Topology {
	t.Helper()
	id := "test." + testenv.NewID()[:12]
	top := Topology{Kapps: id + ".kapps", Targeted: id + ".targeted", Queue: id + ".mfa",
		DeadLetterExchange: id + ".dlx", DeadLetterQueue: id + ".dead"}
	url := testenv.AMQPURL(t)
	t.Cleanup(func() {
		conn, err := amqp091.Dial(url)
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		defer conn.Close()
		ch, err := conn.Channel()
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		for _, q := range []string{top.Queue, top.DeadLetterQueue} {
			_, _ = ch.QueueDelete(q, false, false, false)
		}
		for _, x := range []string{top.Kapps, top.Targeted, top.DeadLetterExchange} {
			_ = ch.ExchangeDelete(x, false, false)
		}
	})
	return top
}

// rawChannel opens a plain channel for the test to inspect the broker.
func rawChannel(t testing.TB) *amqp091.Channel {
	t.Helper()
	conn, err := amqp091.Dial(testenv.AMQPURL(t))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	ch, err := conn.Channel()
	if err != nil {
		t.Fatalf("channel: %v", err)
	}
	return ch
}

// startConsumer starts a consumer on top and waits until it consumes; it
// is stopped at the end of the test unless the test stopped it.
func startConsumer(t testing.TB, cfg Config, h Handler) *Consumer {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = testenv.AMQPURL(t)
	}
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	c, err := NewConsumer(cfg, h)
	if err != nil {
		t.Fatalf("NewConsumer: %v", err)
	}
	if err := c.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if err := c.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	if err := c.WaitConsuming(testContext(t)); err != nil {
		t.Fatalf("consumer never consumed: %v (state %+v)", err, c.State())
	}
	return c
}

func newTestClient(t testing.TB, top Topology) *Client {
	t.Helper()
	c, err := NewClient(ClientConfig{URL: testenv.AMQPURL(t), Topology: top,
		AppName: "test", AppVersion: "1", Logger: quietLogger()})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// testRequest returns a valid request for the test account.
func testRequest() *Request {
	return &Request{Envelope: Envelope{AccountID: testAccount}, OwnerID: testOwner,
		AuthModule: "cb_user_auth", Username: "alice", ClientIP: "192.0.2.1"}
}

// replyCounter is a raw requester: it publishes requests with its own
// queue as Server-ID and counts the replies per Msg-ID. Its barrier makes
// "no duplicate arrived" checkable without waiting on a clock.
type replyCounter struct {
	t     *testing.T
	top   Topology
	queue string
	pub   *Publisher
	done  chan struct{}

	mu      sync.Mutex
	counts  map[string]int
	results map[string]*Reply
	changed chan struct{}
}

func newReplyCounter(t *testing.T, top Topology) *replyCounter {
	t.Helper()
	conn, err := amqp091.Dial(testenv.AMQPURL(t))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	ch, err := conn.Channel()
	if err != nil {
		t.Fatalf("channel: %v", err)
	}
	if err := top.kazooExchanges(ch); err != nil {
		t.Fatalf("declaring exchanges: %v", err)
	}
	q, err := declareQueue(ch, queueSpec{Exclusive: true, AutoDelete: true})
	if err != nil {
		t.Fatalf("%v", err)
	}
	if err := bindQueue(ch, q.Name, q.Name, top.Targeted); err != nil {
		t.Fatalf("%v", err)
	}
	deliveries, err := ch.Consume(q.Name, "", true, true, false, false, nil)
	if err != nil {
		t.Fatalf("consume: %v", err)
	}
	pub, err := NewPublisher(conn, 0)
	if err != nil {
		t.Fatalf("%v", err)
	}
	rc := &replyCounter{t: t, top: top, queue: q.Name, pub: pub, done: make(chan struct{}),
		counts: map[string]int{}, results: map[string]*Reply{}, changed: make(chan struct{})}
	go func() {
		defer close(rc.done)
		for d := range deliveries {
			rep, _ := ParseReply(d.Body)
			if rep == nil {
				continue
			}
			rc.mu.Lock()
			rc.counts[rep.MsgID]++
			rc.results[rep.MsgID] = rep
			close(rc.changed)
			rc.changed = make(chan struct{})
			rc.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = conn.Close()
		<-rc.done
	})
	return rc
}

// request publishes req (headers filled) and returns its Msg-ID.
func (rc *replyCounter) request(ctx context.Context, req *Request) string {
	rc.t.Helper()
	r := *req
	r.Envelope = Envelope{AppName: "test", AppVersion: "1", EventCategory: CategoryMFA,
		EventName: EventRequest, MsgID: orString(req.MsgID, NewMsgID()),
		ServerID: rc.queue, AccountID: req.AccountID}
	err := rc.pub.Publish(ctx, Message{Exchange: rc.top.Kapps,
		RoutingKey: RequestKey(r.AccountID), Body: mustJSON(rc.t, &r)})
	if err != nil {
		rc.t.Fatalf("publishing request: %v", err)
	}
	return r.MsgID
}

// waitFor waits until ok holds over the counts.
func (rc *replyCounter) waitFor(ctx context.Context, what string,
	ok func(counts map[string]int) bool) {
	rc.t.Helper()
	for {
		rc.mu.Lock()
		done, changed := ok(rc.counts), rc.changed
		rc.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			rc.t.Fatalf("waiting for %s: %v", what, ctx.Err())
		}
	}
}

// barrier publishes a marker reply to its own queue and waits for it: every
// reply confirmed before the call has then been counted.
func (rc *replyCounter) barrier(ctx context.Context) {
	rc.t.Helper()
	id := "barrier-" + NewMsgID()
	body, _ := json.Marshal(Reply{Envelope: Envelope{AppName: "test", AppVersion: "1",
		EventCategory: CategoryMFA, EventName: EventReply, MsgID: id}, Result: ResultError})
	if err := rc.pub.Publish(ctx, Message{Exchange: rc.top.Targeted, RoutingKey: rc.queue,
		Body: body}); err != nil {
		rc.t.Fatalf("publishing barrier: %v", err)
	}
	rc.waitFor(ctx, "barrier", func(c map[string]int) bool { return c[id] > 0 })
}

func (rc *replyCounter) count(msgID string) (int, *Reply) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.counts[msgID], rc.results[msgID]
}
