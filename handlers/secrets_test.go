package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
)

// TestSecretsNeverLeak drives every configuration endpoint with known
// secret values and fails if any of them shows up in a response body, in
// the debug-level log, or in the stored document.
func TestSecretsNeverLeak(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	base := accountPath(acct) + "/duo"
	const clientSecret = "Qw3rTy7uIoP9aSdFgHjKlZxCvBnM1234567890ab"
	universal := map[string]any{"data": map[string]any{
		"name": "UNIVERSAL", "provider_name": "duo_universal",
		"settings": map[string]any{"client_id": "DIUNIVERSAL000000001",
			"client_secret": clientSecret, "api_hostname": testHost,
			"redirect_uri": "https://monster.example.test/duo/callback"},
	}}
	secretValues := []string{testSKey, testAKey, clientSecret}

	var bodies []string
	record := func(status int, out []byte) { bodies = append(bodies, string(out)) }

	id, _ := create(t, e, acct, admin, duoConfig("LEAKS"))
	uid, _ := create(t, e, acct, admin, universal)
	record(e.Do(t, http.MethodGet, base, admin, nil))
	record(e.Do(t, http.MethodGet, accountPath(acct)+"/multi_factor", admin, nil))
	for _, cid := range []string{id, uid} {
		record(e.Do(t, http.MethodGet, base+"/"+cid, admin, nil))
		record(e.Do(t, http.MethodGet, accountPath(acct)+"/multi_factor/"+cid, admin, nil))
		record(e.Do(t, http.MethodPatch, base+"/"+cid, admin,
			map[string]any{"data": map[string]any{"enabled": true}}))
	}
	record(e.Do(t, http.MethodPost, base+"/"+id, admin, duoConfig("LEAKS")))
	// An invalid update carrying a secret must not echo it.
	invalid := duoConfig("")
	invalid["data"].(map[string]any)["settings"].(map[string]any)["api_hostname"] = "https://x"
	record(e.Do(t, http.MethodPost, base+"/"+id, admin, invalid))
	// A forbidden write carrying a secret must not echo it either.
	record(e.Do(t, http.MethodPut, base, e.KAZOO.Sub.User.Token, duoConfig("NOPE")))

	for _, body := range bodies {
		for _, secret := range secretValues {
			if strings.Contains(body, secret) {
				t.Fatalf("a response body contains a secret value:\n%s", body)
			}
		}
	}
	logs := e.Log.String()
	if !strings.Contains(logs, `"level":"debug"`) {
		t.Fatalf("the log was not captured at debug level:\n%s", logs)
	}
	for _, secret := range append(secretValues, admin) {
		if strings.Contains(logs, secret) {
			t.Fatalf("the log contains a secret value or token")
		}
	}
	for _, cid := range []string{id, uid} {
		doc, err := e.Couch.GetProvider(context.Background(), acct, cid)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(doc)
		for _, secret := range secretValues {
			if strings.Contains(string(raw), secret) {
				t.Fatalf("stored document %s holds a plaintext secret", cid)
			}
		}
	}
}
