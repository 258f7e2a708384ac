// Package kazooauthtest helps tests and the demo seed create the RSA
// signing keys KAZOO keeps in system_auth. Pair it with kazooauth.Mint to
// produce tokens a kazooauth.Verifier accepts.
package kazooauthtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

// KeyBits is the size of the keys NewKey generates, as KAZOO's.
const KeyBits = 2048

// NewKey generates a fresh RSA key of KeyBits and returns it with its
// PKCS#1 PEM (what goes into private_key.pem). It fails t on error.
// Generation takes tens of milliseconds: share keys across cases.
func NewKey(t testing.TB) (*rsa.PrivateKey, []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		t.Fatalf("generating RSA key: %v", err)
	}
	return key, PEM(key)
}

// PEM encodes key as a PKCS#1 "RSA PRIVATE KEY" PEM block, as KAZOO
// stores it.
func PEM(key *rsa.PrivateKey) []byte {
	return kazooauth.MarshalPrivateKeyPEM(key)
}

// PKCS8PEM encodes key as a PKCS#8 "PRIVATE KEY" PEM block, the other
// form kazooauth accepts. It fails t on error.
func PKCS8PEM(t testing.TB, key *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("encoding PKCS#8 key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// PublicPEM encodes the public half of key as a PKIX "PUBLIC KEY" PEM
// block, e.g. to build key-confusion attacks in tests.
func PublicPEM(t testing.TB, key *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatalf("encoding public key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
