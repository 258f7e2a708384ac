package kazooauth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
	"github.com/duo-kazoo/duo-kazoo/kazooauth/kazooauthtest"
)

// verifyWant runs Verify and checks the outcome kind and the number of
// store reads made so far for kid.
func verifyWant(t *testing.T, f *fixture, tok, kid string, wantErr error, wantReads int) {
	t.Helper()
	_, err := f.v.Verify(context.Background(), tok)
	wantKind(t, err, wantErr)
	if got := f.store.reads(kid); got != wantReads {
		t.Fatalf("got %d store reads of %s, want %d", got, kid, wantReads)
	}
}

func mintFor(t *testing.T, f *fixture, key *rsa.PrivateKey, kid string) string {
	t.Helper()
	return f.mintWith(t, key, kid, kazooauth.MintClaims{
		AccountID: resellerID, OwnerID: resellerAdmin,
		ExpiresAt: f.clock.Now().Add(24 * time.Hour),
	})
}

func TestKeyUnknownThenAppears(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{KeyRetryInterval: 5 * time.Second})
	const kid = "rotated-in"
	tok := mintFor(t, f, keyB, kid)

	verifyWant(t, f, tok, kid, kazooauth.ErrUnknownKey, 1)
	f.store.putKey(kid, pemB)
	verifyWant(t, f, tok, kid, kazooauth.ErrUnknownKey, 1) // miss remembered
	f.clock.Advance(5 * time.Second)
	verifyWant(t, f, tok, kid, nil, 2) // refreshed
	verifyWant(t, f, tok, kid, nil, 2) // cached
}

func TestKeyCacheTTL(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{KeyCacheTTL: time.Minute})
	tok := mintFor(t, f, keyA, kidA)

	for range 20 {
		verifyWant(t, f, tok, kidA, nil, 1)
	}
	f.clock.Advance(time.Minute)
	verifyWant(t, f, tok, kidA, nil, 2)
}

func TestKeyDeletedIsRevokedAfterTTL(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{KeyCacheTTL: time.Minute})
	tok := mintFor(t, f, keyA, kidA)
	verifyWant(t, f, tok, kidA, nil, 1)

	f.store.deleteKey(kidA)
	f.clock.Advance(59 * time.Second)
	verifyWant(t, f, tok, kidA, nil, 1) // cached: the TTL is the delay
	f.clock.Advance(time.Second)
	verifyWant(t, f, tok, kidA, kazooauth.ErrUnknownKey, 2)
}

func TestKeyServedStaleWhileStoreFails(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{
		KeyCacheTTL: time.Minute, KeyRetryInterval: 5 * time.Second,
	})
	tok := mintFor(t, f, keyA, kidA)
	verifyWant(t, f, tok, kidA, nil, 1)

	f.store.setKeysDown(errStoreDown)
	f.clock.Advance(time.Minute)
	verifyWant(t, f, tok, kidA, nil, 2) // read failed, old key served
	verifyWant(t, f, tok, kidA, nil, 2) // no new read within the retry interval
	f.clock.Advance(5 * time.Second)
	verifyWant(t, f, tok, kidA, nil, 3)

	f.store.setKeysDown(nil)
	f.clock.Advance(5 * time.Second)
	verifyWant(t, f, tok, kidA, nil, 4) // fresh again
	verifyWant(t, f, tok, kidA, nil, 4)
}

func TestKeyUncachedStoreFailure(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{})
	f.store.setKeysDown(errStoreDown)
	verifyWant(t, f, mintFor(t, f, keyA, kidA), kidA, kazooauth.ErrUnavailable, 1)
}

func TestKeyResetUnderSameKid(t *testing.T) {
	// kazoo_auth_maintenance can reset the key of a kid: the cache must
	// pick up the new key when a signature fails, but not on every failure.
	f := newFixture(t, kazooauth.VerifierOptions{KeyRetryInterval: 5 * time.Second})
	oldTok := mintFor(t, f, keyA, kidA)
	verifyWant(t, f, oldTok, kidA, nil, 1)

	f.store.putKey(kidA, pemB)
	newTok := mintFor(t, f, keyB, kidA)
	verifyWant(t, f, newTok, kidA, kazooauth.ErrBadSignature, 1) // too soon to re-read
	f.clock.Advance(5 * time.Second)
	verifyWant(t, f, newTok, kidA, nil, 2)
	verifyWant(t, f, oldTok, kidA, kazooauth.ErrBadSignature, 2)
	f.clock.Advance(5 * time.Second)
	verifyWant(t, f, oldTok, kidA, kazooauth.ErrBadSignature, 3) // re-read, same key
}

