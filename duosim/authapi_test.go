package duosim_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/duosecurity/duo_api_golang/authapi"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

func TestPingAndCheck(t *testing.T) {
	now := time.Now()
	sim := newSim(t, duosim.Options{})
	api := official(t, sim, testSKey)

	ping, err := api.Ping()
	if err != nil {
		t.Fatalf("ping: %v", err)
	}
	if ping.Stat != "OK" || ping.Response.Time < now.Unix() {
		t.Errorf("ping: got stat %q time %d, want OK and time >= %d",
			ping.Stat, ping.Response.Time, now.Unix())
	}
	check, err := api.Check()
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if check.Stat != "OK" || check.Response.Time < now.Unix() {
		t.Errorf("check: got stat %q (code %d) time %d, want OK",
			check.Stat, code(check.StatResult), check.Response.Time)
	}
	got := lastRequest(t, sim, "/auth/v2/check")
	if got.Integration != testIKey || got.Outcome != "ok" {
		t.Errorf("log entry: got integration %q outcome %q, want %q ok",
			got.Integration, got.Outcome, testIKey)
	}
}

func TestPreauthBehaviors(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	api := official(t, sim, testSKey)
	for _, b := range []duosim.Behavior{duosim.Approve, duosim.Deny, duosim.Bypass,
		duosim.LockedOut, duosim.NotEnrolled, duosim.Manual} {
		sim.SetUser(string(b), duosim.User{Behavior: b})
	}

	tests := []struct {
		name       string
		user       string
		wantResult string
		wantDevice bool
		wantPortal bool
	}{
		{"approve user must authenticate", "approve", "auth", true, false},
		{"deny user must authenticate", "deny", "auth", true, false},
		{"manual user must authenticate", "manual", "auth", true, false},
		{"bypass user is allowed", "bypass", "allow", false, false},
		{"locked out user is denied", "locked_out", "deny", false, false},
		{"not enrolled user must enroll", "not_enrolled", "enroll", false, true},
		{"unknown user must enroll", "nobody", "enroll", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := api.Preauth(authapi.PreauthUsername(tt.user),
				authapi.PreauthIpAddr("192.0.2.10"))
			if err != nil {
				t.Fatalf("preauth: %v", err)
			}
			if res.Stat != "OK" {
				t.Fatalf("preauth: got stat %q code %d, want OK", res.Stat, code(res.StatResult))
			}
			if res.Response.Result != tt.wantResult {
				t.Errorf("result: got %q, want %q", res.Response.Result, tt.wantResult)
			}
			if got := len(res.Response.Devices) > 0; got != tt.wantDevice {
				t.Errorf("devices listed: got %v, want %v", got, tt.wantDevice)
			}
			if tt.wantDevice {
				d := res.Response.Devices[0]
				if d.Device != duosim.DefaultDevice().ID || len(d.Capabilities) != 5 {
					t.Errorf("device: got %+v, want the default device", d)
				}
			}
			if got := res.Response.Enroll_Portal_Url != ""; got != tt.wantPortal {
				t.Errorf("enroll_portal_url set: got %v, want %v", got, tt.wantPortal)
			}
		})
	}
}

func TestAuthSync(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	api := official(t, sim, testSKey)
	users := map[string]duosim.User{
		"approve":    {Behavior: duosim.Approve},
		"after":      {Behavior: duosim.ApproveAfter, Delay: 20 * time.Millisecond},
		"deny":       {Behavior: duosim.Deny},
		"fraud":      {Behavior: duosim.Fraud},
		"timeout":    {Behavior: duosim.Timeout, Delay: 20 * time.Millisecond},
		"bypass":     {Behavior: duosim.Bypass},
		"locked_out": {Behavior: duosim.LockedOut},
		"no_push": {Behavior: duosim.Approve, Devices: []duosim.Device{{
			ID: "DPHONEONLY0000000001", Type: "phone", Capabilities: []string{"phone"}}}},
	}
	for name, u := range users {
		sim.SetUser(name, u)
	}

	tests := []struct {
		name       string
		user       string
		factor     string
		wantResult string
		wantStatus string
	}{
		{"push approved", "approve", "push", "allow", "allow"},
		{"push approved after a delay", "after", "push", "allow", "allow"},
		{"phone approved", "approve", "phone", "allow", "allow"},
		{"auto falls back to phone", "no_push", "auto", "allow", "allow"},
		{"push denied", "deny", "push", "deny", "deny"},
		{"push marked fraud", "fraud", "push", "deny", "fraud"},
		{"push timed out", "timeout", "push", "deny", "timeout"},
		{"bypass user allowed", "bypass", "push", "allow", "bypass"},
		{"locked out user denied", "locked_out", "push", "deny", "locked_out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := api.Auth(tt.factor, authapi.AuthUsername(tt.user),
				authapi.AuthDevice("auto"), authapi.AuthIpAddr("192.0.2.10"))
			if err != nil {
				t.Fatalf("auth: %v", err)
			}
			if res.Stat != "OK" {
				t.Fatalf("auth: got stat %q code %d (%s), want OK",
					res.Stat, code(res.StatResult), str(res.Message_Detail))
			}
			if res.Response.Result != tt.wantResult || res.Response.Status != tt.wantStatus {
				t.Errorf("got %s/%s, want %s/%s", res.Response.Result, res.Response.Status,
					tt.wantResult, tt.wantStatus)
			}
		})
	}
}

