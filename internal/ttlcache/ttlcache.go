// Package ttlcache is a small concurrent read-through cache whose entries
// expire after a fixed time to live. Concurrent misses for one key load it
// once; errors are not cached.
package ttlcache

import (
	"context"
	"sync"
	"time"
)

// Cache maps keys to values for TTL. A zero or negative TTL disables
// caching: every Get loads. Safe for concurrent use.
type Cache[V any] struct {
	ttl     time.Duration
	now     func() time.Time
	maxSize int

	mu       sync.Mutex
	entries  map[string]entry[V]
	inflight map[string]*call[V]
}

type entry[V any] struct {
	value   V
	expires time.Time
}

type call[V any] struct {
	done  chan struct{}
	value V
	err   error
}

// New returns a cache holding up to maxSize entries (0 means 10,000) for
// ttl each. now is the clock (time.Now when nil).
func New[V any](ttl time.Duration, maxSize int, now func() time.Time) *Cache[V] {
	if now == nil {
		now = time.Now
	}
	if maxSize <= 0 {
		maxSize = 10000
	}
	return &Cache[V]{
		ttl: ttl, now: now, maxSize: maxSize,
		entries:  map[string]entry[V]{},
		inflight: map[string]*call[V]{},
	}
}

// Get returns the cached value for key or loads it with load. The bool
// reports a cache hit.
func (c *Cache[V]) Get(ctx context.Context, key string,
	load func(context.Context) (V, error)) (V, bool, error) {
	if c.ttl <= 0 {
		v, err := load(ctx)
		return v, false, err
	}
	now := c.now()
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && now.Before(e.expires) {
		c.mu.Unlock()
		return e.value, true, nil
	}
	if cl, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.value, false, cl.err
		case <-ctx.Done():
			var zero V
			return zero, false, ctx.Err()
		}
	}
	cl := &call[V]{done: make(chan struct{})}
	c.inflight[key] = cl
	c.mu.Unlock()

	cl.value, cl.err = load(ctx)

	c.mu.Lock()
	delete(c.inflight, key)
	if cl.err == nil {
		if len(c.entries) >= c.maxSize {
			c.evictLocked(now)
		}
		c.entries[key] = entry[V]{value: cl.value, expires: now.Add(c.ttl)}
	}
	c.mu.Unlock()
	close(cl.done)
	return cl.value, false, cl.err
}

// Delete forgets key, so the next Get loads it again.
func (c *Cache[V]) Delete(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.mu.Unlock()
}

// Len returns the number of entries held, expired ones included.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// evictLocked drops expired entries, and when that is not enough, an
// arbitrary half of the rest.
func (c *Cache[V]) evictLocked(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
	if len(c.entries) < c.maxSize {
		return
	}
	n := len(c.entries) / 2
	for k := range c.entries {
		if n == 0 {
			break
		}
		delete(c.entries, k)
		n--
	}
}
