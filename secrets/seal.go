package secrets

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
)

// Mode says how Seal stores values.
type Mode int

const (
	// Encrypted seals values with the primary key. The default.
	Encrypted Mode = iota
	// Plaintext stores values as they are, so stock KAZOO can read them.
	// An explicit opt-in; Open still opens sealed values.
	Plaintext
)

// ParseMode reads a mode name: "encrypted" (or empty) or "plaintext".
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "encrypted":
		return Encrypted, nil
	case "plaintext":
		return Plaintext, nil
	}
	return Encrypted, fmt.Errorf("%w %q", ErrMode, s)
}

// String returns the mode's name as ParseMode reads it.
func (m Mode) String() string {
	if m == Plaintext {
		return "plaintext"
	}
	return "encrypted"
}

// Binding names where a sealed value lives. All three fields must be
// non-empty; a value opens only with the binding it was sealed with.
type Binding struct {
	AccountID string // the account owning the document
	DocID     string // the document's _id
	Field     string // the field's path, e.g. "settings.secret_key"
}

func (b Binding) check() error {
	switch {
	case b.AccountID == "":
		return fmt.Errorf("%w: no account id", ErrBinding)
	case b.DocID == "":
		return fmt.Errorf("%w: no document id", ErrBinding)
	case b.Field == "":
		return fmt.Errorf("%w: no field", ErrBinding)
	}
	return nil
}

const (
	prefix    = "dk1:"
	idLen     = 8 // hex characters of a key id
	nonceSize = 12
	tagSize   = 16
)

// aad encodes the authenticated data: format, key id, then each binding
// field preceded by its length, so that distinct bindings never collide.
func aad(id string, b Binding) []byte {
	out := make([]byte, 0, len(prefix)+len(id)+len(b.AccountID)+len(b.DocID)+len(b.Field)+32)
	out = append(out, prefix...)
	for _, s := range []string{id, b.AccountID, b.DocID, b.Field} {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return out
}

// IsSealed reports whether s has the sealed prefix "dk1:". It does not
// check the rest of the value: Open reports ErrFormat for a malformed one.
func IsSealed(s string) bool {
	return strings.HasPrefix(s, prefix)
}

// Seal returns the stored form of plaintext for binding b. In Encrypted
// mode that is a sealed value under the primary key (ErrNoKey without
// one), with a fresh random nonce, so sealing twice gives different
// strings. In Plaintext mode it is plaintext itself, unless plaintext
// starts with the sealed prefix (ErrFormat: it could not be told apart).
// The binding must be complete in both modes (ErrBinding).
func (k *Keyring) Seal(plaintext string, b Binding) (string, error) {
	if err := b.check(); err != nil {
		return "", fmt.Errorf("sealing: %w", err)
	}
	if k.Mode() == Plaintext {
		if IsSealed(plaintext) {
			return "", fmt.Errorf("sealing %s: %w: plaintext starts with %q",
				b.Field, ErrFormat, prefix)
		}
		return plaintext, nil
	}
	if k == nil || k.primary == nil {
		return "", fmt.Errorf("sealing %s: %w", b.Field, ErrNoKey)
	}

	buf := make([]byte, nonceSize, nonceSize+len(plaintext)+tagSize)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("sealing %s: drawing nonce: %w", b.Field, err)
	}
	id := k.primary.id
	out := k.primary.aead.Seal(buf, buf, []byte(plaintext), aad(id, b))
	return prefix + id + ":" + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open returns the plaintext of a stored value. A value without the
// sealed prefix is plaintext and is returned unchanged, in either mode.
// A sealed value opens with the key named by its key id: ErrFormat when it
// is malformed, ErrNoKey when the keyring is empty, ErrUnknownKey when the
// key is not in the keyring, ErrDecrypt when it was altered or sealed for
// another binding.
func (k *Keyring) Open(stored string, b Binding) (string, error) {
	if !IsSealed(stored) {
		return stored, nil
	}
	if err := b.check(); err != nil {
		return "", fmt.Errorf("opening: %w", err)
	}
	id, payload, err := parse(stored)
	if err != nil {
		return "", fmt.Errorf("opening %s: %w", b.Field, err)
	}
	if k.Len() == 0 {
		return "", fmt.Errorf("opening %s: %w", b.Field, ErrNoKey)
	}
	ky, ok := k.byID[id]
	if !ok {
		return "", fmt.Errorf("opening %s: %w (key id %s)", b.Field, ErrUnknownKey, id)
	}

	pt, err := ky.aead.Open(nil, payload[:nonceSize], payload[nonceSize:], aad(id, b))
	if err != nil {
		return "", fmt.Errorf("opening %s: %w", b.Field, ErrDecrypt)
	}
	return string(pt), nil
}

// parse splits a sealed value into its key id and decoded payload.
func parse(stored string) (string, []byte, error) {
	rest := strings.TrimPrefix(stored, prefix)
	id, enc, ok := strings.Cut(rest, ":")
	if !ok || len(id) != idLen || !isLowerHex(id) {
		return "", nil, fmt.Errorf("%w: bad key id", ErrFormat)
	}
	payload, err := base64.RawURLEncoding.Strict().DecodeString(enc)
	if err != nil {
		return "", nil, fmt.Errorf("%w: bad payload encoding", ErrFormat)
	}
	if len(payload) < nonceSize+tagSize {
		return "", nil, fmt.Errorf("%w: payload too short", ErrFormat)
	}
	return id, payload, nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// SealedKeyID returns the key id of a well-formed sealed value, and false
// for plaintext or a malformed value.
func SealedKeyID(stored string) (string, bool) {
	if !IsSealed(stored) {
		return "", false
	}
	id, _, err := parse(stored)
	return id, err == nil
}

// NeedsRotation reports whether stored is not in the form Seal would write
// now, so that a re-seal (Open, then Seal) should replace it: in Encrypted
// mode, a plaintext value or one sealed with any key but the primary
// (including unknown keys and malformed values, whose re-seal then fails
// and so surfaces the problem); in Plaintext mode, any sealed value.
func (k *Keyring) NeedsRotation(stored string) bool {
	if k.Mode() == Plaintext {
		return IsSealed(stored)
	}
	id, ok := SealedKeyID(stored)
	return !ok || id != k.PrimaryID()
}
