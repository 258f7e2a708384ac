// Package configstore manages an account's Duo configurations: KAZOO
// multi_factor provider documents in the account database, validated by
// package provider, with their secrets sealed at rest by package secrets.
// It is what the HTTP API and the second-factor flow read and write
// configurations through. Names are unique per account across replicas:
// each save claims its name in a CouchDB document of its own (names.go).
package configstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/provider"
	"github.com/duo-kazoo/duo-kazoo/secrets"
)

// Store reads and writes configurations. Safe for concurrent use.
type Store struct {
	couch *couch.Client
	ring  *secrets.Keyring
}

// New returns a Store over the CouchDB client, sealing secrets with ring.
func New(c *couch.Client, ring *secrets.Keyring) *Store {
	return &Store{couch: c, ring: ring}
}

// List returns the account's configurations, as KAZOO lists them.
func (s *Store) List(ctx context.Context, accountID string) ([]couch.ProviderSummary, error) {
	return s.couch.ListProviders(ctx, accountID)
}

// Get returns a configuration's public view (no secrets) and revision.
func (s *Store) Get(ctx context.Context, accountID, id string) (map[string]any, string, error) {
	doc, err := s.couch.GetProvider(ctx, accountID, id)
	if err != nil {
		return nil, "", fmt.Errorf("reading configuration %s: %w", id, err)
	}
	d := provider.Doc(doc)
	return provider.Public(d), d.Rev(), nil
}

// Create validates data as a new configuration and stores it.
func (s *Store) Create(ctx context.Context, accountID string, data json.RawMessage) (
	map[string]any, string, error) {
	incoming, err := decode(data)
	if err != nil {
		return nil, "", err
	}
	names, err := s.names(ctx, accountID, "")
	if err != nil {
		return nil, "", err
	}
	accountDB, err := couch.EncodedAccountDB(accountID)
	if err != nil {
		return nil, "", err
	}
	id := newID()
	doc := provider.New(incoming, provider.Meta{
		AccountID: accountID, AccountDB: accountDB, ID: id, Now: s.couch.Now()})
	return s.validateAndSave(ctx, accountID, doc, nil, names)
}

// Replace is POST: data replaces the configuration; secrets it omits are
// kept. rev, when not empty, must be the stored revision.
func (s *Store) Replace(ctx context.Context, accountID, id, rev string, data json.RawMessage) (
	map[string]any, string, error) {
	return s.update(ctx, accountID, id, rev, data, provider.Replace)
}

// Patch is PATCH: data is merged into the stored configuration.
func (s *Store) Patch(ctx context.Context, accountID, id, rev string, data json.RawMessage) (
	map[string]any, string, error) {
	return s.update(ctx, accountID, id, rev, data, provider.Merge)
}

func (s *Store) update(ctx context.Context, accountID, id, rev string, data json.RawMessage,
	apply func(stored, incoming provider.Doc) provider.Doc) (map[string]any, string, error) {
	incoming, err := decode(data)
	if err != nil {
		return nil, "", err
	}
	stored, err := s.couch.GetProvider(ctx, accountID, id)
	if err != nil {
		return nil, "", fmt.Errorf("reading configuration %s: %w", id, err)
	}
	if rev != "" && stored["_rev"] != rev {
		return nil, "", fmt.Errorf("configuration %s: revision %s is stale: %w",
			id, rev, couch.ErrConflict)
	}
	opened, err := provider.Open(provider.Doc(stored), s.ring, accountID, id)
	if err != nil {
		return nil, "", fmt.Errorf("opening configuration %s: %w", id, err)
	}
	names, err := s.names(ctx, accountID, id)
	if err != nil {
		return nil, "", err
	}
	return s.validateAndSave(ctx, accountID, apply(opened, incoming), provider.Doc(stored),
		names)
}

// Delete soft-deletes a configuration, as KAZOO does, and frees its name.
// rev, when not empty, must be the stored revision. It returns the public
// view of the deleted configuration and the revision of the deletion.
func (s *Store) Delete(ctx context.Context, accountID, id, rev string) (
	map[string]any, string, error) {
	doc, err := s.couch.SoftDeleteProvider(ctx, accountID, id, rev)
	if err != nil {
		return nil, "", fmt.Errorf("deleting configuration %s: %w", id, err)
	}
	d := provider.Doc(doc)
	s.releaseName(ctx, accountID, id, d.Name())
	return provider.Public(d), d.Rev(), nil
}

