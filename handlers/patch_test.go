package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/duo/failmode"
	"github.com/duo-kazoo/duo-kazoo/provider"
)

// TestPatchSemantics: PATCH is a JSON merge patch (RFC 7396) into the
// stored document, through the real API and store: null removes a field,
// objects merge, arrays replace, omitted or "" secrets are kept, a null
// secret is removed (README, provider/doc.go), and the answer still shows
// every kept secret as set.
func TestPatchSemantics(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	ctx := context.Background()
	const newSKey = "N3wS3cr3tK3yN3wS3cr3tK3yN3wS3cr3tK3y0000"

	start := withSettings(duoConfig("PATCHED"), map[string]any{
		"failmode": "safe", "factors": []any{"push", "sms", "phone"},
		"username_source": "email",
		"lockout":         map[string]any{"max_failures": 3, "window_s": 600},
		"client_secret":   testCSec, // the other provider's secret, kept while set
	})
	id, _ := create(t, e, acct, admin, start)
	path := accountPath(acct) + "/duo/" + id
	kazooPath := accountPath(acct) + "/multi_factor/" + id

	patch := func(t *testing.T, p string, body map[string]any) map[string]any {
		t.Helper()
		status, out := e.Do(t, http.MethodPatch, p, admin, data(body))
		if status != http.StatusOK {
			t.Fatalf("patch %v: %d %s", body, status, out)
		}
		view := apptest.Decode(t, out).Object(t)
		// The answer is what a GET now reads.
		_, got := e.Do(t, http.MethodGet, path, admin, nil)
		if read := apptest.Decode(t, got).Object(t); !reflect.DeepEqual(read, view) {
			t.Fatalf("PATCH answered %v but GET reads %v", view, read)
		}
		return view
	}
	wantSet := func(t *testing.T, view map[string]any, set map[string]bool) {
		t.Helper()
		s := settingsOf(t, view)
		for f, want := range set {
			if s[f+"_set"] != want {
				t.Errorf("%s_set = %v, want %v", f, s[f+"_set"], want)
			}
			if _, present := s[f]; present {
				t.Errorf("secret %s returned", f)
			}
		}
	}
	load := func(t *testing.T) provider.Config {
		t.Helper()
		cfg, err := e.App.Configs().Load(ctx, acct, id)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		return cfg
	}

	t.Run("null removes, objects merge, arrays replace", func(t *testing.T) {
		view := patch(t, path, map[string]any{
			"custom_field": nil,
			"added_field":  map[string]any{"nested": true},
			"settings": map[string]any{
				"failmode": nil,
				"factors":  []any{"passcode"},
				"lockout":  map[string]any{"window_s": nil, "duration_s": 1800},
			},
		})
		s := settingsOf(t, view)
		if _, ok := view["custom_field"]; ok {
			t.Errorf("custom_field not removed: %v", view)
		}
		if _, ok := s["failmode"]; ok {
			t.Errorf("failmode not removed: %v", s)
		}
		if !reflect.DeepEqual(s["factors"], []any{"passcode"}) {
			t.Errorf("factors = %v, want [passcode] (arrays replace)", s["factors"])
		}
		wantLockout := map[string]any{"max_failures": 3.0, "duration_s": 1800.0}
		if !reflect.DeepEqual(s["lockout"], wantLockout) {
			t.Errorf("lockout = %v, want %v (objects merge)", s["lockout"], wantLockout)
		}
		if s["username_source"] != "email" || s["integration_key"] != testIKey ||
			view["name"] != "PATCHED" || !reflect.DeepEqual(view["added_field"],
			map[string]any{"nested": true}) {
			t.Errorf("fields the patch did not name changed: %v", view)
		}
		wantSet(t, view, map[string]bool{"secret_key": true, "application_secret_key": true,
			"client_secret": true})
		if cfg := load(t); cfg.Failmode != failmode.Secure || len(cfg.Factors) != 1 {
			t.Errorf("defaults not applied after removal: failmode %v factors %v",
				cfg.Failmode, cfg.Factors)
		}
	})

	t.Run("omitted and empty secrets are kept", func(t *testing.T) {
		for _, body := range []map[string]any{
			{"enabled": false},
			{"settings": map[string]any{"secret_key": "", "application_secret_key": ""}},
			{"settings": map[string]any{"secret_key_set": false, "client_secret_set": false}},
		} {
			view := patch(t, kazooPath, body)
			wantSet(t, view, map[string]bool{"secret_key": true,
				"application_secret_key": true, "client_secret": true})
		}
		cfg := load(t)
		if cfg.SecretKey.Reveal() != testSKey || cfg.ApplicationSecretKey.Reveal() != testAKey ||
			cfg.ClientSecret.Reveal() != testCSec {
			t.Fatalf("stored secrets changed by patches that did not name them")
		}
	})

	t.Run("a new secret replaces the stored one", func(t *testing.T) {
		view := patch(t, path, map[string]any{"settings": map[string]any{"secret_key": newSKey}})
		wantSet(t, view, map[string]bool{"secret_key": true, "application_secret_key": true})
		if raw, _ := json.Marshal(view); strings.Contains(string(raw), newSKey) {
			t.Fatalf("the answer shows the new secret")
		}
		if got := load(t).SecretKey.Reveal(); got != newSKey {
			t.Fatalf("secret_key not replaced")
		}
	})

	t.Run("null removes a secret", func(t *testing.T) {
		view := patch(t, path, map[string]any{"settings": map[string]any{"client_secret": nil}})
		wantSet(t, view, map[string]bool{"secret_key": true, "application_secret_key": true,
			"client_secret": false})
		if load(t).ClientSecret.IsSet() {
			t.Fatalf("client_secret still stored")
		}
	})

	t.Run("removing a required secret is refused", func(t *testing.T) {
		status, out := e.Do(t, http.MethodPatch, path, admin,
			data(map[string]any{"settings": map[string]any{"secret_key": nil}}))
		wantOnlyProblem(t, status, out, "settings.secret_key", "required", "validation.required")
		if got := load(t).SecretKey.Reveal(); got != newSKey {
			t.Fatalf("a refused patch changed the stored secret")
		}
	})

	t.Run("private fields and id are ignored", func(t *testing.T) {
		view := patch(t, path, map[string]any{"_id": "x", "id": "y", "pvt_type": "user",
			"pvt_account_id": "z", "name": "PATCHED"})
		if view["id"] != id {
			t.Fatalf("id = %v, want %s", view["id"], id)
		}
		doc, err := e.Couch.GetProvider(ctx, acct, id)
		if err != nil || doc["pvt_account_id"] != acct {
			t.Fatalf("private fields were written: %v, %v", doc, err)
		}
	})
}
