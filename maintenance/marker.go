package maintenance

import (
	"context"
	"errors"
	"fmt"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// MarkerID is the system_config document where Migrate records what it
// installed.
const MarkerID = "duo_kazoo.maintenance"

// markerType is the marker's pvt_type.
const markerType = "duo_kazoo_maintenance"

// AccountDesigns are the design docs Migrate installs in every account
// database.
var AccountDesigns = []couch.DesignDoc{couch.ProvidersDesign}

// recordDesigns writes the versions of AccountDesigns into the marker,
// keeping its other fields; a concurrent write (409) is read again.
func recordDesigns(ctx context.Context, c *couch.Client) error {
	for attempt := 1; ; attempt++ {
		doc, err := c.Get(ctx, couch.SystemConfigDB, MarkerID)
		switch {
		case errors.Is(err, couch.ErrNotFound):
			doc = couch.Doc{"_id": MarkerID, "pvt_type": markerType}
		case err != nil:
			return fmt.Errorf("recording design docs: %w", err)
		}
		versions := map[string]any{}
		for _, d := range AccountDesigns {
			versions[d.ID] = d.Version
		}
		doc["account_design_docs"] = versions
		doc["migrated_at"] = couch.Gregorian(c.Now())
		c.Touch(doc)
		_, err = c.Put(ctx, couch.SystemConfigDB, doc)
		if errors.Is(err, couch.ErrConflict) && attempt < maxAttempts {
			continue
		}
		if err != nil {
			return fmt.Errorf("recording design docs: %w", err)
		}
		return nil
	}
}

// DesignStatus reports whether a completed migration installed this
// version's design docs in every account database: nil when it did,
// ErrDesignNotInstalled when no migration, or one of older design docs,
// is recorded, or the store's error. Accounts created after the migration
// get the design docs on first use.
func DesignStatus(ctx context.Context, c *couch.Client) error {
	doc, err := c.Get(ctx, couch.SystemConfigDB, MarkerID)
	if errors.Is(err, couch.ErrNotFound) {
		return ErrDesignNotInstalled
	}
	if err != nil {
		return fmt.Errorf("reading design status: %w", err)
	}
	recorded, _ := doc["account_design_docs"].(map[string]any)
	for _, d := range AccountDesigns {
		v, _ := recorded[d.ID].(float64)
		if int(v) < d.Version {
			return fmt.Errorf("%w: %s is at version %d, want %d", ErrDesignNotInstalled,
				d.ID, int(v), d.Version)
		}
	}
	return nil
}
