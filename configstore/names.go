package configstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// Names are unique per account, across every replica, through name claims
// (see couch.NameClaim): a document whose id derives from the name's
// provider.NameKey, naming the configuration that holds the name. CouchDB
// accepts only one creation of a document id, so of two writers claiming
// the same free name at once, one gets a 409 and then finds the name
// taken.
//
// A save claims its configuration's name after validation and before the
// write. A rename releases the old name after the write; a delete releases
// the name; a failed write releases a name it had just claimed. The
// listing-based check of Validate still runs first: it gives the same
// answer when nobody races, and it covers configurations written before
// claims existed (they claim their name on their next save).
//
// A claim outlives its purpose when a replica stops between claim and
// write, or a release fails. Another configuration then takes it over when
// the holder is soft-deleted (deleted configurations are never written
// again), or when the holder does not carry the name and the claim is
// older than claimLease, time enough for any write in flight to have
// landed. Replica clocks must agree to well within that lease.
const (
	// claimLease is how long a claim on a name its configuration does not
	// carry is still honoured: that configuration's write may be in flight.
	claimLease = 2 * time.Minute
	// saveTimeout bounds the write that follows a claim, well inside
	// claimLease.
	saveTimeout = 30 * time.Second
	// releaseTimeout bounds a release, which runs even when the client has
	// gone away.
	releaseTimeout = 10 * time.Second
	// claimAttempts bounds the read-then-write rounds of claimName when
	// other writers keep changing the claim.
	claimAttempts = 5
)

// claimName makes configID the holder of name's claim, creating it,
// refreshing it (which also makes a concurrent release of it fail), or
// taking over a stale one. It returns the validation error of a taken
// name (name, rule "unique") when another configuration's claim stands.
func (s *Store) claimName(ctx context.Context, accountID, configID, name string) error {
	key := provider.NameKey(name)
	id := couch.NameClaimID(key)
	for range claimAttempts {
		cl, err := s.couch.GetNameClaim(ctx, accountID, id)
		switch {
		case errors.Is(err, couch.ErrNotFound):
			cl = couch.NameClaim{ID: id}
		case err != nil:
			return fmt.Errorf("reading the claim on the name: %w", err)
		case cl.ConfigID != configID:
			held, err := s.claimHeld(ctx, accountID, cl, key)
			if err != nil {
				return err
			}
			if held {
				return invalid(provider.NameTaken())
			}
		}

		cl.ConfigID, cl.Name = configID, name
		put, err := s.couch.PutNameClaim(ctx, accountID, cl)
		if errors.Is(err, couch.ErrConflict) {
			continue // another writer changed the claim: look again
		}
		if err != nil {
			return fmt.Errorf("claiming the name: %w", err)
		}
		// A CouchDB cluster may accept two simultaneous writes of the claim
		// on different nodes (202) and keep both as conflicting revisions;
		// every reader then sees the same winner. Hold the name only if
		// ours is the revision read back.
		got, err := s.couch.GetNameClaim(ctx, accountID, id)
		if err != nil {
			return fmt.Errorf("reading back the claim on the name: %w", err)
		}
		if got.Rev == put.Rev {
			return nil
		}
	}
	return fmt.Errorf("claiming the name: still contended after %d attempts: %w",
		claimAttempts, couch.ErrConflict)
}

// claimHeld reports whether another configuration's claim on the name
// whose key is key still stands: that configuration carries the name, or
// it is not soft-deleted and the claim is younger than claimLease.
func (s *Store) claimHeld(ctx context.Context, accountID string, cl couch.NameClaim,
	key string) (bool, error) {
	if cl.ConfigID != "" {
		doc, err := s.couch.GetProviderAny(ctx, accountID, cl.ConfigID)
		switch {
		case errors.Is(err, couch.ErrNotFound):
			// Not written yet, or its creation failed.
		case err != nil:
			return false, fmt.Errorf("reading the configuration holding the name: %w", err)
		case softDeleted(doc):
			return false, nil
		case provider.NameKey(provider.Doc(doc).Name()) == key:
			return true, nil
		}
	}
	return s.couch.Now().Sub(cl.Modified) < claimLease, nil
}

// releaseName drops configID's claim on name unless configID carries that
// name (again). It is best effort: a claim left behind is taken over as
// described above, so errors are dropped.
func (s *Store) releaseName(ctx context.Context, accountID, configID, name string) {
	if strings.TrimSpace(name) == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()

	key := provider.NameKey(name)
	cl, err := s.couch.GetNameClaim(ctx, accountID, couch.NameClaimID(key))
	if err != nil || cl.ConfigID != configID {
		return
	}
	doc, err := s.couch.GetProviderAny(ctx, accountID, configID)
	switch {
	case errors.Is(err, couch.ErrNotFound):
	case err != nil:
		return
	case !softDeleted(doc) && provider.NameKey(provider.Doc(doc).Name()) == key:
		return
	}
	// A conflict means the claim was refreshed meanwhile: it is kept.
	_ = s.couch.DeleteNameClaim(ctx, accountID, cl)
}

func softDeleted(doc couch.Doc) bool {
	deleted, _ := doc["pvt_deleted"].(bool)
	return deleted
}
