package couch_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

var (
	jan = time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	feb = time.Date(2026, 2, 3, 8, 30, 0, 0, time.UTC)
)

// dropMODBs deletes the account's MODbs of the given months when the test
// ends.
func dropMODBs(t *testing.T, c *couch.Client, acct string, months ...time.Time) {
	t.Helper()
	t.Cleanup(func() {
		for _, m := range months {
			db, _ := couch.MODB(acct, m)
			_ = c.Kivik().DestroyDB(context.Background(), db)
			c.InvalidateDesign(db)
		}
	})
}

func attemptDoc(t time.Time, status, module string) couch.Doc {
	return couch.Doc{
		"_id": couch.MODBID(t, testenv.NewID()), "pvt_type": "login_attempt",
		"auth_type": "multi_factor", "status": status, "auth_module": module,
		"message": "denied by user", "client_ip": "10.0.0.1", "reason": "user_denied",
		"timestamp": couch.Gregorian(t), "pvt_created": couch.Gregorian(t),
		"metadata": map[string]any{"owner_id": "own1", "username": "alice"},
		"details":  map[string]any{"factor": "push", "configuration_id": "cfg1"},
	}
}

func TestSaveMODBDocs(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)
	c := open(t, couch.Options{Now: func() time.Time { return clock }})
	acct := testenv.NewID()
	dropMODBs(t, c, acct, jan, feb)

	a, b := attemptDoc(jan, "failed", "cb_user_auth"), attemptDoc(feb, "failed", "cb_user_auth")
	delete(b, "pvt_created")
	dup := couch.Doc{"_id": a["_id"], "pvt_type": "login_attempt"}
	bad := couch.Doc{"_id": "not-a-modb-id"}
	res, err := c.SaveMODBDocs(ctx, acct, []couch.Doc{a, b, dup, bad})
	if err != nil {
		t.Fatalf("SaveMODBDocs: %v", err)
	}
	if len(res) != 4 {
		t.Fatalf("got %d results, want 4", len(res))
	}
	for i, r := range res[:2] {
		if r.Err != nil || r.Rev == "" || r.AlreadyStored {
			t.Errorf("result %d = %+v, want a new revision", i, r)
		}
	}
	if !res[2].AlreadyStored || res[2].Err != nil {
		t.Errorf("duplicate in one batch = %+v, want AlreadyStored", res[2])
	}
	if !errors.Is(res[3].Err, couch.ErrInvalidID) {
		t.Errorf("bad id error = %v, want ErrInvalidID", res[3].Err)
	}

	// Redelivery: the same documents again are stored already, not errors.
	again, err := c.SaveMODBDocs(ctx, acct, []couch.Doc{attemptDoc(jan, "x", "y"), a, b})
	if err != nil {
		t.Fatalf("second SaveMODBDocs: %v", err)
	}
	if again[0].Err != nil || again[0].AlreadyStored {
		t.Errorf("new doc result = %+v, want stored", again[0])
	}
	for i, r := range again[1:] {
		if !r.AlreadyStored || r.Err != nil || r.Rev != "" {
			t.Errorf("re-saved doc %d = %+v, want AlreadyStored", i, r)
		}
	}

	// Both MODbs got created with the design docs.
	for _, m := range []time.Time{jan, feb} {
		db, _ := couch.MODB(acct, m)
		for _, d := range couch.MODBDesigns {
			if _, err := c.Get(ctx, db, d.ID); err != nil {
				t.Errorf("design %s in %s: %v", d.ID, db, err)
			}
		}
	}

	got, err := c.GetMODBDoc(ctx, acct, b["_id"].(string))
	if err != nil {
		t.Fatalf("GetMODBDoc: %v", err)
	}
	if g, want := got["pvt_created"], float64(couch.Gregorian(clock)); g != want {
		t.Errorf("pvt_created = %v, want %v (the client clock)", g, want)
	}
}

