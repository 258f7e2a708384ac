package provider

import (
	"errors"
	"reflect"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/secrets"
)

func testRing(t testing.TB, old ...[]byte) *secrets.Keyring {
	t.Helper()
	k, err := secrets.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	r, err := secrets.NewKeyring(k, old...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSealOpen(t *testing.T) {
	ring := testRing(t)
	st := stored(t)
	before := st.Clone()

	sealed, err := Seal(st, ring, meta.AccountID, meta.ID)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	if !reflect.DeepEqual(st, before) {
		t.Fatalf("Seal modified its argument")
	}
	s := settingsOf(t, sealed)
	for _, f := range SecretFields() {
		v, _ := s[f].(string)
		if !secrets.IsSealed(v) {
			t.Errorf("%s not sealed", f)
		}
	}
	if s["integration_key"] != testIKey || s["unknown_setting"] != "old" {
		t.Errorf("non-secret settings changed: %#v", s)
	}
	if NeedsReseal(sealed, ring) {
		t.Errorf("NeedsReseal(freshly sealed) = true")
	}
	if !NeedsReseal(st, ring) {
		t.Errorf("NeedsReseal(plaintext, encrypted mode) = false")
	}

	again, err := Seal(sealed, ring, meta.AccountID, meta.ID)
	if err != nil {
		t.Fatalf("Seal of a sealed doc: %v", err)
	}
	opened, err := Open(again, ring, meta.AccountID, meta.ID)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if !reflect.DeepEqual(opened, st) {
		t.Fatalf("round trip: got %#v, want %#v", opened, st)
	}

	// Secrets are bound to the document: another id does not open them.
	_, err = Open(sealed, ring, meta.AccountID, "another")
	if !errors.Is(err, secrets.ErrDecrypt) {
		t.Fatalf("Open with another doc id: got %v, want ErrDecrypt", err)
	}
	// Nor does swapping one sealed field into another.
	swapped := sealed.Clone()
	settingsOf(t, swapped)[ClientSecret] = s[SecretKey]
	if _, err := Open(swapped, ring, meta.AccountID, meta.ID); !errors.Is(err, secrets.ErrDecrypt) {
		t.Fatalf("Open of swapped fields: got %v, want ErrDecrypt", err)
	}
}

func TestSealRotationAndModes(t *testing.T) {
	oldKey, err := secrets.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	oldRing, _ := secrets.NewKeyring(oldKey)
	sealedOld, err := Seal(stored(t), oldRing, meta.AccountID, meta.ID)
	if err != nil {
		t.Fatal(err)
	}

	newRing := testRing(t, oldKey)
	if !NeedsReseal(sealedOld, newRing) {
		t.Fatalf("NeedsReseal(old key) = false, want true")
	}
	rotated, err := Seal(sealedOld, newRing, meta.AccountID, meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	if NeedsReseal(rotated, newRing) {
		t.Fatalf("NeedsReseal after rotation = true")
	}

	plainRing := newRing.WithMode(secrets.Plaintext)
	plain, err := Seal(rotated, plainRing, meta.AccountID, meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plain, stored(t)) {
		t.Fatalf("plaintext mode: got %#v, want the plaintext document", plain)
	}
	if NeedsReseal(plain, plainRing) {
		t.Fatalf("NeedsReseal(plaintext, plaintext mode) = true")
	}
}

func TestSealErrors(t *testing.T) {
	sealed, err := Seal(stored(t), testRing(t), meta.AccountID, meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(sealed, testRing(t), meta.AccountID, meta.ID)
	if !errors.Is(err, secrets.ErrUnknownKey) {
		t.Fatalf("Open with another ring: got %v, want ErrUnknownKey", err)
	}
	_, err = Seal(stored(t), &secrets.Keyring{}, meta.AccountID, meta.ID)
	if !errors.Is(err, secrets.ErrNoKey) {
		t.Fatalf("Seal without key: got %v, want ErrNoKey", err)
	}
	// Malformed secrets are left for Validate, not an error here.
	odd := Doc{"settings": map[string]any{SecretKey: 12, ClientSecret: ""}}
	if _, err := Seal(odd, testRing(t), meta.AccountID, meta.ID); err != nil {
		t.Fatalf("Seal of non-string secret: %v", err)
	}
}
