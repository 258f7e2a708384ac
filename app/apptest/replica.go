package apptest

import (
	"context"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// privateTopology names exchanges and queues no other test shares, so
// that replicas of parallel tests never answer each other's requests.
func privateTopology() amqp.Topology {
	p := "test-" + testenv.NewID()[:12]
	return amqp.Topology{Kapps: p + ".kapps", Targeted: p + ".targeted", Queue: p + ".mfa",
		DeadLetterExchange: p + ".dlx", DeadLetterQueue: p + ".mfa.dead"}
}

// runReplica runs a.Run on a loopback listener until the test ends (or
// the returned stop is called), waits for its consumer, and removes the
// private topology when the test ends.
func runReplica(t testing.TB, a *app.App, cfg app.Config) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, ln) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("replica stopped with %v", err)
			}
			a.Close()
		})
	}
	t.Cleanup(func() {
		stop()
		deleteTopology(t, cfg.AMQPURL, cfg.Topology)
	})
	wait, cancelWait := context.WithTimeout(ctx, 30*time.Second)
	defer cancelWait()
	if err := a.Consumer().WaitConsuming(wait); err != nil {
		t.Fatalf("the replica's consumer did not start: %v", err)
	}
	return "http://" + ln.Addr().String(), stop
}

func deleteTopology(t testing.TB, url string, top amqp.Topology) {
	conn, err := amqp091.Dial(url)
	if err != nil {
		t.Logf("cleaning up the test topology: %v", err)
		return
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return
	}
	defer ch.Close()
	for _, q := range []string{top.Queue, top.DeadLetterQueue} {
		_, _ = ch.QueueDelete(q, false, false, false)
	}
	for _, x := range []string{top.Kapps, top.Targeted, top.DeadLetterExchange} {
		_ = ch.ExchangeDelete(x, false, false)
	}
}

// MFAClient returns an AMQP client that asks this Env's replica for second
// factors the way KAZOO does; it is closed when the test ends.
func (e *Env) MFAClient(t testing.TB) *amqp.Client {
	t.Helper()
	c, err := amqp.NewClient(amqp.ClientConfig{URL: os.Getenv("AMQP_URL"),
		Topology: e.Topology, AppName: "apptest", AppVersion: "test"})
	if err != nil {
		t.Fatalf("amqp client: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
