package duosim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// Defaults of Options fields left zero.
const (
	DefaultStatusHold  = 10 * time.Second
	DefaultPushTimeout = 60 * time.Second
	DefaultMaxSkew     = 300 * time.Second
	DefaultMaxLog      = 100000
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Now is the clock for request dates, expiries, issued-at times and
	// Unix timestamps in replies. Nil means time.Now. Waiting (a user's
	// Delay, auth_status holds, PushTimeout) always uses real time.
	Now func() time.Time
	// Logger receives one debug entry per request (method, path,
	// integration, status, outcome; never parameters or secrets). Nil
	// discards.
	Logger *logrus.Logger
	// StatusHold is the longest /auth/v2/auth_status holds a pending
	// transaction before answering "waiting". Zero means DefaultStatusHold.
	StatusHold time.Duration
	// PushTimeout is how long a push or call waits for a Timeout or Manual
	// user before it times out (a Timeout user's Delay overrides it). Zero
	// means DefaultPushTimeout, Duo's 60 seconds.
	PushTimeout time.Duration
	// MaxSkew is the largest accepted difference between a signed request's
	// date and Now. Zero means DefaultMaxSkew, Duo's 300 seconds.
	MaxSkew time.Duration
	// Hostnames are extra DNS names and IP addresses the server
	// certificate is valid for, beside localhost, 127.0.0.1 and ::1: how
	// clients in other containers or hosts address the simulator. Each must
	// be valid as ParseHostnames checks; New panics on one that is not.
	Hostnames []string
	// MaxLog is how many entries the request log keeps; the oldest are
	// dropped first. Zero means DefaultMaxLog; negative keeps none.
	MaxLog int
}

// ErrClosed is returned by Start on a closed Server.
var ErrClosed = errors.New("duosim: server closed")

// Server is a simulated Duo service. Create it with New, script it with
// AddIntegration, AddUniversalClient, SetUser and SetFault, then either
// Start it (TLS on a loopback port) or mount Handler in a server of your
// own. All methods are safe for concurrent use.
type Server struct {
	opts Options
	log  *logrus.Logger
	ca   *authority
	root http.Handler

	mu           sync.Mutex
	closed       bool
	integrations map[string]string // ikey -> skey
	clients      map[string]string // client_id -> client_secret
	users        map[string]*userState
	txs          map[string]*transaction
	lastPurge    time.Time              // of resolved transactions
	enrollments  map[string]*enrollment // activation code -> enrollment
	sessions     map[string]*promptSession
	codes        map[string]*authCode
	assertions   map[string]time.Time // client_assertion jti -> expiry
	faults       []*activeFault
	reqs         []Request

	inflight  sync.WaitGroup // handlers running; Add only under mu while !closed
	closing   chan struct{}  // closed by Close: wakes waiting handlers
	httpSrv   *http.Server
	served    chan struct{} // closed when httpSrv.Serve returns
	addr      string
	transport *http.Transport // behind HTTPClient
}

// New returns a Server with no integrations, users or faults, and a fresh
// CA and a certificate for the loopback names and Options.Hostnames. It
// does not listen: call Start, or mount Handler. New panics on a hostname
// ParseHostnames would refuse (a bug in the caller), or if certificate
// generation fails, which happens only when the system's random source is
// broken.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.StatusHold <= 0 {
		opts.StatusHold = DefaultStatusHold
	}
	if opts.PushTimeout <= 0 {
		opts.PushTimeout = DefaultPushTimeout
	}
	if opts.MaxSkew <= 0 {
		opts.MaxSkew = DefaultMaxSkew
	}
	if opts.MaxLog == 0 {
		opts.MaxLog = DefaultMaxLog
	}
	opts.Hostnames = append([]string(nil), opts.Hostnames...)
	for _, h := range opts.Hostnames {
		if !validHostname(h) {
			panic(fmt.Sprintf("duosim: Options.Hostnames: bad hostname %q", h))
		}
	}
	logger := opts.Logger
	if logger == nil {
		logger = logrus.New()
		logger.SetOutput(io.Discard)
	}
	ca, err := newAuthority(opts.Hostnames)
	if err != nil {
		panic(fmt.Sprintf("duosim: %v", err))
	}

	s := &Server{
		opts:         opts,
		log:          logger,
		ca:           ca,
		integrations: map[string]string{},
		clients:      map[string]string{},
		users:        map[string]*userState{},
		txs:          map[string]*transaction{},
		enrollments:  map[string]*enrollment{},
		sessions:     map[string]*promptSession{},
		codes:        map[string]*authCode{},
		assertions:   map[string]time.Time{},
		closing:      make(chan struct{}),
	}
	s.root = s.withFaults(s.routes())
	return s
}

