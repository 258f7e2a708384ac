package duosim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// authority is the simulator's own certificate authority and the leaf
// certificate it issued for the loopback names and Options.Hostnames.
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
// 127.0.0.1, ::1, localhost and the extra hostnames (DNS names or IP
// addresses, as ParseHostnames returns them) signed by it. Keys live only
// in memory.
func newAuthority(hostnames []string) (*authority, error) {
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
	for _, h := range hostnames {
		if ip := net.ParseIP(h); ip != nil {
			leafTmpl.IPAddresses = append(leafTmpl.IPAddresses, ip)
		} else {
			leafTmpl.DNSNames = append(leafTmpl.DNSNames, h)
		}
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

// ErrBadHostname is returned by ParseHostnames for a name that can be
// neither a DNS name nor an IP address in a certificate.
var ErrBadHostname = errors.New("duosim: bad hostname")

// ParseHostnames reads a comma-separated list of extra names for the
// server certificate (DUOSIM_HOSTNAMES, `duo-kazoo sim --hostnames`), for
// clients that reach the simulator by another name than the loopback
// ones: a container name, a host's address. Spaces around entries and
// empty entries are ignored. Each entry must be an IP address or a DNS
// name of letters, digits, hyphens and dots, optionally starting with
// "*." (a wildcard); anything else fails with ErrBadHostname.
func ParseHostnames(list string) ([]string, error) {
	var out []string
	for _, h := range strings.Split(list, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if !validHostname(h) {
			return nil, fmt.Errorf("%w: %q", ErrBadHostname, h)
		}
		out = append(out, h)
	}
	return out, nil
}

func validHostname(h string) bool { return net.ParseIP(h) != nil || validDNSName(h) }

// validDNSName accepts dot-separated labels of 1..63 letters, digits and
// inner hyphens, up to 253 characters, the first label possibly "*".
func validDNSName(name string) bool {
	if len(name) > 253 {
		return false
	}
	for i, label := range strings.Split(name, ".") {
		if i == 0 && label == "*" && strings.Contains(name, ".") {
			continue
		}
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !labelByte(c) {
				return false
			}
		}
	}
	return true
}

func labelByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}
