package couch

import (
	"context"
	"errors"
	"fmt"
	"reflect"
)

// DesignDoc is a design document this module installs. Version is stored
// as duo_kazoo_version; a stored design doc with a different version is
// replaced, one with the same version is left alone.
type DesignDoc struct {
	ID      string // "_design/<name>"
	Version int
	Views   map[string]View
}

// View is a CouchDB map/reduce view, JavaScript source as CouchDB runs it.
type View struct {
	Map    string
	Reduce string
}

// ProvidersDesign indexes KAZOO multi_factor provider documents in an
// account database: key [pvt_provider_type, _id], value the listing
// summary. Soft-deleted documents are left out.
var ProvidersDesign = DesignDoc{
	ID:      "_design/duo_kazoo_providers",
	Version: 1,
	Views: map[string]View{
		"crossbar_listing": {Map: `function(doc) {
  if (doc.pvt_type !== 'provider' || doc.pvt_deleted) return;
  emit([doc.pvt_provider_type, doc._id], {
    id: doc._id, name: doc.name, enabled: doc.enabled,
    provider_name: doc.provider_name,
    provider_type: doc.pvt_provider_type
  });
}`},
	},
}

func (d DesignDoc) doc() Doc {
	views := map[string]any{}
	for name, v := range d.Views {
		view := map[string]any{"map": v.Map}
		if v.Reduce != "" {
			view["reduce"] = v.Reduce
		}
		views[name] = view
	}
	return Doc{
		"_id":               d.ID,
		"language":          "javascript",
		"views":             views,
		"duo_kazoo_version": d.Version,
	}
}

// EnsureDesign installs or upgrades the design docs in db, creating the
// database when it is missing (MODbs are created on first write). It is
// idempotent and safe to run from several replicas at once: a lost race
// (409) is re-read and settled.
func (c *Client) EnsureDesign(ctx context.Context, db string, ddocs ...DesignDoc) error {
	return c.ensureDesign(ctx, db, true, ddocs)
}

// EnsureDesignExisting is EnsureDesign for a database that must exist
// already (an account database): a missing database is ErrNotFound.
func (c *Client) EnsureDesignExisting(ctx context.Context, db string, ddocs ...DesignDoc) error {
	return c.ensureDesign(ctx, db, false, ddocs)
}

func (c *Client) ensureDesign(ctx context.Context, db string, create bool, ddocs []DesignDoc) error {
	for _, d := range ddocs {
		key := fmt.Sprintf("%s\x00%s\x00%d", db, d.ID, d.Version)
		if _, ok := c.ensured.Load(key); ok {
			continue
		}
		if err := c.ensureOne(ctx, db, d, create); err != nil {
			return err
		}
		c.ensured.Store(key, struct{}{})
	}
	return nil
}

func (c *Client) ensureOne(ctx context.Context, db string, d DesignDoc, create bool) error {
	want := d.doc()
	for attempt := 0; attempt < 3; attempt++ {
		stored, err := c.Get(ctx, db, d.ID)
		switch {
		case errors.Is(err, ErrNotFound):
			exists, err := c.DBExists(ctx, db)
			if err != nil {
				return err
			}
			if !exists && !create {
				return fmt.Errorf("installing %s: database %s: %w", d.ID, db, ErrNotFound)
			}
			if !exists {
				if err := c.CreateDB(ctx, db); err != nil {
					return err
				}
			}
		case err != nil:
			return fmt.Errorf("installing %s: %w", d.ID, err)
		case sameDesign(stored, want):
			return nil
		default:
			want["_rev"] = stored["_rev"]
		}
		_, err = c.Put(ctx, db, want)
		if err == nil || !errors.Is(err, ErrConflict) {
			if err != nil {
				return fmt.Errorf("installing %s: %w", d.ID, err)
			}
			return nil
		}
		delete(want, "_rev")
	}
	return fmt.Errorf("installing %s in %s: %w", d.ID, db, ErrConflict)
}

func sameDesign(stored, want Doc) bool {
	v, _ := stored["duo_kazoo_version"].(float64)
	return int(v) == want["duo_kazoo_version"] &&
		reflect.DeepEqual(normalizeViews(stored["views"]), normalizeViews(want["views"]))
}

// normalizeViews turns stored (decoded JSON) and wanted (Go maps) views
// into comparable values.
func normalizeViews(v any) map[string]string {
	out := map[string]string{}
	views, _ := v.(map[string]any)
	for name, view := range views {
		fields, _ := view.(map[string]any)
		for k, src := range fields {
			out[name+"."+k], _ = src.(string)
		}
	}
	return out
}

// InvalidateDesign forgets that db's design docs were checked, so the next
// EnsureDesign reads them again (after a database was deleted, say).
func (c *Client) InvalidateDesign(db string) {
	c.ensured.Range(func(k, _ any) bool {
		if s, _ := k.(string); len(s) > len(db) && s[:len(db)+1] == db+"\x00" {
			c.ensured.Delete(k)
		}
		return true
	})
}
