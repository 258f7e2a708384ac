package mfa

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/duo-kazoo/duo-kazoo/attempts"
	"github.com/duo-kazoo/duo-kazoo/configstore"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duo/universal"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// Directory reads KAZOO's accounts, users and auth configuration.
// *couch.Client implements it.
type Directory interface {
	// Account returns an account (couch.ErrNotFound when unknown).
	Account(ctx context.Context, accountID string) (couch.Account, error)
	// User returns a user of an account (couch.ErrNotFound when unknown).
	User(ctx context.Context, accountID, userID string) (couch.User, error)
	// AuthConfigChain returns the configuration levels of logins to acct,
	// nearest first.
	AuthConfigChain(ctx context.Context, acct couch.Account) ([]couch.AuthConfigLevel, error)
}

// ConfigLoader loads a Duo configuration ready to use (secrets opened,
// defaults applied). *configstore.Store implements it. Errors match
// couch.ErrNotFound for a missing configuration, provider.ErrInvalid for
// an invalid one, and secrets' errors for one whose secrets cannot be
// opened.
type ConfigLoader interface {
	Load(ctx context.Context, accountID, configID string) (provider.Config, error)
}

// AttemptRecorder stores login attempts in an account's MODb.
// *attempts.Recorder implements it; recording the same Key twice stores
// one attempt and returns its id both times.
type AttemptRecorder interface {
	Record(ctx context.Context, accountID string, a attempts.Attempt) (string, error)
}

// LockoutStore keeps the lockout documents. *couch.Client implements it.
type LockoutStore interface {
	GetLockout(ctx context.Context, accountID, id string) (couch.Lockout, error)
	UpdateLockout(ctx context.Context, accountID, id string,
		update func(*couch.Lockout) bool) (couch.Lockout, error)
}

// ReplayStore makes values single-use across replicas, per request: Claim
// records a key as used by owner (the request's identity, see
// requestOwner), answers a retry (Claim.Retry) when the same owner claims
// it again, and fails with an error matching couch.ErrReplayed when
// another owner claimed it before. Settle records the verdict reached
// under a claim, for the owner's retries. *couch.ReplayGuard implements
// it.
type ReplayStore interface {
	Claim(ctx context.Context, key, owner string, expires time.Time) (couch.Claim, error)
	Settle(ctx context.Context, key, owner string, verdict map[string]any) error
}

var (
	_ Directory       = (*couch.Client)(nil)
	_ ConfigLoader    = (*configstore.Store)(nil)
	_ AttemptRecorder = (*attempts.Recorder)(nil)
	_ LockoutStore    = (*couch.Client)(nil)
	_ ReplayStore     = (*couch.ReplayGuard)(nil)
)

// Deps are the stores a Service works with. Every field is required.
type Deps struct {
	Directory Directory
	Configs   ConfigLoader
	Attempts  AttemptRecorder
	Lockouts  LockoutStore
	Replay    ReplayStore
}

// CouchDeps returns the production Deps: c for the directory and lockouts,
// configs and rec for configurations and attempts, and a replay guard in
// couch.ReplayDB. The application should also run that guard's Sweep
// periodically (couch.NewReplayGuard(c, couch.ReplayDB).Sweep).
func CouchDeps(c *couch.Client, configs *configstore.Store, rec *attempts.Recorder) Deps {
	return Deps{Directory: c, Configs: configs, Attempts: rec, Lockouts: c,
		Replay: couch.NewReplayGuard(c, couch.ReplayDB)}
}

func (d Deps) validate() error {
	if d.Directory == nil || d.Configs == nil || d.Attempts == nil || d.Lockouts == nil ||
		d.Replay == nil {
		return fmt.Errorf("%w: every dependency is required", ErrInvalidOptions)
	}
	return nil
}

// requestOwner is the identity of a request for the replay store: its
// Msg-ID and the login it asks for. A redelivered message has the same
// identity, so its single-use values are its own again; any other request
// (KAZOO gives each its own Msg-ID) is a replay. A request without a
// Msg-ID has none: its values are strictly single-use.
func requestOwner(req Request) string {
	if req.MsgID == "" {
		return ""
	}
	return strings.Join([]string{req.MsgID, req.AccountID, req.AuthModule, req.OwnerID,
		req.Username}, "\x00")
}

// replayGuard adapts a ReplayStore to universal.ReplayGuard for one
// request: it claims keys as the request's owner, reports a replay as
// universal.ErrReplayed (which the Universal Prompt's classification
// knows), and keeps the last key claimed and its Claim for the caller.
type replayGuard struct {
	store ReplayStore
	owner string

	key   string
	claim couch.Claim
}

func (g *replayGuard) Consume(ctx context.Context, key string, expires time.Time) error {
	claim, err := g.store.Claim(ctx, key, g.owner, expires)
	if errors.Is(err, couch.ErrReplayed) {
		return fmt.Errorf("%w: %w", universal.ErrReplayed, err)
	}
	if err == nil {
		g.key, g.claim = key, claim
	}
	return err
}
