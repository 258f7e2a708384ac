package amqp

import (
	"context"
	"errors"
	"testing"
)

func TestTwoConsumersAnswerEachRequestOnce(t *testing.T) {
	top := testTopology(t)
	a := startConsumer(t, Config{Topology: top, Workers: 2}, echoHandler{})
	b := startConsumer(t, Config{Topology: top, Workers: 2}, echoHandler{})
	rc := newReplyCounter(t, top)
	ctx := testContext(t)

	const n = 200
	ids := make([]string, n)
	for i := range ids {
		ids[i] = rc.request(ctx, testRequest())
	}
	rc.waitFor(ctx, "all replies", func(c map[string]int) bool {
		for _, id := range ids {
			if c[id] == 0 {
				return false
			}
		}
		return true
	})
	for _, c := range []*Consumer{a, b} {
		if err := c.Stop(ctx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
	}
	rc.barrier(ctx)
	for _, id := range ids {
		if got, _ := rc.count(id); got != 1 {
			t.Errorf("%s answered %d times, want once", id, got)
		}
	}
	sa, sb := a.Stats(), b.Stats()
	if sa.Replies+sb.Replies != n || sa.Replies == 0 || sb.Replies == 0 {
		t.Errorf("got %d + %d replies, want %d shared by both consumers",
			sa.Replies, sb.Replies, n)
	}
}

// slowHandler blocks requests of one Msg-ID until released or until its
// context ends, and names its consumer in every reply.
type slowHandler struct {
	funcHandler
	name    string
	slowID  string
	entered chan struct{}
	release chan struct{}
}

func (h slowHandler) HandleRequest(ctx context.Context, r *Request) *Reply {
	if r.MsgID == h.slowID && h.entered != nil {
		close(h.entered)
		select {
		case <-h.release:
		case <-ctx.Done():
			return &Reply{Result: ResultError, Reason: "canceled", Message: h.name}
		}
	}
	return &Reply{Result: ResultAuthenticated, Message: h.name}
}

func TestStopWithSlowRequest(t *testing.T) {
	tests := []struct {
		name string
		// finish: the slow handler is released while Stop waits, so the
		// first consumer answers; otherwise Stop's deadline passes and the
		// second consumer answers the requeued request.
		finish   bool
		wantFrom string
		wantErr  error
	}{
		{name: "finishes before the deadline", finish: true, wantFrom: "first"},
		{name: "requeued at the deadline", finish: false, wantFrom: "second",
			wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := testTopology(t)
			ctx := testContext(t)
			rc := newReplyCounter(t, top)
			states := make(stateLog, 100)
			first := slowHandler{name: "first", slowID: "slow", entered: make(chan struct{}),
				release: make(chan struct{})}
			a := startConsumer(t, Config{Topology: top, OnStateChange: states.record}, first)

			rc.request(ctx, &Request{Envelope: Envelope{MsgID: "slow",
				AccountID: testAccount}, OwnerID: testOwner, AuthModule: "cb_user_auth"})
			<-first.entered
			startConsumer(t, Config{Topology: top}, slowHandler{name: "second"})

			stopCtx, cancelStop := context.WithCancel(ctx)
			stopped := make(chan error, 1)
			go func() { stopped <- a.Stop(stopCtx) }()
			states.waitUntil(t, ctx, "consumer canceled", func(s State) bool {
				return !s.Consuming
			})
			if tt.finish {
				close(first.release)
			} else {
				cancelStop()
			}
			if err := <-stopped; !errors.Is(err, tt.wantErr) {
				t.Fatalf("Stop: got %v, want %v", err, tt.wantErr)
			}
			cancelStop()

			rc.waitFor(ctx, "the reply", func(c map[string]int) bool { return c["slow"] > 0 })
			rc.barrier(ctx)
			n, rep := rc.count("slow")
			if n != 1 || rep.Message != tt.wantFrom || rep.Result != ResultAuthenticated {
				t.Errorf("got %d replies, last %s from %q; want 1 authenticated from %q",
					n, rep.Result, rep.Message, tt.wantFrom)
			}
		})
	}
}

func TestStartStopLifecycle(t *testing.T) {
	top := testTopology(t)
	c := startConsumer(t, Config{Topology: top}, echoHandler{})
	if !c.Connected() || !c.Consuming() {
		t.Fatalf("got %+v, want connected and consuming", c.State())
	}
	if err := c.Start(); !errors.Is(err, ErrStarted) {
		t.Errorf("second Start: got %v, want ErrStarted", err)
	}
	if err := c.Stop(testContext(t)); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if c.Connected() || c.Consuming() {
		t.Errorf("after Stop got %+v, want neither connected nor consuming", c.State())
	}
	if err := c.Start(); !errors.Is(err, ErrStarted) {
		t.Errorf("Start after Stop: got %v, want ErrStarted", err)
	}
	if err := c.Stop(testContext(t)); err != nil {
		t.Errorf("second Stop: got %v, want nil", err)
	}
}
