package attempts

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// fakeStore records SaveMODBDocs calls; ids in fail get that error, ids
// already saved come back AlreadyStored.
type fakeStore struct {
	mu      sync.Mutex
	calls   [][]string // ids per call
	saved   map[string]bool
	fail    map[string]error
	callErr error
	gate    chan struct{} // when set, SaveMODBDocs waits for it
}

func newFakeStore() *fakeStore {
	return &fakeStore{saved: map[string]bool{}, fail: map[string]error{}}
}

func (f *fakeStore) SaveMODBDocs(_ context.Context, _ string, docs []couch.Doc) ([]couch.SaveResult,
	error) {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	res := make([]couch.SaveResult, len(docs))
	for i, d := range docs {
		id := d["_id"].(string)
		ids = append(ids, id)
		res[i].ID = id
		switch {
		case f.callErr != nil:
			res[i].Err = f.callErr
		case f.fail[id] != nil:
			res[i].Err = f.fail[id]
		case f.saved[id]:
			res[i].AlreadyStored = true
		default:
			f.saved[id], res[i].Rev = true, "1-x"
		}
	}
	f.calls = append(f.calls, ids)
	return res, f.callErr
}

func (f *fakeStore) GetMODBDoc(context.Context, string, string) (couch.Doc, error) {
	return nil, couch.ErrNotFound
}

func (f *fakeStore) QueryMODB(context.Context, string, time.Time, string, string,
	couch.ViewQuery) ([]couch.ViewRow, error) {
	return nil, nil
}

func (f *fakeStore) Now() time.Time { return when }

func failed(key string) Attempt { return Attempt{Key: key, Status: StatusFailed} }

func TestBatchedRecordsShareRequests(t *testing.T) {
	defer goleak.VerifyNone(t)
	store := newFakeStore()
	// An hour-long window: batches end only by filling, so the test does
	// not depend on timing.
	r := NewRecorder(store, RecorderOptions{BatchWindow: time.Hour, MaxBatch: 4})
	ctx := context.Background()

	const n = 12
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = r.Record(ctx, testAccount, failed(fmt.Sprint("msg-", i)))
		}()
	}
	wg.Wait()

	for i := range n {
		want := failed(fmt.Sprint("msg-", i))
		want.Time = when
		if errs[i] != nil || ids[i] != want.ID(testAccount) {
			t.Errorf("Record %d = %s, %v; want %s", i, ids[i], errs[i], want.ID(testAccount))
		}
	}
	if len(store.calls) != n/4 {
		t.Fatalf("got %d requests, want %d", len(store.calls), n/4)
	}
	for i, c := range store.calls {
		if len(c) != 4 {
			t.Errorf("request %d wrote %d attempts, want 4", i, len(c))
		}
	}
}

