package provider

import (
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/secrets"
)

// Seal returns a copy of d with each secret setting in the stored form of
// ring's mode (see package secrets): sealed in Encrypted mode, plaintext
// in Plaintext mode. The binding is accountID, docID and the field path
// ("settings.secret_key"). A secret that is already sealed is opened with
// the same binding and sealed again, so Seal is also how values are
// rotated to the primary key or converted between modes. Non-string and
// empty secrets are left as they are. d is not modified.
func Seal(d Doc, ring *secrets.Keyring, accountID, docID string) (Doc, error) {
	reseal := func(v string, b secrets.Binding) (string, error) {
		pt, err := ring.Open(v, b)
		if err != nil {
			return "", err
		}
		return ring.Seal(pt, b)
	}
	return transform(d, accountID, docID, reseal)
}

// Open returns a copy of d with each secret setting in plaintext (values
// already in plaintext are kept). Errors are those of secrets.Keyring.Open,
// wrapped with the field path. d is not modified.
func Open(d Doc, ring *secrets.Keyring, accountID, docID string) (Doc, error) {
	return transform(d, accountID, docID, ring.Open)
}

// NeedsReseal reports whether any secret of d is not in the form Seal
// would write with ring now (see secrets.Keyring.NeedsRotation).
func NeedsReseal(d Doc, ring *secrets.Keyring) bool {
	s := d.Settings()
	for _, f := range secretFields {
		if v, ok := s[f].(string); ok && v != "" && ring.NeedsRotation(v) {
			return true
		}
	}
	return false
}

// transform applies fn to every non-empty string secret of a copy of d.
// fn's errors already name the field.
func transform(d Doc, accountID, docID string,
	fn func(string, secrets.Binding) (string, error)) (Doc, error) {
	out := d.Clone()
	s := out.Settings()
	for _, f := range secretFields {
		v, ok := s[f].(string)
		if !ok || v == "" {
			continue
		}
		b := secrets.Binding{AccountID: accountID, DocID: docID, Field: "settings." + f}
		nv, err := fn(v, b)
		if err != nil {
			return nil, fmt.Errorf("provider: %w", err)
		}
		s[f] = nv
	}
	return out, nil
}
