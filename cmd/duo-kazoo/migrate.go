package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/maintenance"
	"github.com/duo-kazoo/duo-kazoo/secrets"
)

func init() {
	register("migrate", "adopt an existing KAZOO: design docs, validation, sealing secrets",
		runMigrate)
}

const migrateSynopsis = `Walks every account of the KAZOO at COUCH_URL (the accounts database),
installs this module's design docs in each account database, validates every
multi_factor provider document, and seals plaintext Duo secrets in place
with the key file (KAZOO's field names are kept). Invalid documents and
documents whose secrets cannot be opened are reported and left as they are.

Each document is written on its own with its revision, so the command can
be interrupted (Ctrl-C) and run again: work done is not redone. It prints
what it found and changed on stdout, progress on stderr, never a secret.
Exit status 1 when a document was left invalid, unreadable or failed.`

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runJob(ctx, "migrate", migrateSynopsis, maintenance.Migrate, args, stdout, stderr)
}

// job is maintenance.Migrate or maintenance.RotateKey.
type job func(context.Context, *couch.Client, *secrets.Keyring, maintenance.Options) (
	*maintenance.Report, error)

// runJob is the command shared by migrate and rotate-key: flags, stores
// from the environment, progress on stderr, the report on stdout.
func runJob(ctx context.Context, name, synopsis string, run job, args []string,
	stdout, stderr io.Writer) error {
	fs := newFlags(name, synopsis, app.EnvHelp, stderr)
	dry := fs.Bool("dry-run", false, "read and report only; change nothing")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := app.ConfigFromEnv(nil)
	if err != nil {
		return err
	}
	ring, err := app.LoadKeyring(cfg)
	if err != nil {
		return err
	}
	c, err := couch.Open(cfg.CouchURL, couch.Options{})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Ping(ctx); err != nil {
		return err
	}

	prog := newProgress(name, stderr)
	report, err := run(ctx, c, ring, maintenance.Options{DryRun: *dry, Progress: prog.update})
	prog.finish(report)
	if report != nil {
		if perr := printReport(stdout, report, *asJSON); perr != nil {
			return perr
		}
	}
	if errors.Is(err, maintenance.ErrInterrupted) {
		return fmt.Errorf("interrupted; run it again to continue: %w", err)
	}
	return err
}

// progress shows a job's progress on stderr: a bar with counts and ETA on
// a terminal, a log line every few seconds otherwise.
type progress struct {
	name     string
	out      io.Writer
	tty      bool
	bar      *progressbar.ProgressBar
	last     maintenance.Progress
	lastLine time.Time
}

// logEvery spaces the plain progress lines.
const logEvery = 5 * time.Second

func newProgress(name string, out io.Writer) *progress {
	f, ok := out.(*os.File)
	return &progress{name: name, out: out, tty: ok && term.IsTerminal(int(f.Fd())),
		lastLine: time.Now()}
}

func (p *progress) update(pr maintenance.Progress) {
	p.last = pr
	if p.tty {
		if p.bar == nil {
			total := int64(pr.AccountsTotal)
			if total <= 0 {
				total = -1
			}
			p.bar = progressbar.NewOptions64(total,
				progressbar.OptionSetWriter(p.out),
				progressbar.OptionSetDescription(p.name),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionSetElapsedTime(true),
				progressbar.OptionShowDescriptionAtLineEnd(),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetWidth(30))
		}
		p.bar.Describe(p.name + ": " + countsLine(pr.Counts))
		_ = p.bar.Set(pr.AccountsDone)
		return
	}
	if time.Since(p.lastLine) >= logEvery {
		p.line(pr, "")
	}
}

func (p *progress) line(pr maintenance.Progress, suffix string) {
	p.lastLine = time.Now()
	eta := ""
	if d := pr.ETA(); d > 0 {
		eta = ", eta " + d.Round(time.Second).String()
	}
	fmt.Fprintf(p.out, "%s: %d/%d accounts, %s%s%s\n", p.name, pr.AccountsDone,
		pr.AccountsTotal, countsLine(pr.Counts), eta, suffix)
}

func (p *progress) finish(r *maintenance.Report) {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.out)
	}
	if r == nil {
		return
	}
	state := ", done"
	if !r.Complete {
		state = ", stopped"
	}
	p.line(maintenance.Progress{Counts: r.Counts, Elapsed: r.Elapsed},
		fmt.Sprintf("%s in %s", state, r.Elapsed.Round(time.Millisecond)))
}

func countsLine(c maintenance.Counts) string {
	return fmt.Sprintf("%d documents: %d sealed, %d unchanged, %d invalid, %d unreadable, "+
		"%d failed", c.Documents, c.Sealed, c.Unchanged, c.Invalid, c.Unreadable, c.Failed)
}

// printReport writes one line per document visited and a summary, or the
// report as JSON.
func printReport(w io.Writer, r *maintenance.Report, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tDOCUMENT\tPROVIDER\tACTION\tNAME\tDETAILS")
	for _, f := range r.Findings {
		details := strings.Join(f.Problems, "; ")
		if f.Error != "" {
			details = f.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%q\t%s\n", f.AccountID, f.DocID,
			orDash(f.ProviderName), f.Action, f.Name, details)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	mode := ""
	if r.DryRun {
		mode = " (dry run: nothing was written; sealed means would be sealed)"
	}
	fmt.Fprintf(w, "\n%s%s: %d/%d accounts visited, %d without a database; %s\n", r.Job, mode,
		r.AccountsDone, r.AccountsTotal, r.MissingDBs, countsLine(r.Counts))
	for _, id := range r.MissingAccountDBs {
		fmt.Fprintf(w, "  account %s: no account database\n", id)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
