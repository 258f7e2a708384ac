package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/app"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duo/websdk"
	"github.com/duo-kazoo/duo-kazoo/duosim"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
)

const (
	toolIKey = "DIMFATOOLTESTS000001"
	toolSKey = "mfa-tool-secret-key-0123456789abcdefghij"
	toolAKey = "mfa-tool-application-secret-key-0123456789abcd"
)

// toolReply is what `duo-kazoo mfa` prints.
type toolReply struct {
	Result             string          `json:"Result"`
	Reason             string          `json:"Reason"`
	Message            string          `json:"Message"`
	MsgID              string          `json:"Msg-ID"`
	AttemptID          string          `json:"Attempt-ID"`
	RoundTripMs        *int64          `json:"Round-Trip-Ms"`
	MultiFactorRequest json.RawMessage `json:"Multi-Factor-Request"`
}

// TestMFACommandAgainstALiveReplica runs `duo-kazoo mfa` as an operator
// would against a whole replica (real RabbitMQ and CouchDB-API server) and
// the Duo simulator: a challenge, the answer to it, and a denied push
// with the Attempt-ID of its record.
func TestMFACommandAgainstALiveReplica(t *testing.T) {
	amqpURL := testenv.AMQPURL(t)
	sim := duosim.New(duosim.Options{PushTimeout: 3 * time.Second})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	sim.AddIntegration(toolIKey, toolSKey)
	sim.SetUser("approve", duosim.User{Behavior: duosim.Approve})
	sim.SetUser("deny", duosim.User{Behavior: duosim.Deny})
	caFile := filepath.Join(t.TempDir(), "duosim-ca.pem")
	if err := os.WriteFile(caFile, sim.CACertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	env := apptest.Start(t, apptest.Options{AMQP: true,
		Configure: func(c *app.Config) { c.CAFile = caFile }})
	sub := env.KAZOO.Sub
	status, out := env.Do(t, http.MethodPut, "/v2/accounts/"+sub.ID+"/duo", sub.Admin.Token,
		map[string]any{"data": map[string]any{"name": "mfa tool", "provider_name": "duo",
			"settings": map[string]any{"integration_key": toolIKey, "secret_key": toolSKey,
				"application_secret_key": toolAKey, "api_hostname": sim.Host(),
				"username_source": "username"}}})
	if status != http.StatusCreated {
		t.Fatalf("creating the configuration: %d %s", status, out)
	}
	cfg, _ := apptest.Decode(t, out).Object(t)["id"].(string)
	db, _ := couch.AccountDB(sub.ID)
	if _, err := env.Couch.Put(context.Background(), db, couch.Doc{
		"_id": couch.AuthConfigDocID, "pvt_type": "account_config",
		"auth_modules": map[string]any{"cb_user_auth": map[string]any{"enabled": true,
			"multi_factor": map[string]any{"enabled": true, "configuration_id": cfg,
				"account_id": sub.ID}}},
	}); err != nil {
		t.Fatal(err)
	}

	mfa := func(t *testing.T, args ...string) (toolReply, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args = append([]string{"mfa", "--amqp-url", amqpURL,
			"--kapps-exchange", env.Topology.Kapps, "--targeted-exchange", env.Topology.Targeted,
			"--account", sub.ID, "--owner", sub.Admin.ID, "--timeout", "60s"}, args...)
		if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
			t.Fatalf("duo-kazoo %s exited %d\n%s%s", strings.Join(args, " "), code,
				stdout.String(), stderr.String())
		}
		var rep toolReply
		if err := json.NewDecoder(bytes.NewReader(stdout.Bytes())).Decode(&rep); err != nil {
			t.Fatalf("the printed reply is not JSON: %v\n%s", err, stdout.String())
		}
		if rep.MsgID == "" || rep.RoundTripMs == nil || rep.Message == "" && rep.Result == "denied" {
			t.Errorf("printed reply lacks Msg-ID, Round-Trip-Ms or Message:\n%s", stdout.String())
		}
		return rep, stdout.String()
	}

	var sigRequest string
	t.Run("challenge", func(t *testing.T) {
		rep, printed := mfa(t, "--username", "approve")
		var c struct {
			ProviderName string `json:"provider_name"`
			Settings     struct {
				SigRequest  string `json:"duo_sig_request"`
				APIHostname string `json:"duo_api_hostname"`
			} `json:"settings"`
		}
		if err := json.Unmarshal(rep.MultiFactorRequest, &c); err != nil || rep.Result != "challenge" ||
			c.ProviderName != "duo" || !strings.HasPrefix(c.Settings.SigRequest, "TX|") ||
			c.Settings.APIHostname != sim.Host() || rep.AttemptID != "" {
			t.Fatalf("challenge reply: %v\n%s", err, printed)
		}
		if !strings.Contains(printed, "run this command again with --sig-response") {
			t.Errorf("the challenge printed no hint of what to do next:\n%s", printed)
		}
		sigRequest = c.Settings.SigRequest
	})

	t.Run("the challenge answered", func(t *testing.T) {
		if sigRequest == "" {
			t.Fatal("no challenge to answer: the challenge subtest failed")
		}
		rep, printed := mfa(t, "--username", "approve", "--sig-response", frame(t, sim, sigRequest))
		if rep.Result != "authenticated" || rep.AttemptID != "" {
			t.Fatalf("answer reply:\n%s", printed)
		}
	})

	t.Run("a denied push", func(t *testing.T) {
		rep, printed := mfa(t, "--username", "deny", "--factor", "push")
		if rep.Result != "denied" || rep.Reason != "user_denied" ||
			!strings.HasPrefix(rep.AttemptID, time.Now().UTC().Format("200601")+"-") {
			t.Fatalf("denial reply:\n%s", printed)
		}
		status, out := env.Do(t, http.MethodGet, "/v2/accounts/"+sub.ID+"/duo/failure_logs/"+
			rep.AttemptID, sub.Admin.Token, nil)
		a := apptest.Decode(t, out).Object(t)
		if status != http.StatusOK || a["reason"] != "user_denied" || a["auth_type"] != "multi_factor" {
			t.Fatalf("the printed Attempt-ID's record: %d %s", status, out)
		}
		if ua, _ := a["client_headers"].(map[string]any); !strings.HasPrefix(
			ua["user-agent"].(string), "duo-kazoo mfa") {
			t.Errorf("record's client_headers %v, want the tool's user agent", a["client_headers"])
		}
	})
}

// frame completes the Web SDK frame at the simulator as the browser would
// and returns the sig_response.
func frame(t *testing.T, sim *duosim.Server, sigRequest string) string {
	t.Helper()
	tx, appPart, err := websdk.ParseRequest(sigRequest)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://"+sim.Host()+"/frame/web/v1/auth?"+
		url.Values{"tx": {tx}, "parent": {"https://monster.test/"}}.Encode(), nil)
	req.Header.Set("Accept", "application/json")
	resp, err := sim.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Response struct {
			Cookie string `json:"cookie"`
		} `json:"response"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Response.Cookie == "" {
		t.Fatalf("frame: %v %+v", err, body)
	}
	return body.Response.Cookie + ":" + appPart
}
