package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/maintenance"
	"github.com/duo-kazoo/duo-kazoo/maintenance/couchtest"
	"github.com/duo-kazoo/duo-kazoo/secrets"
	"github.com/duo-kazoo/duo-kazoo/seed"
)

const testSecret = "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep"

func writeKeyFile(t *testing.T, keys ...[]byte) string {
	t.Helper()
	var lines []string
	for _, k := range keys {
		lines = append(lines, secrets.EncodeKey(k))
	}
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newKey(t *testing.T) []byte {
	t.Helper()
	k, err := secrets.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// runCmd runs the command line and returns its exit code, stdout and
// stderr, failing the test if either output holds the secret.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := run(ctx, args, &out, &errb)
	for _, s := range []string{out.String(), errb.String()} {
		if strings.Contains(s, testSecret) {
			t.Fatalf("%v printed a secret", args)
		}
	}
	return code, out.String(), errb.String()
}

func TestMigrateAndRotateKeyCommands(t *testing.T) {
	srv := couchtest.Start(t)
	c, err := couch.Open(srv.URL, couch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	k, err := seed.Seed(ctx, c, seed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	docID := hex.EncodeToString(b)
	db, _ := couch.AccountDB(k.Sub.ID)
	if _, err := c.Put(ctx, db, couch.Doc{"_id": docID, "name": "Duo", "enabled": true,
		"provider_name": "duo", "pvt_type": "provider", "pvt_provider_type": "multi_factor",
		"settings": map[string]any{"integration_key": "DIWJ8X6AEYOR5OMC6TQ1",
			"secret_key": testSecret, "api_hostname": "api-4f1c2a9e.duosecurity.com",
			"application_secret_key": "useacustomerprovidedapplicationsecretkey0123"},
	}); err != nil {
		t.Fatal(err)
	}
	oldKey, nextKey := newKey(t), newKey(t)
	t.Setenv("COUCH_URL", srv.URL)
	t.Setenv("DUO_KAZOO_SECRETS_MODE", "")
	t.Setenv("DUO_KAZOO_SECRET_KEY_FILE", writeKeyFile(t, oldKey))

	steps := []struct {
		name     string
		args     []string
		keys     [][]byte
		mode     string
		wantCode int
		wantOut  []string
		wantErr  []string
	}{
		{"dry run", []string{"migrate", "--dry-run"}, [][]byte{oldKey}, "", 0,
			[]string{docID, "would_seal", "dry run: nothing was written"},
			[]string{"migrate: 3/", "done in"}},
		{"migrate", []string{"migrate"}, [][]byte{oldKey}, "", 0,
			[]string{docID + "  duo       sealed", "1 sealed"}, nil},
		{"rerun", []string{"migrate"}, [][]byte{oldKey}, "", 0,
			[]string{"unchanged", "0 sealed, 1 unchanged"}, nil},
		{"rotate without the old key", []string{"rotate-key"}, [][]byte{nextKey}, "", 1,
			[]string{"unreadable", "unknown key"}, []string{"some documents were not processed"}},
		{"rotate", []string{"rotate-key"}, [][]byte{nextKey, oldKey}, "", 0,
			[]string{"1 sealed"}, nil},
		{"rotate in plaintext mode", []string{"rotate-key"}, [][]byte{nextKey}, "plaintext", 1,
			nil, []string{"needs encrypted mode"}},
		{"bad flag", []string{"migrate", "--nope"}, [][]byte{nextKey}, "", 2, nil, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			t.Setenv("DUO_KAZOO_SECRET_KEY_FILE", writeKeyFile(t, st.keys...))
			t.Setenv("DUO_KAZOO_SECRETS_MODE", st.mode)
			code, out, errOut := runCmd(t, st.args...)
			if code != st.wantCode {
				t.Fatalf("exit code: got %d, want %d\nstdout:\n%s\nstderr:\n%s", code,
					st.wantCode, out, errOut)
			}
			for _, w := range st.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range st.wantErr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}

	t.Setenv("DUO_KAZOO_SECRET_KEY_FILE", writeKeyFile(t, nextKey))
	code, out, _ := runCmd(t, "rotate-key", "--json")
	var rep maintenance.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("--json: code %d, decoding: %v\n%s", code, err, out)
	}
	if rep.Job != "rotate-key" || rep.Documents != 1 || rep.Unchanged != 1 || !rep.Complete {
		t.Errorf("--json report after rotation: got %+v, want one unchanged document", rep.Counts)
	}
}
