package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
)

const (
	testIKey = "DIWJ8X6AEYOR5OMC6TQ1"
	testSKey = "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep"
	testAKey = "useacustomerprovidedapplicationsecretkey0123"
	testHost = "api-4f1c2a9e.duosecurity.com"
)

func duoConfig(name string) map[string]any {
	return map[string]any{"data": map[string]any{
		"name": name, "enabled": true, "provider_name": "duo",
		"settings": map[string]any{
			"integration_key": testIKey, "secret_key": testSKey,
			"application_secret_key": testAKey, "api_hostname": testHost,
		},
		"custom_field": "kept",
	}}
}

func accountPath(id string) string { return "/v2/accounts/" + id }

func create(t *testing.T, e *apptest.Env, acct, token string, body any) (string, string) {
	t.Helper()
	status, out := e.Do(t, http.MethodPut, accountPath(acct)+"/duo", token, body)
	if status != http.StatusCreated {
		t.Fatalf("create: status %d, want 201\n%s", status, out)
	}
	env := apptest.Decode(t, out)
	id, _ := env.Object(t)["id"].(string)
	if id == "" || env.Revision == "" {
		t.Fatalf("create: no id or revision in %s", out)
	}
	return id, env.Revision
}

func TestConfigLifecycle(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	base := accountPath(acct) + "/duo"

	id, rev1 := create(t, e, acct, admin, duoConfig("TESTING"))

	status, out := e.Do(t, http.MethodGet, base+"/"+id, admin, nil)
	if status != http.StatusOK {
		t.Fatalf("get: %d %s", status, out)
	}
	got := apptest.Decode(t, out).Object(t)
	settings := got["settings"].(map[string]any)
	for _, k := range []string{"secret_key", "application_secret_key"} {
		if _, present := settings[k]; present {
			t.Errorf("get returned %s", k)
		}
		if settings[k+"_set"] != true {
			t.Errorf("get: %s_set = %v, want true", k, settings[k+"_set"])
		}
	}
	if settings["integration_key"] != testIKey || got["custom_field"] != "kept" {
		t.Errorf("get lost fields: %v", got)
	}
	for k := range got {
		if strings.HasPrefix(k, "pvt_") || k == "_rev" {
			t.Errorf("get exposed private field %s", k)
		}
	}

	// Listing, in this API's and KAZOO's shapes.
	status, out = e.Do(t, http.MethodGet, base, admin, nil)
	list := apptest.Decode(t, out).List(t)
	if status != http.StatusOK || len(list) != 1 || list[0]["id"] != id ||
		list[0]["provider_type"] != "multi_factor" {
		t.Fatalf("list: %d %s", status, out)
	}
	status, out = e.Do(t, http.MethodGet, accountPath(acct)+"/multi_factor", admin, nil)
	kz := apptest.Decode(t, out).Object(t)
	configured, _ := kz["configured"].([]any)
	if status != http.StatusOK || len(configured) != 1 || kz["multi_factor_providers"] == nil {
		t.Fatalf("multi_factor list: %d %s", status, out)
	}

	// POST replaces: omitted secrets are kept, omitted fields are gone.
	replace := map[string]any{"data": map[string]any{
		"name": "RENAMED", "enabled": false, "provider_name": "duo",
		"settings": map[string]any{"integration_key": testIKey, "api_hostname": testHost},
	}}
	status, out = e.Do(t, http.MethodPost, base+"/"+id, admin, replace)
	if status != http.StatusOK {
		t.Fatalf("post: %d %s", status, out)
	}
	env := apptest.Decode(t, out)
	got = env.Object(t)
	if got["name"] != "RENAMED" || got["custom_field"] != nil ||
		got["settings"].(map[string]any)["secret_key_set"] != true {
		t.Fatalf("post result: %v", got)
	}
	cfg, err := e.App.Configs().Load(context.Background(), acct, id)
	if err != nil || cfg.SecretKey.Reveal() != testSKey || cfg.ApplicationSecretKey.Reveal() != testAKey {
		t.Fatalf("secrets not kept across POST: %v", err)
	}

	// PATCH merges into the stored document.
	patch := map[string]any{"data": map[string]any{"settings": map[string]any{"failmode": "safe"}}}
	status, out = e.Do(t, http.MethodPatch, base+"/"+id, admin, patch)
	got = apptest.Decode(t, out).Object(t)
	s := got["settings"].(map[string]any)
	if status != http.StatusOK || s["failmode"] != "safe" || s["integration_key"] != testIKey ||
		got["name"] != "RENAMED" {
		t.Fatalf("patch: %d %v", status, got)
	}

	// A stale revision is a 409, never a lost update.
	status, out = e.DoHeaders(t, http.MethodPatch, base+"/"+id, admin, patch,
		map[string]string{"If-Match": rev1})
	if status != http.StatusConflict || apptest.Decode(t, out).Message != "conflict" {
		t.Fatalf("stale patch: %d %s, want 409 conflict", status, out)
	}

	status, _ = e.Do(t, http.MethodDelete, base+"/"+id, admin, nil)
	if status != http.StatusOK {
		t.Fatalf("delete: %d", status)
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		if status, out := e.Do(t, m, base+"/"+id, admin, nil); status != http.StatusNotFound {
			t.Errorf("%s after delete: %d %s, want 404", m, status, out)
		}
	}
	if status, _ := e.Do(t, http.MethodPatch, base+"/"+strings.Repeat("ab", 16), admin,
		patch); status != http.StatusNotFound {
		t.Errorf("patch of unknown id: %d, want 404", status)
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	base := accountPath(acct) + "/duo"

	// The example values of the user's quick start guide.
	quickStart := map[string]any{"data": map[string]any{
		"name": "TESTING",
		"settings": map[string]any{
			"application_secret_key": "bn7HP3YBVUJgF58CHXxbWM8E9j46564d8P2huCB3",
			"integration_key":        "4kdLathyppdElkafetu9loppjhdgf",
			"secret_key":             "4889704gShoapqktmogrrt!!!",
			"api_hostname":           "jdkfl",
		},
	}}
	status, out := e.Do(t, http.MethodPut, base, admin, quickStart)
	env := apptest.Decode(t, out)
	if status != http.StatusBadRequest || env.Message != "validation_failed" {
		t.Fatalf("quick start values: %d %s, want 400 validation_failed", status, out)
	}
	problems := env.Object(t)
	for _, field := range []string{"settings.integration_key", "settings.secret_key",
		"settings.api_hostname"} {
		rules, ok := problems[field].(map[string]any)
		if !ok || len(rules) == 0 {
			t.Errorf("no problem reported for %s in %s", field, out)
			continue
		}
		for rule, p := range rules {
			if msg, _ := p.(map[string]any)["message"].(string); msg == "" {
				t.Errorf("%s.%s has no message", field, rule)
			}
		}
	}
	if strings.Contains(string(out), "4889704gShoapqktmogrrt") {
		t.Errorf("validation error echoed the secret key: %s", out)
	}

	// Duplicate names are refused per account.
	create(t, e, acct, admin, duoConfig("UNIQUE"))
	status, out = e.Do(t, http.MethodPut, base, admin, duoConfig("UNIQUE"))
	if status != http.StatusBadRequest || !strings.Contains(string(out), `"unique"`) {
		t.Fatalf("duplicate name: %d %s, want 400 with a unique rule", status, out)
	}
	// ...but another account may use the same name.
	create(t, e, e.KAZOO.Reseller.ID, e.KAZOO.Reseller.Admin.Token, duoConfig("UNIQUE"))

	bad := []struct {
		name, body, contentType string
		want                    int
	}{
		{"not json", `{"data": {`, "application/json", 400},
		{"data not an object", `{"data": []}`, "application/json", 400},
		{"no data", `{"name": "x"}`, "application/json", 400},
		{"trailing garbage", `{"data": {}} {}`, "application/json", 400},
		{"wrong content type", `{"data": {}}`, "application/xml", 415},
		{"wrong field type", `{"data": {"name": 7, "enabled": "yes", "settings": []}}`,
			"application/json", 400},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			status, out := e.DoHeaders(t, http.MethodPut, base, admin, []byte(tc.body),
				map[string]string{"Content-Type": tc.contentType})
			if status != tc.want {
				t.Fatalf("status %d, want %d\n%s", status, tc.want, out)
			}
			if env := apptest.Decode(t, out); env.Status != "error" || env.Error == "" {
				t.Fatalf("not an error envelope: %s", out)
			}
		})
	}
}

