package e2e

import (
	"fmt"
	"io"
	"net"
	"sync"
	"testing"

	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

// brokerProxy is a loopback TCP relay in front of the shared RabbitMQ.
// Cutting it drops every relayed connection and refuses new ones until
// restore: from the replica behind it, a broker restart or a network
// failure, without restarting the broker other tests use.
type brokerProxy struct {
	ln     net.Listener
	target string
	url    string // AMQP_URL, through the proxy

	mu    sync.Mutex
	down  bool
	cuts  int
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newBrokerProxy(t *testing.T) *brokerProxy {
	t.Helper()
	uri, err := amqp091.ParseURI(testenv.AMQPURL(t))
	if err != nil {
		t.Fatalf("AMQP_URL: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &brokerProxy{ln: ln, target: net.JoinHostPort(uri.Host, fmt.Sprint(uri.Port)),
		conns: map[net.Conn]struct{}{}}
	uri.Host, uri.Port = "127.0.0.1", ln.Addr().(*net.TCPAddr).Port
	p.url = uri.String()
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *brokerProxy) accept() {
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

func (p *brokerProxy) relay(in, out net.Conn) {
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

// cut drops every relayed connection and refuses new ones until restore;
// it returns how many connections it dropped.
func (p *brokerProxy) cut() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	p.cuts++
	n := len(p.conns)
	for c := range p.conns {
		_ = c.Close()
	}
	return n
}

// restore accepts connections again.
func (p *brokerProxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}
