package e2e

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/brokerproxy"
)

// TestBrokerConnectionCutLosesNoAttempt: the replica reaches the real
// RabbitMQ through a proxy that drops every connection for a while in the
// middle of a run (as a broker restart would, without restarting the
// broker others share) while N attempt events are published with
// confirms. The replica reconnects by itself; every confirmed event is
// stored exactly once: N documents, with the ids derived from their
// Msg-IDs, through the Failure Logs API.
func TestBrokerConnectionCutLosesNoAttempt(t *testing.T) {
	px := brokerproxy.Start(t)
	e := apptest.Start(t, apptest.Options{AMQP: true,
		Configure: func(c *app.Config) { c.AMQPURL = px.URL() }})
	// Cleanups run last-in first-out: the proxy is open again before the
	// replica stops and its topology is deleted through it.
	t.Cleanup(px.Restore)
	client := e.MFAClient(t) // straight to the broker, not through the proxy
	sub := e.KAZOO.Sub
	consumer := e.App.Consumer()

	const events, cutAfter = 600, 150
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ts := couch.Gregorian(time.Now())
	run := amqp.NewMsgID()[:8]
	want := map[string]bool{}
	msgID := func(i int) string { return fmt.Sprintf("cut-%s-%04d", run, i) }
	var published atomic.Int64
	done := make(chan error, 1)
	go func() {
		// Paced, so that the run spans the cut: events are in the
		// replica's hands when it comes, and published during and after.
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for i := range events {
			<-tick.C
			err := client.PublishAttempt(ctx, &amqp.AttemptEvent{
				Envelope: amqp.Envelope{AccountID: sub.ID, MsgID: msgID(i)},
				OwnerID:  sub.User.ID, Username: "user", AuthType: "credentials",
				AuthModule: "cb_user_auth", Status: amqp.AttemptFailed,
				Reason: "password_failed", Message: "wrong password", ClientIP: "192.0.2.77",
				Timestamp: ts,
			})
			if err != nil {
				done <- fmt.Errorf("publishing event %d: %w", i, err)
				return
			}
			published.Add(1)
		}
		done <- nil
	}()
	for i := range events {
		want[attempts.IDFor(couch.FromGregorian(ts), sub.ID+":"+msgID(i))] = true
	}

	waitFor(t, "the first events to be confirmed", func() bool { return published.Load() >= cutAfter })
	reconnects := consumer.Stats().Reconnects
	if dropped := px.Cut(); dropped == 0 {
		t.Fatal("the cut dropped no connection: the replica does not go through the proxy")
	}
	waitFor(t, "the replica to notice the cut", func() bool { return !consumer.Connected() })
	time.Sleep(2 * time.Second) // events keep coming, into the durable queue
	atCut := published.Load()
	px.Restore()
	if err := consumer.WaitConsuming(ctx); err != nil {
		t.Fatalf("the replica did not consume again: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := consumer.Stats().Reconnects - reconnects; got < 1 {
		t.Fatalf("the replica reconnected %d times, want at least once", got)
	}
	if atCut >= events {
		t.Fatalf("all %d events were published before the cut ended: the run does not span it",
			events)
	}
	t.Logf("%d of %d events confirmed by the end of the cut", atCut, events)

	list := func() map[string]int {
		status, out := e.Do(t, http.MethodGet, "/v2/accounts/"+sub.ID+
			"/duo/failure_logs?paginate=false&filter_reason=password_failed",
			sub.Admin.Token, nil)
		if status != http.StatusOK {
			t.Fatalf("failure logs: %d %s", status, out)
		}
		ids := map[string]int{}
		for _, row := range apptest.Decode(t, out).List(t) {
			ids[row["id"].(string)]++
		}
		return ids
	}
	var stored map[string]int
	for {
		stored = list()
		if len(stored) >= events {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d of %d confirmed events stored", len(stored), events)
		case <-time.After(250 * time.Millisecond):
		}
	}
	time.Sleep(time.Second) // redeliveries, if any, are handled meanwhile
	stored = list()
	if len(stored) != events {
		t.Fatalf("%d attempts stored for %d events", len(stored), events)
	}
	for id, n := range stored {
		if !want[id] || n != 1 {
			t.Errorf("stored attempt %s (listed %d times) is not one of the events'", id, n)
		}
	}
	// Acked above N: deliveries whose ack the cut lost, handled again
	// after the reconnection and stored once.
	t.Logf("consumer: %+v", consumer.Stats())
}