func TestGenerateApplicationSecretKey(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	path := accountPath(e.KAZOO.Sub.ID) + "/duo/application_secret_key"
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		status, out := e.Do(t, http.MethodPut, path, e.KAZOO.Sub.Admin.Token, nil)
		key, _ := apptest.Decode(t, out).Object(t)["application_secret_key"].(string)
		if status != http.StatusOK || len(key) < 40 || seen[key] {
			t.Fatalf("generate: %d key %q (len %d, seen %v)", status, key, len(key), seen[key])
		}
		seen[key] = true
	}
}

func TestStoredSecretsAreSealed(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct := e.KAZOO.Sub.ID
	id, _ := create(t, e, acct, e.KAZOO.Sub.Admin.Token, duoConfig("SEALED"))
	doc, err := e.Couch.GetProvider(context.Background(), acct, id)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(doc)
	for _, secret := range []string{testSKey, testAKey} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("stored document holds a secret in plaintext: %s", raw)
		}
	}
	if doc["pvt_type"] != "provider" || doc["pvt_provider_type"] != "multi_factor" {
		t.Fatalf("stored doc lacks KAZOO markers: %v", doc)
	}
	db, _ := couch.EncodedAccountDB(acct)
	if doc["pvt_account_db"] != db || doc["pvt_account_id"] != acct {
		t.Fatalf("stored doc pvt_account_*: %v %v", doc["pvt_account_db"], doc["pvt_account_id"])
	}
}
