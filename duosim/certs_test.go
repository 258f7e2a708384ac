package duosim_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"slices"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// peerCert connects to the simulator as a client that expects the server
// to be serverName, verifying the chain against the simulator's CA, and
// returns the server certificate.
func peerCert(t *testing.T, sim *duosim.Server, serverName string) (*x509.Certificate, error) {
	t.Helper()
	conn, err := tls.DialWithDialer(&net.Dialer{}, "tcp", sim.Host(),
		&tls.Config{RootCAs: sim.CertPool(), ServerName: serverName, MinVersion: tls.VersionTLS12})
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close() }()
	return conn.ConnectionState().PeerCertificates[0], nil
}

func TestExtraHostnames(t *testing.T) {
	sim := newSim(t, duosim.Options{Hostnames: []string{"duosim.test", "*.duo.test",
		"10.1.2.3", "fd00::7"}})

	for _, name := range []string{"duosim.test", "api-1.duo.test", "localhost", "127.0.0.1"} {
		if _, err := peerCert(t, sim, name); err != nil {
			t.Errorf("TLS as %s: %v, want a verified connection", name, err)
		}
	}
	var hostErr x509.HostnameError
	if _, err := peerCert(t, sim, "elsewhere.test"); !errors.As(err, &hostErr) {
		t.Errorf("TLS as elsewhere.test: got %v, want a hostname error", err)
	}

	cert, err := peerCert(t, sim, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"10.1.2.3", "fd00::7", "::1"} {
		if err := cert.VerifyHostname(ip); err != nil {
			t.Errorf("certificate for %s: %v", ip, err)
		}
	}
}

func TestDefaultCertificateNamesOnlyLoopback(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	cert, err := peerCert(t, sim, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cert.DNSNames, []string{"localhost"}) || len(cert.IPAddresses) != 2 {
		t.Errorf("names: got %v %v, want localhost, 127.0.0.1 and ::1", cert.DNSNames,
			cert.IPAddresses)
	}
}

func TestParseHostnames(t *testing.T) {
	tests := []struct {
		name    string
		list    string
		want    []string
		wantErr bool
	}{
		{"empty", "", nil, false},
		{"names and addresses", " duosim , 10.0.0.5,,::1, api-x.duo.test ",
			[]string{"duosim", "10.0.0.5", "::1", "api-x.duo.test"}, false},
		{"wildcard", "*.duo.test", []string{"*.duo.test"}, false},
		{"space inside", "duo sim", nil, true},
		{"url", "https://duo.test", nil, true},
		{"port", "duo.test:443", nil, true},
		{"leading hyphen", "-duo.test", nil, true},
		{"empty label", "duo..test", nil, true},
		{"bare wildcard", "*", nil, true},
		{"non-ascii", "dúo.test", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := duosim.ParseHostnames(tt.list)
			if tt.wantErr {
				if !errors.Is(err, duosim.ErrBadHostname) {
					t.Fatalf("got %v, %v; want ErrBadHostname", got, err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestBadHostnameOptionPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New with a bad hostname did not panic")
		}
	}()
	duosim.New(duosim.Options{Hostnames: []string{"not a name"}})
}
