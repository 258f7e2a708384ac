package handlers_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

// startWithSim starts a Duo simulator and a replica trusting its CA.
func startWithSim(t *testing.T) (*apptest.Env, *duosim.Server) {
	t.Helper()
	sim := duosim.New(duosim.Options{})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	caFile := filepath.Join(t.TempDir(), "duosim-ca.pem")
	if err := os.WriteFile(caFile, sim.CACertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	e := apptest.Start(t, apptest.Options{Configure: func(c *app.Config) { c.CAFile = caFile }})
	return e, sim
}

func TestCheckCredentialsAgainstSimulator(t *testing.T) {
	e, sim := startWithSim(t)
	acct, admin := e.KAZOO.Sub.ID, e.KAZOO.Sub.Admin.Token
	sim.AddIntegration(testIKey, testSKey)
	const clientID, clientSecret = "DIUNIVERSALCLIENT001", "Uy7tR5eW3qA1sD9fG7hJ5kL3zX1cV9bN7mQ5wE3r"
	sim.AddUniversalClient(clientID, clientSecret)

	duoCfg := func(name, ikey, skey, host string) map[string]any {
		return map[string]any{"data": map[string]any{"name": name, "provider_name": "duo",
			"settings": map[string]any{"integration_key": ikey, "secret_key": skey,
				"application_secret_key": testAKey, "api_hostname": host}}}
	}
	uniCfg := func(name, secret string) map[string]any {
		return map[string]any{"data": map[string]any{"name": name,
			"provider_name": "duo_universal",
			"settings": map[string]any{"client_id": clientID, "client_secret": secret,
				"api_hostname": sim.Host(), "redirect_uri": "https://127.0.0.1/duo/callback"}}}
	}
	cases := []struct {
		name       string
		body       map[string]any
		wantOK     bool
		wantResult string
	}{
		{"valid keys", duoCfg("ok", testIKey, testSKey, sim.Host()), true, "ok"},
		{"wrong secret key", duoCfg("bad skey", testIKey,
			"0000000000000000000000000000000000000000", sim.Host()), false, "wrong_secret_key"},
		{"unknown integration key", duoCfg("bad ikey", "DIUNKNOWN00000000000",
			testSKey, sim.Host()), false, "wrong_integration_key"},
		{"host unreachable", duoCfg("down", testIKey, testSKey, "127.0.0.1:1"),
			false, "duo_unreachable"},
		{"universal valid", uniCfg("uni ok", clientSecret), true, "ok"},
		{"universal wrong secret", uniCfg("uni bad",
			"Xx7tR5eW3qA1sD9fG7hJ5kL3zX1cV9bN7mQ5wE3r"), false, "bad_credentials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, _ := create(t, e, acct, admin, tc.body)
			status, out := e.Do(t, http.MethodPut,
				accountPath(acct)+"/duo/"+id+"/check", admin, map[string]any{"data": map[string]any{}})
			if status != http.StatusOK {
				t.Fatalf("check: %d %s", status, out)
			}
			res := apptest.Decode(t, out).Object(t)
			if res["ok"] != tc.wantOK || res["result"] != tc.wantResult {
				t.Fatalf("check = ok %v result %v, want %v %s\n%s", res["ok"], res["result"],
					tc.wantOK, tc.wantResult, out)
			}
			if msg, _ := res["message"].(string); msg == "" {
				t.Fatalf("check without a plain-words message: %s", out)
			}
			if _, ok := res["round_trip_ms"].(float64); !ok {
				t.Fatalf("check without round_trip_ms: %s", out)
			}
		})
	}

	t.Run("simulator answering 5xx", func(t *testing.T) {
		id, _ := create(t, e, acct, admin, duoCfg("5xx", testIKey, testSKey, sim.Host()))
		sim.SetFault(duosim.Fault{Status5xx: 503})
		defer sim.ClearFaults()
		_, out := e.Do(t, http.MethodPut, accountPath(acct)+"/duo/"+id+"/check", admin, nil)
		if res := apptest.Decode(t, out).Object(t); res["result"] != "duo_unreachable" {
			t.Fatalf("check during 5xx = %v, want duo_unreachable", res["result"])
		}
	})
	t.Run("non-admin may not run checks", func(t *testing.T) {
		id, _ := create(t, e, acct, admin, duoCfg("user", testIKey, testSKey, sim.Host()))
		status, _ := e.Do(t, http.MethodPut, accountPath(acct)+"/duo/"+id+"/check",
			e.KAZOO.Sub.User.Token, nil)
		if status != http.StatusForbidden {
			t.Fatalf("non-admin check: %d, want 403", status)
		}
	})
}
