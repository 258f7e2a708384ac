package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// KeySize is the length in bytes of every key: AES-256.
const KeySize = 32

// keyIDPrefix separates key-id hashing from any other use of a key's hash.
const keyIDPrefix = "duo-kazoo/secrets/key-id\x00"

// key is one usable key. The raw bytes are not kept once the cipher exists.
type key struct {
	id   string
	aead cipher.AEAD
}

// Keyring holds the primary key, which seals, and old keys, which only
// open. The zero value and a nil *Keyring hold no key and are in Encrypted
// mode: they open plaintext values only. A Keyring never changes once
// built; it is safe for concurrent use.
type Keyring struct {
	mode    Mode
	primary *key
	byID    map[string]*key
}

// NewKeyring builds an Encrypted-mode keyring from a primary key and any
// number of old keys, each KeySize bytes. It returns ErrBadKey when a key
// has the wrong length or appears twice (two keys with the same id). The
// byte slices are not retained.
func NewKeyring(primary []byte, old ...[]byte) (*Keyring, error) {
	all := append([][]byte{primary}, old...)
	k := &Keyring{byID: make(map[string]*key, len(all))}
	for i, raw := range all {
		ky, err := newKey(raw)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if _, dup := k.byID[ky.id]; dup {
			return nil, fmt.Errorf("key %d: %w: repeated (id %s)", i+1, ErrBadKey, ky.id)
		}
		k.byID[ky.id] = ky
		if i == 0 {
			k.primary = ky
		}
	}
	return k, nil
}

func newKey(raw []byte) (*key, error) {
	if len(raw) != KeySize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrBadKey, len(raw), KeySize)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	return &key{id: keyID(raw), aead: aead}, nil
}

// keyID is the short public fingerprint of a key (see the package doc).
func keyID(raw []byte) string {
	h := sha256.New()
	h.Write([]byte(keyIDPrefix))
	h.Write(raw)
	return hex.EncodeToString(h.Sum(nil)[:4])
}

// GenerateKey returns KeySize bytes from crypto/rand, suitable as a key.
func GenerateKey() ([]byte, error) {
	b := make([]byte, KeySize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("secrets: generating key: %w", err)
	}
	return b, nil
}

// EncodeKey returns a key as one key-file line: standard base64 with padding.
func EncodeKey(raw []byte) string {
	return base64.StdEncoding.EncodeToString(raw)
}

// WithMode returns a keyring with the same keys in mode m. The receiver is
// unchanged; a nil receiver gives a keyless keyring in mode m.
func (k *Keyring) WithMode(m Mode) *Keyring {
	c := &Keyring{mode: m}
	if k != nil {
		c.primary, c.byID = k.primary, k.byID
	}
	return c
}

// Mode returns the keyring's mode; Encrypted for a nil keyring.
func (k *Keyring) Mode() Mode {
	if k == nil {
		return Encrypted
	}
	return k.mode
}

// PrimaryID returns the id of the primary key, or "" when there is none.
func (k *Keyring) PrimaryID() string {
	if k == nil || k.primary == nil {
		return ""
	}
	return k.primary.id
}

// Has reports whether the keyring holds the key with the given id.
func (k *Keyring) Has(id string) bool {
	if k == nil {
		return false
	}
	_, ok := k.byID[id]
	return ok
}

// Len returns the number of keys, primary included.
func (k *Keyring) Len() int {
	if k == nil {
		return 0
	}
	return len(k.byID)
}
