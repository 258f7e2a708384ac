// Package testproxy is a tiny HTTP CONNECT proxy on loopback, for tests
// that prove a client reaches Duo through the outbound proxy it is given.
// It tunnels only CONNECT (how HTTPS goes through a proxy) and records the
// authority of every tunnel it opened.
package testproxy

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Proxy is a running CONNECT proxy. It is safe for concurrent use.
type Proxy struct {
	ln net.Listener
	wg sync.WaitGroup

	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	targets []string
	closed  bool
}

// Start listens on a free port of 127.0.0.1 and serves until the test
// ends; its cleanup closes the listener and every tunnel and waits for
// them, so that leak checks stay clean.
func Start(tb testing.TB) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("testproxy: listening: %v", err)
	}
	p := &Proxy{ln: ln, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	tb.Cleanup(p.close)
	return p
}

// URL is the proxy's address, http://127.0.0.1:PORT.
func (p *Proxy) URL() *url.URL { return &url.URL{Scheme: "http", Host: p.ln.Addr().String()} }

// Func returns a proxy function for http.Transport.Proxy and the clients'
// Config.Proxy: every request goes through this proxy.
func (p *Proxy) Func() func(*http.Request) (*url.URL, error) {
	return func(*http.Request) (*url.URL, error) { return p.URL(), nil }
}

// Targets returns the host:port of every tunnel opened so far, in order.
func (p *Proxy) Targets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.targets...)
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		conn, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		if !p.track(conn) {
			_ = conn.Close()
			return
		}
		p.wg.Add(1)
		go p.serve(conn)
	}
}

// track registers conn for close; it reports false once the proxy closed.
func (p *Proxy) track(conn net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[conn] = struct{}{}
	return true
}

// serve answers one client connection: a CONNECT opens a tunnel to its
// authority, anything else is refused.
func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	defer func() { _ = client.Close() }()

	_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(client)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	_ = client.SetReadDeadline(time.Time{})
	if req.Method != http.MethodConnect {
		_, _ = io.WriteString(client, "HTTP/1.1 405 Method Not Allowed\r\n"+
			"Content-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	upstream, err := net.DialTimeout("tcp", req.Host, 5*time.Second)
	if err != nil {
		_, _ = io.WriteString(client, "HTTP/1.1 502 Bad Gateway\r\n"+
			"Content-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	if !p.track(upstream) {
		_ = upstream.Close()
		return
	}
	defer func() { _ = upstream.Close() }()
	p.mu.Lock()
	p.targets = append(p.targets, req.Host)
	p.mu.Unlock()
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		return
	}

	// Bytes the client sent after the CONNECT may sit in br; copy from it.
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(upstream, br); _ = upstream.Close(); done <- struct{}{} }()
	go func() { _, _ = io.Copy(client, upstream); _ = client.Close(); done <- struct{}{} }()
	<-done
	<-done
}

func (p *Proxy) close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	_ = p.ln.Close()
	p.wg.Wait()
}