// GenerateApplicationSecretKey returns a fresh random application secret
// key for the Web SDK.
func (s *Store) GenerateApplicationSecretKey() (string, error) {
	return provider.GenerateApplicationSecretKey()
}

// Load returns a configuration ready to run a second factor: secrets
// opened, defaults applied. It reads through the client's cache.
func (s *Store) Load(ctx context.Context, accountID, id string) (provider.Config, error) {
	doc, err := s.couch.GetProviderCached(ctx, accountID, id)
	if err != nil {
		return provider.Config{}, fmt.Errorf("loading configuration %s: %w", id, err)
	}
	opened, err := provider.Open(provider.Doc(doc), s.ring, accountID, id)
	if err != nil {
		return provider.Config{}, fmt.Errorf("opening configuration %s: %w", id, err)
	}
	return provider.ParseConfig(opened)
}

// validateAndSave validates doc, claims its name (see names.go) and
// writes it sealed. stored is the document it replaces, nil for a new one.
func (s *Store) validateAndSave(ctx context.Context, accountID string, doc, stored provider.Doc,
	names []string) (map[string]any, string, error) {
	if err := provider.Validate(doc, names).Err(); err != nil {
		return nil, "", invalid(err)
	}
	id := doc.ID()
	sealed, err := provider.Seal(doc, s.ring, accountID, id)
	if err != nil {
		return nil, "", fmt.Errorf("sealing configuration %s: %w", id, err)
	}
	if err := s.claimName(ctx, accountID, id, doc.Name()); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return nil, "", ve
		}
		return nil, "", fmt.Errorf("saving configuration %s: %w", id, err)
	}

	renamed := stored == nil || provider.NameKey(stored.Name()) != provider.NameKey(doc.Name())
	saveCtx, cancel := context.WithTimeout(ctx, saveTimeout)
	rev, err := s.couch.SaveProvider(saveCtx, accountID, couch.Doc(sealed))
	cancel()
	if err != nil {
		if renamed {
			s.releaseName(ctx, accountID, id, doc.Name())
		}
		return nil, "", fmt.Errorf("saving configuration %s: %w", id, err)
	}
	if stored != nil && renamed {
		s.releaseName(ctx, accountID, id, stored.Name())
	}
	return provider.Public(sealed), rev, nil
}

// names lists the names of the account's other configurations, for the
// uniqueness rule.
func (s *Store) names(ctx context.Context, accountID, except string) ([]string, error) {
	list, err := s.couch.ListProviders(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("listing configurations: %w", err)
	}
	names := make([]string, 0, len(list))
	for _, p := range list {
		if p.ID != except && p.Name != "" {
			names = append(names, p.Name)
		}
	}
	return names, nil
}

func decode(data json.RawMessage) (provider.Doc, error) {
	d, err := provider.Decode(data)
	if err != nil {
		return nil, &InvalidRequestError{Err: err}
	}
	return d, nil
}

func newID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Errorf("configstore: reading random bytes: %w", err))
	}
	return hex.EncodeToString(b)
}

// ErrInvalid matches every validation failure (errors.Is).
var ErrInvalid = provider.ErrInvalid

// InvalidRequestError is data that is not a JSON object.
type InvalidRequestError struct{ Err error }

func (e *InvalidRequestError) Error() string { return "configstore: " + e.Err.Error() }
func (e *InvalidRequestError) Unwrap() error { return e.Err }

// ValidationError is an invalid configuration; FieldProblems gives the
// problems in crossbar's shape for the API.
type ValidationError struct{ *provider.ValidationError }

// FieldProblems returns {"field.path": {"rule": {message, key, params,
// target}}}.
func (e *ValidationError) FieldProblems() map[string]any {
	out := map[string]any{}
	for path, rules := range e.Problems {
		byRule := map[string]any{}
		for rule, p := range rules {
			m := map[string]any{"message": p.Message, "key": p.Key}
			if len(p.Params) > 0 {
				m["params"] = p.Params
			}
			if p.Target != nil {
				m["target"] = p.Target
			}
			byRule[rule] = m
		}
		out[path] = byRule
	}
	return out
}

// Unwrap exposes the provider's error.
func (e *ValidationError) Unwrap() error { return e.ValidationError }

func invalid(err error) error {
	var ve *provider.ValidationError
	if errors.As(err, &ve) {
		return &ValidationError{ve}
	}
	return err
}
