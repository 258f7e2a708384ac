package attempts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// countAttempts lists every attempt of the account in the fixture range.
func countAttempts(t *testing.T, c *couch.Client, acct string) []string {
	t.Helper()
	ids, _ := listAll(t, NewService(c, ServiceOptions{}), acct,
		Query{From: fixFrom, To: fixTo})
	return ids
}

func TestRecordIsIdempotent(t *testing.T) {
	ctx := context.Background()
	c := openCouch(t)
	acct := testenv.NewID()
	dropMonths(t, c, acct, fixFrom, fixTo)

	for _, opts := range []RecorderOptions{{}, {BatchWindow: time.Millisecond}} {
		r := NewRecorder(c, opts)
		a := Attempt{Key: fmt.Sprint("msg-", opts.BatchWindow), Status: StatusFailed,
			Time: time.Date(2026, 1, 31, 23, 59, 59, 0, time.UTC), Reason: ReasonTimeout}
		first, err := r.Record(ctx, acct, a)
		if err != nil {
			t.Fatalf("Record: %v", err)
		}
		second, err := r.Record(ctx, acct, a)
		if err != nil || second != first {
			t.Fatalf("re-Record = %s, %v; want %s, nil", second, err, first)
		}
	}
	if ids := countAttempts(t, c, acct); len(ids) != 2 {
		t.Fatalf("stored %v, want two attempts, each once", ids)
	}
}

func TestRecordBatch(t *testing.T) {
	ctx := context.Background()
	c := openCouch(t)
	acct := testenv.NewID()
	dropMonths(t, c, acct, fixFrom, fixTo)
	r := NewRecorder(c, RecorderOptions{})

	jan := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	feb := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)
	batch := []Attempt{
		{Key: "a", Time: jan, Status: StatusFailed},
		{Key: "b", Time: feb, Status: StatusSuccess},
		{Key: "a", Time: jan, Status: StatusFailed}, // the same event twice
		{Key: "c", Time: feb, Status: "maybe"},      // invalid
	}
	out, err := r.RecordBatch(ctx, acct, batch)
	if err != nil {
		t.Fatalf("RecordBatch: %v", err)
	}
	wantStored := []bool{false, false, true}
	for i, w := range wantStored {
		if out[i].Err != nil || out[i].AlreadyStored != w || out[i].ID != batch[i].ID(acct) {
			t.Errorf("outcome %d = %+v, want id %s stored before %v", i, out[i],
				batch[i].ID(acct), w)
		}
	}
	if !errors.Is(out[3].Err, ErrInvalidAttempt) {
		t.Errorf("invalid attempt outcome = %+v, want ErrInvalidAttempt", out[3])
	}

	again, err := r.RecordBatch(ctx, acct, batch[:3])
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range again {
		if !o.AlreadyStored || o.Err != nil {
			t.Errorf("redelivered outcome %d = %+v, want AlreadyStored", i, o)
		}
	}
	if ids := countAttempts(t, c, acct); len(ids) != 2 {
		t.Errorf("stored %v, want 2 attempts", ids)
	}
	if _, err := r.RecordBatch(ctx, "bad", batch); !errors.Is(err, couch.ErrInvalidID) {
		t.Errorf("RecordBatch(bad account) error = %v, want couch.ErrInvalidID", err)
	}
}

func TestBatchedRecorderConcurrentRedelivery(t *testing.T) {
	ctx := context.Background()
	c := openCouch(t)
	acct := testenv.NewID()
	dropMonths(t, c, acct, fixFrom, fixTo)
	r := NewRecorder(c, RecorderOptions{BatchWindow: 2 * time.Millisecond, MaxBatch: 8})

	// 30 deliveries of 10 events, across two months, all at once.
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev := i % 10
			at := time.Date(2026, time.Month(1+ev%2), 5, 0, ev, 0, 0, time.UTC)
			_, err := r.Record(ctx, acct, Attempt{Key: fmt.Sprint("ev-", ev), Time: at,
				Status: StatusFailed})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Record: %v", err)
		}
	}
	if ids := countAttempts(t, c, acct); len(ids) != 10 {
		t.Errorf("stored %d attempts, want 10", len(ids))
	}
}

func TestStoredAttemptHasNoSecrets(t *testing.T) {
	ctx := context.Background()
	c := openCouch(t)
	acct := testenv.NewID()
	dropMonths(t, c, acct, fixFrom, fixTo)

	a := Attempt{Key: "k", Time: fixTo, Status: StatusFailed, Factor: "passcode",
		ClientHeaders: map[string]string{"User-Agent": "curl", "X-Auth-Token": "tok-abc"},
		Details: map[string]any{"passcode": "pass-975310", "device": "phone1",
			"multi_factor_response": map[string]any{"code": "auth-code-xyz",
				"state": "state-nonce"}}}
	id, err := NewRecorder(c, RecorderOptions{}).Record(ctx, acct, a)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.GetMODBDoc(ctx, acct, id)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(doc)
	for _, secret := range []string{"pass-975310", "tok-abc", "auth-code-xyz", "state-nonce"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("stored attempt holds secret %q: %s", secret, raw)
		}
	}
	if !strings.Contains(string(raw), "phone1") || !strings.Contains(string(raw), "curl") {
		t.Errorf("stored attempt lost its non-secret details: %s", raw)
	}
}
