package maintenance_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/maintenance"
	"github.com/duo-kazoo/duo-kazoo/provider"
	"github.com/duo-kazoo/duo-kazoo/secrets"
)

// secretValues are the plaintext secrets of the stock documents.
func secretValues(docs map[string]couch.Doc) []string {
	var out []string
	for _, d := range docs {
		for _, f := range provider.SecretFields() {
			if v, _ := settingsOf(d)[f].(string); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func revs(docs map[string]couch.Doc) map[string]any {
	out := map[string]any{}
	for id, d := range docs {
		out[id] = d["_rev"]
	}
	return out
}

// withoutSecrets is d without _rev, pvt_modified and the secret settings:
// the fields a migration must leave as they are.
func withoutSecrets(d couch.Doc) couch.Doc {
	out := provider.Doc(d).Clone()
	delete(out, "_rev")
	delete(out, "pvt_modified")
	for _, f := range provider.SecretFields() {
		delete(out.Settings(), f)
	}
	return couch.Doc(out)
}

func checkNoSecret(t *testing.T, what string, v any, plaintexts []string) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range plaintexts {
		if strings.Contains(string(b), s) {
			t.Errorf("%s contains a secret", what)
		}
	}
}

func TestMigrate(t *testing.T) {
	kz := newKazoo(t)
	ctx := ctxFor(t)
	ring, _ := keyring(t, 1)
	plaintexts := secretValues(kz.docs)
	before := kz.current(t)
	var progress []maintenance.Progress
	opts := maintenance.Options{PageSize: 2, Progress: func(p maintenance.Progress) {
		progress = append(progress, p)
	}}

	t.Run("dry run changes nothing", func(t *testing.T) {
		opts := opts
		opts.DryRun = true
		rep, err := maintenance.Migrate(ctx, kz.couch, ring, opts)
		if !errors.Is(err, maintenance.ErrIncomplete) {
			t.Fatalf("got error %v, want ErrIncomplete (one invalid document)", err)
		}
		want := maintenance.Counts{AccountsDone: 4, MissingDBs: 1, Documents: 5, Sealed: 4,
			Invalid: 1}
		checkCounts(t, rep, want)
		if !rep.Complete || !rep.DryRun {
			t.Errorf("got complete %v dry %v, want both true", rep.Complete, rep.DryRun)
		}
		if got := revs(kz.current(t)); !reflect.DeepEqual(got, revs(before)) {
			t.Errorf("revisions changed by a dry run: got %v, want %v", got, revs(before))
		}
		db, _ := couch.AccountDB(kz.k.Sub.ID)
		if _, err := kz.couch.Get(ctx, db, couch.ProvidersDesign.ID); !couch.IsNotFound(err) {
			t.Errorf("design doc after a dry run: got %v, want not found", err)
		}
		if err := maintenance.DesignStatus(ctx, kz.couch); !errors.Is(err,
			maintenance.ErrDesignNotInstalled) {
			t.Errorf("design status after a dry run: got %v, want ErrDesignNotInstalled", err)
		}
		for _, f := range rep.Findings {
			if f.Action == maintenance.ActionSealed {
				t.Errorf("dry run finding %s: action sealed, want would_seal", f.DocID)
			}
		}
	})

	t.Run("real run seals every valid document", func(t *testing.T) {
		progress = nil
		rep, err := maintenance.Migrate(ctx, kz.couch, ring, opts)
		if !errors.Is(err, maintenance.ErrIncomplete) {
			t.Fatalf("got error %v, want ErrIncomplete", err)
		}
		checkCounts(t, rep, maintenance.Counts{AccountsDone: 4, MissingDBs: 1, Documents: 5,
			Sealed: 4, Invalid: 1})
		if got := rep.MissingAccountDBs; len(got) != 1 || got[0] != kz.missing {
			t.Errorf("missing account dbs: got %v, want [%s]", got, kz.missing)
		}
		after := kz.current(t)
		for _, id := range kz.valid {
			checkSealed(t, after[id], before[id], ring)
		}
		if !reflect.DeepEqual(after[kz.invalid], before[kz.invalid]) {
			t.Errorf("invalid document changed:\ngot  %v\nwant %v", after[kz.invalid],
				before[kz.invalid])
		}
		inv := findingOf(t, rep, kz.invalid)
		if inv.Action != maintenance.ActionInvalid ||
			!reflect.DeepEqual(inv.Problems, []string{"settings.api_hostname (format)",
				"settings.application_secret_key (required)"}) {
			t.Errorf("invalid finding: got %+v", inv)
		}
		if err := maintenance.DesignStatus(ctx, kz.couch); err != nil {
			t.Errorf("design status: got %v, want nil", err)
		}
		if len(progress) != 5+4 {
			t.Errorf("progress calls: got %d, want 9 (5 documents, 4 accounts)", len(progress))
		}
		checkNoSecret(t, "report", rep, plaintexts)
		checkNoSecret(t, "progress", progress, plaintexts)
	})

	t.Run("rerun changes nothing", func(t *testing.T) {
		sealed := kz.current(t)
		rep, err := maintenance.Migrate(ctx, kz.couch, ring, opts)
		if !errors.Is(err, maintenance.ErrIncomplete) {
			t.Fatalf("got error %v, want ErrIncomplete", err)
		}
		checkCounts(t, rep, maintenance.Counts{AccountsDone: 4, MissingDBs: 1, Documents: 5,
			Unchanged: 4, Invalid: 1})
		if got := revs(kz.current(t)); !reflect.DeepEqual(got, revs(sealed)) {
			t.Errorf("revisions changed by a rerun: got %v, want %v", got, revs(sealed))
		}
	})
}

func checkCounts(t *testing.T, rep *maintenance.Report, want maintenance.Counts) {
	t.Helper()
	if rep == nil {
		t.Fatal("no report")
	}
	got := rep.Counts
	got.AccountsTotal = 0 // an estimate: the seed's accounts plus design docs
	if got != want {
		t.Errorf("counts:\ngot  %+v\nwant %+v", got, want)
	}
	if rep.AccountsTotal < 4 {
		t.Errorf("accounts total: got %d, want at least 4", rep.AccountsTotal)
	}
}

func findingOf(t *testing.T, rep *maintenance.Report, id string) maintenance.Finding {
	t.Helper()
	for _, f := range rep.Findings {
		if f.DocID == id {
			return f
		}
	}
	t.Fatalf("no finding for %s", id)
	return maintenance.Finding{}
}

// checkSealed checks that every secret of got is sealed with ring's
// primary key and opens to the plaintext of orig, and that every other
// field is as in orig.
func checkSealed(t *testing.T, got, orig couch.Doc, ring *secrets.Keyring) {
	t.Helper()
	id, _ := got["_id"].(string)
	acct, _ := got["pvt_account_id"].(string)
	for _, f := range provider.SecretFields() {
		v, _ := settingsOf(got)[f].(string)
		want, _ := settingsOf(orig)[f].(string)
		if want == "" {
			continue
		}
		if kid, ok := secrets.SealedKeyID(v); !ok || kid != ring.PrimaryID() {
			t.Errorf("%s %s: not sealed with the primary key", id, f)
		}
	}
	if provider.NeedsReseal(provider.Doc(got), ring) {
		t.Errorf("%s: NeedsReseal true after the job", id)
	}
	opened, err := provider.Open(provider.Doc(got), ring, acct, id)
	if err != nil {
		t.Fatalf("%s: opening: %v", id, err)
	}
	for _, f := range provider.SecretFields() {
		if g, w := opened.Settings()[f], settingsOf(orig)[f]; g != w {
			t.Errorf("%s %s: opened value differs from the original", id, f)
		}
	}
	if g, w := withoutSecrets(got), withoutSecrets(orig); !reflect.DeepEqual(g, w) {
		t.Errorf("%s: other fields changed:\ngot  %v\nwant %v", id, g, w)
	}
}

func TestRotateKeyInterruptedAndRerun(t *testing.T) {
	kz := newKazoo(t)
	ctx := ctxFor(t)
	oldRing, oldKeys := keyring(t, 1)
	if _, err := maintenance.Migrate(ctx, kz.couch, oldRing, maintenance.Options{}); !errors.Is(
		err, maintenance.ErrIncomplete) {
		t.Fatalf("migrate: %v", err)
	}
	original := kz.docs
	newKey, err := secrets.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	// The key file during a rotation: the new key first, the old one after.
	ring, err := secrets.NewKeyring(newKey, oldKeys[0])
	if err != nil {
		t.Fatal(err)
	}

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rep, err := maintenance.RotateKey(cctx, kz.couch, ring, maintenance.Options{PageSize: 1,
		Progress: func(p maintenance.Progress) {
			if p.Sealed == 2 {
				cancel()
			}
		}})
	if !errors.Is(err, maintenance.ErrInterrupted) || !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: got %v, want ErrInterrupted and context.Canceled", err)
	}
	if rep.Complete || rep.Sealed != 2 {
		t.Fatalf("interrupted run: got complete %v sealed %d, want false and 2", rep.Complete,
			rep.Sealed)
	}
	pending := 0
	for _, d := range kz.current(t) {
		if provider.NeedsReseal(provider.Doc(d), ring) {
			pending++
		}
	}
	if pending != 3 {
		t.Errorf("after the interruption: %d documents need a reseal, want 3", pending)
	}

	rep, err = maintenance.RotateKey(ctx, kz.couch, ring, maintenance.Options{})
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	checkCounts(t, rep, maintenance.Counts{AccountsDone: 4, MissingDBs: 1, Documents: 5,
		Sealed: 3, Unchanged: 2})
	newOnly, err := secrets.NewKeyring(newKey)
	if err != nil {
		t.Fatal(err)
	}
	for id, d := range kz.current(t) {
		checkSealed(t, d, original[id], newOnly)
	}

	rep, err = maintenance.RotateKey(ctx, kz.couch, ring, maintenance.Options{})
	if err != nil || rep.Sealed != 0 || rep.Unchanged != 5 {
		t.Errorf("second rerun: got sealed %d unchanged %d err %v, want 0, 5, nil",
			rep.Sealed, rep.Unchanged, err)
	}
}

func TestUnreadableSecretsAreReported(t *testing.T) {
	kz := newKazoo(t)
	ctx := ctxFor(t)
	foreign, _ := keyring(t, 1)
	id := kz.valid[0]
	acct := kz.k.Sub.ID
	sealed, err := provider.Seal(provider.Doc(kz.docs[id]), foreign, acct, id)
	if err != nil {
		t.Fatal(err)
	}
	kz.update(t, acct, id, func(d couch.Doc) { d["settings"] = sealed.Settings() })
	before := kz.get(t, acct, id)

	ring, _ := keyring(t, 1)
	for _, job := range []struct {
		name string
		run  func(context.Context, *couch.Client, *secrets.Keyring, maintenance.Options) (
			*maintenance.Report, error)
	}{{"migrate", maintenance.Migrate}, {"rotate-key", maintenance.RotateKey}} {
		t.Run(job.name, func(t *testing.T) {
			rep, err := job.run(ctx, kz.couch, ring, maintenance.Options{})
			if !errors.Is(err, maintenance.ErrIncomplete) {
				t.Fatalf("got %v, want ErrIncomplete", err)
			}
			f := findingOf(t, rep, id)
			if f.Action != maintenance.ActionUnreadable || !strings.Contains(f.Error,
				"unknown key") {
				t.Errorf("finding: got %+v, want unreadable with an unknown key", f)
			}
			if got := kz.get(t, acct, id); got["_rev"] != before["_rev"] {
				t.Errorf("unreadable document was written")
			}
		})
	}
}

func TestRotateKeyRefusesPlaintextMode(t *testing.T) {
	ring, _ := keyring(t, 1)
	_, err := maintenance.RotateKey(context.Background(), nil, ring.WithMode(secrets.Plaintext),
		maintenance.Options{})
	if !errors.Is(err, maintenance.ErrPlaintextMode) {
		t.Errorf("got %v, want ErrPlaintextMode", err)
	}
}
