package duosim_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	duoapi "github.com/duosecurity/duo_api_golang"
	"github.com/duosecurity/duo_api_golang/authapi"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

func TestListenAndServe(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "duosim-ca.pem")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- duosim.ListenAndServe(ctx, addr, caFile, duosim.Options{},
			duosim.DemoSeed())
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ListenAndServe: %v", err)
		}
	}()

	pool := x509.NewCertPool()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for {
		pem, err := os.ReadFile(caFile)
		if err == nil && pool.AppendCertsFromPEM(pem) {
			if resp, err := client.Get("https://" + addr + "/auth/v2/ping"); err == nil {
				_ = resp.Body.Close()
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("simulator not answering with the CA of %s", caFile)
		}
		time.Sleep(20 * time.Millisecond)
	}

	api := duoapi.NewDuoApi(duosim.DemoIKey, duosim.DemoSKey, addr, "test")
	api.SetCustomHTTPClient(client)
	res, err := authapi.NewAuthApi(*api).Auth("push", authapi.AuthUsername("alice"),
		authapi.AuthDevice("auto"))
	if err != nil || res.Response.Result != "allow" {
		t.Errorf("demo user alice: got %+v, %v; want allow", res, err)
	}
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("closing listener: %v", err)
	}
	return addr
}

func TestDemoKeysHaveDuoLengths(t *testing.T) {
	for name, tt := range map[string]struct {
		key  string
		want int
	}{
		"ikey":          {duosim.DemoIKey, 20},
		"skey":          {duosim.DemoSKey, 40},
		"client id":     {duosim.DemoClientID, 20},
		"client secret": {duosim.DemoClientSecret, 40},
	} {
		if len(tt.key) != tt.want {
			t.Errorf("%s: got length %d, want %d", name, len(tt.key), tt.want)
		}
	}
}

func TestParseSeed(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr bool
	}{
		{"full", `{"integrations":[{"ikey":"I","skey":"S"}],
			"universal_clients":[{"client_id":"C","client_secret":"X"}],
			"users":{"a":{"behavior":"approve_after","delay":"2s"},"b":{}}}`, false},
		{"unknown behavior", `{"users":{"a":{"behavior":"maybe"}}}`, true},
		{"bad delay", `{"users":{"a":{"delay":"soon"}}}`, true},
		{"typo in a field", `{"user":{}}`, true},
		{"integration without skey", `{"integrations":[{"ikey":"I"}]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := duosim.ParseSeed([]byte(tt.json))
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error: %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, duosim.ErrInvalidSeed) {
				t.Errorf("got %v, want ErrInvalidSeed", err)
			}
		})
	}
}

func TestCloseIsIdempotentAndStartAfterCloseFails(t *testing.T) {
	sim := duosim.New(duosim.Options{})
	if err := sim.Close(); err != nil {
		t.Fatalf("first close: %v", err)
	}
	if err := sim.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if err := sim.Start(); !errors.Is(err, duosim.ErrClosed) {
		t.Errorf("start after close: got %v, want ErrClosed", err)
	}
}
