package maintenance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// maxAttempts bounds how often one document is read, decided and written
// again after revision conflicts.
const maxAttempts = 5

// Options tune a job. The zero value runs it for real, silently.
type Options struct {
	// DryRun reads and decides but writes nothing: no document, no design
	// doc, no record in system_config.
	DryRun bool
	// Progress, when set, is called after every provider document and
	// every account, from the job's goroutine. It must return quickly.
	Progress func(Progress)
	// PageSize is how many rows one _all_docs request reads; 200 when zero.
	PageSize int
}

// decider is what differs between jobs: what to do with one stored
// provider document. It returns the finding and, when the document must
// be rewritten, the document to save (with the stored _rev).
type decider func(stored provider.Doc, accountID string, otherNames []string) (
	Finding, provider.Doc)

// walker runs one job over every account.
type walker struct {
	c      *couch.Client
	opts   Options
	decide decider
	report *Report
	start  time.Time
}

func newWalker(c *couch.Client, job string, opts Options, decide decider) *walker {
	if opts.PageSize <= 0 {
		opts.PageSize = defaultPageSize
	}
	return &walker{c: c, opts: opts, decide: decide,
		report: &Report{Job: job, DryRun: opts.DryRun, Findings: []Finding{}},
		start:  time.Now()}
}

// run visits every account. The report is returned even with an error.
func (w *walker) run(ctx context.Context) (*Report, error) {
	total, err := countAccounts(ctx, w.c)
	if err != nil {
		return w.finish(ctx, err)
	}
	w.report.AccountsTotal = total
	err = eachDoc(ctx, w.c, couch.AccountsDB, w.opts.PageSize, func(acct couch.Doc) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !isAccount(acct) {
			return nil
		}
		id, _ := acct["_id"].(string)
		if err := w.account(ctx, id); err != nil {
			return err
		}
		w.report.AccountsDone++
		w.progress()
		return nil
	})
	if err == nil {
		w.report.Complete = true
	}
	return w.finish(ctx, err)
}

func (w *walker) finish(ctx context.Context, err error) (*Report, error) {
	w.report.Elapsed = time.Since(w.start)
	if err != nil && ctx.Err() != nil {
		return w.report, fmt.Errorf("%s: %w: %w", w.report.Job, ErrInterrupted, ctx.Err())
	}
	if err != nil {
		return w.report, fmt.Errorf("%s: %w", w.report.Job, err)
	}
	return w.report, nil
}

func (w *walker) progress() {
	if w.opts.Progress != nil {
		w.opts.Progress(Progress{Counts: w.report.Counts, Elapsed: time.Since(w.start)})
	}
}

// listing is one provider document found in an account.
type listing struct{ id, name string }

// account visits the provider documents of one account.
func (w *walker) account(ctx context.Context, accountID string) error {
	found, err := w.providers(ctx, accountID)
	if errors.Is(err, couch.ErrNotFound) {
		w.report.MissingDBs++
		w.report.MissingAccountDBs = append(w.report.MissingAccountDBs, accountID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("account %s: %w", accountID, err)
	}
	for _, p := range found {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		f, err := w.document(ctx, accountID, p.id, otherNames(found, p.id))
		if err != nil {
			return fmt.Errorf("account %s: %w", accountID, err)
		}
		w.report.add(f)
		w.progress()
	}
	return nil
}

// providers lists an account's provider documents: through the providers
// view, installed first, or in a dry run by reading the whole database.
// A missing account database is couch.ErrNotFound.
func (w *walker) providers(ctx context.Context, accountID string) ([]listing, error) {
	db, err := couch.AccountDB(accountID)
	if err != nil {
		return nil, err
	}
	if w.opts.DryRun {
		return scanProviders(ctx, w.c, db, w.opts.PageSize)
	}
	if err := w.c.EnsureDesignExisting(ctx, db, couch.ProvidersDesign); err != nil {
		return nil, err
	}
	rows, err := w.c.ListProviders(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]listing, len(rows))
	for i, r := range rows {
		out[i] = listing{id: r.ID, name: r.Name}
	}
	return out, nil
}

// scanProviders reads db's _all_docs and keeps what the providers view
// lists: multi_factor provider documents that are not soft-deleted.
func scanProviders(ctx context.Context, c *couch.Client, db string, pageSize int) (
	[]listing, error) {
	exists, err := c.DBExists(ctx, db)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, fmt.Errorf("database %s: %w", db, couch.ErrNotFound)
	}
	var out []listing
	err = eachDoc(ctx, c, db, pageSize, func(doc couch.Doc) error {
		if deleted, _ := doc["pvt_deleted"].(bool); deleted || !couch.IsProvider(doc) {
			return nil
		}
		d := provider.Doc(doc)
		out = append(out, listing{id: d.ID(), name: d.Name()})
		return nil
	})
	return out, err
}

func otherNames(all []listing, except string) []string {
	names := make([]string, 0, len(all))
	for _, l := range all {
		if l.id != except {
			names = append(names, l.name)
		}
	}
	return names
}

// document reads, decides and (unless dry) writes one provider document,
// reading it again after a revision conflict. The error is for failures
// that stop the job (the server is unavailable, the context ended);
// everything about the document itself is in the Finding.
func (w *walker) document(ctx context.Context, accountID, id string, others []string) (
	Finding, error) {
	for attempt := 1; ; attempt++ {
		stored, err := w.c.GetProvider(ctx, accountID, id)
		if errors.Is(err, couch.ErrNotFound) {
			return Finding{AccountID: accountID, DocID: id, Action: ActionGone}, nil
		}
		if err != nil {
			return Finding{}, err
		}
		f, out := w.decide(provider.Doc(stored), accountID, others)
		if out == nil {
			return f, nil
		}
		if w.opts.DryRun {
			f.Action = ActionWouldSeal
			return f, nil
		}
		_, err = w.c.SaveProvider(ctx, accountID, couch.Doc(out))
		switch {
		case err == nil:
			f.Action = ActionSealed
			return f, nil
		case errors.Is(err, couch.ErrConflict) && attempt < maxAttempts:
			continue
		case errors.Is(err, couch.ErrConflict):
			f.Action, f.Error = ActionFailed, fmt.Sprintf(
				"the document kept changing: %d revision conflicts", attempt)
			return f, nil
		case errors.Is(err, couch.ErrUnavailable), ctx.Err() != nil:
			return Finding{}, err
		default:
			f.Action, f.Error = ActionFailed, err.Error()
			return f, nil
		}
	}
}

// finding starts the finding of a stored document.
func finding(d provider.Doc, accountID string) Finding {
	return Finding{AccountID: accountID, DocID: d.ID(), Name: d.Name(),
		ProviderName: d.ProviderName()}
}
