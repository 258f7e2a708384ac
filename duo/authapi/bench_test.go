package authapi_test

import (
	"context"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// BenchmarkPushRoundTrip measures a push the user approves at once: an
// async auth and the auth_status that answers it, against the simulator
// over TLS with no added latency. Compare with BenchmarkCheckFloor, one
// signed request.
func BenchmarkPushRoundTrip(b *testing.B) {
	sim := newSim(b)
	sim.SetUser("alice", duosim.User{Behavior: duosim.Approve})
	c := newClient(b, sim, nil)
	ctx := context.Background()
	req := authapi.AuthRequest{Username: "alice", Factor: authapi.FactorPush}
	sim.ResetLog()

	for b.Loop() {
		res, err := c.Auth(ctx, req)
		if err != nil || !res.Allowed() {
			b.Fatalf("push: got %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(len(sim.Requests()))/float64(b.N), "requests/op")
}

// BenchmarkCheckFloor measures one signed /auth/v2/check: the floor of any
// Auth API call through the official client, TLS and the simulator.
func BenchmarkCheckFloor(b *testing.B) {
	sim := newSim(b)
	c := newClient(b, sim, nil)
	ctx := context.Background()
	sim.ResetLog()

	for b.Loop() {
		if _, err := c.Check(ctx); err != nil {
			b.Fatalf("check: %v", err)
		}
	}
	b.ReportMetric(float64(len(sim.Requests()))/float64(b.N), "requests/op")
}