func TestKeyLookupsRateLimited(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{
		KeyLookupsPerSecond: 1, KeyLookupBurst: 3,
	})
	good := mintFor(t, f, keyA, kidA)
	verifyWant(t, f, good, kidA, nil, 1) // uses one token of the burst

	for i := range 10 {
		kid := fmt.Sprintf("garbage-%d", i)
		_, err := f.v.Verify(context.Background(), mintFor(t, f, keyA, kid))
		wantKind(t, err, kazooauth.ErrUnknownKey)
	}
	if got := f.store.totalReads(); got != 3 {
		t.Errorf("got %d store reads after a flood of kids, want 3 (the burst)", got)
	}
	verifyWant(t, f, good, kidA, nil, 1) // cached keys are unaffected

	f.clock.Advance(time.Second)
	_, err := f.v.Verify(context.Background(), mintFor(t, f, keyA, "garbage-late"))
	wantKind(t, err, kazooauth.ErrUnknownKey)
	if got := f.store.totalReads(); got != 4 {
		t.Errorf("got %d store reads one second later, want 4", got)
	}
}

func TestKeyConcurrentColdCache(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{})
	tok := mintFor(t, f, keyA, kidA)
	entered, release := f.store.hold()

	const n = 16
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.v.Verify(context.Background(), tok)
			errs <- err
		}()
	}
	<-entered // one read is in flight; the others wait for it or the cache
	release()
	wg.Wait()
	close(errs)

	for err := range errs {
		wantKind(t, err, nil)
	}
	if got := f.store.reads(kidA); got != 1 {
		t.Errorf("got %d store reads for %d concurrent verifies, want 1", got, n)
	}
}

func TestKeyWaiterHonoursContext(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{})
	tok := mintFor(t, f, keyA, kidA)
	entered, release := f.store.hold()

	done := make(chan error, 1)
	go func() {
		_, err := f.v.Verify(context.Background(), tok)
		done <- err
	}()
	<-entered

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.v.Verify(ctx, tok)
	wantKind(t, err, kazooauth.ErrUnavailable)

	release()
	wantKind(t, <-done, nil)
}

func TestKeyStoredFormats(t *testing.T) {
	loadKeys(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatalf("generating small key: %v", err)
	}
	tests := []struct {
		name    string
		key     *rsa.PrivateKey // signs the token
		pem     []byte          // stored under the kid
		wantErr error
	}{
		{"PKCS#1", keyA, kazooauthtest.PEM(keyA), nil},
		{"PKCS#8", keyA, kazooauthtest.PKCS8PEM(t, keyA), nil},
		{"public key only", keyA, kazooauthtest.PublicPEM(t, keyA), kazooauth.ErrUnavailable},
		{"not PEM", keyA, []byte("not a key"), kazooauth.ErrUnavailable},
		{"1024-bit key", keyA, kazooauthtest.PEM(small), kazooauth.ErrUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, kazooauth.VerifierOptions{})
			f.store.putKey("stored", tc.pem)
			_, err := f.v.Verify(context.Background(), mintFor(t, f, tc.key, "stored"))
			wantKind(t, err, tc.wantErr)
		})
	}
}

// flooder verifies tokens under fresh invented kids, as an attacker
// would, expecting each to be refused as an unknown key.
type flooder struct {
	f *fixture
	n int
}

func (fl *flooder) flood(t *testing.T, count int) {
	t.Helper()
	for range count {
		fl.n++
		tok := mintFor(t, fl.f, keyA, fmt.Sprintf("flood-%d", fl.n))
		_, err := fl.f.v.Verify(context.Background(), tok)
		wantKind(t, err, kazooauth.ErrUnknownKey)
	}
}

