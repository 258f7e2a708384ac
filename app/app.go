package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/configstore"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/credcheck"
	"github.com/duo-kazoo/duo-kazoo/handlers"
	"github.com/duo-kazoo/duo-kazoo/i18n"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
	"github.com/duo-kazoo/duo-kazoo/maintenance"
	"github.com/duo-kazoo/duo-kazoo/metrics"
	"github.com/duo-kazoo/duo-kazoo/mfa"
	"github.com/duo-kazoo/duo-kazoo/secrets"
	"github.com/duo-kazoo/duo-kazoo/ui"
)

// App is a running duo-kazoo replica: the stores, the HTTP API and (when
// enabled) the AMQP consumer. Build it with New, run it with Run.
type App struct {
	cfg      Config
	log      *logrus.Logger
	couch    *couch.Client
	ring     *secrets.Keyring
	verifier *kazooauth.Verifier
	configs  *configstore.Store
	api      *handlers.Server
	metrics  *metrics.Metrics
	ready    *Readiness
	mfa      *mfa.Service
	consumer *amqp.Consumer
	replay   *couch.ReplayGuard
}

// New builds the replica from cfg. It opens no listener and sends no
// request yet; CouchDB is first contacted by Run (or the first request).
func New(cfg Config, log *logrus.Logger) (*App, error) {
	ring, err := loadKeyring(cfg)
	if err != nil {
		return nil, err
	}
	m := newMetrics()
	c, err := couch.Open(cfg.CouchURL, couch.Options{CacheTTL: cfg.CacheTTL,
		HTTPClient: couchHTTPClient(m), CacheObserver: m.Cache})
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: log, couch: c, ring: ring, metrics: m}
	a.ready = a.newReadiness()
	a.verifier = kazooauth.NewVerifier(AuthStore(c), kazooauth.VerifierOptions{})
	a.configs = configstore.New(c, ring)
	a.api = handlers.New(handlers.Deps{
		Auth:           a.verifier,
		Configs:        a.configs,
		Checker:        credcheck.New(a.configs, credcheck.Options{CAFile: cfg.CAFile}),
		FailureLogs:    failureLogs{attempts.NewService(c, attempts.ServiceOptions{})},
		Directory:      c,
		Log:            log,
		Node:           cfg.Node,
		Version:        Version,
		AllowedOrigins: cfg.CORSOrigins,
		Extra:          a.extraRoutes,
		Metrics:        m.HTTP,
		Localizer:      localizer{i18n.Default()},
		Static:         ui.Handler(),
	})
	if err := a.buildMFA(); err != nil {
		return nil, err
	}
	return a, nil
}

// buildMFA builds the second-factor service and its AMQP consumer.
func (a *App) buildMFA() error {
	stateKey, err := a.ring.Derive(mfa.StateKeyPurpose)
	if err != nil {
		return fmt.Errorf("deriving the Universal Prompt state key: %w", err)
	}
	previous, err := a.ring.DerivePrevious(mfa.StateKeyPurpose)
	if err != nil {
		return fmt.Errorf("deriving the Universal Prompt state key: %w", err)
	}
	rec := attempts.NewRecorder(a.couch, attempts.RecorderOptions{BatchWindow: 2 * time.Millisecond})
	a.replay = couch.NewReplayGuard(a.couch, couch.ReplayDB)
	deps := mfa.CouchDeps(a.couch, a.configs, rec)
	deps.Replay = a.replay
	a.mfa, err = mfa.New(deps, mfa.Options{
		StateKey: stateKey, PreviousStateKeys: previous, CAFile: a.cfg.CAFile, Logger: a.log,
		Metrics: mfa.Metrics{SecondFactors: a.metrics.SecondFactor, Duo: a.metrics.Duo,
			Pushes: a.metrics.Pushes, Lockouts: a.metrics.Lockouts},
	})
	if err != nil {
		return err
	}
	a.consumer, err = amqp.NewConsumer(amqp.Config{
		URL:      a.cfg.AMQPURL,
		Topology: a.cfg.Topology,
		Workers:  a.cfg.Workers,
		Prefetch: a.cfg.Prefetch,
		SlowLane: amqp.SlowLane{Workers: a.cfg.PushWorkers},
		AppName:  "duo_kazoo", AppVersion: Version, Node: a.cfg.Node,
		Logger: a.log,
		OnStateChange: func(st amqp.State) {
			a.metrics.AMQP.SetState(st.Connected, st.Consuming)
		},
	}, mfaHandler{svc: a.mfa, metrics: a.metrics.AMQP})
	if err != nil {
		return err
	}
	a.ready.Add("amqp", ReadyWhen(a.consumer.Consuming))
	return nil
}

