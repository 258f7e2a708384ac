package secrets

import (
	"bytes"
	"errors"
	"testing"
)

func mustKeyring(t *testing.T, keys ...[]byte) *Keyring {
	t.Helper()
	k, err := NewKeyring(keys[0], keys[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestDerive(t *testing.T) {
	k1 := bytes.Repeat([]byte{1}, KeySize)
	k2 := bytes.Repeat([]byte{2}, KeySize)
	ring := mustKeyring(t, k1)

	a, err := ring.Derive("universal-state")
	if err != nil || len(a) != KeySize {
		t.Fatalf("Derive = %d bytes, %v; want %d bytes", len(a), err, KeySize)
	}
	tests := []struct {
		name  string
		ring  *Keyring
		purp  string
		equal bool
	}{
		{"same key and purpose, another keyring", mustKeyring(t, k1), "universal-state", true},
		{"same key, another purpose", ring, "other", false},
		{"another key", mustKeyring(t, k2), "universal-state", false},
		{"same primary with old keys", mustKeyring(t, k1, k2), "universal-state", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.ring.Derive(tt.purp)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Equal(a, b); got != tt.equal {
				t.Errorf("equal = %v, want %v", got, tt.equal)
			}
		})
	}
	if bytes.Contains(a, k1[:8]) {
		t.Error("derived key contains key bytes")
	}
}

func TestDeriveNoKey(t *testing.T) {
	for name, ring := range map[string]*Keyring{
		"nil keyring":       nil,
		"plaintext keyless": (*Keyring)(nil).WithMode(Plaintext),
	} {
		if _, err := ring.Derive("x"); !errors.Is(err, ErrNoKey) {
			t.Errorf("%s: error %v, want ErrNoKey", name, err)
		}
		if prev, err := ring.DerivePrevious("x"); err != nil || prev != nil {
			t.Errorf("%s: DerivePrevious = %v, %v; want none", name, prev, err)
		}
	}
}

// TestDerivePrevious: after a rotation, the old primary's derivation is
// among the previous ones, so states signed before it still verify.
func TestDerivePrevious(t *testing.T) {
	old := bytes.Repeat([]byte{3}, KeySize)
	fresh := bytes.Repeat([]byte{4}, KeySize)
	before, err := mustKeyring(t, old).Derive("p")
	if err != nil {
		t.Fatal(err)
	}
	prev, err := mustKeyring(t, fresh, old).DerivePrevious("p")
	if err != nil || len(prev) != 1 || !bytes.Equal(prev[0], before) {
		t.Errorf("DerivePrevious after rotation = %x, %v; want [%x]", prev, err, before)
	}
}
