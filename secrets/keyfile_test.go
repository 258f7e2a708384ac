package secrets

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseKeyFile(t *testing.T) {
	a, b, c := mustKey(t), mustKey(t), mustKey(t)
	for _, tc := range []struct {
		name    string
		file    string
		primary []byte
		n       int
	}{
		{"one base64", EncodeKey(a) + "\n", a, 1},
		{"no final newline", EncodeKey(a), a, 1},
		{"hex", hex.EncodeToString(a), a, 1},
		{"upper hex", strings.ToUpper(hex.EncodeToString(a)), a, 1},
		{"raw url base64", base64.RawURLEncoding.EncodeToString(a), a, 1},
		{"comments, blanks, crlf, old keys",
			"# primary\r\n\r\n  " + EncodeKey(b) + "  \r\n# old\n" +
				hex.EncodeToString(a) + "\n" + base64.RawStdEncoding.EncodeToString(c) + "\n",
			b, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseKeyFile(strings.NewReader(tc.file))
			if err != nil {
				t.Fatalf("ParseKeyFile: %v", err)
			}
			if r.PrimaryID() != keyID(tc.primary) || r.Len() != tc.n {
				t.Fatalf("got primary %s and %d keys, want %s and %d",
					r.PrimaryID(), r.Len(), keyID(tc.primary), tc.n)
			}
		})
	}
}

func TestParseKeyFileErrors(t *testing.T) {
	a := mustKey(t)
	for _, tc := range []struct {
		name string
		file string
		want error
	}{
		{"empty", "", ErrNoKey},
		{"only comments", "# nothing\n\n", ErrNoKey},
		{"short key", EncodeKey(a[:16]), ErrBadKey},
		{"long key", EncodeKey(append(a, 1)), ErrBadKey},
		{"not base64", "not a key at all!", ErrBadKey},
		{"63 hex digits", hex.EncodeToString(a)[:63], ErrBadKey},
		{"bad hex digit", "zz" + hex.EncodeToString(a)[2:], ErrBadKey},
		{"repeated", EncodeKey(a) + "\n" + hex.EncodeToString(a), ErrBadKey},
		{"bad second line", EncodeKey(a) + "\nxyz", ErrBadKey},
		{"too large", strings.Repeat("#", maxKeyFile+1), ErrBadKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKeyFile(strings.NewReader(tc.file))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if tc.file != "" && strings.Contains(err.Error(), EncodeKey(a)) {
				t.Fatalf("error text contains key material: %v", err)
			}
		})
	}
}

func TestLoadKeyFile(t *testing.T) {
	a, b := mustKey(t), mustKey(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "keys")
	if err := os.WriteFile(path, []byte(EncodeKey(a)+"\n"+EncodeKey(b)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := LoadKeyFile(path)
	if err != nil {
		t.Fatalf("LoadKeyFile: %v", err)
	}
	if r.PrimaryID() != keyID(a) || !r.Has(keyID(b)) {
		t.Fatalf("got primary %s, want %s with old key %s", r.PrimaryID(), keyID(a), keyID(b))
	}
	if r.Mode() != Encrypted {
		t.Fatalf("mode %v, want encrypted", r.Mode())
	}

	if _, err := LoadKeyFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: got %v, want os.ErrNotExist", err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("# a\n\nshort\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadKeyFile(bad)
	if !errors.Is(err, ErrBadKey) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("bad file: got %v, want ErrBadKey naming line 3", err)
	}
}
