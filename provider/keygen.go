package provider

import (
	"crypto/rand"
	"fmt"
)

// GeneratedKeyLength is the length of GenerateApplicationSecretKey's keys.
const GeneratedKeyLength = 48

const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// GenerateApplicationSecretKey returns a new application secret key:
// GeneratedKeyLength characters drawn uniformly from A-Z, a-z and 0-9 with
// crypto/rand (about 285 bits). Bytes at or above the largest multiple of
// the alphabet's size are rejected, so no character is more likely than
// another.
func GenerateApplicationSecretKey() (string, error) {
	const limit = 256 - 256%len(keyAlphabet) // 248: 4 × 62
	out := make([]byte, 0, GeneratedKeyLength)
	buf := make([]byte, GeneratedKeyLength+16)
	for len(out) < GeneratedKeyLength {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("provider: generating application secret key: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < GeneratedKeyLength {
				out = append(out, keyAlphabet[int(b)%len(keyAlphabet)])
			}
		}
	}
	return string(out), nil
}
