package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/duo/websdk"
)

func TestNotRequiredWithoutSecurityConfig(t *testing.T) {
	w := newWorld(t)
	rep := w.ask(w.env.KAZOO.Sub.ID, "approve", nil)
	if rep.Result != amqp.ResultNotRequired {
		t.Fatalf("got %s (%s), want not_required", rep.Result, rep.Reason)
	}
}

// sigResponse completes the Web SDK frame at the simulator and returns
// the browser's sig_response.
func (w *world) sigResponse(sigRequest string) string {
	w.t.Helper()
	tx, app, err := websdk.ParseRequest(sigRequest)
	if err != nil {
		w.t.Fatal(err)
	}
	u := "https://" + w.sim.Host() + "/frame/web/v1/auth?" + url.Values{
		"tx": {tx}, "parent": {"https://monster.test/"}}.Encode()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "application/json")
	resp, err := w.sim.HTTPClient().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Response struct {
			Result string `json:"result"`
			Cookie string `json:"cookie"`
		} `json:"response"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Response.Cookie == "" {
		w.t.Fatalf("frame: %v %+v", err, env)
	}
	return env.Response.Cookie + ":" + app
}

func TestWebSDKChallengeAndResponses(t *testing.T) {
	w := newWorld(t)
	sub := w.env.KAZOO.Sub.ID
	cfg := w.createConfig(sub, nil)
	w.securityConfig(sub, cfg, sub, true, false)

	rep := w.ask(sub, "approve", nil)
	if rep.Result != amqp.ResultChallenge {
		t.Fatalf("first ask: %s %s, want challenge", rep.Result, rep.Reason)
	}
	c := challengeOf(t, rep)
	settings, _ := c["settings"].(map[string]any)
	sigRequest, _ := settings["duo_sig_request"].(string)
	if c["provider_name"] != "duo" || !strings.HasPrefix(sigRequest, "TX|") ||
		settings["duo_api_hostname"] != w.sim.Host() {
		t.Fatalf("challenge = %s", rep.MultiFactorRequest)
	}

	valid := w.sigResponse(sigRequest)
	withResponse := func(sig string) func(*amqp.Request) {
		return func(r *amqp.Request) {
			r.MultiFactorResponse = &amqp.MultiFactorResponse{SigResponse: amqp.Secret(sig)}
		}
	}
	if rep := w.ask(sub, "approve", withResponse(valid)); rep.Result != amqp.ResultAuthenticated {
		t.Fatalf("valid response: %s %s", rep.Result, rep.Reason)
	}

	_, app, _ := websdk.ParseRequest(sigRequest)
	expired := websdk.SignValue(skey, "AUTH", ikey, "approve", 300*time.Second,
		time.Now().Add(-time.Hour)) + ":" + app
	tampered := strings.Replace(valid, "|", "|x", 1)
	cases := []struct {
		name, sig, reason string
	}{
		{"replayed", valid, "replayed"},
		{"expired", expired, "expired_response"},
		{"tampered", tampered, "invalid_response"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := w.ask(sub, "approve", withResponse(tc.sig))
			if rep.Result != amqp.ResultDenied || rep.Reason != tc.reason || rep.AttemptID == "" {
				t.Fatalf("got %s %s (attempt %q), want denied %s", rep.Result, rep.Reason,
					rep.AttemptID, tc.reason)
			}
			a := w.failure(sub, rep.AttemptID)
			if a["reason"] != tc.reason || a["status"] != "failed" {
				t.Fatalf("stored attempt: %v", a)
			}
			if raw, _ := json.Marshal(a); strings.Contains(string(raw), "AUTH|") {
				t.Fatalf("the stored attempt holds the sig_response: %s", raw)
			}
		})
	}
}

func TestAuthAPIFactors(t *testing.T) {
	w := newWorld(t)
	sub := w.env.KAZOO.Sub.ID
	cfg := w.createConfig(sub, map[string]any{
		"lockout": map[string]any{"max_failures": 3, "window_s": 900, "duration_s": 900}})
	w.securityConfig(sub, cfg, sub, true, false)
	push := func(r *amqp.Request) { r.Factor = amqp.FactorPush }

	cases := []struct {
		user, result, reason string
	}{
		{"approve", "authenticated", ""},
		{"bypass", "authenticated", ""},
		{"deny", "denied", "user_denied"},
		{"fraud", "denied", "fraud"},
		{"timeout", "denied", "timeout"},
		{"not_enrolled", "denied", "not_enrolled"},
	}
	for _, tc := range cases {
		t.Run(tc.user, func(t *testing.T) {
			rep := w.ask(sub, tc.user, push)
			if string(rep.Result) != tc.result || (tc.reason != "" && rep.Reason != tc.reason) {
				t.Fatalf("push for %s: %s %s, want %s %s", tc.user, rep.Result, rep.Reason,
					tc.result, tc.reason)
			}
			if tc.result == "denied" {
				if a := w.failure(sub, rep.AttemptID); a["reason"] != tc.reason {
					t.Fatalf("stored attempt reason %v, want %s", a["reason"], tc.reason)
				}
			}
			if tc.user == "deny" {
				w.wantPushDenialStored(sub, cfg, rep.AttemptID)
			}
		})
	}

	t.Run("sms then passcode", func(t *testing.T) {
		rep := w.ask(sub, "approve", func(r *amqp.Request) { r.Factor = amqp.FactorSMS })
		if rep.Result != amqp.ResultChallenge {
			t.Fatalf("sms: %s %s, want a challenge to type a passcode", rep.Result, rep.Reason)
		}
		codes := w.sim.Passcodes("approve")
		if len(codes) == 0 {
			t.Fatal("the simulator sent no passcode")
		}
		rep = w.ask(sub, "approve", func(r *amqp.Request) {
			r.Factor, r.Passcode = amqp.FactorPasscode, amqp.Secret(codes[0])
		})
		if rep.Result != amqp.ResultAuthenticated {
			t.Fatalf("passcode: %s %s", rep.Result, rep.Reason)
		}
	})

	t.Run("locked out after repeated denials, without contacting Duo", func(t *testing.T) {
		// "deny" failed once above; two more failures reach max_failures 3.
		for i := 0; i < 2; i++ {
			w.ask(sub, "deny", push)
		}
		w.sim.ResetLog()
		rep := w.ask(sub, "deny", push)
		if rep.Result != amqp.ResultDenied || rep.Reason != "locked_out" {
			t.Fatalf("after 3 failures: %s %s, want locked_out", rep.Result, rep.Reason)
		}
		if n := len(w.sim.Requests()); n != 0 {
			t.Fatalf("a locked-out user's request reached Duo (%d requests)", n)
		}
		a := w.failure(sub, rep.AttemptID)
		if a["reason"] != "locked_out" || a["status"] != "failed" {
			t.Fatalf("stored attempt %v, want a failed locked_out", a)
		}
		if d, _ := a["details"].(map[string]any); d["locked_by"] != "duo_kazoo" ||
			d["locked_until"] == nil || d["configuration_id"] != cfg {
			t.Fatalf("stored details %v, want locked_by duo_kazoo with locked_until", d)
		}
	})
}

func TestConfigurationProblems(t *testing.T) {
	w := newWorld(t)
	k := w.env.KAZOO
	sub := k.Sub.ID

	t.Run("missing configuration", func(t *testing.T) {
		w.securityConfig(sub, strings.Repeat("0", 32), sub, true, false)
		rep := w.ask(sub, "approve", nil)
		if rep.Result != amqp.ResultDenied || rep.Reason != "no_configuration" {
			t.Fatalf("got %s %s, want denied no_configuration", rep.Result, rep.Reason)
		}
		a := w.failure(sub, rep.AttemptID)
		if a["reason"] != "no_configuration" || a["status"] != "failed" {
			t.Fatalf("stored attempt %v, want a failed no_configuration", a)
		}
		if d, _ := a["details"].(map[string]any); d["configuration_id"] != strings.Repeat("0", 32) {
			t.Fatalf("stored details %v, want the missing configuration's id", d)
		}
	})
	t.Run("disabled configuration", func(t *testing.T) {
		cfg := w.createConfig(sub, nil)
		status, out := w.env.Do(t, http.MethodPatch, "/v2/accounts/"+sub+"/duo/"+cfg,
			k.Sub.Admin.Token, map[string]any{"data": map[string]any{"enabled": false}})
		if status != 200 {
			t.Fatalf("disabling: %d %s", status, out)
		}
		w.securityConfig(sub, cfg, sub, true, false)
		rep := w.ask(sub, "approve", nil)
		if rep.Result != amqp.ResultDenied || rep.Reason != "provider_disabled" {
			t.Fatalf("got %s %s, want denied provider_disabled", rep.Result, rep.Reason)
		}
		a := w.failure(sub, rep.AttemptID)
		if a["reason"] != "provider_disabled" || a["status"] != "failed" {
			t.Fatalf("stored attempt %v, want a failed provider_disabled", a)
		}
		if d, _ := a["details"].(map[string]any); d["configuration_id"] != cfg {
			t.Fatalf("stored details %v, want configuration %s", d, cfg)
		}
	})
}

func TestDuoDownFollowsFailmode(t *testing.T) {
	w := newWorld(t)
	sub := w.env.KAZOO.Sub.ID
	for _, tc := range []struct {
		failmode, result, reason string
	}{
		{"secure", "denied", "duo_unreachable"},
		{"safe", "authenticated", "failed_open"},
	} {
		t.Run(tc.failmode, func(t *testing.T) {
			cfg := w.createConfig(sub, map[string]any{"failmode": tc.failmode,
				"api_hostname": "127.0.0.1:1"})
			w.securityConfig(sub, cfg, sub, true, false)
			rep := w.ask(sub, "approve", func(r *amqp.Request) { r.Factor = amqp.FactorPush })
			if string(rep.Result) != tc.result || rep.Reason != tc.reason {
				t.Fatalf("got %s %s, want %s %s", rep.Result, rep.Reason, tc.result, tc.reason)
			}
			if rep.AttemptID == "" {
				t.Fatal("no attempt recorded: fail-open and fail-closed must both be recorded")
			}
			a := w.failure(sub, rep.AttemptID)
			if a["reason"] != tc.reason {
				t.Fatalf("stored reason %v, want %s", a["reason"], tc.reason)
			}
		})
	}
}

func TestInheritedConfiguration(t *testing.T) {
	w := newWorld(t)
	k := w.env.KAZOO
	cfg := w.createConfig(k.Reseller.ID, nil)
	for _, tc := range []struct {
		name       string
		includeSub bool
		want       amqp.Result
	}{
		{"reseller config applies to sub-accounts", true, amqp.ResultChallenge},
		{"reseller config for the reseller only", false, amqp.ResultNotRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.securityConfig(k.Reseller.ID, cfg, k.Reseller.ID, true, tc.includeSub)
			rep := w.ask(k.Sub.ID, "approve", nil)
			if rep.Result != tc.want {
				t.Fatalf("login to the sub-account: %s %s, want %s", rep.Result, rep.Reason, tc.want)
			}
			rep = w.ask(k.Reseller.ID, "approve", nil)
			if rep.Result != amqp.ResultChallenge {
				t.Fatalf("login to the reseller: %s %s, want challenge", rep.Result, rep.Reason)
			}
		})
	}
}

// wantPushDenialStored checks the whole stored shape of a denied push, as
// the Failure Logs API gives it (one attempt, and its listing row):
// KAZOO's login_attempt fields, the reason, the metadata and the details.
func (w *world) wantPushDenialStored(acct, cfg, id string) {
	w.t.Helper()
	a := w.failure(acct, id)
	now := couch.Gregorian(time.Now())
	ts, _ := a["timestamp"].(float64)
	headers, _ := a["client_headers"].(map[string]any)
	meta, _ := a["metadata"].(map[string]any)
	details, _ := a["details"].(map[string]any)
	switch {
	case a["id"] != id, a["auth_type"] != "multi_factor", a["status"] != "failed",
		a["reason"] != "user_denied", a["auth_module"] != "cb_user_auth",
		a["client_ip"] != "192.0.2.10", a["message"] == nil || a["message"] == "":
		w.t.Errorf("stored attempt fields: %v", a)
	case ts < float64(now-300) || ts > float64(now+5):
		w.t.Errorf("stored timestamp %v, want Gregorian seconds close to %d", a["timestamp"], now)
	case headers["user-agent"] != "e2e":
		w.t.Errorf("stored client_headers %v, want the user agent", a["client_headers"])
	case meta["owner_id"] != w.env.KAZOO.Sub.Admin.ID, meta["account_id"] != acct,
		meta["username"] != "deny":
		w.t.Errorf("stored metadata %v", a["metadata"])
	case details["configuration_id"] != cfg, details["provider_name"] != "duo",
		details["factor"] != "push", details["txid"] == nil || details["txid"] == "",
		details["duo_status"] == nil, details["duo_username"] != "deny":
		w.t.Errorf("stored details %v", a["details"])
	}
	for k := range a {
		if strings.HasPrefix(k, "pvt_") || strings.HasPrefix(k, "_") {
			w.t.Errorf("the API shows the private field %s", k)
		}
	}

	_, out := w.env.Do(w.t, http.MethodGet, "/v2/accounts/"+acct+
		"/duo/failure_logs?page_size=100&filter_reason=user_denied", w.adminOf(acct), nil)
	var row map[string]any
	for _, r := range apptest.Decode(w.t, out).List(w.t) {
		if r["id"] == id {
			row = r
		}
	}
	if row == nil || row["auth_type"] != "multi_factor" || row["status"] != "failed" ||
		row["reason"] != "user_denied" || row["username"] != "deny" ||
		row["owner_id"] != w.env.KAZOO.Sub.Admin.ID || row["configuration_id"] != cfg ||
		row["factor"] != "push" || row["client_ip"] != "192.0.2.10" ||
		row["timestamp"] != a["timestamp"] {
		w.t.Errorf("listing row %v, want the attempt's fields", row)
	}
}
