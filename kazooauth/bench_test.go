package kazooauth_test

import (
	"context"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// BenchmarkVerify measures Verify of a valid RS256 token with the key
// cached: header check, JWT parse, RSA-2048 verify, identity HMAC and the
// (in-memory) store reads.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b, kazooauth.VerifierOptions{})
	tok := f.mint(b, resellerID, resellerAdmin)
	ctx := context.Background()
	if _, err := f.v.Verify(ctx, tok); err != nil {
		b.Fatalf("warming the key cache: %v", err)
	}

	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

// BenchmarkVerifyParallel is BenchmarkVerify from GOMAXPROCS goroutines,
// showing the key cache does not serialize verifications.
func BenchmarkVerifyParallel(b *testing.B) {
	f := newFixture(b, kazooauth.VerifierOptions{})
	tok := f.mint(b, resellerID, resellerAdmin)
	ctx := context.Background()
	if _, err := f.v.Verify(ctx, tok); err != nil {
		b.Fatalf("warming the key cache: %v", err)
	}

	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.v.Verify(ctx, tok); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}
