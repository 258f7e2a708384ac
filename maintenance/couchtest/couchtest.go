// Package couchtest starts a private CouchDB-API server (PouchDB Server,
// from tools/pouchdb) for integration tests that must own a whole server:
// jobs that walk KAZOO's accounts database, tests that stop the server.
// Tests that only touch their own databases should use the shared server
// at COUCH_URL (internal/testenv) instead.
package couchtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// Server is a private PouchDB Server on a loopback port. Its data lives
// in a temporary directory for the life of the test, so Stop and Start
// keep it.
type Server struct {
	URL  string
	t    testing.TB
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

// Start starts a private server and stops it when the test ends. It
// skips with -short, like every integration test, and fails the test
// when the server cannot start.
func Start(t testing.TB) *Server {
	t.Helper()
	testenv.CouchURL(t) // skips with -short; the shared server's env marks a test run
	bin, err := serverBinary()
	if err != nil {
		t.Fatalf("couchtest: %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("couchtest: %v", err)
	}
	s := &Server{t: t, bin: bin, dir: t.TempDir(), port: port,
		URL: fmt.Sprintf("http://127.0.0.1:%d", port)}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start (re)starts the server on its port and waits until it answers.
func (s *Server) Start() {
	s.t.Helper()
	if s.cmd != nil {
		return
	}
	cmd := exec.Command(s.bin, "--host", "127.0.0.1", "--port", fmt.Sprint(s.port),
		"--dir", filepath.Join(s.dir, "data"), "--config", filepath.Join(s.dir, "config.json"),
		"--no-color")
	cmd.Dir = s.dir
	log, err := os.OpenFile(filepath.Join(s.dir, "server.log"),
		os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.t.Fatalf("couchtest: %v", err)
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("couchtest: starting pouchdb-server: %v", err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func(done chan struct{}) {
		_ = cmd.Wait()
		close(done)
	}(s.done)
	if err := s.waitUp(30 * time.Second); err != nil {
		s.Stop()
		s.t.Fatalf("couchtest: pouchdb-server did not start: %v (log in %s)", err, s.dir)
	}
}

// Stop stops the server and waits for its process to end.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

func (s *Server) waitUp(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.done:
			return fmt.Errorf("the process exited")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// serverBinary finds tools/pouchdb's pouchdb-server above the working
// directory (the module root).
func serverBinary() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		bin := filepath.Join(dir, "tools", "pouchdb", "node_modules", ".bin", "pouchdb-server")
		if _, err := os.Stat(bin); err == nil {
			return bin, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("tools/pouchdb/node_modules/.bin/pouchdb-server not found; " +
				"run scripts/deps.sh start once to install it")
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
