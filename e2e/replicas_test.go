package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// replyQueue is a reply queue of the test's own on the real broker, bound
// to targeted with its name as KAZOO's are: every reply that reaches it is
// counted, whether or not anyone waits for it.
type replyQueue struct {
	name string
	mu   sync.Mutex
	got  map[string][]*amqp.Reply // by Msg-ID
}

func newReplyQueue(t *testing.T, top amqp.Topology) *replyQueue {
	t.Helper()
	conn, err := amqp091.Dial(os.Getenv("AMQP_URL"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	q, err := ch.QueueDeclare("", false, true, true, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.QueueBind(q.Name, q.Name, top.Targeted, false, nil); err != nil {
		t.Fatal(err)
	}
	deliveries, err := ch.Consume(q.Name, "", true, true, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	rq := &replyQueue{name: q.Name, got: map[string][]*amqp.Reply{}}
	go func() {
		for d := range deliveries {
			rep, err := amqp.ParseReply(d.Body)
			if err != nil || rep == nil {
				t.Errorf("unparsable reply: %v %s", err, d.Body)
				continue
			}
			rq.mu.Lock()
			rq.got[rep.MsgID] = append(rq.got[rep.MsgID], rep)
			rq.mu.Unlock()
		}
	}()
	return rq
}

// count returns how many distinct Msg-IDs got a reply.
func (rq *replyQueue) count() int {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	return len(rq.got)
}

func (rq *replyQueue) replies(msgID string) []*amqp.Reply {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	return append([]*amqp.Reply(nil), rq.got[msgID]...)
}

// TestTwoReplicasAnswerEachRequestOnce: two whole replicas consume one
// queue on the real broker; of N requests (challenges, approved and
// denied pushes) published at once, each is answered exactly once, with
// the right verdict, and each denial is recorded once. Replies are
// counted by Msg-ID on a reply queue of the test's own.
func TestTwoReplicasAnswerEachRequestOnce(t *testing.T) {
	w := newWorld(t)
	b := apptest.Start(t, apptest.Options{Join: w.env,
		Configure: func(c *app.Config) { c.CAFile = w.caFile }})
	sub := w.env.KAZOO.Sub.ID
	cfg := w.createConfig(sub, map[string]any{"lockout": map[string]any{"max_failures": 100}})
	w.securityConfig(sub, cfg, sub, true, false)
	rq := newReplyQueue(t, w.env.Topology)
	repliesA0, repliesB0 := w.env.App.Consumer().Stats().Replies, b.App.Consumer().Stats().Replies

	const perKind = 20
	kinds := []struct {
		user, factor string
		want         amqp.Result
	}{
		{"approve", "", amqp.ResultChallenge},
		{"approve", "push", amqp.ResultAuthenticated},
		{"deny", "push", amqp.ResultDenied},
	}
	type sent struct {
		msgID string
		want  amqp.Result
	}
	var requests []sent
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, perKind*len(kinds))
	for i := range perKind * len(kinds) {
		k := kinds[i%len(kinds)]
		req := amqp.Request{Envelope: amqp.Envelope{AppName: "e2e", AppVersion: "1",
			EventCategory: amqp.CategoryMFA, EventName: amqp.EventRequest,
			MsgID:    fmt.Sprintf("two-replicas-%03d-%s", i, amqp.NewMsgID()[:8]),
			ServerID: rq.name, AccountID: sub},
			OwnerID: w.env.KAZOO.Sub.Admin.ID, Username: k.user, AuthModule: "cb_user_auth",
			ClientIP: "192.0.2.10", UserAgent: "e2e", Factor: amqp.Factor(k.factor)}
		body, err := json.Marshal(&req)
		if err != nil {
			t.Fatal(err)
		}
		requests = append(requests, sent{req.MsgID, k.want})
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- w.client.Publish(ctx, amqp.Message{Exchange: w.env.Topology.Kapps,
				RoutingKey: amqp.RequestKey(sub), Body: body})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("publishing: %v", err)
		}
	}

	waitFor(t, "a reply to every request", func() bool { return rq.count() >= len(requests) })
	time.Sleep(time.Second) // a second reply to any request would arrive meanwhile
	denied := 0
	for _, r := range requests {
		got := rq.replies(r.msgID)
		if len(got) != 1 {
			t.Errorf("request %s got %d replies, want exactly 1", r.msgID, len(got))
			continue
		}
		if got[0].Result != r.want {
			t.Errorf("request %s: %s %s, want %s", r.msgID, got[0].Result, got[0].Reason, r.want)
		}
		if r.want == amqp.ResultDenied {
			denied++
		}
	}
	if n := rq.count(); n != len(requests) {
		t.Errorf("replies to %d Msg-IDs, want %d", n, len(requests))
	}

	repliesA := w.env.App.Consumer().Stats().Replies - repliesA0
	repliesB := b.App.Consumer().Stats().Replies - repliesB0
	if repliesA+repliesB != uint64(len(requests)) || repliesA == 0 || repliesB == 0 {
		t.Errorf("replica A sent %d replies and B %d: want %d in all, from both",
			repliesA, repliesB, len(requests))
	}
	if rows := w.failures(sub, "filter_username=deny"); len(rows) != denied {
		t.Errorf("%d denials recorded for %d denied requests", len(rows), denied)
	}
}
