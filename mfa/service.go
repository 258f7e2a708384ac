package mfa

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duo/universal"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// Service decides and runs second factors. It is safe for concurrent use
// and holds no lock while it waits for Duo or CouchDB: a Handle waiting a
// minute for a push costs its goroutine and one HTTP request in flight.
type Service struct {
	deps    Deps
	opts    Options
	codec   *universal.StateCodec
	clients *clientCache
}

// New returns a Service over deps. It fails with ErrInvalidOptions when a
// dependency or the state key is missing, or the CA file cannot be read.
func New(deps Deps, opts Options) (*Service, error) {
	if err := deps.validate(); err != nil {
		return nil, err
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	codec, err := universal.NewStateCodec(opts.StateKey, opts.PreviousStateKeys...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	clients, err := newClientCache(opts)
	if err != nil {
		return nil, err
	}
	return &Service{deps: deps, opts: opts, codec: codec, clients: clients}, nil
}

// Close releases the Duo clients' idle connections. Handles in progress
// finish normally; the Service stays usable.
func (s *Service) Close() { s.clients.close() }

// login is what one Handle learns as it goes.
type login struct {
	req      Request
	now      time.Time // the service clock when the request arrived
	acct     couch.Account
	decision Decision
	cfg      provider.Config
	username string // the Duo username
	lockout  couch.Lockout
	lockID   string
}

// Handle runs the second factor of one login and answers it. It never
// panics on any input and never grants a login it could not record as a
// fail-open. The steps, each of which may end it:
//
//  1. resolve the auth module's multi_factor setting over the account's
//     hierarchy (not_required when it does not apply);
//  2. load the configuration (denied: no_configuration, provider_disabled,
//     invalid_configuration);
//  3. find the Duo username (denied: unknown_user);
//  4. check the lockout (denied: locked_out, without contacting Duo);
//  5. run the factor: Auth API when Request.Factor is set, else the
//     configuration's prompt (challenge, or verify the Response);
//  6. record a denial or fail-open as a login_attempt, count it toward the
//     lockout when it is the user's failure, and answer.
//
// Every Handle is counted once in Options.Metrics.SecondFactors, with the
// reply's outcome.
//
// A store that cannot be read, or a failure that cannot be recorded, is
// ResultError, so that the caller can retry; a context ended before the
// answer is ResultError with ReasonCancelled.
func (s *Service) Handle(ctx context.Context, req Request) Reply {
	started := time.Now()
	lc := &login{req: req, now: s.opts.Now()}
	out := s.run(ctx, lc)
	reply := s.finish(ctx, lc, out)
	s.logHandle(lc, out, reply, time.Since(started))
	s.countHandle(lc, out, reply)
	return reply
}

// run does steps 1 to 5.
func (s *Service) run(ctx context.Context, lc *login) outcome {
	req := lc.req
	if !couch.ValidID(req.AccountID) || req.AuthModule == "" {
		return deny(ReasonInvalidRequest, errors.New("account id or auth module missing"))
	}
	acct, err := s.deps.Directory.Account(ctx, req.AccountID)
	switch {
	case errors.Is(err, couch.ErrNotFound):
		return deny(ReasonInvalidRequest, fmt.Errorf("unknown account: %w", err))
	case err != nil:
		return internal(err)
	}
	chain, err := s.deps.Directory.AuthConfigChain(ctx, acct)
	if err != nil {
		return internal(err)
	}
	lc.acct = acct
	lc.decision = Resolve(chain, req.AuthModule, acct)
	if !lc.decision.Applies {
		return outcome{result: ResultNotRequired, reason: lc.decision.Reason}
	}

	for _, step := range []func(context.Context, *login) *outcome{
		s.loadConfig, s.findUsername, s.checkLockout,
	} {
		if out := step(ctx, lc); out != nil {
			return *out
		}
	}

	switch {
	case req.Factor != "" && req.Response != nil:
		return deny(ReasonInvalidRequest, errors.New("both a factor and a response"))
	case req.Factor != "":
		return s.runAuthAPI(ctx, lc)
	case lc.cfg.Provider == provider.ProviderDuo:
		return s.runWebSDK(ctx, lc)
	case lc.cfg.Provider == provider.ProviderUniversal:
		return s.runUniversal(ctx, lc)
	}
	return deny(ReasonInvalidConfiguration,
		fmt.Errorf("unknown provider %q", lc.cfg.Provider))
}
