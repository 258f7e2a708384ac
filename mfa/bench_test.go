package mfa_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

// BenchmarkChallengeDuo measures Handle for a duo (Web SDK) challenge with
// warm caches: account, hierarchy and configuration come from the read
// cache; the lockout document is read from CouchDB (uncached, so that
// replicas agree); the sig_request is signed.
func BenchmarkChallengeDuo(b *testing.B) {
	ctx := context.Background()
	e := newEnv(b, envOptions{})
	acct, _ := e.enableDuo(b, nil)
	req := request(acct, "bench-user")
	wantReply(b, e.svc.Handle(ctx, req), mfa.ResultChallenge, "")

	b.ReportAllocs()
	for b.Loop() {
		if r := e.svc.Handle(ctx, req); r.Result != mfa.ResultChallenge {
			b.Fatalf("reply %+v, want a challenge", r)
		}
	}
}

// BenchmarkPendingPushes holds N pushes pending at a simulator in another
// process (N from DUO_KAZOO_BENCH_PENDING, default 500). The pushes start
// in waves of pushWave, as logins arrive, and stay pending until the
// benchmark approves them: at least the simulator's 30 s status hold. It
// reports the memory and goroutines each costs this process (live heap
// plus stacks, after GC), the process's peak resident memory, and duo
// challenges handled meanwhile (ns/op and p99) beside their p99 before
// any push started. Then it approves the pushes and checks every one
// authenticated.
func BenchmarkPendingPushes(b *testing.B) {
	testenv.CouchURL(b) // skip before starting the simulator process
	n := pendingPushes(b)
	ctx := context.Background()
	sim := startSimChild(b)
	e := newEnv(b, envOptions{external: sim, pushTimeout: time.Hour})
	acct, _ := e.enableDuo(b, nil)
	wantReply(b, e.svc.Handle(ctx, factorRequest(acct, childApprover, "push")),
		mfa.ResultAuthenticated, "")
	challengeReq := request(acct, "bench-user")
	challenge := func() time.Duration {
		start := time.Now()
		if r := e.svc.Handle(ctx, challengeReq); r.Result != mfa.ResultChallenge {
			b.Fatalf("reply %+v, want a challenge", r)
		}
		return time.Since(start)
	}
	var idle []time.Duration
	for range 500 {
		idle = append(idle, challenge())
	}

	heap0, stack0 := liveMemory()
	goroutines0 := runtime.NumGoroutine()
	replies := make(chan mfa.Reply, n)
	for launched := 0; launched < n; {
		wave := min(pushWave, n-launched)
		for range wave {
			go func() { replies <- e.svc.Handle(ctx, factorRequest(acct, childPending, "push")) }()
		}
		launched += wave
		waitPending(b, sim, launched, replies)
	}
	time.Sleep(time.Second) // the last held polls in flight
	heap1, stack1 := liveMemory()
	goroutines := runtime.NumGoroutine() - goroutines0

	var took []time.Duration
	for b.Loop() {
		took = append(took, challenge())
	}

	if got := sim.answer(b, childPending); got != n {
		b.Errorf("the simulator answered %d pushes, want %d", got, n)
	}
	for range n {
		if r := <-replies; r.Result != mfa.ResultAuthenticated {
			b.Errorf("pending push ended %s/%s, want authenticated", r.Result, r.Reason)
		}
	}
	b.ReportMetric(float64(n), "pending_pushes")
	b.ReportMetric(float64(heap1+stack1-heap0-stack0)/float64(n), "B/pending_push")
	b.ReportMetric(float64(stack1-stack0)/float64(n), "stack_B/pending_push")
	b.ReportMetric(float64(goroutines)/float64(n), "goroutines/pending_push")
	b.ReportMetric(float64(p99(idle)), "idle_p99_ns/challenge")
	b.ReportMetric(float64(p99(took)), "p99_ns/challenge")
	if peak, ok := peakRSS(); ok {
		b.ReportMetric(float64(peak)/(1<<20), "peak_RSS_MB")
	}
}

// pushWave is how many pushes BenchmarkPendingPushes starts at once.
const pushWave = 500

func p99(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)*99/100]
}

// peakRSS returns the process's peak resident set size (VmHWM).
func peakRSS() (uint64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb uint64
			if _, err := fmt.Sscan(v, &kb); err == nil {
				return kb << 10, true
			}
		}
	}
	return 0, false
}

func pendingPushes(b *testing.B) int {
	b.Helper()
	v := os.Getenv("DUO_KAZOO_BENCH_PENDING")
	if v == "" {
		return 500
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("DUO_KAZOO_BENCH_PENDING=%q: want a positive number", v)
	}
	return n
}

// waitPending waits until the simulator saw n pushes started and their
// first status polls answered "waiting". A push that ended already fails the benchmark.
func waitPending(b *testing.B, sim *externalSim, n int, replies <-chan mfa.Reply) {
	b.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		started, waiting := sim.pending(b)
		if started >= n && waiting >= n {
			break
		}
		select {
		case r := <-replies:
			b.Fatalf("a push ended before it was answered: %s/%s %s (%d of %d started)",
				r.Result, r.Reason, r.Message, started, n)
		default:
		}
		if time.Now().After(deadline) {
			b.Fatalf("after 5 minutes %d of %d pushes started, %d waiting", started, n, waiting)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// liveMemory returns the live heap and the goroutine stacks after GC.
func liveMemory() (heap, stack uint64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.StackInuse
}