func TestAuthAsyncStatus(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	api := official(t, sim, testSKey)
	sim.SetUser("slow", duosim.User{Behavior: duosim.ApproveAfter, Delay: 200 * time.Millisecond})
	sim.SetUser("caller", duosim.User{Behavior: duosim.Deny, Delay: 50 * time.Millisecond})

	tests := []struct {
		name        string
		user        string
		factor      string
		wantInterim string
		wantResult  string
		wantStatus  string
	}{
		{"push answered after a delay", "slow", "push", "pushed", "allow", "allow"},
		{"call denied", "caller", "phone", "calling", "deny", "deny"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := api.Auth(tt.factor, authapi.AuthUsername(tt.user),
				authapi.AuthDevice("auto"), authapi.AuthAsync())
			if err != nil || res.Stat != "OK" || res.Response.Txid == "" {
				t.Fatalf("async auth: got %+v, %v; want a txid", res, err)
			}
			txid := res.Response.Txid

			first, err := api.AuthStatus(txid)
			if err != nil || first.Stat != "OK" {
				t.Fatalf("first auth_status: got %+v, %v", first, err)
			}
			if first.Response.Result != "waiting" || first.Response.Status != tt.wantInterim {
				t.Errorf("first status: got %s/%s, want waiting/%s",
					first.Response.Result, first.Response.Status, tt.wantInterim)
			}
			// The second poll is held until the user answers.
			final, err := api.AuthStatus(txid)
			if err != nil || final.Stat != "OK" {
				t.Fatalf("second auth_status: got %+v, %v", final, err)
			}
			if final.Response.Result != tt.wantResult || final.Response.Status != tt.wantStatus {
				t.Errorf("final status: got %s/%s, want %s/%s", final.Response.Result,
					final.Response.Status, tt.wantResult, tt.wantStatus)
			}
		})
	}
}

func TestAuthStatusHoldLapses(t *testing.T) {
	sim := newSim(t, duosim.Options{StatusHold: 30 * time.Millisecond})
	api := official(t, sim, testSKey)
	sim.SetUser("manual", duosim.User{Behavior: duosim.Manual})

	res, err := api.Auth("push", authapi.AuthUsername("manual"), authapi.AuthDevice("auto"),
		authapi.AuthAsync())
	if err != nil || res.Response.Txid == "" {
		t.Fatalf("async auth: got %+v, %v", res, err)
	}
	for i, want := range []string{"waiting", "waiting"} {
		st, err := api.AuthStatus(res.Response.Txid)
		if err != nil || st.Response.Result != want {
			t.Fatalf("poll %d: got %+v, %v; want %s", i, st, err, want)
		}
	}
	if n := sim.Answer("manual", true); n != 1 {
		t.Fatalf("Answer: got %d transactions resolved, want 1", n)
	}
	st, err := api.AuthStatus(res.Response.Txid)
	if err != nil || st.Response.Result != "allow" {
		t.Fatalf("poll after Answer: got %+v, %v; want allow", st, err)
	}
}

func TestSMSThenPasscode(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	api := official(t, sim, testSKey)
	sim.SetUser("texter", duosim.User{Behavior: duosim.Approve, Passcodes: []string{"1234567"}})

	sms, err := api.Auth("sms", authapi.AuthUsername("texter"), authapi.AuthDevice("auto"))
	if err != nil || sms.Stat != "OK" {
		t.Fatalf("sms: got %+v, %v", sms, err)
	}
	if sms.Response.Result != "deny" || sms.Response.Status != "sent" {
		t.Errorf("sms: got %s/%s, want deny/sent", sms.Response.Result, sms.Response.Status)
	}
	codes := sim.Passcodes("texter")
	if len(codes) != 11 || codes[0] != "1234567" {
		t.Fatalf("passcodes: got %v, want the scripted one and 10 SMS ones", codes)
	}
	smsCode := codes[5]

	tests := []struct {
		name       string
		passcode   string
		wantResult string
	}{
		{"SMS passcode accepted", smsCode, "allow"},
		{"SMS passcode used twice", smsCode, "deny"},
		{"scripted passcode accepted", "1234567", "allow"},
		{"wrong passcode", "7654321", "deny"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := api.Auth("passcode", authapi.AuthUsername("texter"),
				authapi.AuthPasscode(tt.passcode))
			if err != nil || res.Stat != "OK" {
				t.Fatalf("passcode: got %+v, %v", res, err)
			}
			if res.Response.Result != tt.wantResult {
				t.Errorf("got %s, want %s", res.Response.Result, tt.wantResult)
			}
		})
	}
	if got := lastRequest(t, sim, "/auth/v2/auth"); got.Params.Get("passcode") != "[redacted]" {
		t.Errorf("logged passcode: got %q, want [redacted]", got.Params.Get("passcode"))
	}
}

