package secrets

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"sort"
)

// deriveLabel separates derived keys from every other use of a key.
const deriveLabel = "duo-kazoo/secrets/derive\x00"

// Derive returns a KeySize-byte key for purpose (such as "universal-state"),
// derived from the primary key, so that one key file also keys the other
// secrets every replica must share. The same primary key and purpose give
// the same bytes on every replica; different purposes give independent
// keys, and a derived key reveals nothing about the primary key or the
// secrets it seals. A keyring without a primary key returns ErrNoKey.
//
// The keyring does not keep raw key bytes, only each key's cipher, so the
// derivation uses that cipher as a pseudo-random function: the input key
// material is AES-256-GCM's sealing of 32 zero bytes under a nonce and
// additional data computed from the purpose (the AES keystream blocks for
// that nonce, plus the tag), which is then expanded with HKDF-SHA256, the
// purpose as info. Sealing itself always draws random nonces, so this
// fixed nonce coincides with one of them with probability 2^-96 per seal.
//
// Rotating the primary key changes every derived key; DerivePrevious gives
// the old keys' derivations, for verifiers that accept both during a
// rotation.
func (k *Keyring) Derive(purpose string) ([]byte, error) {
	if k == nil || k.primary == nil {
		return nil, fmt.Errorf("deriving a key for %q: %w", purpose, ErrNoKey)
	}
	return derive(k.primary, purpose)
}

// DerivePrevious returns Derive(purpose) for each old key of the keyring
// (not the primary), ordered by key id; nil when there is none.
func (k *Keyring) DerivePrevious(purpose string) ([][]byte, error) {
	if k == nil {
		return nil, nil
	}
	ids := make([]string, 0, len(k.byID))
	for id := range k.byID {
		if k.primary == nil || id != k.primary.id {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	var out [][]byte
	for _, id := range ids {
		d, err := derive(k.byID[id], purpose)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func derive(ky *key, purpose string) ([]byte, error) {
	label := deriveLabel + purpose
	sum := sha256.Sum256([]byte(label))
	nonce := sum[:ky.aead.NonceSize()]
	material := ky.aead.Seal(nil, nonce, make([]byte, KeySize), []byte(label))
	out, err := hkdf.Key(sha256.New, material, []byte(deriveLabel), purpose, KeySize)
	if err != nil {
		return nil, fmt.Errorf("deriving a key for %q: %w", purpose, err)
	}
	return out, nil
}
