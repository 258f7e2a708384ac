package authapi_test

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/duo/authapi"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// protoRecorder serves the simulator over TLS and records the HTTP
// versions its requests came in.
type protoRecorder struct {
	mu     sync.Mutex
	protos []string
}

func (p *protoRecorder) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.protos...)
}

func serveRecorded(t *testing.T, http2 bool) (host string, roots *x509.CertPool, rec *protoRecorder) {
	t.Helper()
	sim := newSim(t)
	sim.SetUser("alice", duosim.User{Behavior: duosim.Approve})
	rec = &protoRecorder{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.protos = append(rec.protos, r.Proto)
		rec.mu.Unlock()
		sim.Handler().ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = http2
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots = x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return strings.TrimPrefix(srv.URL, "https://"), roots, rec
}

func TestTransportProtocols(t *testing.T) {
	for _, tc := range []struct {
		name      string
		http2     bool
		wantProto string
	}{
		{"HTTP/2 when the host offers it", true, "HTTP/2.0"},
		{"HTTP/1.1 for a host without HTTP/2", false, "HTTP/1.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			host, roots, rec := serveRecorded(t, tc.http2)
			c, err := authapi.New(authapi.Config{IKey: testIKey, SKey: testSKey,
				APIHost: host, RootCAs: roots})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx := context.Background()
			for range 2 { // the second call reuses what the first learnt
				_, err := c.Check(ctx)
				wantClass(t, err, "")
				res, err := c.Preauth(ctx, "alice", "")
				wantClass(t, err, "")
				if res.Result != authapi.PreauthAuth {
					t.Fatalf("preauth answered %+v, want auth", res)
				}
			}
			protos := rec.seen()
			if len(protos) != 4 {
				t.Fatalf("server saw %d requests, want 4", len(protos))
			}
			for _, p := range protos {
				if p != tc.wantProto {
					t.Errorf("request came in %s, want %s (all: %v)", p, tc.wantProto, protos)
				}
			}
		})
	}
}