func TestKeyFloodSparesCurrentKey(t *testing.T) {
	// KAZOO rotates its key: a new system_auth doc, named current in
	// system_config/auth. A flood of invented kids empties the lookup
	// bucket; tokens signed with the new key must still pass.
	const rotated = "rotated-key"
	rotate := func(f *fixture) {
		f.store.putKey(rotated, pemB)
		f.store.setCurrentKID(rotated)
	}
	tests := []struct {
		name string
		run  func(t *testing.T, f *fixture, fl *flooder)
	}{
		{"rotated before the flood", func(t *testing.T, f *fixture, fl *flooder) {
			rotate(f)
			fl.flood(t, 20)
		}},
		{"rotated during the flood, the token's lookup reads the current kid",
			func(t *testing.T, f *fixture, fl *flooder) {
				fl.flood(t, 20)
				rotate(f)
				f.clock.Advance(time.Second)
				fl.flood(t, 1) // takes the token the bucket regained
			}},
		{"rotated during the flood, the flood reads the current kid",
			func(t *testing.T, f *fixture, fl *flooder) {
				fl.flood(t, 20)
				rotate(f)
				f.clock.Advance(time.Second)
				fl.flood(t, 20)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, kazooauth.VerifierOptions{
				KeyLookupsPerSecond: 1, KeyLookupBurst: 3,
			})
			f.store.setCurrentKID(kidA)
			fl := &flooder{f: f}
			tc.run(t, f, fl)

			verifyWant(t, f, mintFor(t, f, keyB, rotated), rotated, nil, 1)
			verifyWant(t, f, mintFor(t, f, keyB, rotated), rotated, nil, 1) // cached

			// The flood itself stays bounded: the bucket's reads, and the
			// current kid at most once per simulated second.
			if got, limit := f.store.totalReads()-1, 4; got > limit {
				t.Errorf("got %d store reads of invented kids, want at most %d", got, limit)
			}
			if got := f.store.currentKIDReads(); got > 2 {
				t.Errorf("got %d reads of the current kid, want at most 2", got)
			}
		})
	}
}

func TestKeyFloodSparesKnownKid(t *testing.T) {
	// A kid that has had a key is re-read when its TTL ends even while
	// a flood keeps the bucket empty.
	f := newFixture(t, kazooauth.VerifierOptions{
		KeyCacheTTL: time.Minute, KeyLookupsPerSecond: 1, KeyLookupBurst: 3,
	})
	tok := mintFor(t, f, keyA, kidA)
	verifyWant(t, f, tok, kidA, nil, 1)

	fl := &flooder{f: f}
	fl.flood(t, 20)
	f.clock.Advance(time.Minute)
	fl.flood(t, 20)
	verifyWant(t, f, tok, kidA, nil, 2)
}

func TestKeyFloodCurrentKeyUnset(t *testing.T) {
	// Without a current kid (or with a store that cannot say), the bucket
	// alone decides, and the current kid is not read on every refusal.
	f := newFixture(t, kazooauth.VerifierOptions{
		KeyLookupsPerSecond: 1, KeyLookupBurst: 3,
	})
	fl := &flooder{f: f}
	fl.flood(t, 50)
	if got := f.store.currentKIDReads(); got != 1 {
		t.Errorf("got %d reads of the current kid, want 1", got)
	}
	f.store.putKey("fresh", pemB)
	_, err := f.v.Verify(context.Background(), mintFor(t, f, keyB, "fresh"))
	wantKind(t, err, kazooauth.ErrUnknownKey)
}

func TestKeyFloodConcurrentWithRotatedKey(t *testing.T) {
	f := newFixture(t, kazooauth.VerifierOptions{
		KeyLookupsPerSecond: 1, KeyLookupBurst: 3,
	})
	f.store.putKey("rotated-key", pemB)
	f.store.setCurrentKID("rotated-key")
	good := mintFor(t, f, keyB, "rotated-key")
	bad := make([]string, 64)
	for i := range bad {
		bad[i] = mintFor(t, f, keyA, fmt.Sprintf("flood-%d", i))
	}

	var wg sync.WaitGroup
	goodErrs := make(chan error, 16)
	for i, tok := range bad {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = f.v.Verify(context.Background(), tok) // refused: invented kid
		}()
		if i%4 == 0 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.v.Verify(context.Background(), good)
				goodErrs <- err
			}()
		}
	}
	wg.Wait()
	close(goodErrs)

	for err := range goodErrs {
		wantKind(t, err, nil)
	}
	if got := f.store.currentKIDReads(); got != 1 {
		t.Errorf("got %d reads of the current kid, want 1", got)
	}
}
