package kazooauth

import (
	"context"
	"crypto/rsa"
	"errors"
	"sync"
	"time"
)

// maxKeyEntries bounds the cache; beyond it, expired misses are swept.
const maxKeyEntries = 1024

// currentKeyInterval is the minimum time between two reads of the
// current kid (system_config/auth default.system_key); currentKeyTimeout
// bounds one read.
const (
	currentKeyInterval = time.Second
	currentKeyTimeout  = 10 * time.Second
)

// keyCache maps a kid to the public half of system_auth/{kid}. It is safe
// for concurrent use. Store reads are bounded three ways: one read per
// kid at a time (concurrent callers wait for it), at most one read per
// kid per retry interval, and a token bucket over reads for kids that
// have no cached key, so a flood of invented kids cannot hammer CouchDB.
// The bucket never holds back a kid that has had a key, nor the kid
// KAZOO currently signs with: a flood must not lock out real tokens.
type keyCache struct {
	store   Store
	now     func() time.Time
	ttl     time.Duration // a fetched key is used this long without a re-read
	retry   time.Duration // minimum time between two store reads of one kid
	current *currentKey

	mu      sync.Mutex
	entries map[string]*keyEntry
	flights map[string]*keyFlight
	bucket  tokenBucket
}

// keyEntry is a cached key, or a remembered miss when key is nil.
type keyEntry struct {
	key     *rsa.PublicKey
	readAt  time.Time // last store read for this kid
	expires time.Time // key: re-read after; miss: forgotten after
}

// keyFlight is one store read in progress; waiters block on done.
type keyFlight struct {
	done chan struct{}
	key  *rsa.PublicKey
	err  error
}

func newKeyCache(store Store, o VerifierOptions) *keyCache {
	return &keyCache{
		store:   store,
		now:     o.Now,
		ttl:     o.KeyCacheTTL,
		retry:   o.KeyRetryInterval,
		current: &currentKey{store: store, now: o.Now, interval: currentKeyInterval},
		entries: make(map[string]*keyEntry),
		flights: make(map[string]*keyFlight),
		bucket: tokenBucket{
			rate:   o.KeyLookupsPerSecond,
			burst:  float64(o.KeyLookupBurst),
			tokens: float64(o.KeyLookupBurst),
		},
	}
}

// get returns the public key for kid, reading the store only when the
// kid is not cached or its entry has expired.
func (c *keyCache) get(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	now := c.now()

	c.mu.Lock()
	if e := c.entries[kid]; e != nil {
		switch {
		case e.key == nil && now.Before(e.expires):
			c.mu.Unlock()
			return nil, newError(ErrUnknownKey, "unknown signing key", nil)
		case e.key != nil && (now.Before(e.expires) || now.Before(e.readAt.Add(c.retry))):
			c.mu.Unlock()
			return e.key, nil
		}
	}
	c.mu.Unlock()

	return c.load(ctx, kid)
}

// refresh re-reads kid after a signature failed with the cached key,
// in case the key was reset under the same kid. It reports the key now
// cached and whether it differs from old; it reads the store at most once
// per retry interval per kid.
func (c *keyCache) refresh(ctx context.Context, kid string, old *rsa.PublicKey) (
	*rsa.PublicKey, bool) {
	now := c.now()

	c.mu.Lock()
	e := c.entries[kid]
	if e == nil || e.key == nil || now.Before(e.readAt.Add(c.retry)) {
		c.mu.Unlock()
		return nil, false
	}
	e.expires = now
	c.mu.Unlock()

	key, err := c.get(ctx, kid)
	if err != nil || key.Equal(old) {
		return nil, false
	}
	return key, true
}

// load reads kid from the store, sharing one read among concurrent
// callers, and records the outcome.
func (c *keyCache) load(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	c.mu.Lock()
	if f := c.flights[kid]; f != nil {
		c.mu.Unlock()
		return f.wait(ctx)
	}
	if !c.admit(kid) {
		c.mu.Unlock()
		// The bucket is empty: only the kid KAZOO now signs with passes.
		if !c.current.is(ctx, kid) {
			return nil, newError(ErrUnknownKey, "signing key lookups rate limited", nil)
		}
		c.mu.Lock()
		if f := c.flights[kid]; f != nil {
			c.mu.Unlock()
			return f.wait(ctx)
		}
	}

	now := c.now()
	old := c.entries[kid]
	// The error stands if the store panics; finish still releases waiters.
	f := &keyFlight{
		done: make(chan struct{}),
		err:  newError(ErrUnavailable, "reading signing key failed", nil),
	}
	c.flights[kid] = f
	c.mu.Unlock()
	defer c.finish(kid, f)

	key, err := fetchPublicKey(ctx, c.store, kid)

	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err == nil:
		c.entries[kid] = &keyEntry{key: key, readAt: now, expires: now.Add(c.ttl)}
	case errors.Is(err, ErrUnknownKey):
		c.entries[kid] = &keyEntry{readAt: now, expires: now.Add(c.retry)}
		c.sweep(now)
	case old != nil && old.key != nil:
		// The store failed but we hold the key it gave before: keep
		// serving it and try again after the retry interval.
		old.readAt = now
		key, err = old.key, nil
	}
	f.key, f.err = key, err
	return key, err
}

