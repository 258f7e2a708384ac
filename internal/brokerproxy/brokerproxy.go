// Package brokerproxy is a loopback TCP relay in front of the shared
// RabbitMQ, for tests. Cutting it drops every relayed connection and
// refuses new ones until Restore: from the client behind it, a broker
// restart or a network failure, without restarting the broker that other
// tests use.
package brokerproxy

import (
	"fmt"
	"io"
	"net"
	"sync"
	"testing"

	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// Proxy is a running relay. It is safe for concurrent use.
type Proxy struct {
	ln     net.Listener
	target string
	url    string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// Start relays a free port of 127.0.0.1 to the broker of AMQP_URL until
// the test ends; its cleanup closes the listener and every relayed
// connection and waits for them.
func Start(t testing.TB) *Proxy {
	t.Helper()
	uri, err := amqp091.ParseURI(testenv.AMQPURL(t))
	if err != nil {
		t.Fatalf("AMQP_URL: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("brokerproxy: listening: %v", err)
	}
	p := &Proxy{ln: ln, target: net.JoinHostPort(uri.Host, fmt.Sprint(uri.Port)),
		conns: map[net.Conn]struct{}{}}
	uri.Host, uri.Port = "127.0.0.1", ln.Addr().(*net.TCPAddr).Port
	p.url = uri.String()
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.Cut()
		p.wg.Wait()
	})
	return p
}

// URL is AMQP_URL through the relay.
func (p *Proxy) URL() string { return p.url }

// Cut drops every relayed connection and refuses new ones until Restore;
// it returns how many connections it dropped.
func (p *Proxy) Cut() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	n := len(p.conns)
	for c := range p.conns {
		_ = c.Close()
	}
	return n
}

// Restore accepts connections again.
func (p *Proxy) Restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			_ = in.Close()
			continue
		}
		out, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = in.Close()
			continue
		}
		p.relay(in, out)
	}
}

func (p *Proxy) relay(in, out net.Conn) {
	p.mu.Lock()
	p.conns[in], p.conns[out] = struct{}{}, struct{}{}
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		defer p.wg.Done()
		_, _ = io.Copy(dst, src)
		_ = dst.Close()
		_ = src.Close()
		p.mu.Lock()
		delete(p.conns, dst)
		delete(p.conns, src)
		p.mu.Unlock()
	}
	p.wg.Add(2)
	go pipe(out, in)
	go pipe(in, out)
}
