package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// wantKazooView checks a configuration in KAZOO's shape: the document's
// public fields with id, no private field and no secret value, each
// secret shown as <secret>_set.
func wantKazooView(t *testing.T, view map[string]any, id string, secretsSet map[string]bool) {
	t.Helper()
	if view["id"] != id {
		t.Errorf("id = %v, want %s", view["id"], id)
	}
	for k := range view {
		if strings.HasPrefix(k, "pvt_") || (strings.HasPrefix(k, "_") && k != "_read_only") {
			t.Errorf("private field %s exposed", k)
		}
	}
	s := settingsOf(t, view)
	for _, f := range []string{"secret_key", "application_secret_key", "client_secret"} {
		if _, present := s[f]; present {
			t.Errorf("secret %s returned", f)
		}
		if s[f+"_set"] != secretsSet[f] {
			t.Errorf("%s_set = %v, want %v", f, s[f+"_set"], secretsSet[f])
		}
	}
}

// TestMultiFactorWrites drives KAZOO's /multi_factor/{id} write routes the
// way Monster-UI's SDK does and checks KAZOO's answers: 201 on PUT, the
// document with its revision, crossbar's DELETE shape, and revisions
// checked from If-Match or ?rev.
func TestMultiFactorWrites(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	base := accountPath(acct) + "/multi_factor"
	duoSet := map[string]bool{"secret_key": true, "application_secret_key": true}

	// PUT /multi_factor creates.
	status, out := e.Do(t, http.MethodPut, base, admin, duoConfig("KAZOO"))
	env := apptest.Decode(t, out)
	if status != http.StatusCreated || env.Status != "success" || env.Revision == "" {
		t.Fatalf("put: %d %s, want 201 with a revision", status, out)
	}
	created := env.Object(t)
	id, _ := created["id"].(string)
	wantKazooView(t, created, id, duoSet)
	if created["name"] != "KAZOO" || created["enabled"] != true ||
		created["provider_name"] != "duo" || created["custom_field"] != "kept" {
		t.Fatalf("put answered %v", created)
	}
	rev1 := env.Revision

	// The listing, in KAZOO's shape, has exactly KAZOO's keys.
	status, out = e.Do(t, http.MethodGet, base, admin, nil)
	listing := apptest.Decode(t, out).Object(t)
	configured, _ := listing["configured"].([]any)
	if status != http.StatusOK || len(configured) != 1 {
		t.Fatalf("list: %d %s", status, out)
	}
	entry := configured[0].(map[string]any)
	var keys []string
	for k := range entry {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"enabled", "id", "name", "provider_name", "provider_type"}; !slices.Equal(keys, want) ||
		entry["id"] != id || entry["provider_type"] != "multi_factor" {
		t.Fatalf("configured entry %v, want keys %v", entry, want)
	}

	// POST replaces, from the revision the client read.
	replace := duoConfig("KAZOO replaced")
	withSettings(replace, map[string]any{"secret_key": nil, "application_secret_key": nil,
		"failmode": "safe"})
	status, out = e.DoHeaders(t, http.MethodPost, base+"/"+id, admin, replace,
		map[string]string{"If-Match": `"` + rev1 + `"`})
	env = apptest.Decode(t, out)
	if status != http.StatusOK || env.Revision == "" || env.Revision == rev1 {
		t.Fatalf("post: %d %s, want 200 with a new revision", status, out)
	}
	view := env.Object(t)
	wantKazooView(t, view, id, duoSet)
	if view["name"] != "KAZOO replaced" || settingsOf(t, view)["failmode"] != "safe" {
		t.Fatalf("post answered %v", view)
	}
	rev2 := env.Revision

	// A write from the revision before is a conflict, whichever way the
	// revision comes and whichever method.
	stale := []struct {
		name, method, path string
		headers            map[string]string
		body               any
	}{
		{"POST If-Match", http.MethodPost, base + "/" + id, map[string]string{"If-Match": rev1},
			duoConfig("lost")},
		{"PATCH If-Match", http.MethodPatch, base + "/" + id, map[string]string{"If-Match": rev1},
			data(map[string]any{"name": "lost"})},
		{"PATCH ?rev", http.MethodPatch, base + "/" + id + "?rev=" + rev1, nil,
			data(map[string]any{"name": "lost"})},
		{"DELETE If-Match", http.MethodDelete, base + "/" + id,
			map[string]string{"If-Match": `"` + rev1 + `"`}, nil},
		{"DELETE ?rev", http.MethodDelete, base + "/" + id + "?rev=" + rev1, nil, nil},
		{"DELETE on /duo", http.MethodDelete, accountPath(acct) + "/duo/" + id,
			map[string]string{"If-Match": rev1}, nil},
	}
	for _, tc := range stale {
		t.Run("stale "+tc.name, func(t *testing.T) {
			status, out := e.DoHeaders(t, tc.method, tc.path, admin, tc.body, tc.headers)
			env := apptest.Decode(t, out)
			if status != http.StatusConflict || env.Message != "conflict" || env.Error != "409" {
				t.Fatalf("got %d %s, want 409 conflict", status, out)
			}
		})
	}
	status, out = e.Do(t, http.MethodGet, base+"/"+id, admin, nil)
	if env := apptest.Decode(t, out); status != http.StatusOK || env.Revision != rev2 ||
		env.Object(t)["name"] != "KAZOO replaced" {
		t.Fatalf("after the stale writes: %d %s, want revision %s unchanged", status, out, rev2)
	}

	// If-Match: * means any current version.
	status, out = e.DoHeaders(t, http.MethodPatch, base+"/"+id, admin,
		data(map[string]any{"enabled": false}), map[string]string{"If-Match": "*"})
	env = apptest.Decode(t, out)
	if status != http.StatusOK || env.Object(t)["enabled"] != false {
		t.Fatalf("patch with If-Match *: %d %s, want 200", status, out)
	}
	wantKazooView(t, env.Object(t), id, duoSet)
	status, out = e.DoHeaders(t, http.MethodPost, base+"/"+id, admin, duoConfig("KAZOO"),
		map[string]string{"If-Match": "*"})
	if status != http.StatusOK {
		t.Fatalf("post with If-Match *: %d %s, want 200", status, out)
	}
	rev3 := apptest.Decode(t, out).Revision

	// DELETE answers as crossbar does: the document, marked deleted.
	status, out = e.DoHeaders(t, http.MethodDelete, base+"/"+id, admin, nil,
		map[string]string{"If-Match": rev3})
	env = apptest.Decode(t, out)
	if status != http.StatusOK || env.Revision == "" || env.Revision == rev3 {
		t.Fatalf("delete: %d %s, want 200 with the deletion's revision", status, out)
	}
	deleted := env.Object(t)
	wantKazooView(t, deleted, id, duoSet)
	readOnly, _ := deleted["_read_only"].(map[string]any)
	if readOnly["deleted"] != true || deleted["deleted"] != true || deleted["name"] != "KAZOO" {
		t.Fatalf("delete answered %v, want the document with _read_only.deleted", deleted)
	}
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch,
		http.MethodDelete} {
		var body any
		if m == http.MethodPost || m == http.MethodPatch {
			body = duoConfig("KAZOO")
		}
		status, out := e.DoHeaders(t, m, base+"/"+id, admin, body,
			map[string]string{"If-Match": "*"})
		if status != http.StatusNotFound {
			t.Errorf("%s after delete: %d %s, want 404", m, status, out)
		}
	}
	status, out = e.Do(t, http.MethodGet, base, admin, nil)
	if c, _ := apptest.Decode(t, out).Object(t)["configured"].([]any); status != http.StatusOK ||
		len(c) != 0 {
		t.Fatalf("listing after delete: %d %s", status, out)
	}

	// The stored document is soft-deleted, as KAZOO does it.
	if _, err := e.Couch.GetProviderAny(context.Background(), acct, id); err != nil {
		t.Fatalf("the deleted document is gone from CouchDB: %v", err)
	}

	// Writes need an admin of the account.
	if status, _ := e.Do(t, http.MethodPatch, accountPath(acct)+"/multi_factor/"+id,
		e.KAZOO.Sub.User.Token, data(map[string]any{"enabled": true})); status != http.StatusForbidden {
		t.Fatalf("non-admin patch: %d, want 403", status)
	}
}