// admit reports whether a store read of kid may start: always for a kid
// that has had a key and for the current kid as last read, otherwise
// when the bucket has a token. Callers hold c.mu.
func (c *keyCache) admit(kid string) bool {
	if e := c.entries[kid]; e != nil && e.key != nil {
		return true
	}
	return c.current.known(kid) || c.bucket.allow(c.now())
}

// wait blocks until flight f ends or ctx is done.
func (f *keyFlight) wait(ctx context.Context) (*rsa.PublicKey, error) {
	select {
	case <-f.done:
		return f.key, f.err
	case <-ctx.Done():
		return nil, newError(ErrUnavailable, "signing key lookup interrupted", ctx.Err())
	}
}

// finish ends flight f of kid and wakes its waiters.
func (c *keyCache) finish(kid string, f *keyFlight) {
	c.mu.Lock()
	delete(c.flights, kid)
	c.mu.Unlock()
	close(f.done)
}

// sweep drops expired misses once the cache grows past maxKeyEntries.
// Callers hold c.mu.
func (c *keyCache) sweep(now time.Time) {
	if len(c.entries) <= maxKeyEntries {
		return
	}
	for kid, e := range c.entries {
		if e.key == nil && !now.Before(e.expires) {
			delete(c.entries, kid)
		}
	}
}

// fetchPublicKey reads and parses system_auth/{kid}, keeping only the
// public half in memory.
func fetchPublicKey(ctx context.Context, store Store, kid string) (*rsa.PublicKey, error) {
	data, err := store.SigningKeyPEM(ctx, kid)
	if errors.Is(err, ErrUnknownKey) || errors.Is(err, ErrNotFound) {
		return nil, newError(ErrUnknownKey, "unknown signing key", err)
	}
	if err != nil {
		return nil, newError(ErrUnavailable, "reading signing key", err)
	}

	priv, err := ParsePrivateKeyPEM(data)
	if err != nil {
		return nil, newError(ErrUnavailable, "stored signing key unusable", err)
	}
	return &rsa.PublicKey{N: priv.N, E: priv.E}, nil
}

// currentKey remembers which kid system_config/auth names as current
// (default.system_key). It is read only when asked about a kid that is
// not the one last read, at most once per interval; concurrent askers
// share a read in progress.
type currentKey struct {
	store    Store
	now      func() time.Time
	interval time.Duration

	mu     sync.Mutex
	id     string
	readAt time.Time     // start of the last read; zero before the first
	read   chan struct{} // closed when the read in progress ends; nil when none
}

// known reports whether kid is the current kid as last read.
func (k *currentKey) known(kid string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.id != "" && k.id == kid
}

// is reports whether kid is the current kid, reading the store when kid
// is not the one last read and the last read started at least interval
// ago, or waiting for a read in progress. A failed read keeps the last
// id. A key that became current after the last read is thus refused for
// at most interval, and only while the bucket is empty.
func (k *currentKey) is(ctx context.Context, kid string) bool {
	k.mu.Lock()
	if k.id != "" && k.id == kid {
		k.mu.Unlock()
		return true
	}
	if read := k.read; read != nil {
		k.mu.Unlock()
		select {
		case <-read:
			return k.known(kid)
		case <-ctx.Done():
			return false
		}
	}
	now := k.now()
	if !k.readAt.IsZero() && now.Before(k.readAt.Add(k.interval)) {
		k.mu.Unlock()
		return false
	}
	read := make(chan struct{})
	k.read, k.readAt = read, now
	k.mu.Unlock()
	defer func() {
		k.mu.Lock()
		k.read = nil
		k.mu.Unlock()
		close(read)
	}()

	// The read serves every later asker: a caller that gives up (a
	// flood's client disconnecting) must not cancel it.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), currentKeyTimeout)
	defer cancel()
	id, err := k.store.CurrentKeyID(rctx)
	if err != nil {
		return false
	}
	k.mu.Lock()
	k.id = id
	k.mu.Unlock()
	return id != "" && id == kid
}

// tokenBucket allows rate events per second with bursts of burst. It is
// not locked itself; keyCache guards it with its mutex.
type tokenBucket struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func (b *tokenBucket) allow(now time.Time) bool {
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens += now.Sub(b.last).Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
	}
	if b.last.IsZero() || now.After(b.last) {
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
