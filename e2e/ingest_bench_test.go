package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// BenchmarkIngestion measures login_attempt events stored per second
// through the whole path (published with confirms, consumed, recorded in
// the MODb, acknowledged) beside the floor of raw _bulk_docs of the same
// documents, 100 at a time, into the same server.
func BenchmarkIngestion(b *testing.B) {
	w := newWorldWith(b, func(c *app.Config) {
		c.LogLevel, c.CacheTTL = "warn", 5*time.Second
	})
	sub := w.env.KAZOO.Sub

	b.Run("module", func(b *testing.B) {
		consumer := w.env.App.Consumer()
		before := consumer.Stats().Acked
		start := time.Now()
		publish(b, testenv.AMQPURL(b), w.env.Topology, sub.ID, sub.User.ID, b.N)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		for consumer.Stats().Acked-before < uint64(b.N) {
			select {
			case <-ctx.Done():
				b.Fatalf("stored %d of %d events", consumer.Stats().Acked-before, b.N)
			case <-time.After(5 * time.Millisecond):
			}
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
	})
	b.Run("bulk_docs-floor", func(b *testing.B) {
		ctx := context.Background()
		db, _ := couch.MODB(sub.ID, time.Now())
		batch := make([]any, 0, 100)
		start := time.Now()
		flush := func() {
			if _, err := w.env.Couch.Kivik().DB(db).BulkDocs(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
		for i := 0; i < b.N; i++ {
			doc, err := attempts.Attempt{Key: fmt.Sprintf("floor-%d-%d", b.N, i),
				Time: time.Now(), AuthType: "credentials", Status: attempts.StatusFailed,
				AuthModule: "cb_user_auth", Reason: "password_failed", Message: "wrong password",
				ClientIP: "192.0.2.5", OwnerID: sub.User.ID, Username: "user"}.Document(sub.ID)
			if err != nil {
				b.Fatal(err)
			}
			if batch = append(batch, doc); len(batch) == cap(batch) {
				flush()
			}
		}
		if len(batch) > 0 {
			flush()
		}
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
	})
}

// publish sends n login_attempt events on one confirm-mode channel
// without waiting between them, then waits for every confirm: a
// publisher fast enough that the replica's consumer sets the pace.
func publish(b *testing.B, url string, top amqp.Topology, acct, owner string, n int) {
	conn, err := amqp091.Dial(url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		b.Fatal(err)
	}
	if err := ch.Confirm(false); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	confirms := make([]*amqp091.DeferredConfirmation, 0, n)
	for i := 0; i < n; i++ {
		body, err := json.Marshal(&amqp.AttemptEvent{
			Envelope: amqp.Envelope{AccountID: acct, MsgID: fmt.Sprintf("ingest-%d-%d", n, i),
				AppName: "bench", AppVersion: "1", EventCategory: amqp.CategoryMFA,
				EventName: amqp.EventAttempt},
			OwnerID: owner, Username: "user", AuthType: "credentials",
			AuthModule: "cb_user_auth", Status: amqp.AttemptFailed,
			Reason: "password_failed", Message: "wrong password", ClientIP: "192.0.2.5"})
		if err != nil {
			b.Fatal(err)
		}
		dc, err := ch.PublishWithDeferredConfirmWithContext(ctx, top.Kapps,
			amqp.AttemptKey(acct), false, false, amqp091.Publishing{
				ContentType: "application/json", DeliveryMode: amqp091.Persistent, Body: body})
		if err != nil {
			b.Fatal(err)
		}
		confirms = append(confirms, dc)
	}
	for _, dc := range confirms {
		if ok, err := dc.WaitContext(ctx); err != nil || !ok {
			b.Fatalf("publish not confirmed: %v", err)
		}
	}
}
