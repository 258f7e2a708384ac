package maintenance

import (
	"context"
	"fmt"
	"strings"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/provider"
	"github.com/duo-kazoo/duo-kazoo/secrets"
)

// Migrate adopts an existing KAZOO. For every account it installs the
// providers design doc, then for every multi_factor provider document it:
// opens the secrets (a document whose secrets cannot be opened is
// reported unreadable), validates the document with provider.Validate (an
// invalid one is reported with its problems and left as it is), and when
// a secret is not in the form ring writes (plaintext in Encrypted mode,
// sealed with an old key, or sealed in Plaintext mode) rewrites the
// secrets in place with provider.Seal, keeping KAZOO's field names and
// every other field. When every account was visited, it records the
// installed design doc versions (see DesignStatus).
//
// The report is returned even with an error. The error wraps
// ErrInterrupted when ctx ended, ErrIncomplete when documents were left
// invalid, unreadable or failed.
func Migrate(ctx context.Context, c *couch.Client, ring *secrets.Keyring, opts Options) (
	*Report, error) {
	decide := func(stored provider.Doc, accountID string, others []string) (
		Finding, provider.Doc) {
		f := finding(stored, accountID)
		opened, err := provider.Open(stored, ring, accountID, stored.ID())
		if err != nil {
			f.Action, f.Error = ActionUnreadable, err.Error()
			return f, nil
		}
		if p := provider.Validate(opened, others); p.Len() > 0 {
			f.Action, f.Problems = ActionInvalid, problemList(p)
			return f, nil
		}
		return reseal(f, stored, ring, accountID)
	}
	w := newWalker(c, "migrate", opts, decide)
	report, err := w.run(ctx)
	if err != nil {
		return report, err
	}
	if !opts.DryRun {
		if err := recordDesigns(ctx, c); err != nil {
			return report, fmt.Errorf("migrate: %w", err)
		}
	}
	return report, incomplete(report)
}

// RotateKey re-seals every stored secret that is not sealed with ring's
// primary key (plaintext ones included), in every provider document of
// every account, valid or not. The keyring must be in Encrypted mode and
// hold, after the primary, the keys the secrets were sealed with.
// Secrets sealed with a key it lacks are reported unreadable.
//
// The report is returned even with an error. The error wraps
// ErrInterrupted when ctx ended, ErrIncomplete when documents were left
// unreadable or failed.
func RotateKey(ctx context.Context, c *couch.Client, ring *secrets.Keyring, opts Options) (
	*Report, error) {
	if ring.Mode() == secrets.Plaintext {
		return nil, ErrPlaintextMode
	}
	if ring.PrimaryID() == "" {
		return nil, ErrNoPrimaryKey
	}
	decide := func(stored provider.Doc, accountID string, _ []string) (
		Finding, provider.Doc) {
		return reseal(finding(stored, accountID), stored, ring, accountID)
	}
	report, err := newWalker(c, "rotate-key", opts, decide).run(ctx)
	if err != nil {
		return report, err
	}
	return report, incomplete(report)
}

// reseal decides the secrets part: unchanged when already in ring's form,
// otherwise the sealed document to write.
func reseal(f Finding, stored provider.Doc, ring *secrets.Keyring, accountID string) (
	Finding, provider.Doc) {
	if !provider.NeedsReseal(stored, ring) {
		f.Action = ActionUnchanged
		return f, nil
	}
	sealed, err := provider.Seal(stored, ring, accountID, stored.ID())
	if err != nil {
		f.Action, f.Error = ActionUnreadable, err.Error()
		return f, nil
	}
	return f, sealed
}

// problemList renders validation problems as "path (rule, rule)".
func problemList(p provider.Problems) []string {
	out := make([]string, 0, p.Len())
	for _, path := range p.Paths() {
		out = append(out, fmt.Sprintf("%s (%s)", path, strings.Join(p.Rules(path), ", ")))
	}
	return out
}

func incomplete(r *Report) error {
	if r.Problems() {
		return fmt.Errorf("%s: %w: %d invalid, %d unreadable, %d failed", r.Job, ErrIncomplete,
			r.Invalid, r.Unreadable, r.Failed)
	}
	return nil
}
