package amqp

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkRoundTripFloor measures the transport alone: a responder that
// answers at once, on the shared broker, driven by the RPC client at
// several concurrencies. Each op is one full round trip (publish with
// confirm, consume, reply with confirm, ack, reply delivered and matched).
// It reports msgs/s (round trips per second) and latency percentiles.
func BenchmarkRoundTripFloor(b *testing.B) {
	top := testTopology(b)
	startConsumer(b, Config{Topology: top, Workers: 64, SlowLane: SlowLane{Disabled: true}},
		funcHandler{})
	client := newTestClient(b, top)
	ctx := testContext(b)

	for _, conc := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			var next atomic.Int64
			var mu sync.Mutex
			var latencies []time.Duration
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range conc {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var mine []time.Duration
					for next.Add(1) <= int64(b.N) {
						t0 := time.Now()
						rep, err := client.Call(ctx, testRequest())
						if err != nil || rep.Result != ResultAuthenticated {
							b.Errorf("call: %v %v", rep, err)
							return
						}
						mine = append(mine, time.Since(t0))
					}
					mu.Lock()
					latencies = append(latencies, mine...)
					mu.Unlock()
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			slices.Sort(latencies)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
			if len(latencies) > 0 {
				b.ReportMetric(ms(latencies[len(latencies)/2]), "p50-ms")
				b.ReportMetric(ms(latencies[len(latencies)*99/100]), "p99-ms")
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