func TestBatchedRecordOutcomes(t *testing.T) {
	defer goleak.VerifyNone(t)
	store := newFakeStore()
	r := NewRecorder(store, RecorderOptions{BatchWindow: time.Hour, MaxBatch: 3})
	ctx := context.Background()
	boom := errors.New("boom")
	bad := failed("bad")
	bad.Time = when
	store.fail[bad.ID(testAccount)] = boom
	dup := failed("dup")
	dup.Time = when
	store.saved[dup.ID(testAccount)] = true

	var wg sync.WaitGroup
	got := map[string]error{}
	var mu sync.Mutex
	for _, key := range []string{"ok", "bad", "dup"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Record(ctx, testAccount, failed(key))
			mu.Lock()
			got[key] = err
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got["ok"] != nil || got["dup"] != nil {
		t.Errorf("ok, dup errors = %v, %v; want nil (a stored duplicate is success)",
			got["ok"], got["dup"])
	}
	if !errors.Is(got["bad"], boom) {
		t.Errorf("bad error = %v, want boom", got["bad"])
	}
}

func TestBatchedRecordCanceledWaiter(t *testing.T) {
	defer goleak.VerifyNone(t)
	store := newFakeStore()
	store.gate = make(chan struct{})
	r := NewRecorder(store, RecorderOptions{BatchWindow: time.Hour, MaxBatch: 2})

	leaderDone := make(chan error)
	go func() {
		_, err := r.Record(context.Background(), testAccount, failed("leader"))
		leaderDone <- err
	}()
	waitPending(t, r.batch, testAccount)
	ctx, cancel := context.WithCancel(context.Background())
	followerDone := make(chan error)
	go func() {
		_, err := r.Record(ctx, testAccount, failed("follower"))
		followerDone <- err
	}()
	// The follower fills the batch; the write waits on the gate. Cancel
	// the follower: it returns at once, its attempt is still written.
	cancel()
	if err := <-followerDone; !errors.Is(err, context.Canceled) {
		t.Errorf("canceled follower error = %v, want context.Canceled", err)
	}
	close(store.gate)
	if err := <-leaderDone; err != nil {
		t.Errorf("leader error = %v, want nil", err)
	}
	if len(store.saved) != 2 {
		t.Errorf("saved %d attempts, want 2 (the canceled one too)", len(store.saved))
	}
}

// waitPending waits until the account has an open batch, so that the next
// writer joins it rather than leading.
func waitPending(t *testing.T, b *batcher, account string) {
	t.Helper()
	for {
		b.mu.Lock()
		open := b.pending[account] != nil
		b.mu.Unlock()
		if open {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRecordValidatesFirst(t *testing.T) {
	store := newFakeStore()
	for _, opts := range []RecorderOptions{{}, {BatchWindow: time.Millisecond}} {
		r := NewRecorder(store, opts)
		if _, err := r.Record(context.Background(), testAccount, Attempt{}); !errors.Is(err,
			ErrInvalidAttempt) {
			t.Errorf("Record(no status) error = %v, want ErrInvalidAttempt", err)
		}
		if _, err := r.Record(context.Background(), "x", failed("k")); !errors.Is(err,
			couch.ErrInvalidID) {
			t.Errorf("Record(bad account) error = %v, want couch.ErrInvalidID", err)
		}
	}
	if len(store.calls) != 0 {
		t.Errorf("invalid attempts reached the store: %v", store.calls)
	}
}

// TestBatchGrowsWhileThePreviousIsWritten: while one batch of an account
// is being written, the next stays open and gathers every writer that
// arrives meanwhile (group commit), instead of being written in pieces.
func TestBatchGrowsWhileThePreviousIsWritten(t *testing.T) {
	defer goleak.VerifyNone(t)
	store := newFakeStore()
	store.gate = make(chan struct{})
	r := NewRecorder(store, RecorderOptions{BatchWindow: time.Millisecond, MaxBatch: 100})
	ctx := context.Background()

	var wg sync.WaitGroup
	record := func(key string) {
		defer wg.Done()
		if _, err := r.Record(ctx, testAccount, failed(key)); err != nil {
			t.Errorf("Record(%s): %v", key, err)
		}
	}
	wg.Add(1)
	go record("first") // its batch is written alone and blocks in the store
	waitCalls := func(n int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			store.mu.Lock()
			got := len(store.calls)
			store.mu.Unlock()
			if got >= n || time.Now().After(deadline) {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	// Wait until the first write is in the store (blocked on the gate).
	for r.batch.inFlight(testAccount) == nil {
		time.Sleep(time.Millisecond)
	}
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go record(fmt.Sprintf("later-%d", i))
	}
	// Far longer than the window: the later batch must still be open.
	time.Sleep(20 * time.Millisecond)
	close(store.gate)
	wg.Wait()
	waitCalls(2)

	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.calls) != 2 || len(store.calls[0]) != 1 || len(store.calls[1]) != 10 {
		t.Fatalf("writes = %v, want [first] then the 10 later ones together", store.calls)
	}
}
