package duosim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// authority is the simulator's own certificate authority and the leaf
// certificate it issued for the loopback names.
type authority struct {
	caPEM []byte
	pool  *x509.CertPool
	leaf  tls.Certificate
}

// certLifetime is how long the generated certificates are valid. A
// simulator lives for a test run or a demo, so a day is plenty; the start is
// backdated an hour to tolerate a clock skewed by Options.Now.
const certLifetime = 24 * time.Hour

// newAuthority generates a fresh ECDSA P-256 CA and a leaf certificate for
// 127.0.0.1, ::1 and localhost signed by it. Keys live only in memory.
func newAuthority() (*authority, error) {
	notBefore := time.Now().Add(-time.Hour)
	notAfter := notBefore.Add(certLifetime)

	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating ca key: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject: pkix.Name{CommonName: "duosim test CA",
			Organization: []string{"duosim"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("signing ca certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("parsing ca certificate: %w", err)
	}

	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating leaf key: %w", err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "localhost", Organization: []string{"duosim"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert,
		&leafKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("signing leaf certificate: %w", err)
	}

	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return &authority{
		caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pool:  pool,
		leaf: tls.Certificate{
			Certificate: [][]byte{leafDER, caDER},
			PrivateKey:  leafKey,
		},
	}, nil
}

func randomSerial() *big.Int {
	limit := new(big.Int).Lsh(big.NewInt(1), 120)
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		// crypto/rand does not fail on supported platforms (Go 1.24+).
		panic(fmt.Sprintf("duosim: reading random serial: %v", err))
	}
	return n
}
