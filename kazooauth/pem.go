package kazooauth

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// MinKeyBits is the smallest RSA modulus ParsePrivateKeyPEM and Mint
// accept. KAZOO generates 2048-bit keys.
const MinKeyBits = 2048

// ParsePrivateKeyPEM decodes the first PEM block of data as an RSA private
// key: PKCS#1 ("RSA PRIVATE KEY", what KAZOO stores in system_auth) or
// PKCS#8 ("PRIVATE KEY") holding an RSA key. Keys shorter than MinKeyBits
// are refused. Errors wrap ErrInvalidKey and never contain key material.
func ParsePrivateKeyPEM(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("parsing key: %w: no PEM block", ErrInvalidKey)
	}

	var key *rsa.PrivateKey
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parsing key: %w: pkcs1: %w", ErrInvalidKey, err)
		}
		key = k
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parsing key: %w: pkcs8: %w", ErrInvalidKey, err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("parsing key: %w: pkcs8 key is %T, not RSA",
				ErrInvalidKey, k)
		}
		key = rk
	default:
		return nil, fmt.Errorf("parsing key: %w: unexpected PEM type %q",
			ErrInvalidKey, block.Type)
	}

	if err := checkKeySize(key); err != nil {
		return nil, fmt.Errorf("parsing key: %w", err)
	}
	return key, nil
}

func checkKeySize(key *rsa.PrivateKey) error {
	if key == nil || key.N == nil {
		return fmt.Errorf("%w: nil key", ErrInvalidKey)
	}
	if bits := key.N.BitLen(); bits < MinKeyBits {
		return fmt.Errorf("%w: %d-bit modulus, want at least %d",
			ErrInvalidKey, bits, MinKeyBits)
	}
	return nil
}

// MarshalPrivateKeyPEM encodes key as a PKCS#1 "RSA PRIVATE KEY" PEM
// block, the form KAZOO stores in system_auth/{kid}/private_key.pem.
func MarshalPrivateKeyPEM(key *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{
		Type:  "RSA PRIVATE KEY",
		Bytes: x509.MarshalPKCS1PrivateKey(key),
	})
}
