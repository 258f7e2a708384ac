package ttlcache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestCacheExpiresAndReloads(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	c := New[int](10*time.Second, 0, clk.now)
	loads := 0
	load := func(context.Context) (int, error) { loads++; return loads, nil }

	steps := []struct {
		name    string
		advance time.Duration
		want    int
		wantHit bool
	}{
		{"first load", 0, 1, false},
		{"hit within ttl", 9 * time.Second, 1, true},
		{"reload after ttl", 1 * time.Second, 2, false},
	}
	for _, s := range steps {
		clk.add(s.advance)
		got, hit, err := c.Get(context.Background(), "k", load)
		if err != nil || got != s.want || hit != s.wantHit {
			t.Fatalf("%s: got (%d, hit=%v, %v), want (%d, hit=%v, nil)",
				s.name, got, hit, err, s.want, s.wantHit)
		}
	}
}

func TestCacheDoesNotCacheErrors(t *testing.T) {
	c := New[int](time.Minute, 0, nil)
	boom := errors.New("boom")
	if _, _, err := c.Get(context.Background(), "k",
		func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	got, hit, err := c.Get(context.Background(), "k",
		func(context.Context) (int, error) { return 7, nil })
	if err != nil || got != 7 || hit {
		t.Fatalf("got (%d, %v, %v), want (7, false, nil)", got, hit, err)
	}
}

func TestCacheDeleteAndDisabled(t *testing.T) {
	c := New[int](time.Minute, 0, nil)
	n := 0
	load := func(context.Context) (int, error) { n++; return n, nil }
	c.Get(context.Background(), "k", load)
	c.Delete("k")
	if got, _, _ := c.Get(context.Background(), "k", load); got != 2 {
		t.Fatalf("after Delete got %d, want a reload (2)", got)
	}
	off := New[int](0, 0, nil)
	off.Get(context.Background(), "k", load)
	if got, hit, _ := off.Get(context.Background(), "k", load); got != 4 || hit {
		t.Fatalf("disabled cache got (%d, hit=%v), want (4, false)", got, hit)
	}
}

func TestCacheLoadsOnceForConcurrentMisses(t *testing.T) {
	c := New[int](time.Minute, 0, nil)
	var loads atomic.Int32
	release := make(chan struct{})
	load := func(context.Context) (int, error) {
		loads.Add(1)
		<-release
		return 42, nil
	}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, _, err := c.Get(context.Background(), "k", load); v != 42 || err != nil {
				t.Errorf("got (%d, %v), want (42, nil)", v, err)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if got := loads.Load(); got != 1 {
		t.Fatalf("loads = %d, want 1", got)
	}
}

func TestCacheEvictsWhenFull(t *testing.T) {
	c := New[int](time.Minute, 4, nil)
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		c.Get(context.Background(), k, func(context.Context) (int, error) { return 1, nil })
	}
	if got := c.Len(); got > 4 {
		t.Fatalf("Len = %d, want at most 4", got)
	}
}
