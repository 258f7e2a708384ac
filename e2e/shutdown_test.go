package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// TestShutdownHandsInFlightWorkToAnotherReplica: a push in flight when a
// replica is told to stop (as by SIGTERM) outlives its drain timeout; the
// delivery goes back to the broker, the other replica answers it, and the
// caller gets exactly one reply.
func TestShutdownHandsInFlightWorkToAnotherReplica(t *testing.T) {
	w := newWorldWith(t, func(c *app.Config) { c.DrainTimeout = 300 * time.Millisecond })
	w.sim.SetUser("slow", duosim.User{Behavior: duosim.ApproveAfter, Delay: 3 * time.Second})
	sub := w.env.KAZOO.Sub.ID
	cfg := w.createConfig(sub, nil)
	w.securityConfig(sub, cfg, sub, true, false)

	// Replica A is w.env; it stops with a short drain timeout. Replica B
	// joins once A holds the request.
	replies := make(chan *amqp.Reply, 2)
	go func() {
		replies <- w.ask(sub, "slow", func(r *amqp.Request) { r.Factor = amqp.FactorPush })
	}()
	waitFor(t, "replica A to start the push", func() bool {
		for _, r := range w.sim.Requests() {
			if r.Path == "/auth/v2/auth" {
				return true
			}
		}
		return false
	})
	apptest.Start(t, apptest.Options{Join: w.env,
		Configure: func(c *app.Config) { c.CAFile = w.caFile }})
	w.env.StopReplica()

	select {
	case rep := <-replies:
		if rep.Result != amqp.ResultAuthenticated {
			t.Fatalf("reply %s %s, want authenticated (from replica B)", rep.Result, rep.Reason)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("no reply: the in-flight request was lost")
	}
	pushes := 0
	for _, r := range w.sim.Requests() {
		if r.Path == "/auth/v2/auth" {
			pushes++
		}
	}
	if pushes != 2 {
		t.Fatalf("Duo saw %d pushes, want 2: A's, abandoned at shutdown, and B's", pushes)
	}
	time.Sleep(500 * time.Millisecond) // let a second reply, if any, arrive
	if late := w.client.Late(); late != 0 {
		t.Fatalf("%d extra replies: the request was answered more than once", late)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