func TestAuthParameterErrors(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	api := official(t, sim, testSKey)
	sim.SetUser("alice", duosim.User{})
	type opt = func(*url.Values)
	user, auto := authapi.AuthUsername("alice"), authapi.AuthDevice("auto")

	tests := []struct {
		name     string
		factor   string
		opts     []opt
		wantCode int
	}{
		{"unknown factor", "carrier-pigeon", []opt{user, auto}, duosim.CodeInvalidParams},
		{"no user", "push", []opt{auto}, duosim.CodeMissingParams},
		{"push without device", "push", []opt{user}, duosim.CodeMissingParams},
		{"unknown device", "push", []opt{user, authapi.AuthDevice("DPNOSUCHDEVICE000000")},
			duosim.CodeInvalidParams},
		{"bad ipaddr", "push", []opt{user, auto, authapi.AuthIpAddr("not-an-ip")},
			duosim.CodeInvalidParams},
		{"passcode missing", "passcode", []opt{user}, duosim.CodeMissingParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := api.Auth(tt.factor, tt.opts...)
			if err != nil {
				t.Fatalf("auth: %v", err)
			}
			if res.Stat != "FAIL" || code(res.StatResult) != tt.wantCode {
				t.Errorf("got stat %q code %d, want FAIL %d", res.Stat, code(res.StatResult),
					tt.wantCode)
			}
		})
	}
}

// TestAuthWithoutCapableDevice: Duo refuses an auth that none of the user's
// devices can do with HTTP 400, code 40002 and the detail "no capable
// device"; a user who is not enrolled (scripted, or unknown to Duo) has no
// device at all. A passcode is simply checked.
func TestAuthWithoutCapableDevice(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	api := official(t, sim, testSKey)
	sim.SetUser("not_enrolled", duosim.User{Behavior: duosim.NotEnrolled,
		Passcodes: []string{"7777777"}})
	sim.SetUser("phone_only", duosim.User{Devices: []duosim.Device{{
		ID: "DPHONEONLY0000000001", Type: "phone", Capabilities: []string{"phone"}}}})

	tests := []struct {
		name       string
		user       string
		factor     string
		device     string
		passcode   string
		wantCode   int
		wantDetail string
		wantResult string
	}{
		{"push to a not enrolled user", "not_enrolled", "push", "auto", "",
			duosim.CodeInvalidParams, "no capable device", ""},
		{"auto to a not enrolled user", "not_enrolled", "auto", "auto", "",
			duosim.CodeInvalidParams, "no capable device", ""},
		{"sms to a not enrolled user", "not_enrolled", "sms", "auto", "",
			duosim.CodeInvalidParams, "no capable device", ""},
		{"phone to an unknown user", "nobody", "phone", "auto", "",
			duosim.CodeInvalidParams, "no capable device", ""},
		{"push to a phone-only user", "phone_only", "push", "auto", "",
			duosim.CodeInvalidParams, "no capable device", ""},
		{"push to that phone by id", "phone_only", "push", "DPHONEONLY0000000001", "",
			duosim.CodeInvalidParams, "no capable device", ""},
		{"wrong passcode of a not enrolled user", "not_enrolled", "passcode", "", "1111111",
			0, "", "deny"},
		{"bypass code of a not enrolled user", "not_enrolled", "passcode", "", "7777777",
			0, "", "allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []func(*url.Values){authapi.AuthUsername(tt.user)}
			if tt.device != "" {
				opts = append(opts, authapi.AuthDevice(tt.device))
			}
			if tt.passcode != "" {
				opts = append(opts, authapi.AuthPasscode(tt.passcode))
			}
			res, err := api.Auth(tt.factor, opts...)
			if err != nil {
				t.Fatalf("auth: %v", err)
			}
			if tt.wantCode != 0 {
				if res.Stat != "FAIL" || code(res.StatResult) != tt.wantCode ||
					str(res.Message_Detail) != tt.wantDetail {
					t.Errorf("got stat %q code %d detail %q, want FAIL %d %q", res.Stat,
						code(res.StatResult), str(res.Message_Detail), tt.wantCode, tt.wantDetail)
				}
				return
			}
			if res.Stat != "OK" || res.Response.Result != tt.wantResult {
				t.Errorf("got stat %q result %q, want OK %q", res.Stat, res.Response.Result,
					tt.wantResult)
			}
		})
	}
}
