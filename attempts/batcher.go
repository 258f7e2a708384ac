package attempts

import (
	"context"
	"sync"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// batcher joins concurrent single writes of one account into one
// SaveMODBDocs call. The first writer of a batch leads: it waits for the
// window (or for the batch to fill), then, while the account's previous
// batch is still being written, keeps its batch open (group commit: the
// busier the store, the larger the batches), detaches it so that later
// writers start a new one, writes it and hands every writer its result.
// No goroutine outlives a call.
type batcher struct {
	store  Store
	window time.Duration
	max    int

	mu       sync.Mutex
	pending  map[string]*pendingBatch // by account id
	flushing map[string]chan struct{} // by account id: closed when its write ends
}

type pendingBatch struct {
	docs    []couch.Doc
	full    chan struct{} // closed when the batch reached max and was detached
	done    chan struct{} // closed when results and err are set
	results []couch.SaveResult
	err     error
}

func newBatcher(s Store, window time.Duration, maxBatch int) *batcher {
	return &batcher{store: s, window: window, max: maxBatch,
		pending: map[string]*pendingBatch{}, flushing: map[string]chan struct{}{}}
}

// save adds doc to the account's open batch and waits for its result. A
// caller whose ctx ends first gets ctx's error; its document is written
// with the batch all the same.
func (b *batcher) save(ctx context.Context, accountID string, doc couch.Doc) (couch.SaveResult,
	error) {
	b.mu.Lock()
	p := b.pending[accountID]
	leader := p == nil
	if leader {
		p = &pendingBatch{full: make(chan struct{}), done: make(chan struct{})}
		b.pending[accountID] = p
	}
	i := len(p.docs)
	p.docs = append(p.docs, doc)
	if len(p.docs) >= b.max {
		delete(b.pending, accountID)
		close(p.full)
	}
	b.mu.Unlock()

	if leader {
		b.lead(ctx, accountID, p)
	}
	select {
	case <-p.done:
	default:
		select {
		case <-p.done:
		case <-ctx.Done():
			return couch.SaveResult{}, ctx.Err()
		}
	}
	if i < len(p.results) {
		return p.results[i], nil
	}
	return couch.SaveResult{}, p.err
}

// lead waits out the window, detaches p and writes it. The write is not
// tied to the leader's cancellation: the batch holds other callers' work.
func (b *batcher) lead(ctx context.Context, accountID string, p *pendingBatch) {
	t := time.NewTimer(b.window)
	select {
	case <-t.C:
	case <-p.full:
		t.Stop()
	}
	b.mu.Lock()
	previous := b.flushing[accountID]
	b.mu.Unlock()
	if previous != nil {
		select {
		case <-previous:
		case <-p.full:
		}
	}

	b.mu.Lock()
	if b.pending[accountID] == p {
		delete(b.pending, accountID)
	}
	docs := p.docs
	mine := make(chan struct{})
	b.flushing[accountID] = mine
	b.mu.Unlock()

	p.results, p.err = b.store.SaveMODBDocs(context.WithoutCancel(ctx), accountID, docs)

	b.mu.Lock()
	if b.flushing[accountID] == mine {
		delete(b.flushing, accountID)
	}
	b.mu.Unlock()
	close(mine)
	close(p.done)
}

// inFlight returns the account's write in progress, or nil (for tests).
func (b *batcher) inFlight(accountID string) chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushing[accountID]
}
