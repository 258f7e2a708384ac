package amqp

import (
	"context"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/internal/brokerproxy"
)

// stateLog collects a consumer's state changes for a test to wait on.
type stateLog chan State

func (l stateLog) record(s State) {
	select {
	case l <- s:
	default: // a test that stopped reading does not block the consumer
	}
}

// waitUntil reads states until ok holds.
func (l stateLog) waitUntil(t *testing.T, ctx context.Context, what string,
	ok func(State) bool) {
	t.Helper()
	for {
		select {
		case s := <-l:
			if ok(s) {
				return
			}
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		}
	}
}

var fastReconnect = Backoff{Initial: 10 * time.Millisecond, Max: 50 * time.Millisecond}

func TestReconnectAfterConnectionCut(t *testing.T) {
	top := testTopology(t)
	px := brokerproxy.Start(t)
	store := newAttemptStore()
	entered, release := make(chan struct{}), make(chan struct{})
	store.gate = func(ev *AttemptEvent) {
		if ev.MsgID == "before-0" && !ev.Redelivered {
			close(entered)
			<-release
		}
	}
	states := make(stateLog, 1000)
	c := startConsumer(t, Config{URL: px.URL(), Topology: top, Workers: 2,
		Reconnect: fastReconnect, OnStateChange: states.record}, store)
	ctx := testContext(t)
	client := newTestClient(t, top) // direct to the broker, not through the proxy
	raw := rawChannel(t)

	const perBatch = 10
	publishAttempts(t, ctx, client, "before", perBatch)
	<-entered // before-0 is in its handler, unacked

	px.Cut()
	states.waitUntil(t, ctx, "disconnect", func(s State) bool { return !s.Connected })
	publishAttempts(t, ctx, client, "during", perBatch)
	// A broker restart loses non-durable exchanges and their bindings.
	if err := raw.ExchangeDelete(top.Kapps, false, false); err != nil {
		t.Fatalf("deleting exchange: %v", err)
	}
	close(release) // before-0's handler returns; its ack cannot reach the broker

	px.Restore()
	states.waitUntil(t, ctx, "reconnect", func(s State) bool { return s.Consuming })
	// The consumer redeclared the exchange and its bindings: without them
	// these events would be dropped as unroutable.
	publishAttempts(t, ctx, client, "after", perBatch)
	store.waitStored(t, ctx, 3*perBatch)

	store.mu.Lock()
	if got := len(store.stored); got != 3*perBatch {
		t.Errorf("got %d distinct events stored, want %d", got, 3*perBatch)
	}
	if got := store.calls["before-0"]; got < 2 {
		t.Errorf("before-0 handled %d times, want a redelivery after the cut", got)
	}
	store.mu.Unlock()
	if st := c.Stats(); st.Reconnects < 1 {
		t.Errorf("got %d reconnects, want at least 1", st.Reconnects)
	}
}

func TestConsumerWaitsForBroker(t *testing.T) {
	top := testTopology(t)
	px := brokerproxy.Start(t)
	px.Cut()
	states := make(stateLog, 1000)
	c, err := NewConsumer(Config{URL: px.URL(), Topology: top, Reconnect: fastReconnect,
		Logger: quietLogger(), OnStateChange: states.record}, echoHandler{})
	if err != nil {
		t.Fatalf("NewConsumer: %v", err)
	}
	if err := c.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Errorf("Stop: %v", err)
		}
	}()
	ctx := testContext(t)
	states.waitUntil(t, ctx, "two failed attempts", func(s State) bool {
		return s.Err != nil && c.Stats().ConnectFailures >= 2
	})
	if c.Connected() || c.Consuming() {
		t.Fatalf("got connected while the broker is unreachable")
	}
	px.Restore()
	if err := c.WaitConsuming(ctx); err != nil {
		t.Fatalf("never consumed after the broker came back: %v", err)
	}
	rep, err := newTestClient(t, top).Call(ctx, testRequest())
	if err != nil || rep.Result != ResultAuthenticated {
		t.Errorf("got %v, %v; want an authenticated reply", rep, err)
	}
}

func TestReconnectAfterQueueDeleted(t *testing.T) {
	top := testTopology(t)
	states := make(stateLog, 1000)
	c := startConsumer(t, Config{Topology: top, Reconnect: fastReconnect,
		OnStateChange: states.record}, echoHandler{})
	ctx := testContext(t)
	if _, err := rawChannel(t).QueueDelete(top.Queue, false, false, false); err != nil {
		t.Fatalf("deleting queue: %v", err)
	}
	states.waitUntil(t, ctx, "cancel", func(s State) bool { return !s.Consuming })
	states.waitUntil(t, ctx, "consuming again", func(s State) bool { return s.Consuming })
	rep, err := newTestClient(t, top).Call(ctx, testRequest())
	if err != nil || rep.Result != ResultAuthenticated {
		t.Errorf("got %v, %v; want an authenticated reply", rep, err)
	}
	if st := c.Stats(); st.Reconnects != 1 {
		t.Errorf("got %d reconnects, want 1", st.Reconnects)
	}
}