func loadKeyring(cfg Config) (*secrets.Keyring, error) {
	mode, err := secrets.ParseMode(cfg.SecretsMode)
	if err != nil {
		return nil, err
	}
	if cfg.SecretKeyFile == "" {
		if mode != secrets.Plaintext {
			return nil, errors.New("secrets: DUO_KAZOO_SECRET_KEY_FILE is required in encrypted mode")
		}
		// Plaintext mode without keys: nothing is sealed, and a value
		// sealed earlier cannot be opened (ErrUnknownKey) rather than
		// being read with a made-up key. The random key is never used to
		// seal.
		key, err := secrets.GenerateKey()
		if err != nil {
			return nil, err
		}
		ring, err := secrets.NewKeyring(key)
		if err != nil {
			return nil, err
		}
		return ring.WithMode(secrets.Plaintext), nil
	}
	ring, err := secrets.LoadKeyFile(cfg.SecretKeyFile)
	if err != nil {
		return nil, fmt.Errorf("loading secrets key file: %w", err)
	}
	return ring.WithMode(mode), nil
}

// Handler is the HTTP API, for tests that serve it with httptest.
func (a *App) Handler() http.Handler { return a.api }

// Configs is the replica's configuration store.
func (a *App) Configs() *configstore.Store { return a.configs }

// Consumer is the replica's AMQP consumer, for readiness and tests.
func (a *App) Consumer() *amqp.Consumer { return a.consumer }

// Couch is the replica's CouchDB client.
func (a *App) Couch() *couch.Client { return a.couch }

// Run serves until ctx is cancelled, then shuts down gracefully within
// the configured drain timeout. ln, when not nil, is used instead of
// listening on HTTPAddr (tests pass a loopback listener).
func (a *App) Run(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", a.cfg.HTTPAddr); err != nil {
			return fmt.Errorf("listening on %s: %w", a.cfg.HTTPAddr, err)
		}
	}
	srv := &http.Server{
		Handler:           a.api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          newStdLogger(a.log),
	}
	a.log.WithFields(logrus.Fields{"addr": ln.Addr().String(), "version": Version,
		"node": a.cfg.Node}).Info("duo-kazoo: serving HTTP")

	// The consumer first: it connects in the background, and a replica
	// whose consumer cannot start serves nothing.
	if err := a.consumer.Start(); err != nil {
		_ = ln.Close()
		return fmt.Errorf("starting the AMQP consumer: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	sweepCtx, stopSweep := context.WithCancel(context.Background())
	defer stopSweep()
	go a.sweepReplays(sweepCtx)
	go a.ensureDesigns(sweepCtx)

	select {
	case err := <-errc:
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}
	a.log.WithField("drain_timeout", a.cfg.DrainTimeout.String()).Info("duo-kazoo: shutting down")
	drain, cancel := context.WithTimeout(context.Background(), a.cfg.DrainTimeout)
	defer cancel()
	// Stop taking deliveries and requests at once; in-flight work finishes
	// within the drain timeout, and deliveries that do not are handed back
	// to the broker for another replica.
	consumerErr := make(chan error, 1)
	go func() { consumerErr <- a.consumer.Stop(drain) }()
	err := srv.Shutdown(drain)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		a.log.WithError(err).Warn("duo-kazoo: HTTP server stopped with an error")
	}
	if cerr := <-consumerErr; cerr != nil {
		a.log.WithError(cerr).Warn("duo-kazoo: AMQP consumer stopped with an error")
	}
	return err
}

// ensureDesigns installs this version's design docs across the accounts
// at start-up when no replica has recorded them yet (a new install or an
// upgrade), retrying while CouchDB cannot be reached. It costs one read
// when they are recorded already.
func (a *App) ensureDesigns(ctx context.Context) {
	for wait := time.Second; ; wait = min(2*wait, time.Minute) {
		installed, err := maintenance.EnsureDesigns(ctx, a.couch)
		switch {
		case err == nil && installed:
			a.log.Info("duo-kazoo: installed the design docs in every account database")
			return
		case err == nil:
			return
		case ctx.Err() != nil:
			return
		}
		a.log.WithError(err).Warn("duo-kazoo: installing design docs; retrying")
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// sweepReplays removes expired single-use values every sweepEvery.
func (a *App) sweepReplays(ctx context.Context) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := a.replay.Sweep(ctx, time.Now())
			if err != nil {
				a.log.WithError(err).Warn("duo-kazoo: sweeping the replay guard")
				continue
			}
			a.log.WithField("removed", n).Debug("duo-kazoo: swept the replay guard")
		}
	}
}

// Close releases the replica's connections.
func (a *App) Close() error {
	a.mfa.Close()
	return a.couch.Close()
}