func TestSaveMODBDocsRecreatesDroppedDB(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := testenv.NewID()
	dropMODBs(t, c, acct, jan)

	if _, err := c.SaveMODBDocs(ctx, acct, []couch.Doc{attemptDoc(jan, "failed", "m")}); err != nil {
		t.Fatal(err)
	}
	db, _ := couch.MODB(acct, jan)
	if err := c.Kivik().DestroyDB(ctx, db); err != nil {
		t.Fatal(err)
	}
	doc := attemptDoc(jan, "failed", "m")
	res, err := c.SaveMODBDocs(ctx, acct, []couch.Doc{doc})
	if err != nil || res[0].Err != nil {
		t.Fatalf("SaveMODBDocs after drop = %+v, %v; want stored", res, err)
	}
	if _, err := c.GetMODBDoc(ctx, acct, doc["_id"].(string)); err != nil {
		t.Fatalf("GetMODBDoc after recreate: %v", err)
	}
}

func TestMODBErrors(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := testenv.NewID()
	dropMODBs(t, c, acct, jan)
	if _, err := c.SaveMODBDocs(ctx, acct, []couch.Doc{attemptDoc(jan, "failed", "m")}); err != nil {
		t.Fatal(err)
	}

	if _, err := c.SaveMODBDocs(ctx, "nope", nil); !errors.Is(err, couch.ErrInvalidID) {
		t.Errorf("SaveMODBDocs(bad account) error = %v, want ErrInvalidID", err)
	}
	for _, tc := range []struct {
		name, acct, id string
		want           error
	}{
		{"malformed id", acct, "202601-XYZ", couch.ErrInvalidID},
		{"no month", acct, testenv.NewID(), couch.ErrInvalidID},
		{"bad account", "x", couch.MODBID(jan, testenv.NewID()), couch.ErrInvalidID},
		{"month without modb", acct, couch.MODBID(feb, testenv.NewID()), couch.ErrNotFound},
		{"missing doc", acct, couch.MODBID(jan, testenv.NewID()), couch.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.GetMODBDoc(ctx, tc.acct, tc.id); !errors.Is(err, tc.want) {
				t.Errorf("GetMODBDoc error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestQueryMODB(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := testenv.NewID()
	dropMODBs(t, c, acct, jan, feb)

	t1, t2, t3 := jan, jan.Add(time.Hour), jan.Add(2*time.Hour)
	d1, d2, d3 := attemptDoc(t1, "failed", "cb_user_auth"), attemptDoc(t2, "success", "cb_api_auth"),
		attemptDoc(t3, "failed", "cb_api_auth")
	other := couch.Doc{"_id": couch.MODBID(jan, testenv.NewID()), "pvt_type": "cdr",
		"status": "failed", "timestamp": couch.Gregorian(t3)}
	if _, err := c.SaveMODBDocs(ctx, acct, []couch.Doc{d1, d2, d3, other}); err != nil {
		t.Fatal(err)
	}
	id := func(d couch.Doc) string { return d["_id"].(string) }

	tests := []struct {
		name, ddoc, view string
		q                couch.ViewQuery
		want             []string
	}{
		{"listing newest first", couch.AttemptsDesignName, couch.AttemptsByTime,
			couch.ViewQuery{Descending: true}, []string{id(d3), id(d2), id(d1)}},
		{"listing with limit", couch.AttemptsDesignName, couch.AttemptsByTime,
			couch.ViewQuery{Descending: true, Limit: 1}, []string{id(d3)}},
		{"by field", couch.AttemptsDesignName, couch.AttemptsByField,
			couch.ViewQuery{Descending: true,
				StartKey: []any{"auth_module", "cb_api_auth", map[string]any{}},
				EndKey:   []any{"auth_module", "cb_api_auth"}}, []string{id(d3), id(d2)}},
		{"kazoo by status", couch.MODBAuthDesignName, couch.LoginAttemptsByStatus,
			couch.ViewQuery{StartKey: []any{"failed"}, EndKey: []any{"failed", map[string]any{}}},
			[]string{id(d1), id(d3)}},
		{"kazoo by time", couch.MODBAuthDesignName, couch.LoginAttemptsByTime,
			couch.ViewQuery{}, []string{id(d1), id(d2), id(d3)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := c.QueryMODB(ctx, acct, jan, tc.ddoc, tc.view, tc.q)
			if err != nil {
				t.Fatalf("QueryMODB: %v", err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.ID)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got ids %v, want %v", got, tc.want)
			}
		})
	}

	t.Run("row shapes", func(t *testing.T) {
		rows, err := c.QueryMODB(ctx, acct, jan, couch.MODBAuthDesignName,
			couch.LoginAttemptsByModule, couch.ViewQuery{Limit: 1,
				StartKey: []any{"cb_user_auth"}, EndKey: []any{"cb_user_auth", map[string]any{}}})
		if err != nil || len(rows) != 1 {
			t.Fatalf("QueryMODB = %v, %v; want one row", rows, err)
		}
		var kazoo map[string]any
		_ = json.Unmarshal(rows[0].Value, &kazoo)
		want := map[string]any{"id": id(d1), "auth_type": "multi_factor",
			"auth_module": "cb_user_auth", "status": "failed", "message": "denied by user",
			"timestamp": float64(couch.Gregorian(t1)), "client_ip": "10.0.0.1"}
		if !reflect.DeepEqual(kazoo, want) {
			t.Errorf("kazoo row = %v, want %v", kazoo, want)
		}

		rows, _ = c.QueryMODB(ctx, acct, jan, couch.AttemptsDesignName, couch.AttemptsByTime,
			couch.ViewQuery{Limit: 1})
		var listing map[string]any
		_ = json.Unmarshal(rows[0].Value, &listing)
		for k, v := range map[string]any{"username": "alice", "owner_id": "own1",
			"factor": "push", "configuration_id": "cfg1", "reason": "user_denied"} {
			if listing[k] != v {
				t.Errorf("listing row %s = %v, want %v", k, listing[k], v)
			}
		}
		var key []any
		_ = json.Unmarshal(rows[0].Key, &key)
		if want := []any{float64(couch.Gregorian(t1)), id(d1)}; !reflect.DeepEqual(key, want) {
			t.Errorf("listing key = %v, want %v", key, want)
		}
	})

	t.Run("month without modb", func(t *testing.T) {
		rows, err := c.QueryMODB(ctx, acct, feb, couch.AttemptsDesignName, couch.AttemptsByTime,
			couch.ViewQuery{})
		if err != nil || len(rows) != 0 {
			t.Fatalf("QueryMODB on a missing month = %v, %v; want no rows", rows, err)
		}
		db, _ := couch.MODB(acct, feb)
		if ok, _ := c.DBExists(ctx, db); ok {
			t.Errorf("reading a missing month created %s", db)
		}
	})
}

func TestQueryMODBInstallsDesign(t *testing.T) {
	ctx := context.Background()
	c := open(t, couch.Options{})
	acct := testenv.NewID()
	dropMODBs(t, c, acct, feb)

	// A MODb made by someone else (KAZOO) without this module's views.
	db, _ := couch.MODB(acct, feb)
	if err := c.CreateDB(ctx, db); err != nil {
		t.Fatal(err)
	}
	doc := attemptDoc(feb, "failed", "cb_user_auth")
	if _, err := c.Put(ctx, db, doc); err != nil {
		t.Fatal(err)
	}
	rows, err := c.QueryMODB(ctx, acct, feb, couch.AttemptsDesignName, couch.AttemptsByTime,
		couch.ViewQuery{})
	if err != nil || len(rows) != 1 || rows[0].ID != doc["_id"] {
		t.Fatalf("QueryMODB = %v, %v; want the one attempt", rows, err)
	}
}
