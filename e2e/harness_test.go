package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

const (
	ikey = "DIE2ETESTINTEGRATION"
	skey = "e2e-secret-key-0123456789abcdefghijklmno"
	akey = "e2e-application-secret-key-0123456789abcdefgh"
)

// world is one replica over AMQP, a Duo simulator and a seeded KAZOO.
type world struct {
	t      testing.TB
	env    *apptest.Env
	sim    *duosim.Server
	client *amqp.Client
	caFile string
}

func newWorld(t testing.TB) *world { return newWorldWith(t, nil) }

// newWorldWith is newWorld with the replica's configuration edited.
func newWorldWith(t testing.TB, configure func(*app.Config)) *world {
	t.Helper()
	testenv.AMQPURL(t)
	sim := duosim.New(duosim.Options{PushTimeout: 3 * time.Second})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	sim.AddIntegration(ikey, skey)
	for name, b := range map[string]duosim.Behavior{
		"approve": duosim.Approve, "deny": duosim.Deny, "fraud": duosim.Fraud,
		"bypass": duosim.Bypass, "not_enrolled": duosim.NotEnrolled,
	} {
		sim.SetUser(name, duosim.User{Behavior: b})
	}
	sim.SetUser("timeout", duosim.User{Behavior: duosim.Timeout, Delay: time.Second})
	caFile := filepath.Join(t.TempDir(), "duosim-ca.pem")
	if err := os.WriteFile(caFile, sim.CACertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	env := apptest.Start(t, apptest.Options{AMQP: true,
		Configure: func(c *app.Config) {
			c.CAFile = caFile
			if configure != nil {
				configure(c)
			}
		}})
	return &world{t: t, env: env, sim: sim, client: env.MFAClient(t), caFile: caFile}
}

// createConfig creates a duo configuration in acct through the API and
// returns its id; settings override the defaults.
func (w *world) createConfig(acct string, settings map[string]any) string {
	w.t.Helper()
	s := map[string]any{"integration_key": ikey, "secret_key": skey,
		"application_secret_key": akey, "api_hostname": w.sim.Host(),
		"username_source": "username"}
	for k, v := range settings {
		s[k] = v
	}
	status, out := w.env.Do(w.t, http.MethodPut, "/v2/accounts/"+acct+"/duo", w.adminOf(acct),
		map[string]any{"data": map[string]any{"name": "e2e " + testenv.NewID()[:6],
			"provider_name": "duo", "settings": s}})
	if status != http.StatusCreated {
		w.t.Fatalf("creating a configuration: %d %s", status, out)
	}
	id, _ := apptest.Decode(w.t, out).Object(w.t)["id"].(string)
	return id
}

func (w *world) adminOf(acct string) string {
	k := w.env.KAZOO
	switch acct {
	case k.Master.ID:
		return k.Master.Admin.Token
	case k.Reseller.ID:
		return k.Reseller.Admin.Token
	}
	return k.Sub.Admin.Token
}

// securityConfig writes acct's configs_crossbar.auth as KAZOO's
// Authentication app would.
func (w *world) securityConfig(acct, configID, configAccount string, enabled, includeSub bool) {
	w.t.Helper()
	ctx := context.Background()
	db, _ := couch.AccountDB(acct)
	doc := couch.Doc{"_id": couch.AuthConfigDocID, "pvt_type": "account_config"}
	if stored, err := w.env.Couch.Get(ctx, db, couch.AuthConfigDocID); err == nil {
		doc["_rev"] = stored["_rev"]
	}
	doc["auth_modules"] = map[string]any{"cb_user_auth": map[string]any{
		"enabled": true,
		"multi_factor": map[string]any{"enabled": enabled, "configuration_id": configID,
			"account_id": configAccount, "include_subaccounts": includeSub},
	}}
	if _, err := w.env.Couch.Put(ctx, db, doc); err != nil {
		w.t.Fatal(err)
	}
}

// ask sends an mfa_req for the sub-account's admin as Duo user username.
func (w *world) ask(acct, username string, edit func(*amqp.Request)) *amqp.Reply {
	w.t.Helper()
	req := &amqp.Request{Envelope: amqp.Envelope{AccountID: acct},
		OwnerID: w.env.KAZOO.Sub.Admin.ID, Username: username, AuthModule: "cb_user_auth",
		ClientIP: "192.0.2.10", UserAgent: "e2e"}
	if edit != nil {
		edit(req)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := w.client.Call(ctx, req)
	if err != nil {
		w.t.Fatalf("mfa_req: %v", err)
	}
	return rep
}

// failure returns the attempt with id from the Failure Logs API, checking
// it is listed too.
func (w *world) failure(acct, id string) map[string]any {
	w.t.Helper()
	token := w.adminOf(acct)
	status, out := w.env.Do(w.t, http.MethodGet, "/v2/accounts/"+acct+"/duo/failure_logs/"+id,
		token, nil)
	if status != http.StatusOK {
		w.t.Fatalf("failure log %s: %d %s", id, status, out)
	}
	a := apptest.Decode(w.t, out).Object(w.t)
	_, out = w.env.Do(w.t, http.MethodGet, "/v2/accounts/"+acct+"/duo/failure_logs?page_size=100",
		token, nil)
	for _, row := range apptest.Decode(w.t, out).List(w.t) {
		if row["id"] == id {
			return a
		}
	}
	w.t.Fatalf("attempt %s is not in the failure log listing", id)
	return nil
}

func challengeOf(t testing.TB, rep *amqp.Reply) map[string]any {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(rep.MultiFactorRequest, &c); err != nil {
		t.Fatalf("challenge %s: %v", rep.MultiFactorRequest, err)
	}
	return c
}
