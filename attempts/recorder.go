package attempts

import (
	"context"
	"fmt"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// Store is the MODb access this package needs; *couch.Client is one.
type Store interface {
	SaveMODBDocs(ctx context.Context, accountID string, docs []couch.Doc) ([]couch.SaveResult, error)
	GetMODBDoc(ctx context.Context, accountID, docID string) (couch.Doc, error)
	QueryMODB(ctx context.Context, accountID string, month time.Time, ddoc, view string,
		q couch.ViewQuery) ([]couch.ViewRow, error)
	Now() time.Time
}

var _ Store = (*couch.Client)(nil)

// RecorderOptions tune a Recorder. The zero value writes each Record at
// once.
type RecorderOptions struct {
	// BatchWindow, when positive, lets Record wait up to this long for
	// concurrent Records of the same account and write them together in
	// one _bulk_docs request per MODb. Zero: no waiting.
	BatchWindow time.Duration
	// MaxBatch ends a window early once this many attempts wait.
	// Default 256.
	MaxBatch int
}

// Recorder stores login attempts in their account's MODbs. It is safe for
// concurrent use and starts no goroutines.
type Recorder struct {
	store Store
	batch *batcher // nil without a BatchWindow
}

// NewRecorder returns a Recorder writing through s.
func NewRecorder(s Store, opts RecorderOptions) *Recorder {
	r := &Recorder{store: s}
	if opts.BatchWindow > 0 {
		if opts.MaxBatch <= 0 {
			opts.MaxBatch = 256
		}
		r.batch = newBatcher(s, opts.BatchWindow, opts.MaxBatch)
	}
	return r
}

// Outcome is the result of recording one attempt of a batch.
type Outcome struct {
	ID string
	// AlreadyStored: an attempt with this id was stored before (a
	// redelivered event); nothing was written. Not an error.
	AlreadyStored bool
	Err           error
}

// Record stores one attempt of accountID and returns its id. An attempt
// whose id is stored already (same account, Key and month) is a success
// with that id. A bad account id is couch.ErrInvalidID, a malformed attempt
// ErrInvalidAttempt; after any other error the attempt may or may not be
// stored, and recording it again with the same Key is safe.
func (r *Recorder) Record(ctx context.Context, accountID string, a Attempt) (string, error) {
	doc, err := r.document(accountID, a)
	if err != nil {
		return "", err
	}
	id, _ := doc["_id"].(string)

	var res couch.SaveResult
	if r.batch != nil {
		res, err = r.batch.save(ctx, accountID, doc)
	} else {
		res, err = r.saveOne(ctx, accountID, doc)
	}
	if err == nil {
		err = res.Err
	}
	if err != nil {
		return id, fmt.Errorf("recording attempt %s: %w", id, err)
	}
	return id, nil
}

func (r *Recorder) saveOne(ctx context.Context, accountID string, doc couch.Doc) (couch.SaveResult,
	error) {
	res, err := r.store.SaveMODBDocs(ctx, accountID, []couch.Doc{doc})
	if len(res) != 1 {
		return couch.SaveResult{}, err
	}
	return res[0], nil
}

// RecordBatch stores attempts of accountID with one _bulk_docs request per
// MODb, for ingestion of many events at once. The outcomes match attempts
// index by index, each with its own error (ErrInvalidAttempt for a
// malformed one). The returned error is a bad account id
// (couch.ErrInvalidID) or the first failed write; attempts whose outcome
// has no error are stored.
func (r *Recorder) RecordBatch(ctx context.Context, accountID string,
	attempts []Attempt) ([]Outcome, error) {
	if !couch.ValidID(accountID) {
		return nil, fmt.Errorf("recording attempts: account id %q: %w", accountID, couch.ErrInvalidID)
	}
	out := make([]Outcome, len(attempts))
	docs := make([]couch.Doc, 0, len(attempts))
	idx := make([]int, 0, len(attempts))
	for i, a := range attempts {
		doc, err := r.document(accountID, a)
		if err != nil {
			out[i].Err = err
			continue
		}
		out[i].ID, _ = doc["_id"].(string)
		docs = append(docs, doc)
		idx = append(idx, i)
	}
	if len(docs) == 0 {
		return out, nil
	}

	res, err := r.store.SaveMODBDocs(ctx, accountID, docs)
	for j, i := range idx {
		switch {
		case j < len(res):
			out[i].AlreadyStored, out[i].Err = res[j].AlreadyStored, res[j].Err
		default:
			out[i].Err = err
		}
		if out[i].Err != nil {
			out[i].Err = fmt.Errorf("recording attempt %s: %w", out[i].ID, out[i].Err)
		}
	}
	if err != nil {
		return out, fmt.Errorf("recording attempts: %w", err)
	}
	return out, nil
}

// document builds a's document, taking the time from the store's clock
// when a has none.
func (r *Recorder) document(accountID string, a Attempt) (couch.Doc, error) {
	if a.Time.IsZero() {
		a.Time = r.store.Now()
	}
	doc, err := a.Document(accountID)
	if err != nil {
		return nil, fmt.Errorf("recording attempt: %w", err)
	}
	return doc, nil
}
