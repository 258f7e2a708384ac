package secrets

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

var bind = Binding{AccountID: "4f1c2a", DocID: "cfg1", Field: "settings.secret_key"}

const skey = "Zb0mUjLq4eXnVbR6sD2fHk8wPq1tYz9aC3gJ5uMx"

func mustKey(t testing.TB) []byte {
	t.Helper()
	k, err := GenerateKey()
	if err != nil {
		t.Fatalf("GenerateKey: %v", err)
	}
	return k
}

func mustRing(t testing.TB, primary []byte, old ...[]byte) *Keyring {
	t.Helper()
	r, err := NewKeyring(primary, old...)
	if err != nil {
		t.Fatalf("NewKeyring: %v", err)
	}
	return r
}

func mustSeal(t testing.TB, r *Keyring, pt string, b Binding) string {
	t.Helper()
	s, err := r.Seal(pt, b)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	r := mustRing(t, mustKey(t))
	for _, tc := range []struct{ name, pt string }{
		{"skey", skey},
		{"empty", ""},
		{"unicode", "clé secrète ✓"},
		{"long", strings.Repeat("x", 4096)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSeal(t, r, tc.pt, bind)
			if !IsSealed(s) {
				t.Fatalf("IsSealed(%q) = false, want true", s)
			}
			if tc.pt != "" && strings.Contains(s, tc.pt) {
				t.Fatalf("sealed value contains the plaintext")
			}
			got, err := r.Open(s, bind)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if got != tc.pt {
				t.Fatalf("got %q, want %q", got, tc.pt)
			}
		})
	}
}

func TestSealFormat(t *testing.T) {
	r := mustRing(t, mustKey(t))
	a, b := mustSeal(t, r, skey, bind), mustSeal(t, r, skey, bind)
	if a == b {
		t.Fatalf("two seals of the same value are equal; nonce not random")
	}
	parts := strings.Split(a, ":")
	if len(parts) != 3 || parts[0] != "dk1" || parts[1] != r.PrimaryID() {
		t.Fatalf("got %q, want dk1:%s:<payload>", a, r.PrimaryID())
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatalf("payload not base64url: %v", err)
	}
	if got, want := len(payload), 12+len(skey)+16; got != want {
		t.Fatalf("payload length %d, want %d", got, want)
	}
	if id, ok := SealedKeyID(a); !ok || id != r.PrimaryID() {
		t.Fatalf("SealedKeyID = %q, %v; want %q, true", id, ok, r.PrimaryID())
	}
}

func TestWrongBinding(t *testing.T) {
	r := mustRing(t, mustKey(t))
	s := mustSeal(t, r, skey, bind)
	for _, tc := range []struct {
		name string
		b    Binding
	}{
		{"account", Binding{"4f1c2b", bind.DocID, bind.Field}},
		{"document", Binding{bind.AccountID, "cfg2", bind.Field}},
		{"field", Binding{bind.AccountID, bind.DocID, "settings.client_secret"}},
		// Length prefixes: moving a character across fields must not match.
		{"shifted", Binding{bind.AccountID + "c", "fg1", bind.Field}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Open(s, tc.b)
			if !errors.Is(err, ErrDecrypt) {
				t.Fatalf("got %v, want ErrDecrypt", err)
			}
		})
	}
}

func TestTamper(t *testing.T) {
	r := mustRing(t, mustKey(t))
	s := mustSeal(t, r, skey, bind)
	head := len("dk1:") + 8 + 1
	for i := head; i < len(s); i++ {
		for _, c := range []byte{'A', 'g', '_'} {
			if s[i] == c {
				continue
			}
			m := s[:i] + string(c) + s[i+1:]
			_, err := r.Open(m, bind)
			if !errors.Is(err, ErrDecrypt) && !errors.Is(err, ErrFormat) {
				t.Fatalf("change at %d: got %v, want ErrDecrypt or ErrFormat", i, err)
			}
		}
	}
	if _, err := r.Open(s[:len(s)-1], bind); err == nil {
		t.Fatalf("truncated value opened")
	}
}

func TestOpenErrors(t *testing.T) {
	r := mustRing(t, mustKey(t))
	other := mustRing(t, mustKey(t))
	s := mustSeal(t, other, skey, bind)
	for _, tc := range []struct {
		name   string
		ring   *Keyring
		stored string
		b      Binding
		want   error
	}{
		{"unknown key", r, s, bind, ErrUnknownKey},
		{"empty ring", &Keyring{}, s, bind, ErrNoKey},
		{"nil ring", nil, s, bind, ErrNoKey},
		{"no key id", r, "dk1::AAAA", bind, ErrFormat},
		{"upper hex id", r, "dk1:ABCDEF01:" + strings.Repeat("A", 40), bind, ErrFormat},
		{"no payload sep", r, "dk1:abcdef01", bind, ErrFormat},
		{"bad base64", r, "dk1:abcdef01:***", bind, ErrFormat},
		{"short payload", r, "dk1:abcdef01:AAAA", bind, ErrFormat},
		{"no account", r, s, Binding{"", "d", "f"}, ErrBinding},
		{"no doc", r, s, Binding{"a", "", "f"}, ErrBinding},
		{"no field", r, s, Binding{"a", "d", ""}, ErrBinding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.ring.Open(tc.stored, tc.b)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), skey) {
				t.Fatalf("error text contains the secret")
			}
		})
	}
}

func TestSealErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		ring *Keyring
		pt   string
		b    Binding
		want error
	}{
		{"empty ring", &Keyring{}, skey, bind, ErrNoKey},
		{"nil ring", nil, skey, bind, ErrNoKey},
		{"no binding", mustRing(t, mustKey(t)), skey, Binding{}, ErrBinding},
		{"plaintext looks sealed", (*Keyring)(nil).WithMode(Plaintext), "dk1:x", bind, ErrFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.ring.Seal(tc.pt, tc.b)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	oldKey, newKey := mustKey(t), mustKey(t)
	before := mustRing(t, oldKey)
	sealedOld := mustSeal(t, before, skey, bind)

	after := mustRing(t, newKey, oldKey)
	if !after.NeedsRotation(sealedOld) {
		t.Fatalf("NeedsRotation(old) = false, want true")
	}
	pt, err := after.Open(sealedOld, bind)
	if err != nil || pt != skey {
		t.Fatalf("Open(old) = %q, %v; want the secret, nil", pt, err)
	}
	resealed := mustSeal(t, after, pt, bind)
	if after.NeedsRotation(resealed) {
		t.Fatalf("NeedsRotation(resealed) = true, want false")
	}
	if id, _ := SealedKeyID(resealed); id != after.PrimaryID() {
		t.Fatalf("resealed with %s, want primary %s", id, after.PrimaryID())
	}

	dropped := mustRing(t, newKey)
	if _, err := dropped.Open(sealedOld, bind); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("old key dropped: got %v, want ErrUnknownKey", err)
	}
	if got, err := dropped.Open(resealed, bind); err != nil || got != skey {
		t.Fatalf("resealed after drop: got %q, %v", got, err)
	}
}

func TestPlaintextMode(t *testing.T) {
	enc := mustRing(t, mustKey(t))
	plain := enc.WithMode(Plaintext)
	if enc.Mode() != Encrypted || plain.Mode() != Plaintext {
		t.Fatalf("modes: got %v and %v, want encrypted and plaintext", enc.Mode(), plain.Mode())
	}

	stored := mustSeal(t, plain, skey, bind)
	if stored != skey {
		t.Fatalf("plaintext mode Seal: got %q, want the plaintext", stored)
	}
	sealed := mustSeal(t, enc, skey, bind)
	for _, tc := range []struct {
		name, stored string
		ring         *Keyring
		rotate       bool
	}{
		{"plaintext mode, plain value", stored, plain, false},
		{"plaintext mode, sealed value", sealed, plain, true},
		{"encrypted mode, plain value", stored, enc, true},
		{"encrypted mode, sealed value", sealed, enc, false},
		{"keyless plaintext ring, plain value", stored, (*Keyring)(nil).WithMode(Plaintext), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.ring.Open(tc.stored, bind)
			if err != nil || got != skey {
				t.Fatalf("Open: got %q, %v; want the secret", got, err)
			}
			if r := tc.ring.NeedsRotation(tc.stored); r != tc.rotate {
				t.Fatalf("NeedsRotation: got %v, want %v", r, tc.rotate)
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Mode
		wantErr bool
	}{
		{"", Encrypted, false},
		{"encrypted", Encrypted, false},
		{" Plaintext ", Plaintext, false},
		{"clear", Encrypted, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			m, err := ParseMode(tc.in)
			if (err != nil) != tc.wantErr || m != tc.want {
				t.Fatalf("got %v, %v; want %v, error %v", m, err, tc.want, tc.wantErr)
			}
			if err != nil && !errors.Is(err, ErrMode) {
				t.Fatalf("got %v, want ErrMode", err)
			}
			if err == nil {
				if back, _ := ParseMode(m.String()); back != m {
					t.Fatalf("String round trip: got %v, want %v", back, m)
				}
			}
		})
	}
}

func TestNewKeyringErrors(t *testing.T) {
	k := mustKey(t)
	for _, tc := range []struct {
		name    string
		primary []byte
		old     [][]byte
	}{
		{"short primary", k[:31], nil},
		{"long old", k, [][]byte{append(bytes.Clone(k), 0)}},
		{"repeated", k, [][]byte{bytes.Clone(k)}},
		{"nil primary", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewKeyring(tc.primary, tc.old...)
			if !errors.Is(err, ErrBadKey) {
				t.Fatalf("got %v, want ErrBadKey", err)
			}
		})
	}
}

func TestKeyringAccessors(t *testing.T) {
	a, b := mustKey(t), mustKey(t)
	r := mustRing(t, a, b)
	if r.Len() != 2 || !r.Has(keyID(a)) || !r.Has(keyID(b)) || r.PrimaryID() != keyID(a) {
		t.Fatalf("keyring: len %d, primary %s; want 2 keys, primary %s",
			r.Len(), r.PrimaryID(), keyID(a))
	}
	var nilRing *Keyring
	if nilRing.Len() != 0 || nilRing.Has(keyID(a)) || nilRing.PrimaryID() != "" {
		t.Fatalf("nil keyring reports keys")
	}
}
