package secrets

import "errors"

// Errors returned by this package, wrapped with context; test with
// errors.Is. None of them carries secret material.
var (
	// ErrNoKey: the keyring holds no key (sealing in Encrypted mode, or
	// opening a sealed value), or a key file holds no key.
	ErrNoKey = errors.New("secrets: no key")
	// ErrUnknownKey: the value was sealed with a key that is not in the
	// keyring (the key id names which one).
	ErrUnknownKey = errors.New("secrets: sealed with an unknown key")
	// ErrDecrypt: authentication failed: the value was changed, or it is
	// opened with another binding (account, document or field) than it
	// was sealed with.
	ErrDecrypt = errors.New("secrets: cannot decrypt")
	// ErrFormat: a value with the sealed prefix is malformed, or a plaintext
	// to store in Plaintext mode starts with the sealed prefix.
	ErrFormat = errors.New("secrets: malformed sealed value")
	// ErrBadKey: a key is not 32 bytes, is repeated, or a key file line is
	// neither base64 nor hex of 32 bytes.
	ErrBadKey = errors.New("secrets: bad key")
	// ErrBinding: a Binding field is empty.
	ErrBinding = errors.New("secrets: incomplete binding")
	// ErrMode: a mode name other than "encrypted" or "plaintext".
	ErrMode = errors.New("secrets: unknown mode")
)
