package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// noopHandler answers every request at once: the floor of an AMQP round
// trip on this broker, with nothing but the transport.
type noopHandler struct{}

func (noopHandler) HandleRequest(_ context.Context, _ *amqp.Request) *amqp.Reply {
	return &amqp.Reply{Result: amqp.ResultChallenge, MultiFactorRequest: staticChallenge}
}

// staticChallenge is shaped and sized like a real duo challenge.
var staticChallenge = json.RawMessage(`{"provider_name":"duo","settings":{"duo_api_hostname":` +
	`"127.0.0.1:8443","duo_sig_request":"TX|` + strings.Repeat("x", 140) + `:APP|` +
	strings.Repeat("y", 140) + `"}}`)

func (noopHandler) HandleAttempt(context.Context, *amqp.AttemptEvent) error { return nil }

// BenchmarkChallenge measures mfa_req -> mfa_resp round trips of the duo
// challenge path through a whole replica, beside a no-op responder on
// the same broker, at 1, 16 and 64 concurrent callers. Each reports
// msgs/s, p50 and p99.
func BenchmarkChallenge(b *testing.B) {
	url := testenv.AMQPURL(b)
	w := newWorldWith(b, func(c *app.Config) {
		c.CacheTTL = 5 * time.Second
		c.LogLevel = "info"
	})
	sub := w.env.KAZOO.Sub.ID
	cfg := w.createConfig(sub, nil)
	w.securityConfig(sub, cfg, sub, true, false)
	if rep := w.ask(sub, "approve", nil); rep.Result != amqp.ResultChallenge {
		b.Fatalf("warm-up: %s %s", rep.Result, rep.Reason)
	}

	top := amqp.Topology{Kapps: "bench-floor.kapps", Targeted: "bench-floor.targeted",
		Queue: "bench-floor.q", DeadLetterExchange: "bench-floor.dlx",
		DeadLetterQueue: "bench-floor.dead"}
	floorLog := logrus.New()
	floorLog.SetOutput(io.Discard)
	floorLog.SetFormatter(&logrus.JSONFormatter{})
	floor, err := amqp.NewConsumer(amqp.Config{URL: url, Topology: top, Workers: 32,
		Logger: floorLog}, noopHandler{})
	if err != nil {
		b.Fatal(err)
	}
	if err := floor.Start(); err != nil {
		b.Fatal(err)
	}
	defer floor.Stop(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := floor.WaitConsuming(ctx); err != nil {
		b.Fatal(err)
	}
	floorClient, err := amqp.NewClient(amqp.ClientConfig{URL: url, Topology: top})
	if err != nil {
		b.Fatal(err)
	}
	defer floorClient.Close()

	req := func() *amqp.Request {
		return &amqp.Request{Envelope: amqp.Envelope{AccountID: sub},
			OwnerID: w.env.KAZOO.Sub.Admin.ID, Username: "approve", AuthModule: "cb_user_auth",
			ClientIP: "192.0.2.1"}
	}
	for _, conc := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("floor/c%d", conc), func(b *testing.B) {
			roundTrips(b, floorClient, req, conc, amqp.ResultChallenge)
		})
		b.Run(fmt.Sprintf("module/c%d", conc), func(b *testing.B) {
			roundTrips(b, w.client, req, conc, amqp.ResultChallenge)
		})
	}
}

func roundTrips(b *testing.B, c *amqp.Client, req func() *amqp.Request, conc int,
	want amqp.Result) {
	var (
		mu   sync.Mutex
		lat  []time.Duration
		fail error
		wg   sync.WaitGroup
		next = make(chan struct{})
	)
	start := time.Now()
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				t0 := time.Now()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				rep, err := c.Call(ctx, req())
				cancel()
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				if err == nil && rep.Result != want {
					err = fmt.Errorf("result %s %s", rep.Result, rep.Reason)
				}
				if err != nil && fail == nil {
					fail = err
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < b.N; i++ {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	if fail != nil {
		b.Fatal(fail)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