// Handler returns the simulator's HTTP handler, for mounting in a server
// of your own (for example httptest.NewTLSServer). Duo's signatures and
// JWT audiences cover the Host header, so clients must address the server
// by the same host:port they send.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "duosim: closed", http.StatusServiceUnavailable)
		return
	}
	s.inflight.Add(1)
	s.mu.Unlock()
	defer s.inflight.Done()

	s.root.ServeHTTP(w, r)
}

// Start serves HTTPS on a free port of 127.0.0.1 until Close. The
// certificate is issued by the CA of CACertPEM for 127.0.0.1, ::1,
// localhost and Options.Hostnames.
func (s *Server) Start() error { return s.listen("127.0.0.1:0") }

func (s *Server) listen(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.httpSrv != nil {
		return fmt.Errorf("duosim: already serving on %s", s.addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("duosim: listening: %w", err)
	}

	s.httpSrv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(debugWriter{s.log}, "", 0),
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{s.ca.leaf},
			MinVersion:   tls.VersionTLS12,
		},
	}
	s.addr = ln.Addr().String()
	s.served = make(chan struct{})
	go func(srv *http.Server, done chan struct{}) {
		defer close(done)
		if err := srv.ServeTLS(ln, "", ""); !errors.Is(err, http.ErrServerClosed) {
			s.log.WithError(err).Warn("duosim: serving stopped")
		}
	}(s.httpSrv, s.served)
	return nil
}

// Close stops the listener, closes open connections, wakes every held
// request (long polls, delayed answers) and waits for the handlers to
// return. Pending transactions are abandoned. Close is idempotent.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.closing)
	for _, tx := range s.txs {
		tx.stopTimer()
	}
	srv, served, tr := s.httpSrv, s.served, s.transport
	s.mu.Unlock()

	var err error
	if srv != nil {
		err = srv.Close()
		<-served
	}
	s.inflight.Wait()
	if tr != nil {
		tr.CloseIdleConnections()
	}
	return err
}

// Host returns the address clients use as Duo's API hostname, like
// "127.0.0.1:43127", or "" before Start.
func (s *Server) Host() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// URL returns "https://" + Host().
func (s *Server) URL() string { return "https://" + s.Host() }

// CACertPEM returns the PEM of the CA that issued the server certificate,
// for clients' trust stores (DUO_KAZOO_CA_FILE).
func (s *Server) CACertPEM() []byte { return append([]byte(nil), s.ca.caPEM...) }

// CertPool returns a new pool holding only the simulator's CA.
func (s *Server) CertPool() *x509.CertPool { return s.ca.pool.Clone() }

// HTTPClient returns a client that trusts the simulator's CA (and nothing
// else). Its idle connections are closed by Close. Calls are bounded only
// by their request contexts.
func (s *Server) HTTPClient() *http.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.transport == nil {
		s.transport = &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: s.ca.pool, MinVersion: tls.VersionTLS12},
		}
	}
	return &http.Client{Transport: s.transport}
}

// now returns the simulator's clock.
func (s *Server) now() time.Time { return s.opts.Now() }

// sleep waits d of real time; it returns false when ctx ends or the server
// closes first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closing:
		return false
	}
}

// debugWriter sends net/http's internal error log (TLS handshake errors
// and the like) to the logger at debug level.
type debugWriter struct{ log *logrus.Logger }

func (d debugWriter) Write(p []byte) (int, error) {
	d.log.Debug("duosim: " + strings.TrimSpace(string(p)))
	return len(p), nil
}
