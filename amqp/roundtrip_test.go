package amqp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

// echoHandler answers every request with its Owner-ID and Msg-ID in the
// message, so that a test can tell replies apart.
type echoHandler struct{ funcHandler }

func (echoHandler) HandleRequest(_ context.Context, r *Request) *Reply {
	return &Reply{Result: ResultAuthenticated, Reason: "ok",
		Message: r.OwnerID + "/" + r.MsgID, AttemptID: "att-" + r.MsgID}
}

func TestRoundTrip(t *testing.T) {
	top := testTopology(t)
	startConsumer(t, Config{Topology: top}, echoHandler{})
	client := newTestClient(t, top)

	req := testRequest()
	req.MsgID = "rt-1"
	rep, err := client.Call(testContext(t), req)
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	want := Reply{Envelope: Envelope{AppName: DefaultAppName, AppVersion: DefaultAppVersion,
		EventCategory: CategoryMFA, EventName: EventReply, MsgID: "rt-1",
		AccountID: testAccount}, Result: ResultAuthenticated, Reason: "ok",
		Message: testOwner + "/rt-1", AttemptID: "att-rt-1"}
	rep.Node = ""
	if rep.Envelope != want.Envelope || rep.Result != want.Result || rep.Reason != want.Reason ||
		rep.Message != want.Message || rep.AttemptID != want.AttemptID {
		t.Errorf("got %+v, want %+v", *rep, want)
	}
	if req.ServerID != "" {
		t.Errorf("Call modified the caller's request")
	}
}

func TestConcurrentCallsMatchedByMsgID(t *testing.T) {
	top := testTopology(t)
	startConsumer(t, Config{Topology: top, Workers: 4}, echoHandler{})
	client := newTestClient(t, top)
	ctx := testContext(t)

	const n = 64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := testRequest()
			req.OwnerID = fmt.Sprintf("%032x", i)
			rep, err := client.Call(ctx, req)
			switch {
			case err != nil:
				errs <- err
			case rep.Message != req.OwnerID+"/"+rep.MsgID:
				errs <- fmt.Errorf("call %d got reply %q", i, rep.Message)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if late := client.Late(); late != 0 {
		t.Errorf("got %d unmatched replies, want 0", late)
	}
}

func TestCallRejectsInvalidRequestBeforeSending(t *testing.T) {
	top := testTopology(t)
	client := newTestClient(t, top)
	req := testRequest()
	req.OwnerID = ""
	_, err := client.Call(testContext(t), req)
	var ve *ValidationError
	if !errors.As(err, &ve) || !ve.Has("Owner-ID") {
		t.Errorf("got %v, want a ValidationError naming Owner-ID", err)
	}
}

func TestTopologyMatchesKazoo(t *testing.T) {
	top := testTopology(t)
	// Real KAZOO exchange names, test-only queues.
	top.Kapps, top.Targeted = DefaultKappsExchange, DefaultTargetedExchange
	ch := rawChannel(t)
	for i := range 2 {
		if err := top.Declare(ch); err != nil {
			t.Fatalf("declaration %d: %v", i+1, err)
		}
	}
	q, err := ch.QueueDeclarePassive(top.Queue, true, false, false, false, amqp091.Table{
		"x-dead-letter-exchange":    top.DeadLetterExchange,
		"x-dead-letter-routing-key": top.DeadLetterQueue,
	})
	if err != nil || q.Name != top.Queue {
		t.Fatalf("queue not declared as expected: %v", err)
	}

	tests := []struct {
		name, exchange, kind string
	}{
		{name: "kapps declared durable", exchange: DefaultKappsExchange, kind: "topic"},
		{name: "targeted declared durable", exchange: DefaultTargetedExchange, kind: "direct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := rawChannel(t)
			err := declareExchange(ch, exchangeSpec{Name: tt.exchange, Kind: tt.kind,
				Durable: true})
			var amqpErr *amqp091.Error
			if !errors.As(err, &amqpErr) || amqpErr.Code != amqp091.PreconditionFailed {
				t.Errorf("got %v, want PRECONDITION_FAILED", err)
			}
		})
	}
}

func TestUnansweredRequestExpires(t *testing.T) {
	top := testTopology(t)
	ch := rawChannel(t)
	if err := top.Declare(ch); err != nil { // the queue, but no consumer
		t.Fatalf("Declare: %v", err)
	}
	client := newTestClient(t, top)
	short, cancel := context.WithTimeout(testContext(t), 50*time.Millisecond)
	defer cancel()
	req := testRequest()
	req.MsgID = "expiring"
	if _, err := client.Call(short, req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want DeadlineExceeded", err)
	}
	dead, err := ch.Consume(top.DeadLetterQueue, "", true, false, false, false, nil)
	if err != nil {
		t.Fatalf("consume DLQ: %v", err)
	}
	select {
	case d := <-dead:
		r, _ := ParseRequest(d.Body)
		if r == nil || r.MsgID != "expiring" || deathReason(d) != "expired" {
			t.Errorf("got dead letter %v with reason %q, want expiring/expired", r,
				deathReason(d))
		}
	case <-testContext(t).Done():
		t.Fatal("the expired request never reached the dead-letter queue")
	}
}
