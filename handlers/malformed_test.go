package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/secrets"
)

// TestMalformedStoredDocument: provider documents that KAZOO or a person
// wrote with fields of the wrong type neither break the account's listing
// nor block its writes; they are listed as KAZOO reads them, logged, and
// can be read, repaired, replaced and deleted through the API.
func TestMalformedStoredDocument(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	base := accountPath(acct) + "/duo"
	ctx := context.Background()
	db, _ := couch.AccountDB(acct)
	encodedDB, _ := couch.EncodedAccountDB(acct)

	goodID, _ := create(t, e, acct, admin, duoConfig("GOOD"))
	// As KAZOO stores them: plaintext secrets, KAZOO's markers.
	malformed := func(id string, fields map[string]any) string {
		t.Helper()
		doc := couch.Doc{"_id": id, "pvt_type": "provider", "pvt_provider_type": "multi_factor",
			"pvt_account_id": acct, "pvt_account_db": encodedDB, "provider_name": "duo",
			"settings": map[string]any{"integration_key": testIKey, "secret_key": testSKey,
				"application_secret_key": testAKey, "api_hostname": testHost}}
		for k, v := range fields {
			doc[k] = v
		}
		if _, err := e.Couch.Put(ctx, db, doc); err != nil {
			t.Fatal(err)
		}
		return id
	}
	yes := malformed(strings.Repeat("1", 32), map[string]any{"name": "Yes", "enabled": "yes"})
	number := malformed(strings.Repeat("2", 32), map[string]any{"name": 42, "enabled": true})
	object := malformed(strings.Repeat("3", 32), map[string]any{"name": "Object",
		"enabled": true, "provider_name": map[string]any{"x": 1}})

	// Both listings answer, with every document, the bad fields as KAZOO
	// reads them.
	status, out := e.Do(t, http.MethodGet, base, admin, nil)
	if status != http.StatusOK {
		t.Fatalf("list: %d %s", status, out)
	}
	byID := map[string]map[string]any{}
	for _, c := range apptest.Decode(t, out).List(t) {
		byID[c["id"].(string)] = c
	}
	if len(byID) != 4 || byID[goodID]["name"] != "GOOD" || byID[yes]["enabled"] != false ||
		byID[yes]["name"] != "Yes" || byID[number]["name"] != "" ||
		byID[number]["enabled"] != true || byID[object]["provider_name"] != "" {
		t.Fatalf("list: %s", out)
	}
	status, out = e.Do(t, http.MethodGet, accountPath(acct)+"/multi_factor", admin, nil)
	configured, _ := apptest.Decode(t, out).Object(t)["configured"].([]any)
	if status != http.StatusOK || len(configured) != 4 {
		t.Fatalf("multi_factor list: %d %s", status, out)
	}

	// The log names the document and its bad fields, at warning level.
	var warned int
	for _, line := range strings.Split(e.Log.String(), "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) != nil || entry["level"] != "warning" {
			continue
		}
		if entry["config_id"] == yes && entry["malformed_fields"] == "enabled" &&
			entry["account_id"] == acct && entry["request_id"] != "" {
			warned++
		}
	}
	if warned != 2 { // one per listing
		t.Fatalf("got %d warnings naming %s, want 2; log:\n%s", warned, yes, e.Log.String())
	}

	// Writes that check names against the listing work.
	create(t, e, acct, admin, duoConfig("NEW"))
	status, out = e.Do(t, http.MethodPut, base, admin, duoConfig("yes"))
	wantOnlyProblem(t, status, out, "name", "unique", "validation.unique")

	// Each bad document is read by id, as stored, without its secrets.
	status, out = e.Do(t, http.MethodGet, base+"/"+number, admin, nil)
	view := apptest.Decode(t, out).Object(t)
	if status != http.StatusOK || view["name"] != 42.0 || strings.Contains(string(out), testSKey) ||
		settingsOf(t, view)["secret_key_set"] != true {
		t.Fatalf("get malformed: %d %s", status, out)
	}

	// ...validated when written, so a write that leaves it bad says why...
	status, out = e.Do(t, http.MethodPatch, base+"/"+yes, admin,
		data(map[string]any{"settings": map[string]any{"failmode": "safe"}}))
	wantOnlyProblem(t, status, out, "enabled", "type", "validation.type")

	// ...and repaired by PATCH, POST or removed by DELETE.
	status, out = e.Do(t, http.MethodPatch, base+"/"+yes, admin,
		data(map[string]any{"enabled": true}))
	if status != http.StatusOK || apptest.Decode(t, out).Object(t)["enabled"] != true {
		t.Fatalf("repair by patch: %d %s", status, out)
	}
	status, out = e.Do(t, http.MethodPost, accountPath(acct)+"/multi_factor/"+number, admin,
		withSettings(duoConfig("Forty-two"), map[string]any{"secret_key": nil,
			"application_secret_key": nil}))
	if status != http.StatusOK {
		t.Fatalf("repair by post: %d %s", status, out)
	}
	status, out = e.Do(t, http.MethodDelete, base+"/"+object, admin, nil)
	if status != http.StatusOK {
		t.Fatalf("delete malformed: %d %s", status, out)
	}

	// Repaired documents keep their secrets, now sealed at rest.
	for _, id := range []string{yes, number} {
		cfg, err := e.App.Configs().Load(ctx, acct, id)
		if err != nil || cfg.SecretKey.Reveal() != testSKey ||
			cfg.ApplicationSecretKey.Reveal() != testAKey {
			t.Fatalf("secrets of %s after repair: %v", id, err)
		}
		doc, err := e.Couch.GetProvider(ctx, acct, id)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := doc["settings"].(map[string]any)["secret_key"].(string); !secrets.IsSealed(s) {
			t.Fatalf("secret_key of %s not sealed after repair", id)
		}
	}
	status, out = e.Do(t, http.MethodGet, base, admin, nil)
	if list := apptest.Decode(t, out).List(t); status != http.StatusOK || len(list) != 4 {
		t.Fatalf("list after repair: %d %s", status, out)
	}
	if strings.Contains(e.Log.String(), testSKey) {
		t.Fatalf("the log holds a secret")
	}
}
