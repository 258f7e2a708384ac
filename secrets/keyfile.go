package secrets

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxKeyFile bounds how much of a key file is read: far more than any
// sensible number of keys.
const maxKeyFile = 64 << 10

// LoadKeyFile reads a key file (format in the package doc) and returns an
// Encrypted-mode keyring: the first key is the primary, the others old
// keys. Errors name the path and line, never the key material.
func LoadKeyFile(path string) (*Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("secrets: loading key file: %w", err)
	}
	defer f.Close()

	k, err := ParseKeyFile(f)
	if err != nil {
		return nil, fmt.Errorf("loading key file %s: %w", path, err)
	}
	return k, nil
}

// ParseKeyFile reads keys in the key-file format (see the package doc)
// from r, up to 64 KiB, and builds a keyring from them. It returns ErrNoKey
// when there is no key and ErrBadKey for a bad or repeated line.
func ParseKeyFile(r io.Reader) (*Keyring, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("secrets: reading keys: %w", err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("%w: key file larger than %d bytes", ErrBadKey, maxKeyFile)
	}

	var keys [][]byte
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 0, 4096), maxKeyFile)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		raw, ok := decodeKeyLine(line)
		if !ok {
			return nil, fmt.Errorf("%w: line %d: not %d bytes in base64 or hex",
				ErrBadKey, n, KeySize)
		}
		keys = append(keys, raw)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("secrets: reading keys: %w", err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: key file holds no key", ErrNoKey)
	}
	return NewKeyring(keys[0], keys[1:]...)
}

// decodeKeyLine reads one key as 64 hex digits or base64 of KeySize bytes.
// A 64-digit hex string cannot be base64 of 32 bytes (that would be 43 or
// 44 characters), so the forms never overlap.
func decodeKeyLine(s string) ([]byte, bool) {
	if len(s) == 2*KeySize {
		b, err := hex.DecodeString(s)
		return b, err == nil
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	} {
		b, err := enc.Strict().DecodeString(s)
		if err == nil && len(b) == KeySize {
			return b, true
		}
	}
	return nil, false
}
