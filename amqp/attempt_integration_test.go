package amqp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// attemptStore is a handler that stores attempt events by Msg-ID, as the
// domain does, and can be told to fail.
type attemptStore struct {
	funcHandler
	mu      sync.Mutex
	calls   map[string]int
	stored  map[string]int
	failFor int // fail each event's first failFor calls temporarily
	gate    func(ev *AttemptEvent)
	changed chan struct{}
}

func newAttemptStore() *attemptStore {
	return &attemptStore{calls: map[string]int{}, stored: map[string]int{},
		changed: make(chan struct{})}
}

func (s *attemptStore) HandleAttempt(_ context.Context, ev *AttemptEvent) error {
	if s.gate != nil {
		s.gate(ev)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[ev.MsgID]++
	if s.calls[ev.MsgID] <= s.failFor {
		return fmt.Errorf("storing attempt: %w", errTemporary)
	}
	s.stored[ev.MsgID]++
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}

// waitStored waits until n distinct events are stored.
func (s *attemptStore) waitStored(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	for {
		s.mu.Lock()
		got, changed := len(s.stored), s.changed
		s.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("stored %d distinct events, want %d: %v", got, n, ctx.Err())
		}
	}
}

func publishAttempts(t *testing.T, ctx context.Context, client *Client, prefix string,
	n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		ev := &AttemptEvent{Envelope: Envelope{AccountID: testAccount,
			MsgID: fmt.Sprintf("%s-%d", prefix, i)}, AuthType: "credentials",
			AuthModule: "cb_user_auth", Status: AttemptFailed}
		if err := client.PublishAttempt(ctx, ev); err != nil {
			t.Fatalf("PublishAttempt %d: %v", i, err)
		}
		ids = append(ids, ev.MsgID)
	}
	return ids
}

func TestAttemptTemporaryFailuresRedelivered(t *testing.T) {
	top := testTopology(t)
	store := newAttemptStore()
	store.failFor = 2
	c := startConsumer(t, Config{Topology: top, Workers: 4,
		Retry: Backoff{Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond}}, store)
	client := newTestClient(t, top)
	ctx := testContext(t)

	const n = 20
	ids := publishAttempts(t, ctx, client, "tmp", n)
	store.waitStored(t, ctx, n)

	store.mu.Lock()
	for _, id := range ids {
		if store.stored[id] != 1 || store.calls[id] != 3 {
			t.Errorf("%s: stored %d times after %d calls, want 1 after 3", id,
				store.stored[id], store.calls[id])
		}
	}
	store.mu.Unlock()
	// Stop waits for the last acks, so the counters are final.
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if st := c.Stats(); st.Acked != n || st.Requeued < 2*n {
		t.Errorf("got %d acked, %d requeued; want %d acked, at least %d requeued",
			st.Acked, st.Requeued, n, 2*n)
	}
}

func TestAttemptPermanentFailureDeadLettered(t *testing.T) {
	top := testTopology(t)
	h := funcHandler{attempt: func(context.Context, *AttemptEvent) error {
		return Permanent(errors.New("account gone"))
	}}
	startConsumer(t, Config{Topology: top}, h)
	client := newTestClient(t, top)
	ctx := testContext(t)
	publishAttempts(t, ctx, client, "perm", 1)

	ch := rawChannel(t)
	dead, err := ch.Consume(top.DeadLetterQueue, "", true, false, false, false, nil)
	if err != nil {
		t.Fatalf("consume DLQ: %v", err)
	}
	select {
	case d := <-dead:
		ev, err := ParseAttempt(d.Body)
		if err != nil || ev.MsgID != "perm-0" {
			t.Errorf("got dead letter %v (%v), want perm-0", ev, err)
		}
	case <-ctx.Done():
		t.Fatal("nothing dead-lettered")
	}
}
