package duosim_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/duo-kazoo/duo-kazoo/duo/websdk"
	"github.com/duo-kazoo/duo-kazoo/duosim"
)

const testAKey = "ApplicationSecretKeyForDuosimFrameTests0001"

type frameAnswer struct {
	Stat     string `json:"stat"`
	Code     int    `json:"code"`
	Response struct {
		Result   string `json:"result"`
		Username string `json:"username"`
		Cookie   string `json:"cookie"`
	} `json:"response"`
}

func frameJSON(t *testing.T, sim *duosim.Server, method, tx, action string) (int, frameAnswer) {
	t.Helper()
	q := values("tx", tx, "parent", "https://app.example.test/login", "v", "2.9")
	if action != "" {
		q.Set("action", action)
	}
	var req *http.Request
	if method == http.MethodPost {
		req, _ = http.NewRequest(method, sim.URL()+"/frame/web/v1/auth",
			strings.NewReader(q.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequest(method, sim.URL()+"/frame/web/v1/auth?"+q.Encode(), nil)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := sim.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("frame: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out frameAnswer
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decoding frame reply: %v", err)
	}
	return resp.StatusCode, out
}

func txPart(t *testing.T, user, skey string, now time.Time) (tx, app string) {
	t.Helper()
	req, err := websdk.SignRequest(testIKey, skey, testAKey, user, now)
	if err != nil {
		t.Fatalf("signing request: %v", err)
	}
	tx, app, err = websdk.ParseRequest(req)
	if err != nil {
		t.Fatalf("parsing request: %v", err)
	}
	return tx, app
}

func TestFrame(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetUser("alice", duosim.User{Behavior: duosim.Approve})
	sim.SetUser("dave", duosim.User{Behavior: duosim.Deny})
	sim.SetUser("manny", duosim.User{Behavior: duosim.Manual})
	now := time.Now()

	tests := []struct {
		name       string
		method     string
		user       string
		skey       string
		signedAt   time.Time
		action     string
		wantStatus int
		wantResult string
		wantCookie bool
	}{
		{"approving user gets AUTH", "GET", "alice", testSKey, now, "", 200, "allow", true},
		{"denying user gets none", "GET", "dave", testSKey, now, "", 200, "deny", false},
		{"manual user waits", "GET", "manny", testSKey, now, "", 200, "waiting", false},
		{"manual user approves", "POST", "manny", testSKey, now, "approve", 200, "allow", true},
		{"manual user denies", "POST", "manny", testSKey, now, "deny", 200, "deny", false},
		{"tx signed with another key", "GET", "alice", strings.Repeat("k", 40), now, "",
			400, "", false},
		{"expired tx", "GET", "alice", testSKey, now.Add(-301 * time.Second), "", 400, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx, app := txPart(t, tt.user, tt.skey, tt.signedAt)
			status, got := frameJSON(t, sim, tt.method, tx, tt.action)
			if status != tt.wantStatus || got.Response.Result != tt.wantResult {
				t.Fatalf("got HTTP %d %+v, want %d %s", status, got, tt.wantStatus, tt.wantResult)
			}
			if (got.Response.Cookie != "") != tt.wantCookie {
				t.Fatalf("cookie: got %q, want one: %v", got.Response.Cookie, tt.wantCookie)
			}
			if !tt.wantCookie {
				return
			}
			user, err := websdk.VerifyResponse(testIKey, testSKey, testAKey,
				got.Response.Cookie+":"+app, time.Now())
			if err != nil || user != tt.user {
				t.Errorf("sig_response: got user %q, %v; want %q verified", user, err, tt.user)
			}
		})
	}
}

func TestFrameHTMLPostsToParent(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	sim.SetUser("alice", duosim.User{})
	tx, _ := txPart(t, "alice", testSKey, time.Now())
	q := values("tx", tx, "parent", "https://app.example.test/login?x=1", "v", "2.9")
	resp, err := sim.HTTPClient().Get(sim.URL() + "/frame/web/v1/auth?" + q.Encode())
	if err != nil {
		t.Fatalf("frame: %v", err)
	}
	page := readBody(t, resp)
	if !strings.Contains(page, `data-origin="https://app.example.test"`) ||
		!strings.Contains(page, `data-cookie="AUTH|`) {
		t.Errorf("frame page lacks the postMessage data: %s", page)
	}
}
