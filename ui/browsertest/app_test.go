package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/attempts"
)

// Credentials of a valid Duo Web SDK configuration (the simulator's, or
// any Duo-shaped values for tests that never call Duo).
const (
	testIKey   = "DIWJ8X6AEYOR5OMC6TQ1"
	testSKey   = "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ecvxExDUq7r"
	testAppKey = "fMv1nU7cq2xZ4xY5bq8Q2kVwB7mA0dL3sK9jH6gF5dS4aP1oI2uY"
	testHost   = "api-1a2b3c4d.duosecurity.com"
)

// Selectors of the app, shared by the tests.
const (
	selName      = "#duo-f-name"
	selIKey      = "#duo-f-integration_key"
	selSKey      = "#duo-f-secret_key"
	selAppKey    = "#duo-f-application_secret_key"
	selHost      = "#duo-f-api_hostname"
	selProvider  = "#duo-f-provider"
	selSelector  = "#duo-config-select"
	selSave      = "[data-role=settings-form] [type=submit]"
	selStatus    = "[data-role=status]"
	selAlert     = "[data-role=alert]"
	selTabSet    = "#duo-tab-settings"
	selTabLogs   = "#duo-tab-failure-logs"
	selRows      = "[data-role=rows]"
	selRow       = "[data-role=rows] tr"
	selCheckOut  = "[data-role=check-result]"
	selFormTitle = ".duo-form__heading"
)

// errorFor is the selector of the error text beside the input of path.
func errorFor(path string) string { return `[data-error-for="` + path + `"]` }

// session is a signed-in standalone page over a freshly seeded KAZOO.
type session struct {
	*tab
	env *apptest.Env
}

// openApp starts the service (with opts), signs the sub-account's admin
// in through the session the standalone page keeps, in language lang,
// and waits for the Settings tab.
func openApp(t *testing.T, opts apptest.Options, lang string) *session {
	t.Helper()
	env := apptest.Start(t, opts)
	s := &session{tab: newTab(t), env: env}
	s.signIn(lang)
	return s
}

// on returns the session with its helpers failing t (a subtest) instead.
func (s *session) on(t *testing.T) *session { return &session{tab: s.tab.on(t), env: s.env} }

// signIn stores the token, account and language as the sign-in screen
// would, then loads the app.
func (s *session) signIn(lang string) {
	s.t.Helper()
	k := s.env.KAZOO.Sub
	s.do("opening the site", chromedp.Navigate(s.env.URL+"/i18n/index.json"))
	eval[bool](s.tab, `sessionStorage.setItem('duo-kazoo.session', JSON.stringify({token: `+
		js(k.Admin.Token)+`, accountId: `+js(k.ID)+`})), sessionStorage.setItem(`+
		`'duo-kazoo.language', `+js(lang)+`), true`)
	s.load()
}

// load (re)loads the page and waits for the Settings form.
func (s *session) load() {
	s.t.Helper()
	s.do("loading the app", chromedp.Navigate(s.env.URL+"/"))
	s.waitVisible(selName)
	s.settled()
}

// settled waits until the Settings panel has no call in flight.
func (s *session) settled() {
	s.t.Helper()
	s.waitFor("the Settings panel to settle",
		`!document.querySelector('#duo-panel-settings').hasAttribute('aria-busy')`, "")
}

// pick opens the configuration id with the Name selector.
func (s *session) pick(id string) {
	s.t.Helper()
	s.choose(selSelector, id)
	s.settled()
}

// accountPath is the API path of the sub-account's Duo resources.
func (s *session) accountPath(rest string) string {
	return "/v2/accounts/" + s.env.KAZOO.Sub.ID + "/duo" + rest
}

// api calls the API as the sub-account's admin and decodes the envelope.
func (s *session) api(method, path string, body any, want int) apptest.Envelope {
	s.t.Helper()
	if body != nil {
		body = map[string]any{"data": body}
	}
	code, out := s.env.Do(s.t, method, s.accountPath(path), s.env.KAZOO.Sub.Admin.Token, body)
	if code != want {
		s.t.Fatalf("%s %s: got status %d, want %d: %s", method, path, code, want, out)
	}
	return apptest.Decode(s.t, out)
}

// duoConfig is the body of a valid Web SDK configuration named name.
func duoConfig(name, ikey, skey, host string) map[string]any {
	return map[string]any{"name": name, "enabled": true, "provider_name": "duo",
		"settings": map[string]any{"integration_key": ikey, "secret_key": skey,
			"application_secret_key": testAppKey, "api_hostname": host}}
}

// createConfig stores a configuration through the API and returns its id.
func (s *session) createConfig(body map[string]any) string {
	s.t.Helper()
	env := s.api(http.MethodPut, "", body, http.StatusCreated)
	var data struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(env.Data, &data); err != nil || data.ID == "" {
		s.t.Fatalf("create answered %s (%v), want an id", env.Data, err)
	}
	return data.ID
}

// seedAttempts writes attempts into the sub-account's MODbs as the
// second-factor service records them.
func (s *session) seedAttempts(list []attempts.Attempt) []string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rec := attempts.NewRecorder(s.env.Couch, attempts.RecorderOptions{})
	out, err := rec.RecordBatch(ctx, s.env.KAZOO.Sub.ID, list)
	if err != nil {
		s.t.Fatalf("recording attempts: %v", err)
	}
	ids := make([]string, len(out))
	for i, o := range out {
		if o.Err != nil {
			s.t.Fatalf("recording attempt %d: %v", i, o.Err)
		}
		ids[i] = o.ID
	}
	return ids
}

// failedAttempt is a failed Duo push of user, at a time ago.
func failedAttempt(user, reason string, ago time.Duration) attempts.Attempt {
	return attempts.Attempt{
		Key:           fmt.Sprintf("%s-%s-%d", user, reason, ago),
		Time:          time.Now().Add(-ago),
		Status:        attempts.StatusFailed,
		AuthModule:    "cb_user_auth",
		Reason:        reason,
		Message:       "second factor failed: " + reason,
		ClientIP:      "192.0.2.10",
		Username:      user,
		OwnerID:       "4f1b3a0e2c6d48e1b9a7c5d3e2f1a0b9",
		Factor:        "push",
		ProviderName:  "duo",
		ClientHeaders: map[string]string{"User-Agent": "Mozilla/5.0 (test)"},
		Details:       map[string]any{"duo_status": "deny", "device": "DP0001"},
	}
}
